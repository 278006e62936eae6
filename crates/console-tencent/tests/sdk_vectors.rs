//! Replays the signing vectors computed by Tencent's official Python SDK
//! (`fixtures/signing/tc3.json`, `tencent-v1.json`, written by
//! `tests/official-sdks/signing_vectors.py`) through the public signing API, comparing the
//! canonical request, the string to sign, the signature and what is applied.

use console_core::sign::{SignablePayload, SignableRequest, SigningParams};
use console_core::time::OffsetDateTime;
use console_core::{HeaderName, HeaderValue, Url};
use console_tencent::sign::{tc3, v1};
use console_tencent::Credentials;
use serde_json::Value;

fn load(name: &str) -> Value {
    let path = format!(
        "{}/../../fixtures/signing/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(v["sdk"], "tencentcloud-sdk-python-common", "{path}");
    assert!(v["cases"].as_array().unwrap().len() >= 10, "{path}");
    v
}

fn credentials(case: &Value) -> Credentials {
    let c = &case["credentials"];
    let creds = Credentials::new(c["id"].as_str().unwrap(), c["secret"].as_str().unwrap());
    match c["token"].as_str() {
        Some(t) => creds.with_session_token(t),
        None => creds,
    }
}

fn pairs(v: &Value) -> Vec<(String, String)> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p[0].as_str().unwrap().to_owned(),
                p[1].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn body(case: &Value) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD
        .decode(case["body_base64"].as_str().unwrap_or(""))
        .unwrap()
}

#[test]
fn tc3_matches_the_official_sdk() {
    let file = load("tc3.json");
    for case in file["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let url = Url::parse(case["url"].as_str().unwrap()).unwrap();
        let headers: Vec<(HeaderName, HeaderValue)> = pairs(&case["headers"])
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
        let body = body(case);
        let payload = if case["payload"] == "unsigned" {
            SignablePayload::Unsigned
        } else {
            SignablePayload::Bytes(&body)
        };
        let method = case["method"].as_str().unwrap();
        let signable = SignableRequest::new(method, &url, &headers, payload).unwrap();
        let creds = credentials(case);
        let params = SigningParams {
            identity: creds.identity(),
            time: OffsetDateTime::from_unix_timestamp(case["time"].as_i64().unwrap()).unwrap(),
            nonce: "",
            settings: tc3::Settings::service(case["service"].as_str().unwrap().to_owned()),
        };
        let out = tc3::sign(&signable, &params).unwrap();
        let want = &case["expected"];
        assert_eq!(out.canonical_request(), want["canonical_request"], "{name}");
        assert_eq!(out.string_to_sign(), want["string_to_sign"], "{name}");
        assert_eq!(out.signature(), want["signature"], "{name}");
        for (k, v) in want["headers"].as_object().unwrap() {
            // What the request carries once the output is applied: the signer's header, or
            // the caller's own when the signer left it alone.
            let applied = out
                .headers()
                .iter()
                .find(|h| h.name.eq_ignore_ascii_case(k))
                .map(|h| h.value.as_str())
                .or_else(|| {
                    headers
                        .iter()
                        .find(|(n, _)| n.eq_ignore_ascii_case(k))
                        .map(|(_, v)| v.as_ref())
                });
            assert_eq!(applied, v.as_str(), "{name}: {k}");
        }
    }
}

#[test]
fn legacy_signature_matches_the_official_sdk() {
    let file = load("tencent-v1.json");
    for case in file["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let method = case["method"].as_str().unwrap();
        let mut url = Url::parse(&format!(
            "https://{}{}",
            case["host"].as_str().unwrap(),
            case["path"].as_str().unwrap()
        ))
        .unwrap();
        let params_in = pairs(&case["params"]);
        let mut headers: Vec<(HeaderName, HeaderValue)> = Vec::new();
        let form;
        let body: &[u8] = if method == "GET" {
            url.query_pairs_mut().extend_pairs(params_in.iter());
            b""
        } else {
            headers.push((
                "Content-Type".into(),
                "application/x-www-form-urlencoded".into(),
            ));
            form = url::form_urlencoded::Serializer::new(String::new())
                .extend_pairs(params_in.iter())
                .finish();
            form.as_bytes()
        };
        let signable =
            SignableRequest::new(method, &url, &headers, SignablePayload::Bytes(body)).unwrap();
        let creds = credentials(case);
        let algorithm = match case["algorithm"].as_str().unwrap() {
            "HmacSHA256" => v1::Algorithm::HmacSha256,
            _ => v1::Algorithm::HmacSha1,
        };
        let params = SigningParams {
            identity: creds.identity(),
            time: OffsetDateTime::from_unix_timestamp(case["time"].as_i64().unwrap()).unwrap(),
            nonce: case["nonce"].as_str().unwrap(),
            settings: v1::Settings { algorithm },
        };
        let out = v1::sign(&signable, &params).unwrap();
        let want = &case["expected"];
        assert_eq!(out.string_to_sign(), want["string_to_sign"], "{name}");
        assert_eq!(out.signature(), want["signature"], "{name}");
        let mut got: Vec<(String, String)> = out
            .params()
            .iter()
            .map(|p| (p.name.to_string(), p.value.clone()))
            .collect();
        let mut expected = pairs(&want["params"]);
        got.sort();
        expected.sort();
        assert_eq!(got, expected, "{name}");
    }
}
