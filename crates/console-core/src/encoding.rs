//! URL encodings, named by what they are for.
//!
//! The providers disagree on encoding, and getting one wrong breaks a signature or a console:
//!
//! - [`encode_uri_component`]: JavaScript's `encodeURIComponent`, which the SmartX document uses
//!   for the proxied token (`...eXo=` becomes `...eXo%3D`);
//! - [`encode_rfc3986`]: the strict RFC 3986 set (only `A-Za-z0-9-_.~` left alone, space as
//!   `%20`), which the signing schemes use for canonical queries and which is also safe for one
//!   path segment;
//! - [`decode`]: undoes one layer of percent-encoding, strictly. Alibaba and Tencent return their
//!   websocket URL encoded once *more* than the URL itself: decode once and the inner `%2F` stays.

use std::borrow::Cow;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Left alone by `encodeURIComponent`: `A-Z a-z 0-9 - _ . ! ~ * ' ( )`.
const URI_COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'!')
    .remove(b'~')
    .remove(b'*')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')');

/// Left alone by RFC 3986 strict encoding: the unreserved set `A-Z a-z 0-9 - _ . ~`.
const RFC3986_UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// A set of bytes as a table: one load a byte where a `contains` over a list of them costs a
/// scan. These checks read every console URL a provider returns.
struct ByteSet([bool; 256]);

impl ByteSet {
    /// ASCII letters and digits, and `extra`.
    const fn alphanumeric_and(extra: &[u8]) -> Self {
        let mut table = [false; 256];
        let mut b = 0;
        while b < 256 {
            table[b] = (b as u8).is_ascii_alphanumeric();
            b += 1;
        }
        let mut i = 0;
        while i < extra.len() {
            table[extra[i] as usize] = true;
            i += 1;
        }
        Self(table)
    }

    fn has(&self, b: u8) -> bool {
        self.0[b as usize]
    }
}

/// What `encodeURIComponent` leaves alone (the table form of [`URI_COMPONENT`]'s complement).
const URI_COMPONENT_KEPT: ByteSet = ByteSet::alphanumeric_and(b"-_.!~*'()");

/// What the URL parser never escapes in a path or query, `%` included.
const PATH_QUERY_KEPT: ByteSet = ByteSet::alphanumeric_and(b"-._~!$&()*+,;=:@/?%");

/// The hex digit's value, if `b` is one.
fn hex_value(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// Whether RFC 3986 strict encoding leaves `s` as it is (only unreserved characters): the
/// signing rules' shortcuts ask this of the very set [`encode_rfc3986`] encodes with.
pub(crate) fn is_rfc3986_unreserved(s: &str) -> bool {
    // A one-byte input that needs encoding comes back borrowed too (a static `%XX`): compare.
    matches!(
        Cow::from(utf8_percent_encode(s, RFC3986_UNRESERVED)),
        Cow::Borrowed(e) if e == s
    )
}

/// JavaScript's `encodeURIComponent`: UTF-8, uppercase hex, `!'()*-._~` and alphanumerics kept.
///
/// ```
/// use console_core::encoding::encode_uri_component;
/// assert_eq!(
///     encode_uri_component("MTIzNDU2Nzg5YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXo="),
///     "MTIzNDU2Nzg5YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXo%3D"
/// );
/// assert_eq!(encode_uri_component("a b/c+d"), "a%20b%2Fc%2Bd");
/// ```
pub fn encode_uri_component(s: &str) -> String {
    // Through `Cow`: input with nothing to encode is copied once at its length, where
    // `to_string` went through the formatter and regrew the string.
    Cow::from(utf8_percent_encode(s, URI_COMPONENT)).into_owned()
}

/// [`encode_uri_component`] appended to `out`: a URL put together piece by piece needs no
/// string for each encoded value.
///
/// ```
/// let mut url = String::from("wss://h/websockify/?token=");
/// console_core::encoding::push_uri_component(&mut url, "a/b+c=");
/// assert_eq!(url, "wss://h/websockify/?token=a%2Fb%2Bc%3D");
/// ```
pub fn push_uri_component(out: &mut String, s: &str) {
    out.extend(utf8_percent_encode(s, URI_COMPONENT));
}

/// Strict RFC 3986 encoding, as the signing schemes' canonical queries and path segments
/// need; borrowed when nothing needs encoding (ids and regions, nearly always).
///
/// ```
/// use console_core::encoding::encode_rfc3986;
/// assert_eq!(encode_rfc3986("a b*c~d/e+f"), "a%20b%2Ac~d%2Fe%2Bf");
/// assert!(matches!(encode_rfc3986("cn-hangzhou"), std::borrow::Cow::Borrowed(_)));
/// ```
pub fn encode_rfc3986(s: &str) -> Cow<'_, str> {
    Cow::from(utf8_percent_encode(s, RFC3986_UNRESERVED))
}

