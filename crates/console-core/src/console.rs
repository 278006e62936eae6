//! What a provider crate hands back: a console, its URLs and how long they live.

use std::fmt;
use std::time::Duration;

use serde::{Serialize, Serializer};
use time::OffsetDateTime;

use crate::redact;

/// The cloud a console comes from, by the lowercase name its crate gives it
/// (`console_tencent::PROVIDER` is `tencent`). Core names no provider: a new one defines its
/// own constant.
///
/// ```
/// use console_core::Provider;
/// const MINE: Provider = Provider::new("mycloud");
/// assert_eq!(MINE.to_string(), "mycloud");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Provider(&'static str);

impl Provider {
    /// A provider named `name` (lowercase, as in JSON, the CLI and error messages).
    pub const fn new(name: &'static str) -> Provider {
        Provider(name)
    }

    /// The lowercase name used in JSON, the CLI and error messages.
    pub fn as_str(self) -> &'static str {
        self.0
    }
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The remote-display protocol of a console.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Protocol {
    /// VNC (RFB), spoken over a websocket by noVNC-style clients.
    Vnc,
    /// SPICE.
    Spice,
    /// RDP.
    Rdp,
    /// A serial console (text), over a websocket.
    Serial,
    /// VMware's MKS (WebMKS).
    Mks,
}

impl Protocol {
    /// The protocol an answer names (`vnc`, `spice`, `rdp`, `serial`, `mks`, any case).
    ///
    /// ```
    /// use console_core::Protocol;
    /// assert_eq!(Protocol::from_name("VNC"), Some(Protocol::Vnc));
    /// assert_eq!(Protocol::from_name("serial"), Some(Protocol::Serial));
    /// assert_eq!(Protocol::from_name("telnet"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<Protocol> {
        // Compared in place: every Nova console names its protocol, and lowercasing a copy
        // allocated on each.
        [
            ("vnc", Protocol::Vnc),
            ("spice", Protocol::Spice),
            ("rdp", Protocol::Rdp),
            ("serial", Protocol::Serial),
            ("mks", Protocol::Mks),
        ]
        .into_iter()
        .find(|(known, _)| known.eq_ignore_ascii_case(name))
        .map(|(_, protocol)| protocol)
    }
}

/// A warning a caller should see about a console it is handed.
pub const PLAIN_TEXT_WARNING: &str =
    "the console URL is plain text (ws:// or http://) from a non-loopback host: its token crosses the network unencrypted";

/// Whether a URL is plain text (`ws://`, `http://`) to a host other than this machine.
///
/// Runs on every console, so it parses as little as it must: a `wss:`/`https:` URL not at all,
/// a plain-text one only up to the end of its authority (the host is all that matters, and the
/// query, where the long token sits, is the costly part to parse).
fn is_plain_text_remote(url: &str) -> bool {
    if let Some(remote) = plain_host_is_remote(url) {
        return remote;
    }
    // The URL parser ignores leading C0 controls and spaces, and tabs and newlines anywhere.
    let url = url.trim_start_matches(|c: char| c <= ' ');
    let Some(colon) = url.find(':') else {
        return false;
    };
    let scheme = &url[..colon];
    if !scheme.contains(['\t', '\n', '\r'])
        && !scheme.eq_ignore_ascii_case("ws")
        && !scheme.eq_ignore_ascii_case("http")
    {
        return false;
    }
    // Special schemes skip any run of slashes (either way) before the authority.
    let rest = &url[colon + 1..];
    let start = colon + 1 + rest.len() - rest.trim_start_matches(['/', '\\']).len();
    let head = url[start..]
        .find(['/', '\\', '?', '#'])
        .map_or(url, |end| &url[..start + end]);
    let Ok(u) = url::Url::parse(head) else {
        return false;
    };
    if !matches!(u.scheme(), "ws" | "http") {
        return false;
    }
    match u.host() {
        Some(url::Host::Ipv4(ip)) => !ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => !ip.is_loopback(),
        Some(url::Host::Domain(d)) => d != "localhost",
        None => false,
    }
}

