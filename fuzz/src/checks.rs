//! What the fuzz targets check, shared with the regression test that replays their inputs
//! (`crates/console-sim/tests/fuzz_regressions.rs` includes this file).
//!
//! Each function must never panic, whatever the bytes, and asserts the invariants a caller
//! relies on when it does return a console.

use console_core::encoding::{decode, encode_rfc3986, encode_uri_component};
use console_core::time::OffsetDateTime;
use console_core::{redact, Console, HttpResponse};

const STATUSES: [u16; 8] = [200, 201, 400, 401, 403, 404, 409, 500];

/// A URL a console hands out must parse, and the console's `Debug` must show nothing of it
/// past the authority (where a token may be), neither raw nor decoded.
fn check_console(c: &Console) {
    let dbg = format!("{c:?}");
    for url in [c.websocket_url(), c.viewer_url()].into_iter().flatten() {
        let parsed = url::Url::parse(url)
            .unwrap_or_else(|e| panic!("handed out an unparsable URL {url:?}: {e}"));
        assert!(
            matches!(parsed.scheme(), "ws" | "wss" | "http" | "https"),
            "{url}"
        );
        // Websocket URLs are handed out as a browser reads them; viewer URLs are composed with
        // encodeURIComponent as the documents say, which leaves `'` that a browser encodes.
        if Some(url) == c.websocket_url() {
            assert_eq!(
                parsed.as_str(),
                url,
                "handed out a URL that is not in normal form"
            );
        }
        let tail = &parsed[url::Position::BeforePath..];
        if tail.len() >= 8 {
            assert!(
                !dbg.contains(tail),
                "Debug shows the path or query of {url}"
            );
        }
        for (_, v) in parsed.query_pairs() {
            // A value that is itself a URL with nothing past its authority holds no token.
            if v.len() >= 8 && redact::url(&v) != *v {
                assert!(!dbg.contains(&*v), "Debug shows a query value of {url}");
            }
        }
    }
}

/// Every provider's response parser on `data`: raw bytes as the body, and (odd first byte)
/// the bytes as a string in the URL field of each success envelope.
pub(crate) fn responses(data: &[u8]) {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let status = STATUSES[(first as usize >> 1) % STATUSES.len()];
    let t = OffsetDateTime::UNIX_EPOCH;
    let bodies: Vec<Vec<u8>> = if first & 1 == 1 {
        let s = String::from_utf8_lossy(rest).into_owned();
        let j = |v: serde_json::Value| v.to_string().into_bytes();
        vec![
            j(serde_json::json!({"Response": {"InstanceVncUrl": s, "RequestId": "r"}})),
            j(serde_json::json!({"RequestId": "r", "VncUrl": s})),
            j(
                serde_json::json!({"remote_console": {"type": "novnc", "protocol": "vnc", "url": s}}),
            ),
            j(serde_json::json!({"console": {"type": "novnc", "url": s}})),
            j(
                serde_json::json!({"data": {"vnc": {"raw_token": s, "token": s, "vm_uuid": s, "cluster_ip": s, "host_ip": s}}}),
            ),
        ]
    } else {
        vec![rest.to_vec()]
    };
    for body in bodies {
        let resp = HttpResponse::new(status, body.clone()).with_header("x-request-id", "rid");
        let tencent = console_tencent::ConsoleRequest::new("ap-guangzhou", "ins-fuzz").unwrap();
        if let Ok(c) = console_tencent::response::parse(&resp, &tencent, t) {
            check_console(&c);
            assert!(c
                .viewer_url()
                .unwrap()
                .starts_with(console_tencent::viewer::VIEWER_PAGE));
        }
        let target = console_aliyun::ConsoleRequest::new("cn-hangzhou", "i-fuzz")
            .unwrap()
            .password("Ab12cd")
            .unwrap();
        if let Ok(c) = console_aliyun::response::parse(&resp, &target, t) {
            check_console(&c);
            let viewer = url::Url::parse(c.viewer_url().unwrap()).unwrap();
            let params: Vec<(String, String)> = viewer.query_pairs().into_owned().collect();
            let keys: Vec<&str> = params.iter().map(|(k, _)| k.as_str()).collect();
            assert_eq!(
                keys,
                ["vncUrl", "instanceId", "isWindows", "password"],
                "the vncUrl value split the viewer query"
            );
            assert_eq!(
                params[0].1,
                c.websocket_url().unwrap(),
                "vncUrl does not decode to the websocket URL"
            );
        }
        let huawei = console_huawei::ConsoleRequest::new("cn-north-4", "srv-fuzz").unwrap();
        if let Ok(c) = console_huawei::response::parse(&resp, &huawei, t) {
            check_console(&c);
        }
        let _ = console_smartx::response::parse_login(&resp);
        if let Ok(info) = console_smartx::response::parse_vnc(&resp) {
            let direct = console_smartx::viewer::direct_url(&info, true);
            let parsed =
                url::Url::parse(&direct).unwrap_or_else(|e| panic!("direct URL {direct:?}: {e}"));
            assert_eq!(
                parsed.path(),
                "/websockify/",
                "cluster_ip changed the URL's path: {direct}"
            );
            let base = url::Url::parse("https://tower.example:8443").unwrap();
            let proxied = console_smartx::viewer::proxied_url(&info, &base);
            let parsed = url::Url::parse(&proxied).unwrap();
            assert_eq!(parsed.host_str(), Some("tower.example"));
            let token: Vec<String> = parsed
                .query_pairs()
                .filter(|(k, _)| k == "token")
                .map(|(_, v)| v.into_owned())
                .collect();
            assert_eq!(
                token,
                [info.token.expose().to_owned()],
                "the token did not survive the proxied URL"
            );
        }
    }
}