/// Encodes one URL path segment (`/` included), so an id can never change the path's shape;
/// borrowed when nothing needs encoding (ids nearly always).
///
/// ```
/// use console_core::encoding::encode_path_segment;
/// assert!(matches!(encode_path_segment("i-1"), std::borrow::Cow::Borrowed("i-1")));
/// assert_eq!(encode_path_segment("a/b c"), "a%2Fb%20c");
/// ```
pub fn encode_path_segment(s: &str) -> Cow<'_, str> {
    encode_rfc3986(s)
}

/// Whether `s` can stand as one query value as it is: only characters `encodeURIComponent`
/// leaves alone, and well-formed `%XX` escapes. Providers that return a pre-encoded URL for a
/// viewer page (Alibaba, Tencent) are passed on as returned only when this holds.
pub(crate) fn is_uri_component_encoded(s: &str) -> bool {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'%' {
            if !(bytes.len() > i + 2
                && bytes[i + 1].is_ascii_hexdigit()
                && bytes[i + 2].is_ascii_hexdigit())
            {
                return false;
            }
            i += 3;
            continue;
        }
        if !URI_COMPONENT_KEPT.has(b) {
            return false;
        }
        i += 1;
    }
    true
}

/// A websocket URL a provider returned encoded once (Alibaba's `VncUrl`, Tencent's
/// `InstanceVncUrl`), decoded and checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderWebsocketUrl {
    /// The `ws://` or `wss://` URL, in normal form.
    pub websocket_url: String,
    /// The value to put in a viewer page's query: the provider's string as returned when it
    /// is a clean query value that decodes to exactly `websocket_url`, else
    /// `encodeURIComponent(websocket_url)`, so that it can never split the viewer's query.
    pub query_value: String,
}

/// Decodes and checks a provider's once-encoded websocket URL; the error says what is wrong.
///
/// ```
/// use console_core::encoding::decode_websocket_url;
/// let u = decode_websocket_url("wss%3A%2F%2Fh%2Fvnc%3Fs%3Da%252Fb").unwrap();
/// assert_eq!(u.websocket_url, "wss://h/vnc?s=a%2Fb");
/// assert_eq!(u.query_value, "wss%3A%2F%2Fh%2Fvnc%3Fs%3Da%252Fb");
/// assert!(decode_websocket_url("https%3A%2F%2Fh").is_err());
/// ```
pub fn decode_websocket_url(raw: &str) -> Result<ProviderWebsocketUrl, String> {
    let decoded = decode(raw).map_err(|e| format!("does not decode: {e}"))?;
    // Every console passes here, and a provider's URL is nearly always in normal form
    // already: only one that may not be is handed to the URL parser to normalise.
    let websocket_url = if is_normal_websocket_url(&decoded) {
        decoded
    } else {
        match url::Url::parse(&decoded) {
            Ok(u) if matches!(u.scheme(), "ws" | "wss") && u.host_str().is_some() => {
                let normal = String::from(u);
                if normal != decoded {
                    return Ok(ProviderWebsocketUrl {
                        query_value: encode_uri_component(&normal),
                        websocket_url: normal,
                    });
                }
                normal
            }
            _ => return Err("is not a ws:// or wss:// URL".to_owned()),
        }
    };
    let query_value = if is_uri_component_encoded(raw) {
        raw.to_owned()
    } else {
        encode_uri_component(&websocket_url)
    };
    Ok(ProviderWebsocketUrl {
        websocket_url,
        query_value,
    })
}