/// [`is_plain_text_remote`] without the parser, for the common shape: a lowercase `ws://` or
/// `http://`, a host the parser keeps as it is ([`crate::encoding::is_normal_host`]) and a
/// port of at most five digits; `None` for anything else.
fn plain_host_is_remote(url: &str) -> Option<bool> {
    let rest = url
        .strip_prefix("ws://")
        .or_else(|| url.strip_prefix("http://"))?;
    let authority = &rest[..rest.find(['/', '\\', '?', '#']).unwrap_or(rest.len())];
    let (host, port) = authority.split_once(':').unwrap_or((authority, ""));
    let port_ok = port.len() <= 5
        && port.bytes().all(|b| b.is_ascii_digit())
        && port.parse::<u32>().map_or(port.is_empty(), |p| p <= 65535);
    if !port_ok || !crate::encoding::is_normal_host(host) {
        return None;
    }
    Some(match host.parse::<std::net::Ipv4Addr>() {
        Ok(ip) => !ip.is_loopback(),
        Err(_) => host != "localhost",
    })
}

/// How long a console URL may be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lifetime {
    /// When the provider issued the URL (when its answer arrived).
    pub issued_at: OffsetDateTime,
    /// How long after `issued_at` the URL must be opened, where the provider says
    /// (15 s for Alibaba and Tencent); `None` where it does not.
    pub valid_for: Option<Duration>,
    /// Whether the URL stops working once opened (Tencent).
    pub single_use: bool,
}

impl Lifetime {
    /// A lifetime with no documented expiry.
    pub fn unbounded(issued_at: OffsetDateTime) -> Self {
        Self {
            issued_at,
            valid_for: None,
            single_use: false,
        }
    }

    /// When the URL stops being valid, if known.
    ///
    /// ```
    /// use std::time::Duration;
    /// use console_core::Lifetime;
    /// use console_core::time::macros::datetime;
    /// let l = Lifetime {
    ///     issued_at: datetime!(2026-01-01 0:00 UTC),
    ///     valid_for: Some(Duration::from_secs(15)),
    ///     single_use: true,
    /// };
    /// assert_eq!(l.expires_at(), Some(datetime!(2026-01-01 0:00:15 UTC)));
    /// assert!(!l.is_expired(datetime!(2026-01-01 0:00:14 UTC)));
    /// assert!(l.is_expired(datetime!(2026-01-01 0:00:15 UTC)));
    /// ```
    pub fn expires_at(&self) -> Option<OffsetDateTime> {
        self.valid_for.map(|d| self.issued_at + d)
    }

    /// Whether the URL has expired at `now` (never, when the expiry is unknown).
    pub fn is_expired(&self, now: OffsetDateTime) -> bool {
        self.expires_at().is_some_and(|e| now >= e)
    }

    /// Time left at `now`, if the expiry is known (zero once expired).
    pub fn remaining(&self, now: OffsetDateTime) -> Option<Duration> {
        self.expires_at()
            .map(|e| Duration::try_from(e - now).unwrap_or(Duration::ZERO))
    }
}

/// A VNC console for one instance: the URLs to open it and how long they live.
///
/// `Debug` masks the query of both URLs (where the token is); `Serialize` writes them whole,
/// because serialising is how a caller hands the console on (the CLI's `--json`).
#[derive(Clone, PartialEq, Eq)]
pub struct Console {
    provider: Provider,
    instance_id: String,
    protocol: Protocol,
    websocket_url: Option<String>,
    viewer_url: Option<String>,
    lifetime: Lifetime,
    warnings: Vec<&'static str>,
}

impl Console {
    /// A console with no URL yet; add them with [`Console::with_websocket_url`] and
    /// [`Console::with_viewer_url`].
    pub fn new(provider: Provider, instance_id: impl Into<String>, lifetime: Lifetime) -> Self {
        Self {
            provider,
            instance_id: instance_id.into(),
            protocol: Protocol::Vnc,
            websocket_url: None,
            viewer_url: None,
            lifetime,
            warnings: Vec::new(),
        }
    }

    /// Sets the websocket URL a noVNC / react-vnc client opens, as the provider sent it; a
    /// plain-text one from another host adds [`PLAIN_TEXT_WARNING`].
    pub fn with_websocket_url(mut self, url: impl Into<String>) -> Self {
        let url = url.into();
        self.warn_if_plain_text(&url);
        self.websocket_url = Some(url);
        self
    }

    /// Sets the viewer page URL a person opens in a browser, as the provider sent it; a
    /// plain-text one from another host adds [`PLAIN_TEXT_WARNING`].
    pub fn with_viewer_url(mut self, url: impl Into<String>) -> Self {
        let url = url.into();
        self.warn_if_plain_text(&url);
        self.viewer_url = Some(url);
        self
    }

