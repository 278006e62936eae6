//! The canonical-form rules the schemes are built from, each a named function with its test,
//! so that a scheme reads as the list of rules its provider uses.
//!
//! | rule | TC3 | ACS3 | RPC V1 | SDK-HMAC |
//! | --- | --- | --- | --- | --- |
//! | URI | [`uri_as_sent`] | [`uri_as_sent`] | `/` | [`uri_unquoted_then_split`] |
//! | query | [`query_as_sent`] | [`query_sorted_by_encoded`] | [`query_sorted_by_encoded`] | [`query_sorted_by_decoded`] |

use std::borrow::Cow;

use url::Url;

use crate::encoding::{encode_rfc3986, is_rfc3986_unreserved};

/// The path exactly as it goes on the wire (`/` for an empty one).
///
/// ```
/// use console_core::{sign::canonical::uri_as_sent, Url};
/// assert_eq!(uri_as_sent(&Url::parse("https://h/a%20b/c~d").unwrap()), "/a%20b/c~d");
/// ```
pub fn uri_as_sent(url: &Url) -> &str {
    match url.path() {
        "" => "/",
        p => p,
    }
}

/// The path unquoted whole, split on `/`, each segment RFC 3986-encoded again, with a trailing
/// `/`: an encoded `%2F` becomes a separator, as Huawei's gateway reads it.
///
/// ```
/// use console_core::sign::canonical::uri_unquoted_then_split;
/// assert_eq!(uri_unquoted_then_split("/v1/p/vpcs"), "/v1/p/vpcs/");
/// assert_eq!(uri_unquoted_then_split("/a%2Fb%20c*"), "/a/b%20c%2A/");
/// ```
pub fn uri_unquoted_then_split(path: &str) -> String {
    // A path of unreserved characters and slashes (what our requests send) comes out as it
    // is, with the trailing slash: no decoding, splitting and encoding on every call.
    if path.split('/').all(is_rfc3986_unreserved) {
        let mut uri = String::with_capacity(path.len() + 1);
        uri.push_str(path);
        if !uri.ends_with('/') {
            uri.push('/');
        }
        return uri;
    }
    unquoted_then_split_in_full(path)
}

/// [`uri_unquoted_then_split`] without its shortcut: the rule as Huawei's SDKs state it.
fn unquoted_then_split_in_full(path: &str) -> String {
    let unquoted = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    let mut uri = unquoted
        .split('/')
        .map(encode_rfc3986)
        .collect::<Vec<_>>()
        .join("/");
    if !uri.ends_with('/') {
        uri.push('/');
    }
    uri
}

/// The headers on the wire once a signer's output is applied: the request's, then the ones
/// the signer adds (name, value, whether sensitive). Borrowed, not copied: every signer
/// judges these on every request.
pub fn headers_on_wire<'r>(
    headers: &'r [(crate::http::HeaderName, crate::http::HeaderValue)],
    added: &'r [(&'r str, String, bool)],
) -> Vec<(&'r str, &'r str)> {
    let mut all = Vec::with_capacity(headers.len() + added.len());
    all.extend(headers.iter().map(|(k, v)| (k.as_ref(), v.as_ref())));
    all.extend(added.iter().map(|(k, v, _)| (*k, v.as_str())));
    all
}

/// The query exactly as it goes on the wire (TC3 signs what the server receives).
///
/// ```
/// use console_core::{sign::canonical::query_as_sent, Url};
/// assert_eq!(query_as_sent(&Url::parse("https://h/?b=1&a=x+y").unwrap()), "b=1&a=x+y");
/// ```
pub fn query_as_sent(url: &Url) -> &str {
    url.query().unwrap_or("")
}

/// The query's pairs as a server decodes them: `%XX` decoded and `+` read as a space.
///
/// ```
/// use console_core::sign::canonical::decoded_pairs;
/// assert_eq!(decoded_pairs("a=x+y&b=%2B&c"), vec![
///     ("a".into(), "x y".into()), ("b".into(), "+".into()), ("c".into(), "".into())]);
/// ```
pub fn decoded_pairs(query: &str) -> Vec<(String, String)> {
    url::form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect()
}

