//! The console types Nova knows, their protocols, the microversion each appears in, and the
//! action that asks for it below 2.6 (Nova API reference, "Server Consoles" and the
//! `os-getVNCConsole`, `os-getSPICEConsole`, `os-getRDPConsole`, `os-getSerialConsole` actions).

use std::fmt;
use std::str::FromStr;

use console_core::{Error, Protocol, Result};

use crate::Microversion;

/// A Nova console type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ConsoleType {
    /// `novnc` (protocol `vnc`): a noVNC page.
    NoVnc,
    /// `xvpvnc` (protocol `vnc`): the XVP Java applet's proxy.
    XvpVnc,
    /// `spice-html5` (protocol `spice`): the SPICE HTML5 client's page.
    SpiceHtml5,
    /// `spice-direct` (protocol `spice`, 2.99+): a token for a native SPICE client.
    SpiceDirect,
    /// `rdp-html5` (protocol `rdp`): an HTML5 RDP client's page.
    RdpHtml5,
    /// `serial` (protocol `serial`): a websocket to the serial port.
    Serial,
    /// `webmks` (protocol `mks`, 2.8+): VMware's WebMKS page.
    WebMks,
}

impl ConsoleType {
    /// Every type, in the order Horizon's `AUTO` tries their protocols: VNC, SPICE, RDP,
    /// serial, MKS.
    pub const ALL: [ConsoleType; 7] = [
        ConsoleType::NoVnc,
        ConsoleType::XvpVnc,
        ConsoleType::SpiceHtml5,
        ConsoleType::SpiceDirect,
        ConsoleType::RdpHtml5,
        ConsoleType::Serial,
        ConsoleType::WebMks,
    ];

    /// What Horizon's `AUTO` tries, in order: one browser console per protocol.
    pub const AUTO: [ConsoleType; 5] = [
        ConsoleType::NoVnc,
        ConsoleType::SpiceHtml5,
        ConsoleType::RdpHtml5,
        ConsoleType::Serial,
        ConsoleType::WebMks,
    ];

    /// The name Nova uses (`novnc`, `spice-html5`, ...).
    pub const fn name(self) -> &'static str {
        match self {
            ConsoleType::NoVnc => "novnc",
            ConsoleType::XvpVnc => "xvpvnc",
            ConsoleType::SpiceHtml5 => "spice-html5",
            ConsoleType::SpiceDirect => "spice-direct",
            ConsoleType::RdpHtml5 => "rdp-html5",
            ConsoleType::Serial => "serial",
            ConsoleType::WebMks => "webmks",
        }
    }

    /// The protocol (`remote_console.protocol`).
    pub const fn protocol(self) -> Protocol {
        match self {
            ConsoleType::NoVnc | ConsoleType::XvpVnc => Protocol::Vnc,
            ConsoleType::SpiceHtml5 | ConsoleType::SpiceDirect => Protocol::Spice,
            ConsoleType::RdpHtml5 => Protocol::Rdp,
            ConsoleType::Serial => Protocol::Serial,
            ConsoleType::WebMks => Protocol::Mks,
        }
    }

    /// The protocol's name as Nova writes it.
    pub const fn protocol_name(self) -> &'static str {
        match self {
            ConsoleType::NoVnc | ConsoleType::XvpVnc => "vnc",
            ConsoleType::SpiceHtml5 | ConsoleType::SpiceDirect => "spice",
            ConsoleType::RdpHtml5 => "rdp",
            ConsoleType::Serial => "serial",
            ConsoleType::WebMks => "mks",
        }
    }

    /// The first microversion `remote-consoles` takes this type at.
    pub const fn since(self) -> Microversion {
        match self {
            ConsoleType::WebMks => Microversion::FIRST_WEBMKS,
            ConsoleType::SpiceDirect => Microversion::FIRST_SPICE_DIRECT,
            _ => Microversion::FIRST_REMOTE_CONSOLES,
        }
    }

    /// The server action that asks for this type below 2.6, if one does.
    pub const fn action(self) -> Option<&'static str> {
        match self {
            ConsoleType::NoVnc | ConsoleType::XvpVnc => Some("os-getVNCConsole"),
            ConsoleType::SpiceHtml5 => Some("os-getSPICEConsole"),
            ConsoleType::RdpHtml5 => Some("os-getRDPConsole"),
            ConsoleType::Serial => Some("os-getSerialConsole"),
            ConsoleType::SpiceDirect | ConsoleType::WebMks => None,
        }
    }

    /// Whether a server speaking `microversion` can hand out this type.
    pub fn available_at(self, microversion: Microversion) -> bool {
        if microversion.has_console_actions() {
            self.action().is_some()
        } else {
            microversion >= self.since()
        }
    }
}