    /// Sets the protocol the provider's answer names (default VNC).
    pub fn with_protocol(mut self, protocol: Protocol) -> Self {
        self.protocol = protocol;
        self
    }

    fn warn_if_plain_text(&mut self, url: &str) {
        if is_plain_text_remote(url) && !self.warnings.contains(&PLAIN_TEXT_WARNING) {
            self.warnings.push(PLAIN_TEXT_WARNING);
        }
    }

    /// What the caller should know before handing the console on (a plain-text URL from
    /// another host); empty for most consoles.
    pub fn warnings(&self) -> &[&'static str] {
        &self.warnings
    }

    /// The cloud this console comes from.
    pub fn provider(&self) -> Provider {
        self.provider
    }
    /// The instance (VM, server) id as the caller gave it.
    pub fn instance_id(&self) -> &str {
        &self.instance_id
    }
    /// The remote-display protocol.
    pub fn protocol(&self) -> Protocol {
        self.protocol
    }
    /// The websocket URL a noVNC-style client opens, where the provider gives one.
    pub fn websocket_url(&self) -> Option<&str> {
        self.websocket_url.as_deref()
    }
    /// The viewer page URL a person opens, where the provider has one.
    pub fn viewer_url(&self) -> Option<&str> {
        self.viewer_url.as_deref()
    }
    /// The URL a person should open: the viewer page if there is one, else the websocket URL.
    pub fn url(&self) -> Option<&str> {
        self.viewer_url().or(self.websocket_url())
    }
    /// How long the URLs live.
    pub fn lifetime(&self) -> &Lifetime {
        &self.lifetime
    }
    /// Shorthand for `lifetime().expires_at()`.
    pub fn expires_at(&self) -> Option<OffsetDateTime> {
        self.lifetime.expires_at()
    }
    /// Shorthand for `lifetime().is_expired(now)`.
    pub fn is_expired(&self, now: OffsetDateTime) -> bool {
        self.lifetime.is_expired(now)
    }

    /// The console, unless it has expired at `now`: then an [`Error::Timeout`] (retryable),
    /// because the answer came too late to be used. Clients call this as the answer arrives,
    /// with `issued_at` set to when the request was *sent*, so a slow answer is never handed
    /// out as valid.
    ///
    /// [`Error::Timeout`]: crate::Error::Timeout
    pub fn ensure_fresh(self, now: OffsetDateTime) -> crate::Result<Self> {
        match self.lifetime.valid_for {
            Some(valid_for) if self.is_expired(now) => Err(crate::Error::Timeout(valid_for)),
            _ => Ok(self),
        }
    }
}

impl fmt::Debug for Console {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Console")
            .field("provider", &self.provider)
            .field("instance_id", &self.instance_id)
            .field("protocol", &self.protocol)
            .field(
                "websocket_url",
                &self.websocket_url.as_deref().map(redact::url),
            )
            .field("viewer_url", &self.viewer_url.as_deref().map(redact::url))
            .field("lifetime", &self.lifetime)
            .finish()
    }
}

fn rfc3339<S: Serializer>(t: &OffsetDateTime, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&crate::timefmt::rfc3339(*t))
}

fn rfc3339_opt<S: Serializer>(t: &Option<OffsetDateTime>, s: S) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => rfc3339(t, s),
        None => s.serialize_none(),
    }
}

/// The JSON shape of a console: flat, with RFC 3339 times, `null` where a value is unknown.
#[derive(Serialize)]
struct ConsoleJson<'a> {
    provider: Provider,
    instance_id: &'a str,
    protocol: Protocol,
    websocket_url: Option<&'a str>,
    viewer_url: Option<&'a str>,
    #[serde(serialize_with = "rfc3339")]
    issued_at: OffsetDateTime,
    #[serde(serialize_with = "rfc3339_opt")]
    expires_at: Option<OffsetDateTime>,
    valid_for_secs: Option<u64>,
    single_use: bool,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    warnings: &'a [&'static str],
}

