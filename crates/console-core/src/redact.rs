//! Redaction for anything that may reach `Debug`, an error message or a log line.
//!
//! A console URL is a bearer credential: whoever holds it opens the VM's screen. Its token
//! usually sits in the query (`?s=...`, `?token=...`), but a provider may put it in the path,
//! so redaction keeps only the scheme and the authority (useful when debugging: which proxy,
//! which port) and masks everything after them.

/// The mask written in place of a redacted value: the one placeholder of the workspace.
pub use crate::secret::REDACTED as MASK;

/// `wss://host:port/path?s=secret` -> `wss://host:port/***`; a URL with nothing after its
/// authority is kept whole; anything unparsable is masked whole.
///
/// ```
/// use console_core::redact::url;
/// assert_eq!(
///     url("wss://192.168.5.1/websockify/?token=MTIz%3D&uuid=0000&host=192.168.5.4"),
///     "wss://192.168.5.1/***"
/// );
/// assert_eq!(url("wss://bjvnc.qcloud.com:26789/vnc_s=aHpjWnRV"), "wss://bjvnc.qcloud.com:26789/***");
/// assert_eq!(url("https://example.com"), "https://example.com");
/// assert_eq!(url("not a url with a token"), "***");
/// ```
pub fn url(u: &str) -> String {
    let Some(scheme_end) = u.find("://") else {
        return MASK.to_owned();
    };
    let rest = &u[scheme_end + 3..];
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    // Userinfo (`user:token@host`) would be a credential too.
    let authority = authority.rsplit('@').next().unwrap_or(authority);
    let tail = &rest[authority_end..];
    if tail.is_empty() || tail == "/" {
        format!("{}://{authority}{tail}", &u[..scheme_end])
    } else {
        format!("{}://{authority}/{MASK}", &u[..scheme_end])
    }
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

/// `text` with every occurrence of each secret replaced by the placeholder, whatever the
/// secret's length; and when `text` is a cut excerpt (it ends with `…`), a tail that is the
/// beginning of a secret is masked too, so that no prefix of a secret survives the cut.
///
/// ```
/// use console_core::redact::secrets;
/// assert_eq!(secrets("bad password Ab12cd!", &["Ab12cd"]), "bad password ***!");
/// assert_eq!(secrets("… token sk-abcd…", &["sk-abcdefgh"]), "… token ***…");
/// ```
pub fn secrets(text: &str, secrets: &[&str]) -> String {
    let mut out = text.to_owned();
    for secret in secrets.iter().filter(|s| !s.is_empty()) {
        if out.contains(secret) {
            out = out.replace(secret, MASK);
        }
    }
    if let Some(body) = out.strip_suffix('…') {
        let mut cut = body.len();
        for secret in secrets.iter().filter(|s| !s.is_empty()) {
            let longest = secret
                .char_indices()
                .map(|(i, _)| i)
                .chain(std::iter::once(secret.len()))
                .filter(|&k| k > 0 && k < secret.len() && body.ends_with(&secret[..k]))
                .max();
            if let Some(k) = longest {
                cut = cut.min(body.len() - k);
            }
        }
        if cut < body.len() {
            return format!("{}{MASK}…", &body[..cut]);
        }
    }
    out
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
    fn an_excerpt_is_marked_cut_only_when_something_was_cut() {
        let exact = " a".repeat(EXCERPT_CHARS / 2);
        assert_eq!(exact.chars().count(), EXCERPT_CHARS);
        assert!(!excerpt(exact.as_bytes()).ends_with('…'));
        let longer = format!("{exact}b");
        assert!(excerpt(longer.as_bytes()).ends_with('…'));
    }

    #[test]
    fn url_keeps_only_scheme_and_authority() {
        assert_eq!(url("https://h/p?a=1&&b#frag"), "https://h/***");
        assert_eq!(url("https://h?token=x"), "https://h/***");
        assert_eq!(url("https://user:secret@h/"), "https://h/");
        assert_eq!(url("https://h/"), "https://h/");
        assert_eq!(url(""), MASK);
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

    #[test]
    fn secrets_are_masked_whole_and_as_a_cut_prefix() {
        assert_eq!(
            secrets("bad password Ab12cd!", &["Ab12cd"]),
            "bad password ***!"
        );
        assert_eq!(
            secrets("a sk-1 and sk-1, sk-2", &["sk-1", "sk-2"]),
            "a *** and ***, ***"
        );
        // An empty secret masks nothing (it would otherwise match between every character).
        assert_eq!(secrets("plain text", &["", "zz"]), "plain text");
        // A cut excerpt ending in a secret's beginning: the longest such beginning is masked.
        assert_eq!(
            secrets("… token sk-abcd…", &["sk-abcdefgh"]),
            "… token ***…"
        );
        assert_eq!(secrets("x s…", &["sk-abc", "other"]), "x ***…");
        assert_eq!(secrets("xy sk-ab…", &["sk-a", "sk-abc"]), "xy ***b…");
        // Not cut, or cut without a secret's beginning: unchanged.
        assert_eq!(secrets("token sk-abcd", &["sk-abcdefgh"]), "token sk-abcd");
        assert_eq!(secrets("nothing here…", &["sk-abcdefgh"]), "nothing here…");
        // Multi-byte secrets are cut on character boundaries.
        assert_eq!(secrets("密码是密…", &["密钥密码"]), "密码是***…");
    }
}
