//! Credential profile files as the providers' SDKs keep them (INI, a section per profile), read
//! the same way by every provider crate: errors name the file, the line, the profiles there
//! are, the missing key; none quotes a value.

use std::collections::BTreeMap;
use std::path::Path;

use crate::error::{Error, Result};

/// Reads a profile file; an unreadable one is an `InvalidInput` naming `profile` and the file.
pub fn read_file(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| {
        Error::invalid_input("profile", format!("cannot read {}: {e}", path.display()))
    })
}

/// One profile (section) of an INI file.
#[derive(Clone, PartialEq, Eq)]
pub struct IniProfile {
    file: String,
    name: String,
    values: BTreeMap<String, String>,
}

impl std::fmt::Debug for IniProfile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Values are keys and tokens: only their names are shown.
        f.debug_struct("IniProfile")
            .field("file", &self.file)
            .field("name", &self.name)
            .field("keys", &self.values.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl IniProfile {
    /// Reads section `profile` of the INI file at `path`. A malformed file names the file and
    /// line; a missing section names the sections there are.
    ///
    /// ```
    /// let dir = std::env::temp_dir().join("console-core-doc-ini");
    /// std::fs::create_dir_all(&dir).unwrap();
    /// let path = dir.join("credentials");
    /// std::fs::write(&path, "[default]\nkey_id = AK\n").unwrap();
    /// let p = console_core::profile_file::IniProfile::read(&path, "default")?;
    /// assert_eq!(p.get("key_id"), Some("AK"));
    /// assert!(p.require("secret").unwrap_err().to_string().contains("[default]"));
    /// # Ok::<(), console_core::Error>(())
    /// ```
    pub fn read(path: &Path, profile: &str) -> Result<Self> {
        let file = path.display().to_string();
        let ini = ini::Ini::load_from_str(&read_file(path)?).map_err(|e| {
            Error::invalid_input(
                "profile",
                format!(
                    "{file} is not a valid INI file (line {}, column {})",
                    e.line, e.col
                ),
            )
        })?;
        let section = ini.section(Some(profile)).ok_or_else(|| {
            let names: Vec<&str> = ini.sections().flatten().collect();
            Error::invalid_input(
                "profile",
                format!(
                    "no profile [{profile}] in {file}; it has: {}",
                    if names.is_empty() {
                        "none".to_owned()
                    } else {
                        names.join(", ")
                    }
                ),
            )
        })?;
        let values = section
            .iter()
            .map(|(k, v)| (k.to_owned(), v.trim().to_owned()))
            .collect();
        Ok(Self {
            file,
            name: profile.to_owned(),
            values,
        })
    }

    /// The file, as messages show it.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// The value of `key`, trimmed, when set and not empty.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.values
            .get(key)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    /// The error saying `key` is not set in this profile.
    pub fn missing(&self, key: &'static str) -> Error {
        Error::invalid_input(
            key,
            format!("is not set in profile [{}] of {}", self.name, self.file),
        )
    }

    /// The value of `key`, or the error naming it.
    pub fn require(&self, key: &'static str) -> Result<&str> {
        self.get(key).ok_or_else(|| self.missing(key))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_keys_and_mistakes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("credentials");
        std::fs::write(&path, "[a]\nk = v \nempty =\n[b]\nx = hidden-value\n").unwrap();
        let a = IniProfile::read(&path, "a").unwrap();
        assert_eq!(
            (a.get("k"), a.get("empty"), a.get("none")),
            (Some("v"), None, None)
        );
        assert_eq!(a.file(), path.display().to_string());
        let e = a.require("empty").unwrap_err().to_string();
        assert!(
            e.contains("empty") && e.contains("[a]") && e.contains(&a.file().to_owned()),
            "{e}"
        );
        let dbg = format!("{:?}", IniProfile::read(&path, "b").unwrap());
        assert!(
            !dbg.contains("hidden-value") && dbg.contains("IniProfile") && dbg.contains("\"x\""),
            "{dbg}"
        );
        let e = IniProfile::read(&path, "c").unwrap_err().to_string();
        assert!(
            e.contains("no profile [c]") && e.contains("it has: a, b"),
            "{e}"
        );
        std::fs::write(&path, "").unwrap();
        assert!(IniProfile::read(&path, "c")
            .unwrap_err()
            .to_string()
            .contains("it has: none"));
        std::fs::write(&path, "[a\nk = hidden-value\n").unwrap();
        let e = IniProfile::read(&path, "a").unwrap_err().to_string();
        assert!(e.contains("line") && !e.contains("hidden-value"), "{e}");
        let e = read_file(&dir.path().join("missing"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("cannot read"), "{e}");
    }
}
