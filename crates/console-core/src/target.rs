//! One call for every provider: a [`Target`] (the instance, its region where the provider has
//! regions, and provider options by name) and, with the runtime, the object-safe
//! [`GetConsole`] trait every provider client implements, so that a portal holds any
//! provider's client as `Arc<dyn GetConsole>` (the shape of Cloudpods' `GetVNCInfo` and
//! ManageIQ's `remote_console_acquire_ticket`).
//!
//! Options are named, not typed, so that core knows no provider: each provider reads the
//! options it has ([`Target::reader`]) and refuses any other by name, before anything is sent.
//!
//! ```
//! use console_core::Target;
//! let t = Target::new("i-bp1hzoinajzkh91h")
//!     .region("cn-hangzhou")
//!     .flag("windows", true)
//!     .secret("password", "abc123");
//! assert_eq!(t.instance_id(), "i-bp1hzoinajzkh91h");
//! assert!(!format!("{t:?}").contains("abc123"));
//! ```

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::secret::Secret;

/// An option's value: a flag, a text, or a secret (a password), which `Debug` never shows.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum OptionValue {
    /// `true` or `false`.
    Flag(bool),
    /// A text.
    Text(String),
    /// A secret; configuration files give texts, which a provider reads as secrets where the
    /// option is one ([`OptionReader::secret`]).
    #[serde(skip)]
    Secret(Secret),
}

impl fmt::Debug for OptionValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OptionValue::Flag(b) => write!(f, "{b}"),
            OptionValue::Text(t) => write!(f, "{t:?}"),
            OptionValue::Secret(s) => write!(f, "{s:?}"),
        }
    }
}

impl OptionValue {
    /// `value` as option `name` keeps it: a text under a name that says it holds a secret
    /// (containing `password`, `secret` or `token`) becomes a [`OptionValue::Secret`], however
    /// it was given (in code, on a command line, in a configuration file).
    ///
    /// ```
    /// use console_core::OptionValue;
    /// let v = OptionValue::named("password", "abc123".into());
    /// assert!(matches!(v, OptionValue::Secret(_)));
    /// assert!(!format!("{v:?}").contains("abc123"));
    /// assert_eq!(OptionValue::named("product", "cvm".into()), OptionValue::Text("cvm".into()));
    /// ```
    pub fn named(name: &str, value: OptionValue) -> OptionValue {
        let lower = name.to_ascii_lowercase();
        let secret = ["password", "secret", "token"]
            .iter()
            .any(|s| lower.contains(s));
        match value {
            OptionValue::Text(t) if secret => OptionValue::Secret(Secret::new(t)),
            other => other,
        }
    }
}

impl From<bool> for OptionValue {
    fn from(b: bool) -> Self {
        OptionValue::Flag(b)
    }
}

impl From<&str> for OptionValue {
    fn from(t: &str) -> Self {
        OptionValue::Text(t.to_owned())
    }
}

impl From<String> for OptionValue {
    fn from(t: String) -> Self {
        OptionValue::Text(t)
    }
}

/// What to get a console for, in any provider's terms.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Target {
    instance_id: String,
    region: Option<String>,
    options: BTreeMap<String, OptionValue>,
}

impl Target {
    /// The instance (server, VM) `instance_id`.
    pub fn new(instance_id: impl Into<String>) -> Self {
        Self {
            instance_id: instance_id.into(),
            ..Self::default()
        }
    }

    /// In `region` (for providers that have regions).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Sets option `name` (`product`, `api`, `type`, ...).
    pub fn option(mut self, name: impl Into<String>, value: impl Into<OptionValue>) -> Self {
        let name = name.into();
        let value = OptionValue::named(&name, value.into());
        self.options.insert(name, value);
        self
    }

    /// Sets a flag option (`windows`, `direct`).
    pub fn flag(self, name: impl Into<String>, on: bool) -> Self {
        self.option(name, on)
    }

    /// Sets a secret option (`password`).
    pub fn secret(mut self, name: impl Into<String>, value: impl Into<Secret>) -> Self {
        self.options
            .insert(name.into(), OptionValue::Secret(value.into()));
        self
    }

