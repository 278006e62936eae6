//! The files Alibaba Cloud's tools keep credentials in (pure: finding and parsing them), as
//! `alibabacloud_credentials` 1.0.12 reads them:
//! - the aliyun CLI's `~/.aliyun/config.json` (`CLIProfileCredentialsProvider`): profiles by
//!   `name`, the one named by `ALIBABA_CLOUD_PROFILE` or the file's `current`; modes `AK`,
//!   `StsToken`, `RamRoleArn`, `EcsRamRole` and `OIDC` (the SSO, OAuth, external-process and
//!   chained modes are refused by name);
//! - the INI file `ALIBABA_CLOUD_CREDENTIALS_FILE`, else `~/.alibabacloud/credentials.ini`
//!   (`ProfileCredentialsProvider`): sections by profile name (`ALIBABA_CLOUD_PROFILE`, else
//!   `default`), types `access_key`, `ram_role_arn`, `ecs_ram_role` and `oidc_role_arn`.
//!
//! A profile reads as a [`Profile`]; [`super::sources`] turns a role into temporary keys.

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

/// What a profile says to do: keys to use as they are, or a role to get temporary ones for.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Profile {
    /// Keys (config.json modes `AK` and `StsToken`; INI type `access_key`).
    Keys(Credentials),
    /// A RAM role assumed with the profile's keys (mode `RamRoleArn`; type `ram_role_arn`).
    RamRoleArn {
        /// The keys that sign `AssumeRole`.
        keys: Credentials,
        /// The role.
        role_arn: String,
        /// The session name, if the profile sets one.
        session_name: Option<String>,
        /// The lifetime asked for, in seconds, if set.
        duration_seconds: Option<u64>,
        /// The external id, if set.
        external_id: Option<String>,
        /// STS's region, if set (else the central endpoint).
        sts_region: Option<String>,
    },
    /// The instance's RAM role (mode `EcsRamRole`; type `ecs_ram_role`).
    EcsRamRole {
        /// The role's name, if set (else discovered).
        role_name: Option<String>,
    },
    /// A RAM role assumed with an OIDC token (mode `OIDC`; type `oidc_role_arn`).
    Oidc {
        /// The role.
        role_arn: String,
        /// The OIDC provider.
        oidc_provider_arn: String,
        /// The token's file.
        oidc_token_file: String,
        /// The session name, if set.
        session_name: Option<String>,
        /// STS's region, if set.
        sts_region: Option<String>,
    },
}

/// Reads profile `profile` (else the file's `current`, else `default`) of the aliyun CLI's
/// `config.json`.
pub fn read_cli_config(path: &Path, profile: Option<&str>) -> Result<Profile> {
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
    let opt = |k: &str| {
        entry
            .get(k)
            .and_then(Value::as_str)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    let s = |k: &'static str| {
        opt(k).ok_or_else(|| {
            Error::invalid_input(k, format!("is not set in profile {name:?} of {shown}"))
        })
    };
    let keys = || -> Result<Credentials> {
        checked(
            Credentials::new(s("access_key_id")?, s("access_key_secret")?),
            &name,
            &shown,
        )
    };
    Ok(
        match entry.get("mode").and_then(Value::as_str).unwrap_or("AK") {
            "AK" => Profile::Keys(keys()?),
            "StsToken" => Profile::Keys(checked(
                Credentials::new(s("access_key_id")?, s("access_key_secret")?)
                    .with_security_token(s("sts_token")?),
                &name,
                &shown,
            )?),
            "RamRoleArn" => Profile::RamRoleArn {
                keys: keys()?,
                role_arn: s("ram_role_arn")?,
                session_name: opt("ram_session_name"),
                duration_seconds: entry.get("expired_seconds").and_then(Value::as_u64),
                external_id: opt("external_id"),
                sts_region: opt("sts_region"),
            },
            "EcsRamRole" => Profile::EcsRamRole {
                role_name: opt("ram_role_name"),
            },
            "OIDC" => Profile::Oidc {
                role_arn: s("ram_role_arn")?,
                oidc_provider_arn: s("oidc_provider_arn")?,
                oidc_token_file: s("oidc_token_file")?,
                session_name: opt("role_session_name"),
                sts_region: opt("sts_region"),
            },
            other => {
                return Err(Error::invalid_input(
                    "profile",
                    format!(
                        "profile {name:?} of {shown} has mode {other:?}; this library reads modes \
                     AK, StsToken, RamRoleArn, EcsRamRole and OIDC"
                    ),
                ))
            }
        },
    )
}

