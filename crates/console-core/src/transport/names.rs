//! Header names the program spells as constants, converted to reqwest's type once.
//!
//! reqwest copies a custom (non-standard) name such as `x-acs-date` into a new buffer each time
//! it is given one as text, and again into shared storage when it keeps a second copy of the
//! request's headers: two allocations a header, every call. A converted name kept here is
//! shared from the start, so a call only counts a reference.

use std::sync::RwLock;

use reqwest::header::HeaderName;

/// More distinct constant names than any provider sends: past it, names are converted per call
/// (a program that leaks names it builds at run time cannot grow this without bound).
const CAPACITY: usize = 64;

static CONVERTED: RwLock<Vec<(&'static str, HeaderName)>> = RwLock::new(Vec::new());

/// `name` as reqwest's type, from the kept ones when it was converted before; `None` when it is
/// not a valid header name (the caller passes it on as text, so reqwest reports it as before).
pub(crate) fn converted(name: &'static str) -> Option<HeaderName> {
    {
        let kept = CONVERTED.read().unwrap_or_else(|p| p.into_inner());
        if let Some((_, h)) = kept.iter().find(|(n, _)| *n == name) {
            return Some(h.clone());
        }
    }
    let h = HeaderName::from_bytes(name.as_bytes()).ok()?;
    let mut kept = CONVERTED.write().unwrap_or_else(|p| p.into_inner());
    if kept.len() < CAPACITY && !kept.iter().any(|(n, _)| *n == name) {
        kept.push((name, h.clone()));
    }
    Some(h)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_constant_name_is_converted_once_and_none_past_capacity() {
        let first = converted("X-Names-Test-Once").unwrap();
        assert_eq!(first.as_str(), "x-names-test-once");
        let again = converted("X-Names-Test-Once").unwrap();
        assert_eq!(again, first);
        let entries = |name: &str| {
            let kept = CONVERTED.read().unwrap();
            kept.iter().filter(|(n, _)| *n == name).count()
        };
        assert_eq!(entries("X-Names-Test-Once"), 1);
        // Names leaked at run time fill it up; past that they are still converted, not kept.
        for i in 0..=CAPACITY {
            let name: &'static str = Box::leak(format!("x-names-fill-{i}").into_boxed_str());
            assert_eq!(converted(name).unwrap().as_str(), name);
        }
        assert_eq!(CONVERTED.read().unwrap().len(), CAPACITY);
        assert_eq!(entries(&format!("x-names-fill-{CAPACITY}")), 0);
    }

    #[test]
    fn an_invalid_name_is_not_converted_or_kept() {
        assert!(converted("bad name").is_none());
        assert!(converted("").is_none());
        let kept = CONVERTED.read().unwrap();
        assert!(!kept.iter().any(|(n, _)| n.is_empty() || *n == "bad name"));
    }
}
