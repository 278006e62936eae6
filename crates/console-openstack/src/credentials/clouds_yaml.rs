//! `clouds.yaml` and `secure.yaml`, found and merged as openstacksdk does
//! (`openstack/config/loader.py`): `OS_CLIENT_CONFIG_FILE` first, then `clouds.{yaml,yml,json}`
//! in the working directory, the user's config directory (`$XDG_CONFIG_HOME/openstack` or
//! `~/.config/openstack`), `/etc/xdg/openstack` and `/etc/openstack`; the first file found is
//! read. `secure.yaml` (`OS_CLIENT_SECURE_FILE` first, then the same directories) is merged over
//! it key by key, so that secrets can live apart from the rest.

use std::path::{Path, PathBuf};

use console_core::{Error, Result};
use serde_json::Value;

use super::{Cloud, Env};

fn dirs(env: &dyn Env) -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(cwd) = env.cwd() {
        dirs.push(cwd);
    }
    let user = env
        .var("XDG_CONFIG_HOME")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| env.home().map(|h| h.join(".config")));
    if let Some(u) = user {
        dirs.push(u.join("openstack"));
    }
    dirs.extend(env.system_dirs().into_iter().map(|d| d.join("openstack")));
    dirs
}

fn files(env: &dyn Env, stem: &str, override_var: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = env
        .var(override_var)
        .filter(|f| !f.is_empty())
        .map(PathBuf::from)
        .into_iter()
        .collect();
    for d in dirs(env) {
        for suffix in ["yaml", "yml", "json"] {
            files.push(d.join(format!("{stem}.{suffix}")));
        }
    }
    files
}

/// Where `clouds.yaml` is looked for, in order.
pub fn config_files(env: &dyn Env) -> Vec<PathBuf> {
    files(env, "clouds", "OS_CLIENT_CONFIG_FILE")
}

/// Where `secure.yaml` is looked for, in order.
pub fn secure_files(env: &dyn Env) -> Vec<PathBuf> {
    files(env, "secure", "OS_CLIENT_SECURE_FILE")
}

/// Reads one YAML (or JSON) file; a malformed one is an `InvalidInput` naming the file and
/// the line.
fn read(path: &Path) -> Result<Value> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        Error::invalid_input("cloud", format!("cannot read {}: {e}", path.display()))
    })?;
    let value: Value = serde_yaml_ng::from_str(&text).map_err(|e| {
        let at = e
            .location()
            .map(|l| format!(" at line {}, column {}", l.line(), l.column()))
            .unwrap_or_default();
        // The parser's message may quote the file's text; only its position is kept.
        Error::invalid_input("cloud", format!("{} is not valid YAML{at}", path.display()))
    })?;
    if !value.is_object() && !value.is_null() {
        return Err(Error::invalid_input(
            "cloud",
            format!("{} is not a YAML mapping", path.display()),
        ));
    }
    Ok(value)
}

/// `over` merged into `base`, mappings key by key, anything else replaced.
fn merge(base: &mut Value, over: Value) {
    match (base, over) {
        (Value::Object(b), Value::Object(o)) => {
            for (k, v) in o {
                merge(b.entry(k).or_insert(Value::Null), v);
            }
        }
        (b, o) => *b = o,
    }
}

