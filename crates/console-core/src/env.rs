//! Where configuration is read from: the process's environment and directories, or a fixed
//! map, so that tests (and portals holding many accounts) never read the machine's own
//! variables and files. Provider crates read their variables, profile files and config files
//! through it.

use std::collections::HashMap;
use std::path::PathBuf;

/// The environment configuration is read from: variables, the working directory, the home
/// directory. [`SystemEnv`] is the process's; [`MapEnv`] is a fixed one, so that tests (and
/// portals holding many accounts) never read the process's.
pub trait Env: Send + Sync + std::fmt::Debug {
    /// A variable.
    fn var(&self, name: &str) -> Option<String>;
    /// The working directory (`./clouds.yaml`).
    fn cwd(&self) -> Option<PathBuf>;
    /// The home directory (`~/.config/openstack`).
    fn home(&self) -> Option<PathBuf>;
    /// The machine-wide configuration directories (`/etc/...`), in order.
    fn system_dirs(&self) -> Vec<PathBuf>;
}

/// The values of all of `names` (empty values count as unset), or which are not set, as
/// `"A, B not set"`: how a source configured by several variables tells it is not here.
///
/// ```
/// use console_core::env::{all_set, MapEnv};
/// let env = MapEnv::new([("A", "1"), ("C", "")]);
/// assert_eq!(all_set(&env, &["A", "B", "C"]).unwrap_err(), "B, C not set");
/// assert_eq!(all_set(&env, &["A"]).unwrap(), ["1"]);
/// ```
pub fn all_set(env: &dyn Env, names: &[&str]) -> std::result::Result<Vec<String>, String> {
    let values: Vec<Option<String>> = names
        .iter()
        .map(|n| env.var(n).filter(|v| !v.is_empty()))
        .collect();
    let unset: Vec<&str> = names
        .iter()
        .zip(&values)
        .filter(|(_, v)| v.is_none())
        .map(|(n, _)| *n)
        .collect();
    if unset.is_empty() {
        Ok(values.into_iter().flatten().collect())
    } else {
        Err(format!("{} not set", unset.join(", ")))
    }
}

/// The process's environment.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemEnv;

impl Env for SystemEnv {
    fn var(&self, name: &str) -> Option<String> {
        std::env::var(name).ok()
    }
    fn cwd(&self) -> Option<PathBuf> {
        std::env::current_dir().ok()
    }
    fn home(&self) -> Option<PathBuf> {
        std::env::var_os("HOME").map(PathBuf::from)
    }
    /// `/etc/xdg` (the XDG site directory) and `/etc`: each provider appends its own name.
    fn system_dirs(&self) -> Vec<PathBuf> {
        vec!["/etc/xdg".into(), "/etc".into()]
    }
}

/// A fixed environment: variables from a map, and explicit directories (none by default, so
/// no file of the machine is read). `Debug` shows the variables' names, never their values.
#[derive(Clone, Default)]
pub struct MapEnv {
    /// The variables.
    pub vars: HashMap<String, String>,
    /// The working directory.
    pub cwd: Option<PathBuf>,
    /// The home directory.
    pub home: Option<PathBuf>,
    /// The machine-wide directories (none by default).
    pub system_dirs: Vec<PathBuf>,
}

impl MapEnv {
    /// An environment with these variables and no directories.
    pub fn new<K: Into<String>, V: Into<String>>(vars: impl IntoIterator<Item = (K, V)>) -> Self {
        Self {
            vars: vars
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
            cwd: None,
            home: None,
            system_dirs: Vec::new(),
        }
    }
}

impl std::fmt::Debug for MapEnv {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut names: Vec<&String> = self.vars.keys().collect();
        names.sort();
        f.debug_struct("MapEnv")
            .field("vars", &names)
            .field("cwd", &self.cwd)
            .field("home", &self.home)
            .field("system_dirs", &self.system_dirs)
            .finish()
    }
}

impl Env for MapEnv {
    fn var(&self, name: &str) -> Option<String> {
        self.vars.get(name).cloned()
    }
    fn cwd(&self) -> Option<PathBuf> {
        self.cwd.clone()
    }
    fn home(&self) -> Option<PathBuf> {
        self.home.clone()
    }
    fn system_dirs(&self) -> Vec<PathBuf> {
        self.system_dirs.clone()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn all_set_names_what_is_missing() {
        let env = super::MapEnv::new([("A", "1"), ("B", "2"), ("C", "")]);
        assert_eq!(super::all_set(&env, &["A", "B"]).unwrap(), ["1", "2"]);
        assert_eq!(
            super::all_set(&env, &["C", "A", "D"]).unwrap_err(),
            "C, D not set"
        );
    }

    use super::*;

    #[test]
    fn the_system_env_reads_the_process_and_a_map_env_nothing_else() {
        assert_eq!(SystemEnv.var("PATH"), std::env::var("PATH").ok());
        assert!(SystemEnv.cwd().is_some());
        assert_eq!(
            SystemEnv.system_dirs(),
            [PathBuf::from("/etc/xdg"), PathBuf::from("/etc")]
        );
        let m = MapEnv::new([("A", "1")]);
        assert_eq!((m.var("A").as_deref(), m.var("PATH")), (Some("1"), None));
        assert_eq!((m.cwd(), m.home()), (None, None));
        assert!(m.system_dirs().is_empty());
        let secret = MapEnv::new([("KEY", "value-that-is-secret")]);
        let dbg = format!("{secret:?}");
        assert!(
            dbg.contains("KEY") && !dbg.contains("value-that-is-secret"),
            "{dbg}"
        );
    }
}
