//! The CloudTower profile file (pure: finding and parsing it). No official CloudTower tool
//! defines one (cloudtower-sdk takes its login in code), so this library's follows the other
//! providers' SDKs: an INI file, `CLOUDTOWER_CREDENTIALS_FILE`, else
//! `~/.cloudtower/credentials`, a section per profile (`CLOUDTOWER_PROFILE`, else `default`),
//! with `username`, `password`, `user_source` (default `LOCAL`) or `token`, and optionally the
//! `endpoint` the profile's CloudTower is at.
//!
//! ```text
//! [lab]
//! endpoint = https://tower.example.com
//! username = admin
//! password = secret
//! user_source = LDAP
//! ```

use std::path::{Path, PathBuf};

use console_core::env::Env;
use console_core::profile_file::IniProfile;
use console_core::{Error, Result};

use super::{Credentials, UserSource};

/// The variable naming the profile file.
pub const ENV_CREDENTIALS_FILE: &str = "CLOUDTOWER_CREDENTIALS_FILE";
/// The variable naming the profile.
pub const ENV_PROFILE: &str = "CLOUDTOWER_PROFILE";
/// The profile read when none is named.
pub const DEFAULT_PROFILE: &str = "default";

/// Where the file is: [`ENV_CREDENTIALS_FILE`], else `~/.cloudtower/credentials`.
pub fn file(env: &dyn Env) -> Option<PathBuf> {
    env.var(ENV_CREDENTIALS_FILE)
        .filter(|f| !f.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            env.home()
                .map(|h| h.join(".cloudtower").join("credentials"))
        })
}

/// The profile to read: `given`, else [`ENV_PROFILE`], else [`DEFAULT_PROFILE`].
pub fn profile_name(env: &dyn Env, given: Option<&str>) -> String {
    given
        .map(str::to_owned)
        .or_else(|| env.var(ENV_PROFILE).filter(|p| !p.is_empty()))
        .unwrap_or_else(|| DEFAULT_PROFILE.to_owned())
}

/// What a profile holds.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Profile {
    /// The login or token.
    pub credentials: Credentials,
    /// `endpoint`, if set: the CloudTower the profile is for.
    pub endpoint: Option<String>,
}

/// Reads profile `profile` of `path`.
pub fn read(path: &Path, profile: &str) -> Result<Profile> {
    let p = IniProfile::read(path, profile)?;
    let opt = |k: &str| p.get(k).filter(|v| !v.is_empty()).map(str::to_owned);
    let credentials = match opt("token") {
        Some(token) => Credentials::token(token),
        None => {
            let source = match opt("user_source") {
                Some(s) => s.parse::<UserSource>().map_err(|_| {
                    Error::invalid_input(
                        "user_source",
                        format!(
                            "{s:?} in profile [{profile}] of {} is not one of LOCAL, LDAP, \
                             AUTHN, SSO",
                            p.file()
                        ),
                    )
                })?,
                None => UserSource::Local,
            };
            Credentials::login(
                p.require("username")?,
                p.require("password")?.to_owned(),
                source,
            )
        }
    };
    credentials.validate().map_err(|e| {
        Error::invalid_input("profile", format!("[{profile}] of {}: {e}", p.file()))
    })?;
    Ok(Profile {
        credentials,
        endpoint: opt("endpoint"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use console_core::env::MapEnv;

    #[test]
    fn where_the_file_and_profile_are() {
        let mut env = MapEnv {
            home: Some("/home/u".into()),
            ..MapEnv::default()
        };
        assert_eq!(
            file(&env),
            Some(PathBuf::from("/home/u/.cloudtower/credentials"))
        );
        assert_eq!(profile_name(&env, None), "default");
        env.vars.insert(ENV_CREDENTIALS_FILE.into(), "/x/c".into());
        env.vars.insert(ENV_PROFILE.into(), "lab".into());
        assert_eq!(file(&env), Some(PathBuf::from("/x/c")));
        assert_eq!(profile_name(&env, None), "lab");
        assert_eq!(profile_name(&env, Some("prod")), "prod");
        assert_eq!(file(&MapEnv::default()), None);
    }

    #[test]
    fn logins_tokens_and_what_is_wrong() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("credentials");
        std::fs::write(
            &path,
            "[default]\nendpoint = https://tower\nusername = admin\npassword = pw-value\nuser_source = ldap\n[ci]\ntoken = tok-value\n[bad]\nusername = a\npassword = b\nuser_source = KERBEROS\n[half]\nusername = a\n",
        )
        .unwrap();
        let p = read(&path, "default").unwrap();
        assert_eq!(p.endpoint.as_deref(), Some("https://tower"));
        let Credentials::Login {
            username, source, ..
        } = &p.credentials
        else {
            panic!("a login")
        };
        assert_eq!((username.as_str(), *source), ("admin", UserSource::Ldap));
        assert!(!format!("{p:?}").contains("pw-value"));
        assert!(matches!(
            read(&path, "ci").unwrap().credentials,
            Credentials::Token(_)
        ));
        let e = read(&path, "bad").unwrap_err().to_string();
        assert!(e.contains("KERBEROS") && e.contains("user_source"), "{e}");
        let e = read(&path, "half").unwrap_err().to_string();
        assert!(e.contains("password"), "{e}");
        let e = read(&path, "prod").unwrap_err().to_string();
        assert!(e.contains("default, ci, bad, half"), "{e}");
    }
}
