//! The files Alibaba Cloud's tools keep credentials in (pure: finding and parsing them), as
//! `alibabacloud_credentials` 1.0.12 reads them:
//! - the aliyun CLI's `~/.aliyun/config.json` (`CLIProfileCredentialsProvider`): profiles by
//!   `name`, the one named by `ALIBABA_CLOUD_PROFILE` or the file's `current`; modes `AK` and
//!   `StsToken` are read here (the role modes need STS, which this crate does not call yet, and
//!   are refused by name);
//! - the INI file `ALIBABA_CLOUD_CREDENTIALS_FILE`, else `~/.alibabacloud/credentials.ini`
//!   (`ProfileCredentialsProvider`): sections by profile name (`ALIBABA_CLOUD_PROFILE`, else
//!   `default`), `type = access_key` with `access_key_id` and `access_key_secret`.

use std::path::{Path, PathBuf};

use console_core::env::Env;
use console_core::profile_file::{read_file, IniProfile};
use console_core::{Error, Result};
use serde_json::Value;

use super::Credentials;

/// The variable naming the profile (both files).
pub const ENV_PROFILE: &str = "ALIBABA_CLOUD_PROFILE";
/// The variable naming the INI file.
pub const ENV_CREDENTIALS_FILE: &str = "ALIBABA_CLOUD_CREDENTIALS_FILE";
/// The variable that turns the CLI's file off (`true`).
pub const ENV_CLI_PROFILE_DISABLED: &str = "ALIBABA_CLOUD_CLI_PROFILE_DISABLED";

/// `~/.aliyun/config.json`.
pub fn cli_config_file(env: &dyn Env) -> Option<PathBuf> {
    env.home().map(|h| h.join(".aliyun").join("config.json"))
}

/// The INI file: `ALIBABA_CLOUD_CREDENTIALS_FILE`, else `~/.alibabacloud/credentials.ini`.
pub fn ini_file(env: &dyn Env) -> Option<PathBuf> {
    env.var(ENV_CREDENTIALS_FILE)
        .filter(|f| !f.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            env.home()
                .map(|h| h.join(".alibabacloud").join("credentials.ini"))
        })
}

fn checked(c: Credentials, profile: &str, shown: &str) -> Result<Credentials> {
    c.validate().map_err(|e| {
        Error::invalid_input("profile", format!("profile {profile:?} of {shown}: {e}"))
    })?;
    Ok(c)
}

/// Reads profile `profile` (else the file's `current`) of the CLI's `config.json`.
pub fn read_cli_config(path: &Path, profile: Option<&str>) -> Result<Credentials> {
    let shown = path.display().to_string();
    let doc: Value = serde_json::from_str(&read_file(path)?).map_err(|e| {
        Error::invalid_input(
            "profile",
            format!(
                "{shown} is not valid JSON (line {}, column {})",
                e.line(),
                e.column()
            ),
        )
    })?;
    let name = profile
        .map(str::to_owned)
        .or_else(|| {
            doc.get("current")
                .and_then(Value::as_str)
                .map(str::to_owned)
        })
        .unwrap_or_else(|| "default".to_owned());
    let profiles = doc
        .get("profiles")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let entry = profiles
        .iter()
        .find(|p| p.get("name").and_then(Value::as_str) == Some(name.as_str()))
        .ok_or_else(|| {
            let names: Vec<&str> = profiles
                .iter()
                .filter_map(|p| p.get("name")?.as_str())
                .collect();
            Error::invalid_input(
                "profile",
                format!(
                    "no profile {name:?} in {shown}; it has: {}",
                    if names.is_empty() {
                        "none".to_owned()
                    } else {
                        names.join(", ")
                    }
                ),
            )
        })?;
    let s = |k: &'static str| {
        entry
            .get(k)
            .and_then(Value::as_str)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
            .ok_or_else(|| {
                Error::invalid_input(k, format!("is not set in profile {name:?} of {shown}"))
            })
    };
    let c = match entry.get("mode").and_then(Value::as_str).unwrap_or("AK") {
        "AK" => Credentials::new(s("access_key_id")?, s("access_key_secret")?),
        "StsToken" => Credentials::new(s("access_key_id")?, s("access_key_secret")?).with_security_token(s("sts_token")?),
        other => {
            return Err(Error::invalid_input(
                "profile",
                format!("profile {name:?} of {shown} has mode {other:?}; this library reads modes AK and StsToken"),
            ))
        }
    };
    checked(c, &name, &shown)
}

