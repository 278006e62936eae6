//! Redaction for anything that may reach `Debug`, an error message or a log line.
//!
//! A console URL is a bearer credential: whoever holds it opens the VM's screen. Its token sits
//! in the query (`?s=...`, `?token=...`, `?InstanceVncUrl=...`), so redaction keeps the scheme,
//! host and path (useful when debugging) and masks every query value.

/// The mask written in place of a redacted value.
pub const MASK: &str = "***";

/// `wss://host/path?s=secret&x=1` -> `wss://host/path?s=***&x=***`; fragments go too.
///
/// ```
/// use console_core::redact::url;
/// assert_eq!(
///     url("wss://192.168.5.1/websockify/?token=MTIz%3D&uuid=0000&host=192.168.5.4"),
///     "wss://192.168.5.1/websockify/?token=***&uuid=***&host=***"
/// );
/// assert_eq!(url("https://example.com/a"), "https://example.com/a");
/// ```
pub fn url(u: &str) -> String {
    let without_fragment = u.split('#').next().unwrap_or("");
    let Some((base, query)) = without_fragment.split_once('?') else {
        return without_fragment.to_owned();
    };
    let masked: Vec<String> = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((k, _)) => format!("{k}={MASK}"),
            None if pair.is_empty() => String::new(),
            None => MASK.to_owned(),
        })
        .collect();
    format!("{base}?{}", masked.join("&"))
}

/// How many characters of a response body an error may quote.
pub const EXCERPT_CHARS: usize = 160;

/// A short, redacted excerpt of a response body for an error message.
///
/// Bodies we could not parse are quoted so the caller can see *what* came back (an HTML page, a
/// proxy's error), but a body may also be a half-valid success carrying a console token. So: at
/// most [`EXCERPT_CHARS`] characters, control characters folded, and every run of 20 or more
/// token-like characters (base64, hex, percent-encoding) masked.
///
/// ```
/// use console_core::redact::excerpt;
/// assert_eq!(excerpt(b"<html>502 Bad Gateway</html>"), "<html>502 Bad Gateway</html>");
/// assert_eq!(
///     excerpt(br#"{"token":"MTIzNDU2Nzg5YWJjZGVmZ2hpamtsbW5v"}"#),
///     r#"{"token":"***"}"#
/// );
/// ```
pub fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let mut clipped: String = text
        .chars()
        .take(EXCERPT_CHARS)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if text.chars().count() > EXCERPT_CHARS {
        clipped.push('…');
    }
    mask_token_runs(&clipped)
}

fn is_token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "+/=%_-".contains(c)
}

fn mask_token_runs(s: &str) -> String {
    const MIN_RUN: usize = 20;
    let mut out = String::with_capacity(s.len());
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        if run.chars().count() >= MIN_RUN {
            out.push_str(MASK);
        } else {
            out.push_str(run);
        }
        run.clear();
    };
    for c in s.chars() {
        if is_token_char(c) {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_masks_every_query_value_and_fragment() {
        assert_eq!(url("https://h/p?a=1&&b#frag"), "https://h/p?a=***&&***");
        assert_eq!(url(""), "");
    }

    #[test]
    fn excerpt_is_bounded_and_masks_long_tokens() {
        let long = "x".repeat(1000);
        let e = excerpt(long.as_bytes());
        assert_eq!(e, format!("{MASK}…"));
        assert_eq!(excerpt(b"line\nbreak"), "line break");
        assert_eq!(excerpt(&[0xff, b'a']), "\u{fffd}a");
        let body = r#"{"Response":{"InstanceVncUrl":"wss%3A%2F%2Fbjvnc.qcloud.com%3A26789%2Fvnc%3Fs%3DaHpjWnRV"}}"#;
        assert!(!excerpt(body.as_bytes()).contains("aHpjWnRV"));
    }
}
