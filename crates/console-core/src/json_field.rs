//! One string read out of a JSON answer without building a tree: the shortcut a provider's
//! parser takes for a plain success, before falling back to reading the whole answer (which
//! names every error). Every call takes it, so it allocates nothing unless the string has
//! escapes.

use std::borrow::Cow;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};

use crate::http::HttpResponse;

/// The string at `path` (keys of nested objects) in the JSON `body`, or `None` when the answer
/// is anything but plainly that: not JSON, trailing bytes, a step that is not an object, a key
/// on the path given twice (a tree would keep the last, so the full reading decides), a leaf
/// that is not a string, or one of `absent` present (with any value, `null` too) beside the
/// leaf.
///
/// ```
/// use console_core::json_field::string_at;
/// let body = br#"{"Response":{"InstanceVncUrl":"wss%3A%2F%2Fh","RequestId":"r"}}"#;
/// assert_eq!(string_at(body, &["Response", "InstanceVncUrl"], &["Error"]).as_deref(), Some("wss%3A%2F%2Fh"));
/// let error = br#"{"Response":{"InstanceVncUrl":"x","Error":null}}"#;
/// assert_eq!(string_at(error, &["Response", "InstanceVncUrl"], &["Error"]), None);
/// assert_eq!(string_at(br#"["x"]"#, &["VncUrl"], &[]), None);
/// ```
pub fn string_at<'a>(body: &'a [u8], path: &[&str], absent: &[&str]) -> Option<Cow<'a, str>> {
    if path.is_empty() {
        return None;
    }
    let mut de = serde_json::Deserializer::from_slice(body);
    let found = At { path, absent }.deserialize(&mut de).ok()?;
    de.end().ok()?;
    found
}

/// [`string_at`] of a success answer (2xx), non-empty: the URL a provider's parser takes
/// without reading the whole answer. `None` sends the parser to its full reading, which names
/// whatever is wrong.
///
/// ```
/// use console_core::{json_field::success_string_at, HttpResponse};
/// let answer = |status, body: &str| HttpResponse { status, headers: Default::default(), body: body.into() };
/// assert_eq!(success_string_at(&answer(200, r#"{"VncUrl":"u"}"#), &["VncUrl"], &[]).as_deref(), Some("u"));
/// assert_eq!(success_string_at(&answer(400, r#"{"VncUrl":"u"}"#), &["VncUrl"], &[]), None);
/// assert_eq!(success_string_at(&answer(200, r#"{"VncUrl":""}"#), &["VncUrl"], &[]), None);
/// ```
pub fn success_string_at<'a>(
    response: &'a HttpResponse,
    path: &[&str],
    absent: &[&str],
) -> Option<Cow<'a, str>> {
    if !response.is_success() {
        return None;
    }
    string_at(&response.body, path, absent).filter(|s| !s.is_empty())
}

/// [`success_string_at`], or else `full`'s reading of the whole answer, which names whatever
/// is wrong: a provider's parser, shortcut and fallback in one.
///
/// ```
/// use console_core::{json_field::success_string_or, Error, HttpResponse};
/// let full = |_: &HttpResponse| Err(Error::invalid_response(400, "an error envelope", &[]));
/// let ok = HttpResponse::new(200, r#"{"VncUrl":"u"}"#);
/// assert_eq!(success_string_or(&ok, &["VncUrl"], &[], full).unwrap(), "u");
/// assert!(success_string_or(&HttpResponse::new(400, "{}"), &["VncUrl"], &[], full).is_err());
/// ```
pub fn success_string_or<'a>(
    response: &'a HttpResponse,
    path: &[&str],
    absent: &[&str],
    full: impl FnOnce(&HttpResponse) -> crate::Result<String>,
) -> crate::Result<Cow<'a, str>> {
    match success_string_at(response, path, absent) {
        Some(s) => Ok(s),
        None => full(response).map(Cow::Owned),
    }
}

/// Reads the rest of the path at one level.
struct At<'p> {
    path: &'p [&'p str],
    absent: &'p [&'p str],
}

impl<'de> DeserializeSeed<'de> for At<'_> {
    type Value = Option<Cow<'de, str>>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        if self.path.is_empty() {
            d.deserialize_str(Leaf)
        } else {
            d.deserialize_map(self)
        }
    }
}

impl<'de> Visitor<'de> for At<'_> {
    type Value = Option<Cow<'de, str>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let Some((key, rest)) = self.path.split_first() else {
            return Ok(None);
        };
        let (mut found, mut plain, mut seen) = (None, true, false);
        while let Some(k) = map.next_key_seed(Key {
            wanted: key,
            absent: if rest.is_empty() { self.absent } else { &[] },
        })? {
            match k {
                KeyKind::Wanted => {
                    plain &= !seen;
                    seen = true;
                    found = map.next_value_seed(At {
                        path: rest,
                        absent: self.absent,
                    })?;
                }
                KeyKind::Absent => {
                    plain = false;
                    map.next_value::<IgnoredAny>()?;
                }
                KeyKind::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(found.filter(|_| plain))
    }
}