fn join(pairs: &[(String, String)]) -> String {
    let mut out = String::with_capacity(pairs.iter().map(|(k, v)| k.len() + v.len() + 2).sum());
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(k);
        out.push('=');
        out.push_str(v);
    }
    out
}

/// Names and values RFC 3986-encoded, then sorted by encoded name, then encoded value
/// (Alibaba's ACS3 and RPC V1).
///
/// ```
/// use console_core::sign::canonical::{decoded_pairs, query_sorted_by_encoded};
/// assert_eq!(query_sorted_by_encoded(&decoded_pairs("b=2&a=x+y&c=%7E*%2B/")),
///            "a=x%20y&b=2&c=~%2A%2B%2F");
/// ```
pub fn query_sorted_by_encoded(pairs: &[(String, String)]) -> String {
    let mut encoded: Vec<(String, String)> = pairs
        .iter()
        .map(|(k, v)| {
            (
                encode_rfc3986(k).into_owned(),
                encode_rfc3986(v).into_owned(),
            )
        })
        .collect();
    encoded.sort();
    join(&encoded)
}

/// [`query_sorted_by_encoded`] of a wire query's [`decoded_pairs`], borrowing the query when
/// it is already in that form (what our requests send: unreserved characters, every pair with
/// `=`, sorted), so a request signs its query without copying it pair by pair.
///
/// ```
/// use console_core::sign::canonical::sorted_encoded_query;
/// assert!(matches!(sorted_encoded_query("InstanceId=i-1&RegionId=cn-hangzhou"), std::borrow::Cow::Borrowed(_)));
/// assert_eq!(sorted_encoded_query("b=2&a=x+y"), "a=x%20y&b=2");
/// ```
pub fn sorted_encoded_query(query: &str) -> Cow<'_, str> {
    let mut previous: Option<(&str, &str)> = None;
    let mut canonical = !query.is_empty();
    for pair in query.split('&') {
        let Some((k, v)) = pair.split_once('=') else {
            canonical = false;
            break;
        };
        if k.is_empty()
            || !is_rfc3986_unreserved(k)
            || !is_rfc3986_unreserved(v)
            || previous.is_some_and(|p| p > (k, v))
        {
            canonical = false;
            break;
        }
        previous = Some((k, v));
    }
    if canonical {
        Cow::Borrowed(query)
    } else {
        Cow::Owned(query_sorted_by_encoded(&decoded_pairs(query)))
    }
}

/// Sorted by decoded name, then decoded value, then RFC 3986-encoded (Huawei's SDKs sort the
/// raw pairs, so `abc` comes before `中文` although `%E4` sorts before `a`).
///
/// ```
/// use console_core::sign::canonical::{decoded_pairs, query_sorted_by_decoded};
/// assert_eq!(query_sorted_by_decoded(&decoded_pairs("tags=%E4%B8%AD&tags=abc")),
///            "tags=abc&tags=%E4%B8%AD");
/// ```
pub fn query_sorted_by_decoded(pairs: &[(String, String)]) -> String {
    let mut sorted = pairs.to_vec();
    sorted.sort();
    let encoded: Vec<(String, String)> = sorted
        .iter()
        .map(|(k, v)| {
            (
                encode_rfc3986(k).into_owned(),
                encode_rfc3986(v).into_owned(),
            )
        })
        .collect();
    join(&encoded)
}

/// A header name lowercased, borrowed when it already is (the common case: no copy per header
/// on every request's path).
pub fn lowercase_name(name: &str) -> Cow<'_, str> {
    if name.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(name.to_ascii_lowercase())
    } else {
        Cow::Borrowed(name)
    }
}

/// The values of a header, trimmed, joined with `,` (sorted first when `sort`, as ACS3 does);
/// `None` when the request does not carry it. A single value is borrowed.
///
/// ```
/// use console_core::sign::canonical::header_value;
/// let h = vec![("X-A".to_owned(), " 2 ".to_owned()), ("x-a".to_owned(), "1".to_owned())];
/// assert_eq!(header_value(&h, "x-a", false).as_deref(), Some("2,1"));
/// assert_eq!(header_value(&h, "x-a", true).as_deref(), Some("1,2"));
/// assert_eq!(header_value(&h, "x-b", true), None);
/// ```
pub fn header_value<'a, K: AsRef<str>, V: AsRef<str>>(
    headers: &'a [(K, V)],
    name: &str,
    sort: bool,
) -> Option<Cow<'a, str>> {
    let mut values = headers
        .iter()
        .filter(|(k, _)| k.as_ref().eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_ref().trim());
    let first = values.next()?;
    let Some(second) = values.next() else {
        return Some(Cow::Borrowed(first));
    };
    let mut all: Vec<&str> = [first, second].into_iter().chain(values).collect();
    if sort {
        all.sort_unstable();
    }
    Some(Cow::Owned(all.join(",")))
}