impl fmt::Display for ConsoleType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for ConsoleType {
    type Err = Error;

    /// Parses Nova's name; anything else is an `InvalidInput` naming `console_type` and
    /// listing the names.
    fn from_str(s: &str) -> Result<Self> {
        ConsoleType::ALL
            .into_iter()
            .find(|t| t.name() == s)
            .ok_or_else(|| {
                let names: Vec<_> = ConsoleType::ALL.iter().map(|t| t.name()).collect();
                Error::invalid_input(
                    "console_type",
                    format!("{s:?} is not a Nova console type ({})", names.join(", ")),
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_unknown_ones_are_listed() {
        for t in ConsoleType::ALL {
            assert_eq!(t.name().parse::<ConsoleType>().unwrap(), t);
            assert_eq!(t.to_string(), t.name());
        }
        let e = "vnc".parse::<ConsoleType>().unwrap_err().to_string();
        assert!(e.contains("console_type") && e.contains("webmks"), "{e}");
    }

    #[test]
    fn protocols_actions_and_first_microversions_are_nova_s() {
        let table: Vec<_> = ConsoleType::ALL
            .iter()
            .map(|t| {
                (
                    t.name(),
                    t.protocol_name(),
                    t.since().to_string(),
                    t.action(),
                )
            })
            .collect();
        assert_eq!(
            table,
            [
                ("novnc", "vnc", "2.6".to_owned(), Some("os-getVNCConsole")),
                ("xvpvnc", "vnc", "2.6".to_owned(), Some("os-getVNCConsole")),
                (
                    "spice-html5",
                    "spice",
                    "2.6".to_owned(),
                    Some("os-getSPICEConsole")
                ),
                ("spice-direct", "spice", "2.99".to_owned(), None),
                (
                    "rdp-html5",
                    "rdp",
                    "2.6".to_owned(),
                    Some("os-getRDPConsole")
                ),
                (
                    "serial",
                    "serial",
                    "2.6".to_owned(),
                    Some("os-getSerialConsole")
                ),
                ("webmks", "mks", "2.8".to_owned(), None),
            ]
        );
        assert_eq!(ConsoleType::WebMks.protocol(), Protocol::Mks);
    }

    #[test]
    fn availability_follows_the_microversion() {
        let mv = Microversion::new;
        assert!(ConsoleType::NoVnc.available_at(mv(2, 1)));
        assert!(ConsoleType::Serial.available_at(mv(2, 5)));
        assert!(!ConsoleType::WebMks.available_at(mv(2, 5)));
        assert!(!ConsoleType::WebMks.available_at(mv(2, 7)));
        assert!(ConsoleType::WebMks.available_at(mv(2, 8)));
        assert!(!ConsoleType::SpiceDirect.available_at(mv(2, 98)));
        assert!(ConsoleType::SpiceDirect.available_at(mv(2, 99)));
        assert!(ConsoleType::RdpHtml5.available_at(mv(2, 6)));
        assert_eq!(ConsoleType::AUTO[0], ConsoleType::NoVnc);
    }
}