/// What a key is to the path, judged without copying it.
enum KeyKind {
    Wanted,
    Absent,
    Other,
}

struct Key<'p> {
    wanted: &'p str,
    absent: &'p [&'p str],
}

impl<'de> DeserializeSeed<'de> for Key<'_> {
    type Value = KeyKind;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<KeyKind, D::Error> {
        d.deserialize_str(self)
    }
}

impl Visitor<'_> for Key<'_> {
    type Value = KeyKind;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E: serde::de::Error>(self, k: &str) -> Result<KeyKind, E> {
        Ok(if k == self.wanted {
            KeyKind::Wanted
        } else if self.absent.contains(&k) {
            KeyKind::Absent
        } else {
            KeyKind::Other
        })
    }
}

/// The leaf: a string, borrowed from the body when it has no escapes.
struct Leaf;

impl<'de> Visitor<'de> for Leaf {
    type Value = Option<Cow<'de, str>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Some(Cow::Borrowed(v)))
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(Cow::Owned(v.to_owned())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    #[test]
    fn the_full_reading_answers_only_when_the_shortcut_declines() {
        let full = |r: &HttpResponse| Ok(format!("full {}", r.status));
        let plain = HttpResponse::new(200, r#"{"U":"u"}"#);
        assert!(matches!(
            success_string_or(&plain, &["U"], &[], full).unwrap(),
            Cow::Borrowed("u")
        ));
        let error = HttpResponse::new(500, r#"{"U":"u"}"#);
        assert_eq!(
            success_string_or(&error, &["U"], &[], full).unwrap(),
            "full 500"
        );
        let failing = |_: &HttpResponse| Err(crate::Error::invalid_input("f", "r"));
        assert!(success_string_or(&error, &["U"], &[], failing).is_err());
    }

    /// What a tree says: the string at the path, when every step is an object and no key on
    /// the path repeats, and none of `absent` sits beside the leaf.
    fn tree(body: &str, path: &[&str], absent: &[&str]) -> Option<String> {
        let v: Value = serde_json::from_str(body).ok()?;
        let mut at = &v;
        for (i, k) in path.iter().enumerate() {
            let obj = at.as_object()?;
            if i == path.len() - 1 && absent.iter().any(|a| obj.contains_key(*a)) {
                return None;
            }
            at = obj.get(*k)?;
        }
        at.as_str().map(str::to_owned)
    }

    #[test]
    fn agrees_with_a_tree_on_plain_answers_and_declines_the_rest() {
        let path = ["R", "U"];
        let cases = [
            (r#"{"R":{"U":"a"}}"#, true),
            (r#" {"x":[1,{"U":2}],"R":{"y":null,"U":"a\u002Fb"}} "#, true),
            (r#"{"R":{"U":"a","E":null}}"#, false),
            (r#"{"R":{"E":{"c":1},"U":"a"}}"#, false),
            (r#"{"R":{"U":"a","U":"b"}}"#, false),
            (r#"{"R":{"U":"a"},"R":{"U":"b"}}"#, false),
            (r#"{"R":{"U":1}}"#, false),
            (r#"{"R":["a"]}"#, false),
            (r#"{"R":{"U":"a"}} x"#, false),
            (r#"{"R":{"U":"a"}"#, false),
            (r#"{"E":1,"R":{"U":"a"}}"#, true),
            ("", false),
        ];
        for (body, plain) in cases {
            let fast = string_at(body.as_bytes(), &path, &["E"]).map(Cow::into_owned);
            assert_eq!(fast.is_some(), plain, "{body}");
            if plain {
                assert_eq!(fast, tree(body, &path, &["E"]), "{body}");
            }
        }
        assert!(matches!(
            string_at(br#"{"U":"plain"}"#, &["U"], &[]),
            Some(Cow::Borrowed("plain"))
        ));
        assert_eq!(string_at(br#"{"U":"a"}"#, &[], &[]), None);
    }

    #[test]
    fn only_a_success_with_a_non_empty_string_takes_the_shortcut() {
        let answer = |status, body: &str| HttpResponse {
            status,
            headers: Default::default(),
            body: body.as_bytes().to_vec(),
        };
        let at = |r: &HttpResponse| success_string_at(r, &["R", "U"], &["E"]).map(Cow::into_owned);
        let plain = r#"{"R":{"U":"wss://h/v?s=t"}}"#;
        assert_eq!(at(&answer(200, plain)).as_deref(), Some("wss://h/v?s=t"));
        assert_eq!(at(&answer(204, plain)).as_deref(), Some("wss://h/v?s=t"));
        for status in [199, 300, 400, 500] {
            assert_eq!(at(&answer(status, plain)), None, "{status}");
        }
        assert_eq!(at(&answer(200, r#"{"R":{"U":""}}"#)), None);
        assert_eq!(at(&answer(200, r#"{"R":{"U":"x","E":null}}"#)), None);
    }
}
