//! Request headers as reqwest takes them, converted so that constants cost nothing a call.
//!
//! reqwest copies a custom (non-standard) name such as `x-acs-date` into a new buffer each time
//! it is given one as text, and again into shared storage when it keeps a second copy of the
//! request's headers: two allocations a header, every call. A converted name kept here is
//! shared from the start, so a call only counts a reference. A constant value goes on the wire
//! as the static bytes it is; an owned one moves into the header without a copy.

use std::borrow::Cow;
use std::cell::RefCell;

use reqwest::header::{HeaderName, HeaderValue};

use crate::error::{Error, Result};

/// More distinct constant names than any provider sends: past it, names are converted per call
/// (a program that leaks names it builds at run time cannot grow this without bound).
const CAPACITY: usize = 64;

thread_local! {
    // One list a thread: a lookup takes no lock, and the threads do not share the names'
    // reference counts (a runtime has a few worker threads; each converts a name once).
    static CONVERTED: RefCell<Vec<(&'static str, HeaderName)>> = const { RefCell::new(Vec::new()) };
}

/// `name` as reqwest's type; a constant one from those converted before. Not a valid header
/// name (a token) is an `InvalidInput` naming it, before anything is sent.
pub(crate) fn name(name: Cow<'static, str>) -> Result<HeaderName> {
    match name {
        Cow::Borrowed(constant) => converted(constant),
        Cow::Owned(name) => {
            HeaderName::from_bytes(name.as_bytes()).map_err(|_| invalid_name(&name))
        }
    }
}

/// `value` as reqwest's type: a constant as its static bytes, an owned one moved. A value with
/// a control character is an `InvalidInput` naming the header (never quoting the value, which
/// may be a credential), before anything is sent.
pub(crate) fn value(name: &str, value: Cow<'static, str>) -> Result<HeaderValue> {
    let invalid = || {
        Error::invalid_input(
            "header",
            format!("the value of {name} holds a control character"),
        )
    };
    match value {
        // `from_static` panics on what it refuses; it refuses exactly this.
        Cow::Borrowed(constant) if constant.bytes().all(is_visible_ascii) => {
            Ok(HeaderValue::from_static(constant))
        }
        Cow::Borrowed(other) => HeaderValue::from_bytes(other.as_bytes()).map_err(|_| invalid()),
        Cow::Owned(value) => HeaderValue::try_from(value).map_err(|_| invalid()),
    }
}

/// The bytes `HeaderValue::from_static` takes (visible ASCII, space and tab); a constant with
/// others (obs-text) is copied, as any text is.
fn is_visible_ascii(b: u8) -> bool {
    (0x20..0x7f).contains(&b) || b == b'\t'
}

fn invalid_name(name: &str) -> Error {
    Error::invalid_input(
        "header",
        format!("{name:?} is not a header name (a token of letters, digits and !#$%&'*+-.^_`|~)"),
    )
}

fn converted(name: &'static str) -> Result<HeaderName> {
    CONVERTED.with_borrow_mut(|kept| {
        if let Some((_, h)) = kept.iter().find(|(n, _)| *n == name) {
            return Ok(h.clone());
        }
        let h = HeaderName::from_bytes(name.as_bytes()).map_err(|_| invalid_name(name))?;
        if kept.len() < CAPACITY {
            kept.push((name, h.clone()));
        }
        Ok(h)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The names this thread keeps (each test runs on its own thread, so starts with none).
    fn kept() -> Vec<&'static str> {
        CONVERTED.with_borrow(|kept| kept.iter().map(|(n, _)| *n).collect())
    }

    #[test]
    fn a_constant_name_is_converted_once_and_none_past_capacity() {
        let first = name(Cow::Borrowed("X-Names-Test-Once")).unwrap();
        assert_eq!(first.as_str(), "x-names-test-once");
        let again = name(Cow::Borrowed("X-Names-Test-Once")).unwrap();
        assert_eq!(again, first);
        assert_eq!(kept(), ["X-Names-Test-Once"]);
        // Names leaked at run time fill it up; past that they are still converted, not kept.
        for i in 1..=CAPACITY {
            let name: &'static str = Box::leak(format!("x-names-fill-{i}").into_boxed_str());
            assert_eq!(converted(name).unwrap().as_str(), name);
        }
        let kept = kept();
        assert_eq!(kept.len(), CAPACITY);
        assert_eq!(kept.last(), Some(&"x-names-fill-63"));
        // Another thread keeps its own.
        let other = std::thread::spawn(|| {
            name(Cow::Borrowed("X-Names-Test-Once")).unwrap();
            super::tests::kept()
        });
        assert_eq!(other.join().unwrap(), ["X-Names-Test-Once"]);
    }

    #[test]
    fn an_invalid_name_is_refused_by_name_and_not_kept() {
        for bad in ["bad name", "", "x-\u{e9}"] {
            let e = name(Cow::Borrowed(bad)).unwrap_err();
            assert_eq!(e.kind(), crate::error::ErrorKind::InvalidInput);
            assert!(e.to_string().contains(&format!("{bad:?}")), "{e}");
            let e = name(Cow::Owned(bad.to_owned())).unwrap_err();
            assert!(e.to_string().contains("is not a header name"), "{e}");
        }
        assert!(kept().is_empty());
    }

    #[test]
    fn an_owned_name_is_lowercased_and_not_kept() {
        let h = name(Cow::Owned("X-Owned-Once".to_owned())).unwrap();
        assert_eq!(h.as_str(), "x-owned-once");
        assert!(kept().is_empty());
    }

    #[test]
    fn values_keep_their_bytes_and_a_control_character_is_refused_unquoted() {
        for ok in ["application/json", "a\tb c", "caf\u{e9}", ""] {
            assert_eq!(
                value("x", Cow::Borrowed(ok)).unwrap().as_bytes(),
                ok.as_bytes()
            );
            assert_eq!(
                value("x", Cow::Owned(ok.to_owned())).unwrap().as_bytes(),
                ok.as_bytes()
            );
        }
        for bad in ["secret\r\nx-injected: 1", "a\u{7f}", "\0"] {
            for v in [Cow::Borrowed(bad), Cow::Owned(bad.to_owned())] {
                let e = value("X-Token", v).unwrap_err();
                assert_eq!(e.kind(), crate::error::ErrorKind::InvalidInput);
                let text = e.to_string();
                assert!(
                    text.contains("X-Token") && !text.contains("secret"),
                    "{text}"
                );
            }
        }
    }

    /// On ASCII, the check before `from_static` is the `http` crate's own rule for values:
    /// every byte it lets through is one `HeaderValue` takes, and every one it stops (controls,
    /// DEL), one it refuses. (Bytes past ASCII never reach `from_static`.)
    #[test]
    fn the_static_check_agrees_with_the_http_crate_on_every_ascii_byte() {
        for b in 0..0x80u8 {
            let taken = HeaderValue::from_bytes(&[b]).is_ok();
            assert_eq!(is_visible_ascii(b), taken, "{b:#x}");
        }
    }
}