    /// Sets each of `defaults` the target does not set itself (an account's defaults).
    pub fn or_defaults<'a>(
        mut self,
        region: Option<&str>,
        defaults: impl IntoIterator<Item = (&'a String, &'a OptionValue)>,
    ) -> Self {
        if self.region.is_none() {
            self.region = region.map(str::to_owned);
        }
        for (k, v) in defaults {
            self.options
                .entry(k.clone())
                .or_insert_with(|| OptionValue::named(k, v.clone()));
        }
        self
    }

    /// The instance id.
    pub fn instance_id(&self) -> &str {
        &self.instance_id
    }

    /// The region, if given.
    pub fn region_name(&self) -> Option<&str> {
        self.region.as_deref()
    }

    /// The options, by name.
    pub fn options(&self) -> &BTreeMap<String, OptionValue> {
        &self.options
    }

    /// Reads the options for `provider`; [`OptionReader::finish`] refuses any left unread.
    pub fn reader(&self, provider: &'static str) -> OptionReader<'_> {
        OptionReader {
            provider,
            target: self,
            read: Vec::new(),
        }
    }
}

/// Reads a target's options as one provider understands them: each read names the option,
/// each wrong type is an `InvalidInput` naming it, and [`finish`](Self::finish) refuses options
/// the provider does not have, listing the ones it does.
#[derive(Debug)]
pub struct OptionReader<'a> {
    provider: &'static str,
    target: &'a Target,
    read: Vec<&'static str>,
}

impl OptionReader<'_> {
    fn get(&mut self, name: &'static str) -> Option<&OptionValue> {
        self.read.push(name);
        self.target.options.get(name)
    }

    fn wrong(&self, name: &str, want: &str) -> Error {
        Error::invalid_input(
            "options",
            format!("{}'s option `{name}` must be {want}", self.provider),
        )
    }

    /// A flag (`true`/`false`, or the texts `"true"`/`"false"` a command line gives).
    pub fn flag(&mut self, name: &'static str) -> Result<Option<bool>> {
        match self.get(name).cloned() {
            None => Ok(None),
            Some(OptionValue::Flag(b)) => Ok(Some(b)),
            Some(OptionValue::Text(t)) if t.eq_ignore_ascii_case("true") => Ok(Some(true)),
            Some(OptionValue::Text(t)) if t.eq_ignore_ascii_case("false") => Ok(Some(false)),
            Some(_) => Err(self.wrong(name, "true or false")),
        }
    }

    /// A text.
    pub fn text(&mut self, name: &'static str) -> Result<Option<String>> {
        match self.get(name).cloned() {
            None => Ok(None),
            Some(OptionValue::Text(t)) => Ok(Some(t)),
            Some(_) => Err(self.wrong(name, "a text")),
        }
    }

    /// A secret (given as a secret, or as a text from configuration).
    pub fn secret(&mut self, name: &'static str) -> Result<Option<Secret>> {
        match self.get(name).cloned() {
            None => Ok(None),
            Some(OptionValue::Secret(s)) => Ok(Some(s)),
            Some(OptionValue::Text(t)) => Ok(Some(Secret::new(t))),
            Some(OptionValue::Flag(_)) => Err(self.wrong(name, "a text")),
        }
    }

    /// The region, required; `None` is an `InvalidInput` naming `region`.
    pub fn region(&self) -> Result<&str> {
        self.target
            .region_name()
            .ok_or_else(|| Error::invalid_input("region", format!("{} needs one", self.provider)))
    }

    /// Refuses a region for a provider that has none.
    pub fn no_region(&self, why: &str) -> Result<()> {
        match self.target.region_name() {
            Some(_) => Err(Error::invalid_input(
                "region",
                format!("{} has no regions: {why}", self.provider),
            )),
            None => Ok(()),
        }
    }

    /// Refuses options that were not read, naming them and the ones the provider has.
    pub fn finish(self) -> Result<()> {
        let unknown: Vec<&str> = self
            .target
            .options
            .keys()
            .map(String::as_str)
            .filter(|k| !self.read.contains(k))
            .collect();
        if unknown.is_empty() {
            return Ok(());
        }
        let known = if self.read.is_empty() {
            "none".to_owned()
        } else {
            self.read.join(", ")
        };
        Err(Error::invalid_input(
            "options",
            format!(
                "{} has no option {}; it has: {known}",
                self.provider,
                unknown
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ))
    }
}

#[cfg(feature = "runtime")]
mod any {
    /// The boxed future [`GetConsole::get_console`] returns (`futures`' `BoxFuture`).
    pub type BoxFuture<'a, T> = futures_util::future::BoxFuture<'a, T>;

    use super::Target;
    use crate::console::{Console, Provider};
    use crate::error::Result;