/// Reads section `profile` of the INI credentials file.
pub fn read_ini(path: &Path, profile: &str) -> Result<Credentials> {
    let p = IniProfile::read(path, profile)?;
    match p.get("type") {
        Some("access_key") => {}
        other => {
            return Err(Error::invalid_input(
                "type",
                format!(
                    "profile [{profile}] of {} has type {:?}; this library reads type access_key",
                    p.file(),
                    other.unwrap_or("")
                ),
            ))
        }
    }
    let c = Credentials::new(
        p.require("access_key_id")?,
        p.require("access_key_secret")?.to_owned(),
    );
    checked(c, profile, p.file())
}

#[cfg(test)]
mod tests {
    use super::*;
    use console_core::env::MapEnv;

    #[test]
    fn where_the_files_are() {
        let mut env = MapEnv {
            home: Some("/home/u".into()),
            ..MapEnv::default()
        };
        assert_eq!(
            cli_config_file(&env),
            Some(PathBuf::from("/home/u/.aliyun/config.json"))
        );
        assert_eq!(
            ini_file(&env),
            Some(PathBuf::from("/home/u/.alibabacloud/credentials.ini"))
        );
        env.vars
            .insert(ENV_CREDENTIALS_FILE.into(), "/x/c.ini".into());
        assert_eq!(ini_file(&env), Some(PathBuf::from("/x/c.ini")));
        assert_eq!(cli_config_file(&MapEnv::default()), None);
    }

    #[test]
    fn the_cli_s_config_json() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.json");
        std::fs::write(&path, r#"{"current": "sts", "profiles": [
            {"name": "default", "mode": "AK", "access_key_id": "LTAIAK", "access_key_secret": "ak-secret"},
            {"name": "sts", "mode": "StsToken", "access_key_id": "STS.ID", "access_key_secret": "sts-secret", "sts_token": "tok"},
            {"name": "role", "mode": "RamRoleArn", "access_key_id": "a", "access_key_secret": "b"},
            {"name": "half", "mode": "AK", "access_key_id": "x"}]}"#).unwrap();
        let current = read_cli_config(&path, None).unwrap();
        assert_eq!(
            (
                current.access_key_id(),
                current.security_token().map(|t| t.expose())
            ),
            ("STS.ID", Some("tok"))
        );
        assert_eq!(
            read_cli_config(&path, Some("default"))
                .unwrap()
                .access_key_id(),
            "LTAIAK"
        );
        let e = read_cli_config(&path, Some("role"))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("RamRoleArn") && e.contains("AK and StsToken"),
            "{e}"
        );
        let e = read_cli_config(&path, Some("half"))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("access_key_secret") && e.contains("\"half\""),
            "{e}"
        );
        let e = read_cli_config(&path, Some("prod"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("default, sts, role, half"), "{e}");
        std::fs::write(
            &path,
            "{\"profiles\": [\n  {\"access_key_secret\": \"leak-me\"",
        )
        .unwrap();
        let e = read_cli_config(&path, None).unwrap_err().to_string();
        assert!(e.contains("line") && !e.contains("leak-me"), "{e}");
    }

    #[test]
    fn the_ini_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("credentials.ini");
        std::fs::write(&path, "[default]\ntype = access_key\naccess_key_id = LTAIINI\naccess_key_secret = ini-secret\n[role]\ntype = ram_role_arn\n").unwrap();
        assert_eq!(
            read_ini(&path, "default").unwrap().access_key_id(),
            "LTAIINI"
        );
        let e = read_ini(&path, "role").unwrap_err().to_string();
        assert!(e.contains("ram_role_arn") && e.contains("type"), "{e}");
        let e = read_ini(&path, "x").unwrap_err().to_string();
        assert!(e.contains("default, role"), "{e}");
        std::fs::write(&path, "[default\naccess_key_secret = hidden-value\n").unwrap();
        let e = read_ini(&path, "default").unwrap_err().to_string();
        assert!(e.contains("line") && !e.contains("hidden-value"), "{e}");
    }
}
