//! The profile file the Huawei Cloud SDKs read (pure: finding and parsing it), as
//! huaweicloudsdkcore 3.1.219's `ProfileCredentialProvider` does: the INI file
//! `HUAWEICLOUD_SDK_CREDENTIALS_FILE`, else `~/.huaweicloud/credentials`, section `basic`
//! (the SDKs' credential type for regional services; `global` is for global ones), keys `ak`,
//! `sk`, `security_token`, `project_id`, `iam_endpoint`. There are no named profiles.
//!
//! ```text
//! [basic]
//! ak = your-ak
//! sk = your-sk
//! project_id = 0123456789abcdef0123456789abcdef
//! ```

use std::path::{Path, PathBuf};

use console_core::env::Env;
use console_core::profile_file::IniProfile;
use console_core::{Error, Result};

use super::Credentials;

/// The variable naming the profile file.
pub const ENV_CREDENTIALS_FILE: &str = "HUAWEICLOUD_SDK_CREDENTIALS_FILE";
/// The section the SDKs read for regional services such as ECS.
pub const SECTION: &str = "basic";

/// Where the SDKs look: [`ENV_CREDENTIALS_FILE`], else `~/.huaweicloud/credentials`.
pub fn file(env: &dyn Env) -> Option<PathBuf> {
    env.var(ENV_CREDENTIALS_FILE)
        .filter(|f| !f.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            env.home()
                .map(|h| h.join(".huaweicloud").join("credentials"))
        })
}

/// What the profile holds.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Profile {
    /// AK/SK and the security token.
    pub credentials: Credentials,
    /// `project_id`, if set: the project requests act in.
    pub project_id: Option<String>,
    /// `iam_endpoint`, if set: where project ids are looked up.
    pub iam_endpoint: Option<String>,
}

/// Reads the `basic` section of `path`.
pub fn read(path: &Path) -> Result<Profile> {
    let p = IniProfile::read(path, SECTION)?;
    let opt = |k: &str| p.get(k).filter(|v| !v.is_empty()).map(str::to_owned);
    // The SDK takes a federation (both set) before keys.
    if opt("idp_id").is_some() && opt("id_token_file").is_some() {
        return Err(Error::invalid_input(
            "profile",
            format!(
                "[{SECTION}] of {} is a federated identity (idp_id, id_token_file); this library \
                 reads ak and sk",
                p.file()
            ),
        ));
    }
    let mut credentials = Credentials::ak_sk(p.require("ak")?, p.require("sk")?.to_owned());
    if let Some(token) = opt("security_token") {
        credentials = credentials.with_security_token(token);
    }
    credentials.validate().map_err(|e| {
        Error::invalid_input("profile", format!("[{SECTION}] of {}: {e}", p.file()))
    })?;
    Ok(Profile {
        credentials,
        project_id: opt("project_id"),
        iam_endpoint: opt("iam_endpoint"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::Auth;
    use console_core::env::MapEnv;

    #[test]
    fn where_the_file_is() {
        let mut env = MapEnv {
            home: Some("/home/u".into()),
            ..MapEnv::default()
        };
        assert_eq!(
            file(&env),
            Some(PathBuf::from("/home/u/.huaweicloud/credentials"))
        );
        env.vars
            .insert(ENV_CREDENTIALS_FILE.into(), "/x/creds".into());
        assert_eq!(file(&env), Some(PathBuf::from("/x/creds")));
        assert_eq!(file(&MapEnv::default()), None);
    }

    #[test]
    fn the_basic_section() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("credentials");
        std::fs::write(
            &path,
            "[global]\nak = GLOBALAK\nsk = g\n[basic]\nak = BASICAK\nsk = basic-sk\nsecurity_token = tok\nproject_id = p1\niam_endpoint = https://iam.example\n",
        )
        .unwrap();
        let p = read(&path).unwrap();
        let Auth::AkSk {
            ak, security_token, ..
        } = p.credentials.auth()
        else {
            panic!("AK/SK expected")
        };
        assert_eq!(ak, "BASICAK");
        assert_eq!(security_token.as_ref().unwrap().expose(), "tok");
        assert_eq!(p.project_id.as_deref(), Some("p1"));
        assert_eq!(p.iam_endpoint.as_deref(), Some("https://iam.example"));
        assert!(!format!("{p:?}").contains("basic-sk"));

        std::fs::write(&path, "[basic]\nak = A\n").unwrap();
        let e = read(&path).unwrap_err().to_string();
        assert!(e.contains("sk"), "{e}");
        std::fs::write(&path, "[basic]\nidp_id = x\nid_token_file = /t\n").unwrap();
        let e = read(&path).unwrap_err().to_string();
        assert!(e.contains("federated"), "{e}");
        // Neither keys nor a federation: the missing key is named.
        std::fs::write(&path, "[basic]\nproject_id = p\n").unwrap();
        let e = read(&path).unwrap_err().to_string();
        assert!(e.contains("ak") && !e.contains("federated"), "{e}");
        // A half-configured federation beside keys: the keys, as the SDK reads them.
        std::fs::write(&path, "[basic]\nak = A\nsk = B\nidp_id = x\n").unwrap();
        assert!(read(&path).is_ok());
        std::fs::write(&path, "[basic]\nak = A\nsk = B\nid_token_file = /t\n").unwrap();
        assert!(read(&path).is_ok());
        // A whole one comes first, keys or not.
        std::fs::write(
            &path,
            "[basic]\nak = A\nsk = B\nidp_id = x\nid_token_file = /t\n",
        )
        .unwrap();
        assert!(read(&path).unwrap_err().to_string().contains("federated"));
        std::fs::write(&path, "[global]\nak = A\nsk = B\n").unwrap();
        let e = read(&path).unwrap_err().to_string();
        assert!(e.contains("basic") && e.contains("global"), "{e}");
    }
}