    /// A console for any provider's instance: every provider client implements it, so a
    /// portal keeps clients of several providers side by side as `Arc<dyn GetConsole>`.
    ///
    /// ```no_run
    /// # async fn demo(clients: Vec<std::sync::Arc<dyn console_core::GetConsole>>) -> console_core::Result<()> {
    /// for c in &clients {
    ///     let console = c.get_console(&console_core::Target::new("ins-1").region("ap-guangzhou")).await?;
    ///     println!("{}: {:?}", c.provider(), console.viewer_url());
    /// }
    /// # Ok(()) }
    /// ```
    pub trait GetConsole: Send + Sync + std::fmt::Debug {
        /// Which provider the client is for.
        fn provider(&self) -> Provider;

        /// A console for `target`; its options are the provider's, and an unknown one is an
        /// `InvalidInput` before anything is sent.
        fn get_console<'a>(&'a self, target: &'a Target) -> BoxFuture<'a, Result<Console>>;
    }
}

#[cfg(feature = "runtime")]
pub use any::{BoxFuture, GetConsole};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    fn t() -> Target {
        Target::new("i-1")
            .region("r")
            .flag("windows", true)
            .option("api", "v1")
            .option("direct", "TRUE")
            .secret("password", "pw-value")
    }

    #[test]
    fn options_are_read_by_type_and_the_rest_refused() {
        let t = t();
        let mut r = t.reader("aliyun");
        assert_eq!(r.flag("windows").unwrap(), Some(true));
        assert_eq!(r.flag("direct").unwrap(), Some(true));
        assert_eq!(r.text("api").unwrap().as_deref(), Some("v1"));
        assert_eq!(r.secret("password").unwrap().unwrap().expose(), "pw-value");
        assert_eq!(r.flag("absent").unwrap(), None);
        assert_eq!(r.region().unwrap(), "r");
        r.finish().unwrap();

        let mut r = t.reader("tencent");
        assert!(r.text("windows").is_err());
        let e = r.flag("api").unwrap_err();
        assert!(e.to_string().contains("`api` must be true or false"), "{e}");
        let e = t.reader("smartx").finish().unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
        assert!(
            e.to_string().contains(
                "smartx has no option `api`, `direct`, `password`, `windows`; it has: none"
            ),
            "{e}"
        );
        let mut r = t.reader("x");
        r.flag("windows").unwrap();
        let e = r.finish().unwrap_err().to_string();
        assert!(e.ends_with("it has: windows"), "{e}");
        assert!(t.reader("smartx").no_region("no").is_err());
        assert!(Target::new("v").reader("smartx").no_region("no").is_ok());
        assert!(Target::new("v").reader("aliyun").region().is_err());
        assert!(Target::new("v")
            .option("flag", "maybe")
            .reader("p")
            .flag("flag")
            .is_err());
        assert!(Target::new("v")
            .flag("s", true)
            .reader("p")
            .secret("s")
            .is_err());
        assert!(
            Target::new("v")
                .option("f", "false")
                .reader("p")
                .flag("f")
                .unwrap()
                == Some(false)
        );
    }

    #[test]
    fn defaults_fill_what_the_target_leaves_out_and_secrets_stay_hidden() {
        let defaults: BTreeMap<String, OptionValue> = [
            ("windows".to_owned(), OptionValue::Flag(false)),
            ("product".to_owned(), OptionValue::Text("cvm".into())),
        ]
        .into();
        let t = t().or_defaults(Some("other"), &defaults);
        assert_eq!(t.region_name(), Some("r"));
        assert_eq!(t.options()["windows"], OptionValue::Flag(true));
        assert_eq!(t.options()["product"], OptionValue::Text("cvm".into()));
        let t = Target::new("i").or_defaults(Some("d"), &defaults);
        assert_eq!(t.region_name(), Some("d"));
        assert_eq!(t.instance_id(), "i");
        assert!(!format!("{:?}", self::t()).contains("pw-value"));
        assert_eq!(format!("{:?}", OptionValue::Flag(true)), "true");
        assert_eq!(format!("{:?}", OptionValue::Text("cvm".into())), "\"cvm\"");
        assert_eq!(
            format!("{:?}", OptionValue::Secret(Secret::new("x"))),
            "Secret(\"***\")"
        );
        let t = Target::new("i").option("password", "given-as-text");
        assert!(!format!("{t:?}").contains("given-as-text"));
        let d: BTreeMap<String, OptionValue> = [(
            "api_token".to_owned(),
            OptionValue::Text("tok-value".into()),
        )]
        .into();
        let t = Target::new("i").or_defaults(None, &d);
        assert!(matches!(t.options()["api_token"], OptionValue::Secret(_)));
        let v: BTreeMap<String, OptionValue> =
            serde_json::from_str(r#"{"a": true, "b": "x"}"#).unwrap();
        assert_eq!(v["a"], OptionValue::Flag(true));
        assert_eq!(v["b"], OptionValue::Text("x".into()));
    }
}