/// One header as a scheme signs it: the lowercase name and the canonical value.
pub type SignedPair<'a> = (Cow<'a, str>, Cow<'a, str>);

/// The headers a scheme signs, as the scheme's canonical form lists them: of `headers` (the
/// caller's and those the signer adds), the names `include` keeps, plus `host` (its value
/// `host`), lowercased, sorted and deduplicated, each with [`header_value`] (`sort_values` for
/// schemes that sort repeated values). Returns the `SignedHeaders` list and the
/// `(name, value)` pairs for [`header_lines`]; names and values are borrowed where they can be.
///
/// ```
/// use console_core::sign::canonical::signed_headers;
/// let h = vec![("X-B".to_owned(), "2".to_owned()), ("X-A".to_owned(), " 1 ".to_owned())];
/// let (list, pairs) = signed_headers(&h, "h:80", |_| true, false);
/// assert_eq!(list, "host;x-a;x-b");
/// assert_eq!((&*pairs[0].0, &*pairs[0].1), ("host", "h:80"));
/// assert_eq!((&*pairs[1].0, &*pairs[1].1), ("x-a", "1"));
/// ```
pub fn signed_headers<'a, K: AsRef<str>, V: AsRef<str>>(
    headers: &'a [(K, V)],
    host: &'a str,
    include: impl Fn(&str) -> bool,
    sort_values: bool,
) -> (String, Vec<SignedPair<'a>>) {
    // Each signed header as (lowercase name, value), in the request's order; names are
    // lowercased on the stack to be judged, and copied only when kept and not lowercase.
    let mut pairs: Vec<SignedPair<'a>> = Vec::with_capacity(headers.len() + 1);
    let mut buf = [0u8; 64];
    for (k, v) in headers {
        let k = k.as_ref();
        let signed = |lower: &str| lower != "host" && include(lower);
        let keep = match buf.get_mut(..k.len()) {
            Some(lower) => {
                lower.copy_from_slice(k.as_bytes());
                lower.make_ascii_lowercase();
                // ASCII lowercasing leaves UTF-8 valid.
                std::str::from_utf8(lower).is_ok_and(signed)
            }
            None => signed(&lowercase_name(k)),
        };
        if keep {
            pairs.push((lowercase_name(k), Cow::Borrowed(v.as_ref().trim())));
        }
    }
    pairs.push((Cow::Borrowed("host"), Cow::Borrowed(host)));
    // Stable: a repeated header's values stay in the request's order. Then each run of one
    // name becomes one pair, its values joined (what `header_value` gives, without searching
    // the headers again for every name).
    pairs.sort_by(|a, b| a.0.cmp(&b.0));
    let mut kept = 0;
    let mut i = 0;
    while i < pairs.len() {
        let run = pairs[i..].iter().take_while(|p| p.0 == pairs[i].0).count();
        if run > 1 {
            let mut values: Vec<&str> = pairs[i..i + run].iter().map(|p| &*p.1).collect();
            if sort_values {
                values.sort_unstable();
            }
            pairs[i].1 = Cow::Owned(values.join(","));
        }
        pairs.swap(kept, i);
        kept += 1;
        i += run;
    }
    pairs.truncate(kept);
    let mut list = String::with_capacity(pairs.iter().map(|p| p.0.len() + 1).sum());
    for (i, (n, _)) in pairs.iter().enumerate() {
        if i > 0 {
            list.push(';');
        }
        list.push_str(n);
    }
    (list, pairs)
}