/// Reads section `profile` of the INI credentials file.
pub fn read_ini(path: &Path, profile: &str) -> Result<Profile> {
    let p = IniProfile::read(path, profile)?;
    let opt = |k: &str| p.get(k).filter(|v| !v.is_empty()).map(str::to_owned);
    let keys = || -> Result<Credentials> {
        checked(
            Credentials::new(
                p.require("access_key_id")?,
                p.require("access_key_secret")?.to_owned(),
            ),
            profile,
            p.file(),
        )
    };
    Ok(match p.get("type") {
        Some("access_key") => Profile::Keys(keys()?),
        Some("ram_role_arn") => Profile::RamRoleArn {
            keys: keys()?,
            role_arn: p.require("role_arn")?.to_owned(),
            session_name: opt("role_session_name"),
            duration_seconds: None,
            external_id: None,
            sts_region: None,
        },
        Some("ecs_ram_role") => Profile::EcsRamRole {
            role_name: opt("role_name"),
        },
        Some("oidc_role_arn") => Profile::Oidc {
            role_arn: p.require("role_arn")?.to_owned(),
            oidc_provider_arn: p.require("oidc_provider_arn")?.to_owned(),
            oidc_token_file: p.require("oidc_token_file_path")?.to_owned(),
            session_name: opt("role_session_name"),
            sts_region: None,
        },
        other => {
            return Err(Error::invalid_input(
                "type",
                format!(
                    "profile [{profile}] of {} has type {:?}; this library reads types \
                     access_key, ram_role_arn, ecs_ram_role and oidc_role_arn",
                    p.file(),
                    other.unwrap_or("")
                ),
            ))
        }
    })
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
        let keys = |p: Profile| match p {
            Profile::Keys(c) => c,
            other => panic!("keys expected, got {other:?}"),
        };
        let current = keys(read_cli_config(&path, None).unwrap());
        assert_eq!(
            (
                current.access_key_id(),
                current.security_token().map(|t| t.expose())
            ),
            ("STS.ID", Some("tok"))
        );
        assert_eq!(
            keys(read_cli_config(&path, Some("default")).unwrap()).access_key_id(),
            "LTAIAK"
        );
        let e = read_cli_config(&path, Some("role"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("ram_role_arn") && e.contains("\"role\""), "{e}");
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
    fn the_cli_s_role_modes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.json");
        std::fs::write(
            &path,
            r#"{"profiles": [
            {"name": "r", "mode": "RamRoleArn", "access_key_id": "LTAI", "access_key_secret": "s",
             "ram_role_arn": "acs:ram::1:role/r", "ram_session_name": "ops", "expired_seconds": 900,
             "external_id": "ext", "sts_region": "cn-beijing"},
            {"name": "e", "mode": "EcsRamRole", "ram_role_name": ""},
            {"name": "e2", "mode": "EcsRamRole", "ram_role_name": "named"},
            {"name": "o", "mode": "OIDC", "ram_role_arn": "acs:ram::1:role/r",
             "oidc_provider_arn": "acs:ram::1:oidc-provider/p", "oidc_token_file": "/t",
             "role_session_name": "pod", "sts_region": "cn-shanghai"},
            {"name": "o2", "mode": "OIDC", "ram_role_arn": "acs:ram::1:role/r"}]}"#,
        )
        .unwrap();
        match read_cli_config(&path, Some("r")).unwrap() {
            Profile::RamRoleArn {
                keys,
                role_arn,
                session_name,
                duration_seconds,
                external_id,
                sts_region,
            } => {
                assert_eq!(keys.access_key_id(), "LTAI");
                assert_eq!(role_arn, "acs:ram::1:role/r");
                assert_eq!(session_name.as_deref(), Some("ops"));
                assert_eq!(duration_seconds, Some(900));
                assert_eq!(external_id.as_deref(), Some("ext"));
                assert_eq!(sts_region.as_deref(), Some("cn-beijing"));
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            read_cli_config(&path, Some("e")).unwrap(),
            Profile::EcsRamRole { role_name: None }
        ));
        match read_cli_config(&path, Some("e2")).unwrap() {
            Profile::EcsRamRole { role_name } => assert_eq!(role_name.as_deref(), Some("named")),
            other => panic!("{other:?}"),
        }
        match read_cli_config(&path, Some("o")).unwrap() {
            Profile::Oidc {
                role_arn,
                oidc_provider_arn,
                oidc_token_file,
                session_name,
                sts_region,
            } => {
                assert_eq!(role_arn, "acs:ram::1:role/r");
                assert_eq!(oidc_provider_arn, "acs:ram::1:oidc-provider/p");
                assert_eq!(oidc_token_file, "/t");
                assert_eq!(session_name.as_deref(), Some("pod"));
                assert_eq!(sts_region.as_deref(), Some("cn-shanghai"));
            }
            other => panic!("{other:?}"),
        }
        let e = read_cli_config(&path, Some("o2")).unwrap_err().to_string();
        assert!(e.contains("oidc_provider_arn"), "{e}");
    }

    #[test]
    fn the_ini_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("credentials.ini");
        std::fs::write(&path, "[default]\ntype = access_key\naccess_key_id = LTAIINI\naccess_key_secret = ini-secret\n[role]\ntype = ram_role_arn\n").unwrap();
        let Profile::Keys(c) = read_ini(&path, "default").unwrap() else {
            panic!("keys expected")
        };
        assert_eq!(c.access_key_id(), "LTAIINI");
        let e = read_ini(&path, "role").unwrap_err().to_string();
        assert!(e.contains("access_key_id"), "{e}");
        let e = read_ini(&path, "x").unwrap_err().to_string();
        assert!(e.contains("default, role"), "{e}");
        std::fs::write(&path, "[r]\ntype = ram_role_arn\naccess_key_id = LTAI\naccess_key_secret = s\nrole_arn = acs:ram::1:role/r\nrole_session_name = ops\n[e]\ntype = ecs_ram_role\nrole_name =\n[o]\ntype = oidc_role_arn\nrole_arn = acs:ram::1:role/r\noidc_provider_arn = acs:ram::1:oidc-provider/p\noidc_token_file_path = /t\n").unwrap();
        match read_ini(&path, "r").unwrap() {
            Profile::RamRoleArn {
                keys,
                role_arn,
                session_name,
                ..
            } => {
                assert_eq!(keys.access_key_id(), "LTAI");
                assert_eq!(role_arn, "acs:ram::1:role/r");
                assert_eq!(session_name.as_deref(), Some("ops"));
            }
            other => panic!("{other:?}"),
        }
        // An empty value is no value: the role is discovered.
        assert!(matches!(
            read_ini(&path, "e").unwrap(),
            Profile::EcsRamRole { role_name: None }
        ));
        match read_ini(&path, "o").unwrap() {
            Profile::Oidc {
                oidc_token_file,
                session_name,
                ..
            } => {
                assert_eq!(oidc_token_file, "/t");
                assert_eq!(session_name, None);
            }
            other => panic!("{other:?}"),
        }
        std::fs::write(&path, "[default\naccess_key_secret = hidden-value\n").unwrap();
        let e = read_ini(&path, "default").unwrap_err().to_string();
        assert!(e.contains("line") && !e.contains("hidden-value"), "{e}");
    }
}