/// Whether `s` is a `ws://` or `wss://` URL the URL parser hands back as it is.
fn is_normal_websocket_url(s: &str) -> bool {
    (s.starts_with("ws://") || s.starts_with("wss://")) && is_normal_url(s)
}

/// Whether `s` is an `http`, `https`, `ws` or `wss` URL with a host that the URL parser would
/// hand back exactly as it is, so that a caller may skip parsing it. Conservative: it answers
/// yes only for a lowercase scheme, a host of lowercase letters, digits, dots and hyphens (a
/// dotted-quad IPv4 address in canonical form when its last label is a number), a port that
/// is not the scheme's default, a path without dot segments and a path and query of
/// characters the parser never escapes. Anything else is left to the parser; a property test
/// holds the two to the same answers.
///
/// ```
/// use console_core::encoding::is_normal_url;
/// assert!(is_normal_url("https://novnc.example:6080/vnc_auto.html?token=t&lang=EN"));
/// assert!(!is_normal_url("https://novnc.example:443/vnc_auto.html")); // the parser drops :443
/// assert!(!is_normal_url("https://Novnc.example/")); // and lowercases the host
/// ```
pub fn is_normal_url(s: &str) -> bool {
    let (rest, default_port) = match s.split_once("://") {
        Some(("ws" | "http", r)) => (r, "80"),
        Some(("wss" | "https", r)) => (r, "443"),
        _ => return false,
    };
    // The parser adds a `/` to an empty path: one must be there already.
    let Some(slash) = rest.find('/') else {
        return false;
    };
    let (authority, path_and_query) = rest.split_at(slash);
    let (host, port) = match authority.split_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (authority, None),
    };
    if let Some(port) = port {
        // Digits only: `u16`'s parser would take a leading `+`, the URL parser does not.
        if !port.bytes().all(|b| b.is_ascii_digit())
            || port.starts_with('0')
            || port == default_port
            || port.parse::<u16>().is_err()
        {
            return false;
        }
    }
    is_normal_host(host) && is_normal_path_and_query(path_and_query)
}

/// Whether the URL parser keeps `host` as it is in a `http(s)://` or `ws(s)://` URL: non-empty
/// lowercase labels of letters, digits and hyphens, not punycode; when the last label is a
/// number (the parser's IPv4 rule), exactly four decimal octets without leading zeros.
/// Conservative: `false` only means the parser must decide.
///
/// ```
/// use console_core::encoding::is_normal_host;
/// assert!(is_normal_host("192.168.5.2") && is_normal_host("tower-1.example"));
/// assert!(!is_normal_host("Tower.example") && !is_normal_host("192.168.05.2") && !is_normal_host("fe80::1"));
/// ```
pub fn is_normal_host(host: &str) -> bool {
    // One pass over the labels (every console URL's host comes here, some twice): `split`
    // and `parse` cost a few thousand instructions for a dotted quad.
    let bytes = host.as_bytes();
    let (mut labels, mut all_octets, mut start) = (0, true, 0);
    loop {
        let end = bytes[start..]
            .iter()
            .position(|&b| b == b'.')
            .map_or(bytes.len(), |p| start + p);
        let label = &bytes[start..end];
        if label.is_empty()
            || label.starts_with(b"xn--")
            || !label
                .iter()
                .all(|&b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            return false;
        }
        labels += 1;
        all_octets &= is_canonical_octet(label);
        if end == bytes.len() {
            // The parser reads a host whose last label is a number as IPv4.
            if label.starts_with(b"0x") {
                return false;
            }
            return !label.iter().all(u8::is_ascii_digit) || (labels == 4 && all_octets);
        }
        start = end + 1;
    }
}

/// A decimal octet as the IPv4 serialiser writes it: 0-255, no leading zero.
fn is_canonical_octet(label: &[u8]) -> bool {
    match label {
        [d] => d.is_ascii_digit(),
        [b'1'..=b'9', rest @ ..] if rest.len() <= 2 && rest.iter().all(u8::is_ascii_digit) => {
            label.iter().fold(0u16, |n, d| n * 10 + u16::from(d - b'0')) <= 255
        }
        _ => false,
    }
}