/// The encodings round-trip, and the redaction and canonicalisation helpers never panic.
pub(crate) fn encoding(data: &[u8]) {
    let s = String::from_utf8_lossy(data);
    let js = encode_uri_component(&s);
    assert!(js
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-_.!~*'()%".contains(&b)));
    assert_eq!(decode(&js).unwrap(), s);
    assert_eq!(decode(&encode_rfc3986(&s)).unwrap(), s);
    assert_eq!(decode(&encode_uri_component(&js)).unwrap(), js);
    if let Ok(d) = decode(&s) {
        // Whatever decodes, re-encoding and decoding again gives the same text.
        assert_eq!(decode(&encode_uri_component(&d)).unwrap(), d);
    }
    use console_core::sign::canonical::{
        decoded_pairs, query_sorted_by_decoded, query_sorted_by_encoded, uri_unquoted_then_split,
    };
    for canonical in [query_sorted_by_encoded, query_sorted_by_decoded] {
        let q = canonical(&decoded_pairs(&s));
        assert_eq!(
            canonical(&decoded_pairs(&q)),
            q,
            "canonical query is not idempotent"
        );
    }
    let _ = uri_unquoted_then_split(&s);
    let _ = redact::url(&s);
    let e = redact::excerpt(data);
    assert!(e.chars().count() <= redact::EXCERPT_CHARS + 1);
}

/// The viewer composers keep every parameter in its place whatever the inputs.
pub(crate) fn viewer(data: &[u8]) {
    let s = String::from_utf8_lossy(data);
    let mut parts = s.splitn(3, '\u{0}');
    let (a, b, c) = (
        parts.next().unwrap_or(""),
        parts.next().unwrap_or(""),
        parts.next().unwrap_or(""),
    );
    let vnc = encode_uri_component(a);
    let t = console_tencent::viewer::url(&vnc);
    let parsed = url::Url::parse(&t).unwrap();
    let pairs: Vec<(String, String)> = parsed.query_pairs().into_owned().collect();
    assert_eq!(pairs, [("InstanceVncUrl".to_owned(), a.to_owned())]);
    let pw = console_core::Secret::new(c);
    let ali = console_aliyun::viewer::url(&vnc, b, data.len().is_multiple_of(2), Some(&pw));
    let parsed = url::Url::parse(&ali).unwrap();
    let pairs: Vec<(String, String)> = parsed.query_pairs().into_owned().collect();
    assert_eq!(pairs.len(), 4, "{ali}");
    assert_eq!(
        (
            pairs[0].1.as_str(),
            pairs[1].1.as_str(),
            pairs[3].1.as_str()
        ),
        (a, b, c)
    );
}

/// Signing any request never panics, and signs deterministically.
pub(crate) fn signing(data: &[u8]) {
    use console_core::{HttpRequest, Method};
    let s = String::from_utf8_lossy(data);
    let (path, body) = s.split_once('\u{0}').unwrap_or((&s, ""));
    let Ok(url) = url::Url::parse(&format!("https://h.example/{path}")) else {
        return;
    };
    let mut req = HttpRequest::new(Method::POST, url);
    req.set_header("Content-Type", "application/json");
    req.body = body.as_bytes().to_vec();
    let t = OffsetDateTime::UNIX_EPOCH;
    let sign_all = |r: &HttpRequest| {
        use console_core::sign::{SignableRequest, SigningParams};
        let signable = SignableRequest::from_request(r);
        let tc = console_tencent::Credentials::new("id", "k");
        let al = console_aliyun::Credentials::new("id", "k");
        let hw = console_huawei::Credentials::ak_sk("ak", "sk");
        fn params<'a, S: Default>(
            identity: console_core::sign::Identity<'a>,
            time: OffsetDateTime,
            nonce: &'a str,
        ) -> SigningParams<'a, S> {
            SigningParams {
                identity,
                time,
                nonce,
                settings: S::default(),
            }
        }
        (
            console_tencent::sign::tc3::sign(&signable, &params(tc.identity(), t, "")).unwrap(),
            console_aliyun::sign::acs3::sign(&signable, &params(al.identity(), t, "n")).unwrap(),
            console_huawei::sign::sdk_hmac::sign(&signable, &params(hw.identity().unwrap(), t, ""))
                .unwrap(),
        )
    };
    assert_eq!(sign_all(&req), sign_all(&req));
}