pub(super) fn load(name: &str, env: &dyn Env) -> Result<Cloud> {
    let candidates = config_files(env);
    let Some(path) = candidates.iter().find(|p| p.is_file()) else {
        return Err(Error::invalid_input(
            "cloud",
            format!(
                "cloud {name:?} asked for, but no clouds.yaml found (looked at {})",
                candidates
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    };
    let mut doc = read(path)?;
    let mut source = path.display().to_string();
    if let Some(secure) = secure_files(env).into_iter().find(|p| p.is_file()) {
        merge(&mut doc, read(&secure)?);
        source = format!("{source} with {}", secure.display());
    }
    let clouds = doc.get("clouds").and_then(Value::as_object);
    let entry = clouds.and_then(|c| c.get(name)).ok_or_else(|| {
        let known: Vec<&str> = clouds
            .map(|c| c.keys().map(String::as_str).collect())
            .unwrap_or_default();
        Error::invalid_input(
            "cloud",
            format!(
                "no cloud {name:?} in {source}; it has: {}",
                if known.is_empty() {
                    "none".to_owned()
                } else {
                    known.join(", ")
                }
            ),
        )
    })?;
    super::cloud_from_entry(name, entry, &source)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::{MapEnv, Method};

    fn env_in(dir: &Path) -> MapEnv {
        MapEnv {
            cwd: Some(dir.join("cwd")),
            home: Some(dir.join("home")),
            ..MapEnv::default()
        }
    }

    #[test]
    fn the_search_order_is_openstacksdk_s() {
        let mut env = MapEnv {
            cwd: Some("/w".into()),
            home: Some("/h".into()),
            system_dirs: vec!["/etc".into()],
            ..MapEnv::default()
        };
        env.vars
            .insert("OS_CLIENT_CONFIG_FILE".into(), "/x/my.yaml".into());
        let f = config_files(&env);
        assert_eq!(f[0], PathBuf::from("/x/my.yaml"));
        assert_eq!(f[1], PathBuf::from("/w/clouds.yaml"));
        assert_eq!(f[2], PathBuf::from("/w/clouds.yml"));
        assert_eq!(f[3], PathBuf::from("/w/clouds.json"));
        assert_eq!(f[4], PathBuf::from("/h/.config/openstack/clouds.yaml"));
        assert!(f.contains(&PathBuf::from("/etc/openstack/clouds.yaml")));
        env.vars.insert("XDG_CONFIG_HOME".into(), "/xdg".into());
        assert_eq!(
            secure_files(&env)[3],
            PathBuf::from("/xdg/openstack/secure.yaml")
        );
    }

    #[test]
    fn the_first_file_wins_and_secure_yaml_is_merged_over_it() {
        let dir = tempfile::tempdir().unwrap();
        let env = env_in(dir.path());
        let user = dir.path().join("home/.config/openstack");
        std::fs::create_dir_all(&user).unwrap();
        std::fs::create_dir_all(dir.path().join("cwd")).unwrap();
        std::fs::write(
            user.join("clouds.yaml"),
            "clouds:\n  lab:\n    auth:\n      auth_url: https://k/v3\n      username: demo\n      project_id: p1\n    region_name: R1\n",
        )
        .unwrap();
        std::fs::write(
            user.join("secure.yaml"),
            "clouds:\n  lab:\n    auth:\n      password: from-secure\n",
        )
        .unwrap();
        let c = load("lab", &env).unwrap();
        assert!(
            matches!(c.credentials.method(), Method::Password { password, .. } if password.expose() == "from-secure")
        );
        assert!(c.source.contains("clouds.yaml with"), "{}", c.source);
        // A clouds.yaml in the working directory comes first.
        std::fs::write(
            dir.path().join("cwd/clouds.yml"),
            "clouds:\n  other:\n    auth: {auth_url: 'https://o', username: u, password: p}\n",
        )
        .unwrap();
        let other = load("other", &env).unwrap();
        assert!(other.source.contains("cwd/clouds.yml"), "{}", other.source);
        // secure.yaml still applies: "lab" there has a password but no auth_url now.
        let e = load("lab", &env).unwrap_err().to_string();
        assert!(
            e.contains("auth_url") && e.contains("cwd/clouds.yml"),
            "{e}"
        );
        let e = load("nowhere", &env).unwrap_err().to_string();
        assert!(
            e.contains("no cloud \"nowhere\"") && e.contains("lab, other"),
            "{e}"
        );
    }

    #[test]
    fn a_malformed_file_names_the_file_and_line_and_no_value() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("clouds.yaml");
        std::fs::write(&path, "clouds:\n  lab:\n    auth: {password: hunter2\n").unwrap();
        let env = MapEnv::new([("OS_CLIENT_CONFIG_FILE", path.display().to_string())]);
        let e = load("lab", &env).unwrap_err().to_string();
        assert!(
            e.contains(&path.display().to_string()) && e.contains("line"),
            "{e}"
        );
        assert!(!e.contains("hunter2"), "{e}");
        std::fs::write(&path, "- a list\n").unwrap();
        assert!(load("lab", &env)
            .unwrap_err()
            .to_string()
            .contains("not a YAML mapping"));
        let none = MapEnv::default();
        let e = load("lab", &none).unwrap_err().to_string();
        assert!(e.contains("no clouds.yaml found"), "{e}");
    }
}
