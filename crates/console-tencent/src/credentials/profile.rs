//! The profile file Tencent's SDKs read (pure: finding and parsing it): INI, a section per
//! profile, `secret_id`, `secret_key` and optionally `token`. Found at
//! `TENCENTCLOUD_CREDENTIALS_FILE`, else `~/.tencentcloud/credentials`, else
//! `/etc/tencentcloud/credentials` (tencentcloud-sdk-python's `ProfileCredential` reads the
//! last two, `[default]` only; named profiles are this crate's addition, `default` unless
//! chosen).

use std::path::{Path, PathBuf};

use console_core::env::Env;
use console_core::profile_file::IniProfile;
use console_core::{Error, Result};

use super::Credentials;

/// The variable naming the profile file.
pub const ENV_CREDENTIALS_FILE: &str = "TENCENTCLOUD_CREDENTIALS_FILE";
/// The profile read unless another is chosen.
pub const DEFAULT_PROFILE: &str = "default";

/// The places the profile file is looked for, in order.
pub fn candidates(env: &dyn Env) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = env
        .var(ENV_CREDENTIALS_FILE)
        .filter(|f| !f.is_empty())
        .map(PathBuf::from)
        .into_iter()
        .collect();
    if let Some(home) = env.home() {
        files.push(home.join(".tencentcloud").join("credentials"));
    }
    for dir in env.system_dirs().into_iter().filter(|d| d.ends_with("etc")) {
        files.push(dir.join("tencentcloud").join("credentials"));
    }
    files
}

/// Reads `profile` from the file at `path`. A malformed file names the file and line; a
/// missing profile names the profiles there are; a missing key names it. No error quotes a
/// value.
pub fn read(path: &Path, profile: &str) -> Result<Credentials> {
    let p = IniProfile::read(path, profile)?;
    // The SDKs' files sometimes quote values; the quotes are not part of them.
    let get = |key: &'static str| {
        p.get(key)
            .map(|v| v.trim_matches('"'))
            .filter(|v| !v.is_empty())
    };
    let mut c = Credentials::new(
        get("secret_id").ok_or_else(|| p.missing("secret_id"))?,
        get("secret_key")
            .ok_or_else(|| p.missing("secret_key"))?
            .to_owned(),
    );
    if let Some(token) = get("token") {
        c = c.with_session_token(token.to_owned());
    }
    c.validate().map_err(|e| {
        Error::invalid_input(
            "profile",
            format!("profile [{profile}] of {}: {e}", p.file()),
        )
    })?;
    Ok(c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use console_core::env::MapEnv;

    #[test]
    fn the_file_is_looked_for_where_the_sdks_look() {
        let mut env = MapEnv {
            home: Some("/home/u".into()),
            system_dirs: vec!["/etc/xdg".into(), "/etc".into()],
            ..MapEnv::default()
        };
        assert_eq!(
            candidates(&env),
            [
                PathBuf::from("/home/u/.tencentcloud/credentials"),
                PathBuf::from("/etc/tencentcloud/credentials")
            ]
        );
        env.vars
            .insert(ENV_CREDENTIALS_FILE.into(), "/x/creds".into());
        assert_eq!(candidates(&env)[0], PathBuf::from("/x/creds"));
        assert!(candidates(&MapEnv::default()).is_empty());
    }

    #[test]
    fn profiles_keys_and_mistakes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("credentials");
        std::fs::write(
            &path,
            "[default]\nsecret_id = AKIDDEFAULT\nsecret_key = \"key-default\"\n\n[ops]\nsecret_id=AKIDOPS\nsecret_key=key-ops\ntoken=tok-ops\n[broken]\nsecret_id=AKIDX\n",
        )
        .unwrap();
        let d = read(&path, "default").unwrap();
        assert_eq!(
            (d.secret_id(), d.secret_key().expose()),
            ("AKIDDEFAULT", "key-default")
        );
        let ops = read(&path, "ops").unwrap();
        assert_eq!(ops.session_token().map(|t| t.expose()), Some("tok-ops"));
        let e = read(&path, "prod").unwrap_err().to_string();
        assert!(
            e.contains("no profile [prod]") && e.contains("default, ops, broken"),
            "{e}"
        );
        let e = read(&path, "broken").unwrap_err().to_string();
        assert!(
            e.contains("secret_key")
                && e.contains("[broken]")
                && e.contains(&path.display().to_string()),
            "{e}"
        );
        std::fs::write(
            &path,
            "[default]\nsecret_id = AKID\n[unclosed\nsecret_key = key-that-must-not-show\n",
        )
        .unwrap();
        let e = read(&path, "default").unwrap_err().to_string();
        assert!(
            e.contains("line") && e.contains(&path.display().to_string()),
            "{e}"
        );
        assert!(!e.contains("key-that-must-not-show"), "{e}");
        let e = read(&dir.path().join("none"), "default")
            .unwrap_err()
            .to_string();
        assert!(e.contains("cannot read"), "{e}");
    }
}
