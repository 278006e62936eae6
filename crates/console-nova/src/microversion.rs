//! Nova API microversions (`2.1` to `2.N`) and the ones the console calls depend on.

use std::fmt;
use std::str::FromStr;

use console_core::{Error, Result};

/// A Nova API microversion, `major.minor` (`2.1`, `2.5`, `2.6`, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Microversion {
    /// The major version (2).
    pub major: u16,
    /// The minor version.
    pub minor: u16,
}

impl Microversion {
    /// `major.minor`.
    pub const fn new(major: u16, minor: u16) -> Self {
        Self { major, minor }
    }

    /// The base microversion, and the one a server without microversions speaks.
    pub const BASE: Self = Self::new(2, 1);
    /// The last microversion with the console actions (`os-getVNCConsole`, ...).
    pub const LAST_GET_VNC_CONSOLE: Self = Self::new(2, 5);
    /// The first microversion with `remote-consoles`.
    pub const FIRST_REMOTE_CONSOLES: Self = Self::new(2, 6);
    /// The first microversion with the `mks` protocol (`webmks`).
    pub const FIRST_WEBMKS: Self = Self::new(2, 8);
    /// The first microversion with `spice-direct`.
    pub const FIRST_SPICE_DIRECT: Self = Self::new(2, 99);

    /// Whether the console actions (below 2.6) are this microversion's console API.
    pub fn has_console_actions(self) -> bool {
        self <= Self::LAST_GET_VNC_CONSOLE
    }
}

impl fmt::Display for Microversion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

impl FromStr for Microversion {
    type Err = Error;

    /// Parses `2.5`; anything else is an `InvalidInput` naming `microversion`.
    fn from_str(s: &str) -> Result<Self> {
        let bad = || Error::invalid_input("microversion", format!("{s:?} is not of the form 2.N"));
        let (major, minor) = s.split_once('.').ok_or_else(bad)?;
        let num = |p: &str| {
            if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            p.parse::<u16>().map_err(|_| bad())
        };
        Ok(Self::new(num(major)?, num(minor)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_orders_numerically() {
        let mv = |s: &str| s.parse::<Microversion>().unwrap();
        assert_eq!(mv("2.5"), Microversion::new(2, 5));
        assert!(mv("2.10") > mv("2.9"));
        assert_eq!(mv("2.60").to_string(), "2.60");
        for bad in [
            "", "2", "2.", ".5", "2.x", "2.5.1", "+2.5", "2.-5", "2.99999",
        ] {
            let e = bad.parse::<Microversion>().unwrap_err();
            assert!(e.to_string().contains("microversion"), "{bad:?}: {e}");
        }
    }

    #[test]
    fn the_console_api_changes_at_2_6() {
        assert!(Microversion::new(2, 1).has_console_actions());
        assert!(Microversion::new(2, 5).has_console_actions());
        assert!(!Microversion::new(2, 6).has_console_actions());
        assert_eq!(Microversion::BASE.to_string(), "2.1");
    }
}