/// `name:value\n` for each pair, in the order given (callers sort by name first).
///
/// ```
/// use console_core::sign::canonical::header_lines;
/// assert_eq!(header_lines(&[("a", "1"), ("host", "h")]), "a:1\nhost:h\n");
/// ```
pub fn header_lines<K: AsRef<str>, V: AsRef<str>>(pairs: &[(K, V)]) -> String {
    let mut out = String::with_capacity(
        pairs
            .iter()
            .map(|(k, v)| k.as_ref().len() + v.as_ref().len() + 2)
            .sum(),
    );
    for (k, v) in pairs {
        out.push_str(k.as_ref());
        out.push(':');
        out.push_str(v.as_ref());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plus_on_the_wire_is_a_space_and_an_encoded_plus_a_plus() {
        let pairs = decoded_pairs("q=a+b%2Bc");
        assert_eq!(query_sorted_by_encoded(&pairs), "q=a%20b%2Bc");
        assert_eq!(query_sorted_by_decoded(&pairs), "q=a%20b%2Bc");
    }

    #[test]
    fn repeated_keys_sort_by_value_and_empty_values_stay() {
        let pairs = decoded_pairs("a=2&a=1&b=&a=10");
        assert_eq!(query_sorted_by_encoded(&pairs), "a=1&a=10&a=2&b=");
        assert_eq!(query_sorted_by_decoded(&pairs), "a=1&a=10&a=2&b=");
    }

    #[test]
    fn the_two_sorts_differ_on_non_ascii() {
        let pairs = vec![("k".into(), "中".into()), ("k".into(), "a".into())];
        assert_eq!(query_sorted_by_encoded(&pairs), "k=%E4%B8%AD&k=a");
        assert_eq!(query_sorted_by_decoded(&pairs), "k=a&k=%E4%B8%AD");
    }

    /// The borrowed shortcut gives what decoding, encoding and sorting give (the oracle).
    #[test]
    fn a_canonical_query_is_borrowed_and_others_are_sorted_as_before() {
        use proptest::prelude::*;
        let part = "[a-zA-Z0-9._~+%/ =-]{0,6}";
        let query = prop::collection::vec((part, part), 0..5).prop_map(|pairs| {
            pairs
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("&")
        });
        proptest!(|(q in query)| {
            prop_assert_eq!(
                sorted_encoded_query(&q).into_owned(),
                query_sorted_by_encoded(&decoded_pairs(&q)),
                "{:?}", q
            );
        });
        for q in ["a=1&b=2", "a=1&a=2", "a=1&a=1", "a=&b=x~y"] {
            assert!(matches!(sorted_encoded_query(q), Cow::Borrowed(_)), "{q}");
        }
        for q in ["b=1&a=2", "a", "a=1&&b=2", "=1", "a=%41", "", "a=1&a=1&"] {
            assert!(matches!(sorted_encoded_query(q), Cow::Owned(_)), "{q}");
            assert_eq!(
                sorted_encoded_query(q),
                query_sorted_by_encoded(&decoded_pairs(q))
            );
        }
    }

    #[test]
    fn the_headers_on_the_wire_are_the_request_s_then_the_signer_s() {
        let request = [("Content-Type".into(), "a".into())];
        let added = [
            ("X-Date", "d".to_owned(), false),
            ("X-Token", "t".to_owned(), true),
        ];
        assert_eq!(
            headers_on_wire(&request, &added),
            [("Content-Type", "a"), ("X-Date", "d"), ("X-Token", "t")]
        );
        assert!(headers_on_wire(&[], &[]).is_empty());
    }

    /// The shortcut for plain paths gives what unquoting, splitting and encoding give.
    #[test]
    fn a_plain_path_takes_the_shortcut_to_the_same_uri() {
        use proptest::prelude::*;
        proptest!(|(path in "[a-zA-Z0-9._~/%2F -]{0,12}")| {
            prop_assert_eq!(uri_unquoted_then_split(&path), unquoted_then_split_in_full(&path));
        });
    }

    #[test]
    fn uri_rules() {
        assert_eq!(uri_unquoted_then_split("/"), "/");
        assert_eq!(uri_unquoted_then_split(""), "/");
        assert_eq!(uri_unquoted_then_split("/a~b/%E4%B8%AD"), "/a~b/%E4%B8%AD/");
        assert_eq!(uri_as_sent(&Url::parse("https://h").unwrap()), "/");
    }

    #[test]
    fn the_query_as_sent_is_the_wire_query() {
        let url = |u: &str| Url::parse(u).unwrap();
        assert_eq!(query_as_sent(&url("https://h/?b=1&a=x+y")), "b=1&a=x+y");
        assert_eq!(query_as_sent(&url("https://h/p")), "");
        assert_eq!(uri_as_sent(&url("https://h/a%20b/c~d")), "/a%20b/c~d");
    }

    #[test]
    fn header_values_are_trimmed_joined_and_optionally_sorted() {
        let h = vec![
            ("X-A".to_owned(), " 2 ".to_owned()),
            ("x-b".to_owned(), "x".to_owned()),
            ("x-a".to_owned(), "1".to_owned()),
        ];
        assert_eq!(header_value(&h, "x-a", false).as_deref(), Some("2,1"));
        assert_eq!(header_value(&h, "X-A", true).as_deref(), Some("1,2"));
        assert_eq!(header_value(&h, "x-b", true).as_deref(), Some("x"));
        assert_eq!(header_value(&h, "x-c", true), None);
        let empty = vec![("x-e".to_owned(), "  ".to_owned())];
        assert_eq!(header_value(&empty, "x-e", false).as_deref(), Some(""));
    }

    #[test]
    fn signed_headers_add_host_keep_what_is_included_and_dedupe() {
        let h = vec![
            ("X-B".to_owned(), "2".to_owned()),
            ("X-A".to_owned(), " 1 ".to_owned()),
            ("x-b".to_owned(), "3".to_owned()),
            ("Host".to_owned(), "ignored".to_owned()),
            ("Content-Type".to_owned(), "application/json".to_owned()),
        ];
        let owned = |pairs: Vec<SignedPair<'_>>| -> Vec<(String, String)> {
            pairs
                .into_iter()
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect()
        };
        let (list, pairs) = signed_headers(&h, "h:80", |n| n.starts_with("x-"), true);
        assert_eq!(list, "host;x-a;x-b");
        assert_eq!(
            owned(pairs),
            vec![
                ("host".to_owned(), "h:80".to_owned()),
                ("x-a".to_owned(), "1".to_owned()),
                ("x-b".to_owned(), "2,3".to_owned()),
            ]
        );
        let (list, pairs) = signed_headers(&h, "h", |_| true, false);
        let pairs = owned(pairs);
        assert_eq!(list, "content-type;host;x-a;x-b");
        assert_eq!(pairs[1], ("host".to_owned(), "h".to_owned()));
        assert_eq!(pairs[3], ("x-b".to_owned(), "2,3".to_owned()));
        let (list, pairs) = signed_headers::<String, String>(&[], "h", |_| true, false);
        assert_eq!((list.as_str(), pairs.len()), ("host", 1));
        assert_eq!(header_lines(&pairs), "host:h\n");
    }

    #[test]
    fn repeated_values_keep_the_request_s_order_unless_sorted() {
        let h = [
            ("X-R", "3"),
            ("a", "x"),
            ("x-r", " 1 "),
            ("X-R", "2"),
            ("b", "y"),
            ("a", "w"),
        ];
        let (list, pairs) = signed_headers(&h, "h", |_| true, false);
        assert_eq!(list, "a;b;host;x-r");
        assert_eq!(header_lines(&pairs), "a:x,w\nb:y\nhost:h\nx-r:3,1,2\n");
        // A single value is borrowed from the request, as documented; only a joined one is new.
        assert!(matches!(pairs[1].1, Cow::Borrowed("y")));
        assert!(matches!(pairs[3].1, Cow::Owned(_)));
        let (_, pairs) = signed_headers(&h, "h", |_| true, true);
        assert_eq!(header_lines(&pairs), "a:w,x\nb:y\nhost:h\nx-r:1,2,3\n");
        // What is left out is left out whole, wherever its repeats are.
        let (list, pairs) = signed_headers(&h, "h", |n| n != "x-r", true);
        assert_eq!(list, "a;b;host");
        assert_eq!(header_lines(&pairs), "a:w,x\nb:y\nhost:h\n");
    }
}
