//! `console-url open ACCOUNT INSTANCE`: an account of the account file (`console-url.toml` in
//! the platform's configuration directory, or `--config FILE`), through console-portal.

use std::path::PathBuf;

use console_core::{Error, Target};
use console_portal::{Config, ConsoleClient};

/// The file name looked for in the configuration directory.
pub(crate) const FILE_NAME: &str = "console-url.toml";

/// Where the account file is by default: `$XDG_CONFIG_HOME/console-url/console-url.toml`
/// (`~/.config/...`) on Linux, `~/Library/Application Support/console-url/...` on macOS,
/// `%APPDATA%\console-url\...` on Windows.
pub(crate) fn default_file() -> Option<PathBuf> {
    dirs::config_dir().map(|d| d.join("console-url").join(FILE_NAME))
}

/// `NAME=VALUE` options into the target.
pub(crate) fn target(
    instance: String,
    region: Option<String>,
    options: &[String],
) -> Result<Target, Error> {
    let mut t = Target::new(instance);
    if let Some(r) = region {
        t = t.region(r);
    }
    for o in options {
        let Some((name, value)) = o.split_once('=') else {
            return Err(Error::invalid_input(
                "option",
                format!("{o:?} is not NAME=VALUE"),
            ));
        };
        // A password given on the command line is still a secret from here on.
        t = t.option(name, value);
    }
    Ok(t)
}

/// Account `name` of `file` (or the default file), with the command line's timeout and CA.
pub(crate) fn client(
    file: Option<PathBuf>,
    name: &str,
    timeout: Option<f64>,
    ca_file: Option<PathBuf>,
    endpoint: Option<String>,
) -> Result<ConsoleClient, Error> {
    let path = match file.or_else(default_file) {
        Some(p) => p,
        None => {
            return Err(Error::invalid_input(
                "config",
                "no configuration directory here; give --config FILE",
            ))
        }
    };
    let config = Config::load(&path)?;
    let Some(account) = config.accounts.get(name) else {
        let known: Vec<&str> = config.accounts.keys().map(String::as_str).collect();
        return Err(Error::invalid_input(
            "account",
            format!(
                "no account {name:?} in {}; it has: {}",
                path.display(),
                if known.is_empty() {
                    "none".to_owned()
                } else {
                    known.join(", ")
                }
            ),
        ));
    };
    let mut account = account.clone();
    if let Some(t) = timeout {
        account.timeout_seconds = Some(t.ceil().max(1.0) as u64);
    }
    if ca_file.is_some() {
        account.ca_file = ca_file;
    }
    if endpoint.is_some() {
        account.endpoint = endpoint;
    }
    ConsoleClient::from_config(&account).map_err(|e| match e {
        Error::InvalidInput { field, reason } => Error::InvalidInput {
            field,
            reason: format!("account {name:?} of {}: {reason}", path.display()),
        },
        other => other,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_from_the_command_line() {
        let t = target(
            "i-1".into(),
            Some("r".into()),
            &["windows=true".into(), "password=abc123".into()],
        )
        .unwrap();
        assert_eq!(t.region_name(), Some("r"));
        assert!(!format!("{t:?}").contains("abc123"));
        assert!(matches!(
            t.options()["password"],
            console_core::OptionValue::Secret(_)
        ));
        let e = target("i".into(), None, &["windows".into()]).unwrap_err();
        assert!(e.to_string().contains("NAME=VALUE"), "{e}");
    }
}
