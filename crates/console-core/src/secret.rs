//! A string that must never be printed: keys, passwords, login and console tokens.

use std::fmt;

/// A secret value whose `Debug` and `Display` print a placeholder, never the value.
///
/// ```
/// use console_core::Secret;
/// let key = Secret::new("Gu5t9xGARNpq86cd98joQYCN3EXAMPLE");
/// assert_eq!(format!("{key:?}"), "Secret(\"***\")");
/// assert_eq!(key.to_string(), "***");
/// assert_eq!(key.expose(), "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

/// What `Debug` and `Display` print in place of a secret, and what redaction writes in place
/// of any secret: one placeholder everywhere.
pub const REDACTED: &str = "***";

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret itself, for the one place that needs it (signing, a header on the wire).
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether the secret is the empty string.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Secret").field(&REDACTED).finish()
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

/// Read from configuration (a portal's account file, say) as a plain string; a `Secret` is
/// never serialized, so it cannot be written back out by accident.
impl<'de> serde::Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(Secret)
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deserializes_from_a_string_and_never_shows_it() {
        let s: Secret = serde_json::from_str(r#""hunter2""#).unwrap();
        assert_eq!(s.expose(), "hunter2");
        assert!(!format!("{s:?} {s}").contains("hunter2"));
        assert!(serde_json::from_str::<Secret>("42").is_err());
    }
}