impl Serialize for Console {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        ConsoleJson {
            provider: self.provider,
            instance_id: &self.instance_id,
            protocol: self.protocol,
            websocket_url: self.websocket_url(),
            viewer_url: self.viewer_url(),
            issued_at: self.lifetime.issued_at,
            expires_at: self.expires_at(),
            valid_for_secs: self.lifetime.valid_for.map(|d| d.as_secs()),
            single_use: self.lifetime.single_use,
            warnings: &self.warnings,
        }
        .serialize(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn protocols_are_named_in_any_case() {
        for (name, protocol) in [
            ("vnc", Protocol::Vnc),
            ("SPICE", Protocol::Spice),
            ("Rdp", Protocol::Rdp),
            ("serial", Protocol::Serial),
            ("mKs", Protocol::Mks),
        ] {
            assert_eq!(Protocol::from_name(name), Some(protocol), "{name}");
        }
        for name in ["", "vn", "vncx", "telnet", "ſerial"] {
            assert_eq!(Protocol::from_name(name), None, "{name}");
        }
    }

    /// The shortcut agrees with parsing the whole URL (the url crate is the oracle).
    #[test]
    fn the_plain_text_check_agrees_with_a_full_parse() {
        fn full(url: &str) -> bool {
            let Ok(u) = url::Url::parse(url) else {
                return false;
            };
            matches!(u.scheme(), "ws" | "http")
                && match u.host() {
                    Some(url::Host::Ipv4(ip)) => !ip.is_loopback(),
                    Some(url::Host::Ipv6(ip)) => !ip.is_loopback(),
                    Some(url::Host::Domain(d)) => d != "localhost",
                    None => false,
                }
        }
        use proptest::prelude::*;
        let url = (
            "[ \t]{0,1}",
            prop::sample::select(vec![
                "ws", "WS", "Ws", "http", "HTTP", "wss", "https", "w\ts", "ftp", "",
            ]),
            prop::sample::select(vec!["://", ":/", ":", ":\\\\", "://u:p@", ":///"]),
            prop::sample::select(vec![
                "127.0.0.1",
                "10.0.0.5",
                "[::1]",
                "[2001:db8::1]",
                "localhost",
                "LOCALHOST",
                "vnc.example.com",
                "",
                "0x7f.1",
                "local\thost",
                "127.1",
                "127.0.0.01",
                "127.0.0.256",
                "10.0.0.5.6",
                "a.127",
                "localhost.",
                "xn--a",
                "vnc-1.example.com",
                "h_1",
            ]),
            prop::sample::select(vec![
                "", ":", ":8080", ":0", ":080", ":65535", ":65536", ":99999", ":123456",
            ]),
            prop::sample::select(vec!["", "/", "/vnc", "\\vnc", "?t=%2F", "#f", "/a?b=c#d"]),
        )
            .prop_map(|(lead, s, sep, h, port, tail)| format!("{lead}{s}{sep}{h}{port}{tail}"));
        proptest!(|(u in url)| {
            prop_assert_eq!(is_plain_text_remote(&u), full(&u), "{:?}", u);
        });
    }

    #[test]
    fn common_plain_text_hosts_are_judged_without_the_parser() {
        assert_eq!(plain_host_is_remote("ws://10.0.0.5:6080/w?t=1"), Some(true));
        assert_eq!(plain_host_is_remote("http://vnc.example.com"), Some(true));
        assert_eq!(
            plain_host_is_remote("ws://127.0.0.1:18001/vnc"),
            Some(false)
        );
        assert_eq!(plain_host_is_remote("ws://localhost:8080?x"), Some(false));
        // Left to the parser: other schemes and spellings, and ports it would refuse.
        for other in [
            "wss://10.0.0.5/",
            "WS://10.0.0.5/",
            "ws://LOCALHOST/",
            "ws://127.1/",
            "ws://[::1]/",
            "ws://h:99999/",
            "ws://u@h/",
        ] {
            assert_eq!(plain_host_is_remote(other), None, "{other}");
        }
    }

    #[test]
    fn plain_text_urls_from_other_hosts_carry_a_warning() {
        let life = Lifetime::unbounded(datetime!(2024-01-01 0:00 UTC));
        let c = |url: &str| Console::new(Provider::new("p"), "i", life).with_websocket_url(url);
        assert_eq!(c("ws://10.0.0.5/vnc?t=1").warnings(), [PLAIN_TEXT_WARNING]);
        assert_eq!(c("ws://vnc.example.com/").warnings(), [PLAIN_TEXT_WARNING]);
        assert!(c("wss://vnc.example.com/").warnings().is_empty());
        assert!(c("ws://127.0.0.1:8080/").warnings().is_empty());
        assert!(c("ws://[::1]:8080/").warnings().is_empty());
        assert!(c("ws://localhost/").warnings().is_empty());
        let both = c("ws://10.0.0.5/").with_viewer_url("http://10.0.0.5/v");
        assert_eq!(both.warnings().len(), 1);
        let json = serde_json::to_value(&both).unwrap();
        assert_eq!(json["warnings"][0], PLAIN_TEXT_WARNING);
        let json = serde_json::to_value(c("wss://h/")).unwrap();
        assert!(json.get("warnings").is_none());
    }

    fn sample() -> Console {
        Console::new(
            Provider::new("tencent"),
            "ins-r9hr2upy",
            Lifetime {
                issued_at: datetime!(2026-11-22 10:00:00 UTC),
                valid_for: Some(Duration::from_secs(15)),
                single_use: true,
            },
        )
        .with_websocket_url("wss://bjvnc.qcloud.com:26789/vnc?s=SECRETTOKEN")
        .with_viewer_url("https://img.qcloud.com/qcloud/app/active_vnc/index.html?InstanceVncUrl=wss%3A%2F%2Fx%3Fs%3DSECRETTOKEN")
    }

    #[test]
    fn debug_redacts_tokens() {
        let dbg = format!("{:?}", sample());
        assert!(!dbg.contains("SECRETTOKEN"), "{dbg}");
        assert!(dbg.contains("bjvnc.qcloud.com"));
        assert!(dbg.contains("ins-r9hr2upy"));
    }

    #[test]
    fn serialises_flat_with_rfc3339_times() {
        let v = serde_json::to_value(sample()).unwrap();
        assert_eq!(v["provider"], "tencent");
        assert_eq!(v["protocol"], "vnc");
        assert_eq!(v["issued_at"], "2026-11-22T10:00:00Z");
        assert_eq!(v["expires_at"], "2026-11-22T10:00:15Z");
        assert_eq!(v["valid_for_secs"], 15);
        assert_eq!(v["single_use"], true);
        assert_eq!(
            v["websocket_url"],
            "wss://bjvnc.qcloud.com:26789/vnc?s=SECRETTOKEN"
        );
        let unbounded = Console::new(
            Provider::new("huawei"),
            "x",
            Lifetime::unbounded(datetime!(2026-11-22 10:00:00 UTC)),
        );
        let v = serde_json::to_value(unbounded).unwrap();
        assert!(v["expires_at"].is_null());
        assert!(v["viewer_url"].is_null());
    }

    #[test]
    fn an_expired_console_is_not_handed_out() {
        let c = sample();
        assert!(c
            .clone()
            .ensure_fresh(datetime!(2026-11-22 10:00:14 UTC))
            .is_ok());
        let e = c
            .ensure_fresh(datetime!(2026-11-22 10:00:15 UTC))
            .unwrap_err();
        assert!(e.is_retryable(), "{e}");
        let unbounded = Console::new(
            Provider::new("huawei"),
            "x",
            Lifetime::unbounded(OffsetDateTime::UNIX_EPOCH),
        );
        assert!(unbounded
            .ensure_fresh(datetime!(2100-01-01 0:00 UTC))
            .is_ok());
    }

    #[test]
    fn url_prefers_the_viewer_page() {
        let c = sample();
        assert_eq!(c.url(), c.viewer_url());
        let ws_only = Console::new(
            Provider::new("smartx"),
            "vm",
            Lifetime::unbounded(OffsetDateTime::UNIX_EPOCH),
        )
        .with_websocket_url("wss://h/websockify/?token=t");
        assert_eq!(ws_only.url(), Some("wss://h/websockify/?token=t"));
    }

    #[test]
    fn remaining_saturates_at_zero() {
        let l = sample().lifetime;
        assert_eq!(
            l.remaining(datetime!(2026-11-22 10:00:05 UTC)),
            Some(Duration::from_secs(10))
        );
        assert_eq!(
            l.remaining(datetime!(2026-11-22 10:01:00 UTC)),
            Some(Duration::ZERO)
        );
        assert_eq!(
            Lifetime::unbounded(l.issued_at).remaining(l.issued_at),
            None
        );
    }
}