/// A path (from its first `/`) and query of characters the parser leaves alone, and no
/// segment that could be a dot segment (`.`, `..` or an escaped form of them).
fn is_normal_path_and_query(s: &str) -> bool {
    let path = s.split_once('?').map_or(s, |(p, _)| p);
    let dot_segment_start = |w: &[u8]| w[0] == b'/' && (w[1] == b'.' || w[1] == b'%');
    if path.as_bytes().windows(2).any(dot_segment_start) {
        return false;
    }
    s.bytes().all(|b| PATH_QUERY_KEPT.has(b))
}

/// Why a percent-encoded string could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// A `%` not followed by two hex digits.
    #[error("malformed percent-escape at byte {0}")]
    MalformedEscape(usize),
    /// The decoded bytes are not UTF-8.
    #[error("decoded bytes are not valid UTF-8")]
    NotUtf8,
}

/// Undoes one layer of percent-encoding. Strict: a stray `%` or non-UTF-8 result is an error
/// rather than passed through, because a half-decoded console URL would fail later, far away.
///
/// ```
/// use console_core::encoding::decode;
/// // Alibaba's documented VncUrl: one decode gives the websocket URL, its query stays encoded.
/// assert_eq!(
///     decode("wss%3A%2F%2Fhz01-vncproxy.aliyun.com%2Fwebsockify%2F%3Fs%3DDvh%252FIA").unwrap(),
///     "wss://hz01-vncproxy.aliyun.com/websockify/?s=Dvh%2FIA"
/// );
/// assert!(decode("ws%3A%2F%xxx").is_err());
/// ```
pub fn decode(s: &str) -> Result<String, DecodeError> {
    // One pass that checks as it decodes (the crate's decoder passes a stray `%` through),
    // sized once, since decoding never lengthens. Byte by byte: a console URL is dense with
    // escapes, and searching for each `%` cost more than it skipped.
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b != b'%' {
            out.push(b);
            i += 1;
            continue;
        }
        let hi = bytes.get(i + 1).copied().and_then(hex_value);
        let lo = bytes.get(i + 2).copied().and_then(hex_value);
        let (Some(hi), Some(lo)) = (hi, lo) else {
            return Err(DecodeError::MalformedEscape(i));
        };
        out.push(hi * 16 + lo);
        i += 3;
    }
    String::from_utf8(out).map_err(|_| DecodeError::NotUtf8)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 3986 section 2.3: unreserved = ALPHA / DIGIT / "-" / "." / "_" / "~".
    #[test]
    fn unreserved_is_rfc_3986_s_set() {
        for s in ["", "aZ09-._~", "i-1", "cn-hangzhou"] {
            assert!(is_rfc3986_unreserved(s), "{s:?}");
        }
        for s in [" ", "/", "%", "+", "*", "a b", "é", "a=1", "~!"] {
            assert!(!is_rfc3986_unreserved(s), "{s:?}");
        }
    }

    #[test]
    fn a_path_segment_is_borrowed_unless_it_needs_encoding() {
        assert!(matches!(
            encode_path_segment("ins-1.a_b~"),
            Cow::Borrowed("ins-1.a_b~")
        ));
        assert_eq!(encode_path_segment("a/b?c#d é"), "a%2Fb%3Fc%23d%20%C3%A9");
        assert_eq!(encode_path_segment(""), "");
    }

    #[test]
    fn encoded_components_are_recognised_and_a_cut_escape_is_not() {
        assert!(is_uri_component_encoded("wss%3A%2F%2Fh%2Fp%3Fs%3Da%252F"));
        assert!(is_uri_component_encoded(""));
        assert!(!is_uri_component_encoded("wss://h/p?s=a&b"));
        assert!(!is_uri_component_encoded("50%"));
        // An escape cut one digit short at the end is not an escape (and must not panic).
        assert!(!is_uri_component_encoded("ab%4"));
        assert!(!is_uri_component_encoded("ab%4G"));
        assert!(is_uri_component_encoded("ab%4F"));
    }
    use proptest::prelude::*;

    #[test]
    fn provider_websocket_urls_are_checked_and_passed_on_only_when_clean() {
        // Clean and already normal: passed on as the provider returned it.
        let u = decode_websocket_url("wss%3A%2F%2Fh%2Fvnc%3Fs%3Da%252Fb").unwrap();
        assert_eq!(u.websocket_url, "wss://h/vnc?s=a%2Fb");
        assert_eq!(u.query_value, "wss%3A%2F%2Fh%2Fvnc%3Fs%3Da%252Fb");
        let u = decode_websocket_url("ws%3A%2F%2F10.0.0.1%3A6080%2Fw").unwrap();
        assert_eq!(u.websocket_url, "ws://10.0.0.1:6080/w");
        // Clean but not in normal form (upper-case host): re-encoded from the normal form.
        let u = decode_websocket_url("wss%3A%2F%2FHOST%2Fvnc").unwrap();
        assert_eq!(u.websocket_url, "wss://host/vnc");
        assert_eq!(u.query_value, "wss%3A%2F%2Fhost%2Fvnc");
        // Normal but not encoded (the provider sent it raw): encoded, so it cannot split the
        // viewer's query.
        let u = decode_websocket_url("wss://h/vnc?s=1").unwrap();
        assert_eq!(u.query_value, "wss%3A%2F%2Fh%2Fvnc%3Fs%3D1");
        // Not a websocket URL with a host.
        for bad in [
            "https%3A%2F%2Fh%2Fvnc",
            "http://h/",
            "ws%3A%2F%2F",
            "mailto%3Aa%40b",
            "%zz",
        ] {
            assert!(decode_websocket_url(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn uri_component_matches_javascript_for_every_ascii_byte() {
        // What `encodeURIComponent` returns for each printable ASCII character, from the
        // ECMAScript definition: unreserved marks and alphanumerics stay.
        for c in ' '..='~' {
            let keep = c.is_ascii_alphanumeric() || "-_.!~*'()".contains(c);
            let expected = if keep {
                c.to_string()
            } else {
                format!("%{:02X}", c as u32)
            };
            assert_eq!(encode_uri_component(&c.to_string()), expected, "{c:?}");
        }
        assert_eq!(
            encode_uri_component("未命名"),
            "%E6%9C%AA%E5%91%BD%E5%90%8D"
        );
    }

    #[test]
    fn rfc3986_is_stricter_than_javascript() {
        assert_eq!(encode_rfc3986("!'()*"), "%21%27%28%29%2A");
        assert_eq!(encode_rfc3986("AZaz09-_.~"), "AZaz09-_.~");
        assert_eq!(encode_rfc3986(" "), "%20");
        assert_eq!(encode_path_segment("a/b"), "a%2Fb");
    }

    #[test]
    fn push_uri_component_appends_what_encode_uri_component_gives() {
        for v in ["", "plain", "a/b+c=", "\u{e9} %"] {
            let mut out = String::from("x=");
            push_uri_component(&mut out, v);
            assert_eq!(out, format!("x={}", encode_uri_component(v)));
        }
    }

    #[test]
    fn decode_rejects_malformed_input() {
        assert_eq!(decode("%"), Err(DecodeError::MalformedEscape(0)));
        assert_eq!(decode("ab%4"), Err(DecodeError::MalformedEscape(2)));
        assert_eq!(decode("%zz"), Err(DecodeError::MalformedEscape(0)));
        assert_eq!(decode("%FF"), Err(DecodeError::NotUtf8));
        assert_eq!(decode("plain+text"), Ok("plain+text".to_owned()));
        assert_eq!(decode("a%%41"), Err(DecodeError::MalformedEscape(1)));
        assert_eq!(decode("%41%4"), Err(DecodeError::MalformedEscape(3)));
        assert_eq!(decode("%41%g1"), Err(DecodeError::MalformedEscape(3)));
        assert_eq!(decode("é%C3%A9z%7e%7E"), Ok("ééz~~".to_owned()));
    }

    /// The percent-encoding crate's decoder is the oracle: on input whose every `%` starts an
    /// escape the two agree byte for byte, and the first stray `%` is where ours stops.
    #[test]
    fn decode_agrees_with_the_percent_encoding_crate() {
        let input = proptest::string::string_regex(
            "([a-zA-Z0-9é/:?=&+~ ]|%[0-9a-fA-F]{2}|%[0-9a-fA-Fg]?){0,24}",
        )
        .unwrap();
        proptest!(|(s in input)| {
            // Escapes are read left to right: `%%41` is a stray `%`, then `%41`.
            let first_stray = {
                let (mut i, b) = (0, s.as_bytes());
                loop {
                    match s[i..].find('%') {
                        None => break None,
                        Some(p) if b.len() > i + p + 2 && b[i + p + 1].is_ascii_hexdigit() && b[i + p + 2].is_ascii_hexdigit() => i += p + 3,
                        Some(p) => break Some(i + p),
                    }
                }
            };
            match first_stray {
                Some(at) => prop_assert_eq!(decode(&s), Err(DecodeError::MalformedEscape(at))),
                None => {
                    let theirs: Vec<u8> = percent_encoding::percent_decode_str(&s).collect();
                    match String::from_utf8(theirs) {
                        Ok(t) => prop_assert_eq!(decode(&s), Ok(t)),
                        Err(_) => prop_assert_eq!(decode(&s), Err(DecodeError::NotUtf8)),
                    }
                }
            }
        });
    }

    /// The full reading the shortcut in `decode_websocket_url` stands in for.
    fn parsed_normal_form(s: &str) -> Option<String> {
        parsed_normal_form_of(s, &["ws", "wss"])
    }

    fn parsed_normal_form_of(s: &str, schemes: &[&str]) -> Option<String> {
        match url::Url::parse(s) {
            Ok(u) if schemes.contains(&u.scheme()) && u.host_str().is_some() => {
                Some(String::from(u))
            }
            _ => None,
        }
    }

    #[test]
    fn normal_websocket_urls_are_known_without_parsing() {
        for yes in [
            "wss://h/",
            "ws://127.0.0.1:18001/vnc?s=Wvk%2FX&instance=ins-1",
            "wss://hz01-vncproxy.aliyun.com/websockify/?s=Dvh%2FIA",
            "wss://bjvnc.qcloud.com:26789/vnc?s=abc",
            "ws://10.0.0.255:1/a/b.c/?x=y?z",
            "wss://h:65535/",
        ] {
            assert!(is_normal_websocket_url(yes), "{yes}");
            assert_eq!(parsed_normal_form(yes).as_deref(), Some(yes));
        }
        for no in [
            "wss://h",
            "WSS://h/",
            "wss://H/",
            "wss://h:443/",
            "ws://h:80/",
            "wss://h:0443/",
            "wss://h:/",
            "wss://h:65536/",
            "wss://h:+1/",
            "wss://u@h/",
            "wss://[::1]/",
            "wss://127.1/",
            "wss://127.0.0.01/",
            "wss://256.0.0.1/",
            "wss://0x7f.0.0.1/",
            "wss://a..b/",
            "wss://xn--a/",
            "wss://h/a/../b",
            "wss://h/./b",
            "wss://h/%2e/b",
            "wss://h/a b",
            "wss://h/?q='",
            "wss://h/#f",
            "wss://h/a\\b",
            "https://h/",
        ] {
            assert!(!is_normal_websocket_url(no), "{no}");
        }
        // The same rule for pages, with http's default ports.
        for yes in [
            "https://h/",
            "http://127.0.0.1:6080/vnc_auto.html?token=t",
            "https://h:80/",
        ] {
            assert!(is_normal_url(yes), "{yes}");
        }
        for no in [
            "https://h:443/",
            "http://h:80/",
            "HTTP://h/",
            "https:h/",
            "ftp://h/",
            "https://h",
        ] {
            assert!(!is_normal_url(no), "{no}");
        }
    }

    /// The host rule alone, over generated hosts (digits, octet edges and `0x` weighed in):
    /// a host it calls normal comes back from the parser as it is.
    #[test]
    fn normal_hosts_are_the_parser_s() {
        for yes in [
            "h",
            "0.0.0.0",
            "255.255.255.255",
            "10.0.0.255",
            "a-.b",
            "4.a",
            "a1.b2",
        ] {
            assert!(is_normal_host(yes), "{yes}");
        }
        for no in [
            "",
            "a..b",
            ".a",
            "a.",
            "a.4",
            "1.2.3",
            "1.2.3.4.5",
            "01.2.3.4",
            "1.2.3.256",
            "1.2.3.0x4",
            "0x1",
            "A",
            "a_b",
            "xn--a",
            "1000.0.0.1",
            "1a.2.3.4",
            "2a5.2.3.4",
            "1.2.3.99999",
        ] {
            assert!(!is_normal_host(no), "{no}");
        }
        for (octet, yes) in [
            ("0", true),
            ("9", true),
            ("10", true),
            ("199", true),
            ("255", true),
            ("00", false),
            ("01", false),
            ("256", false),
            ("1000", false),
            ("1a", false),
            ("a", false),
            ("", false),
            ("2550", false),
        ] {
            assert_eq!(is_canonical_octet(octet.as_bytes()), yes, "{octet}");
        }
        let host = proptest::string::string_regex("(([a-zA-Z_-]{0,3}|0x[0-9]|[0-9]{1,4}|[0-9][a-z0-9]{1,2}|25[0-9])\\.){0,5}([a-z-]{0,3}|0x[0-9a-f]|[0-9]{1,4}|25[0-9])").unwrap();
        proptest!(|(h in host)| {
            if is_normal_host(&h) {
                let u = format!("ws://{h}/");
                prop_assert_eq!(parsed_normal_form(&u), Some(u.clone()));
            }
        });
    }

    #[test]
    fn the_normal_form_shortcut_agrees_with_the_parser() {
        let url = (
            prop::sample::select(vec!["ws://", "wss://", "WS://", "http://", "https://", "wss:/", "wss:///", "file://"]),
            prop::sample::select(vec![
                "h",
                "127.0.0.1",
                "10.0.0.255",
                "255.255.255.255",
                "1.2.3",
                "1.2.3.4.5",
                "01.2.3.4",
                "1.2.3.256",
                "0x1.2.3.4",
                "1.2.3.0x4",
                "a.0x4",
                "a.4",
                "4.a",
                "vnc.example.com",
                "Vnc.example.com",
                "-a-.b",
                "a_b",
                "xn--nxasmq6b",
                "xn--a",
                "a..b",
                "a.",
                ".a",
                "",
                "u:p@h",
                "[::1]",
                "h%41",
            ]),
            prop::sample::select(vec!["", ":", ":1", ":+1", ":80", ":443", ":080", ":8080", ":65535", ":65536", ":99999", ":123456"]),
            proptest::string::string_regex("(/[-a-zA-Z0-9._~!$&()*+,;=:@%' \\\\#\\^|]{0,6}){0,3}(\\?[-a-zA-Z0-9._~!$&()*+,;=:@%'/? #]{0,8})?")
                .unwrap(),
        )
            .prop_map(|(s, h, p, tail)| format!("{s}{h}{p}{tail}"));
        proptest!(|(u in url)| {
            if is_normal_websocket_url(&u) {
                prop_assert_eq!(parsed_normal_form(&u), Some(u.clone()));
            }
            if is_normal_url(&u) {
                let all = ["http", "https", "ws", "wss"];
                prop_assert_eq!(parsed_normal_form_of(&u, &all), Some(u.clone()));
            }
            // And the whole function reads as it did before the shortcut.
            let raw = encode_uri_component(&u);
            let got = decode_websocket_url(&raw).ok();
            let want = parsed_normal_form(&u).map(|w| {
                let q = if w == u { raw.clone() } else { encode_uri_component(&w) };
                (w, q)
            });
            prop_assert_eq!(got.map(|g| (g.websocket_url, g.query_value)), want, "{:?}", u);
        });
    }

    proptest! {
        #[test]
        fn encoded_components_are_recognised(s in any::<String>()) {
            prop_assert!(is_uri_component_encoded(&encode_uri_component(&s)));
        }

        #[test]
        fn uri_component_round_trips(s in any::<String>()) {
            prop_assert_eq!(decode(&encode_uri_component(&s)).unwrap(), s);
        }

        #[test]
        fn rfc3986_round_trips(s in any::<String>()) {
            let encoded = encode_rfc3986(&s);
            prop_assert!(encoded.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.~%".contains(&b)));
            prop_assert_eq!(decode(&encoded).unwrap(), s);
        }

        #[test]
        fn double_encoding_survives_one_decode(s in any::<String>()) {
            // What Alibaba and Tencent do: the value is encoded twice, one decode leaves it once.
            let once = encode_uri_component(&s);
            let twice = encode_uri_component(&once);
            prop_assert_eq!(decode(&twice).unwrap(), once);
        }
    }
}
