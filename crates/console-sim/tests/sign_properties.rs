//! Properties of the three HMAC signing schemes, through their public signing API: for any
//! request, changing any signed part (method, path, query, a signed header, the body, the
//! time, the secret) changes the signature, changing a header the scheme does not sign does
//! not, and signing is deterministic.

use console_core::sign::{SignableRequest, SigningParams};
use console_core::time::{Duration, OffsetDateTime};
use console_core::{HttpRequest, Method, Url};
use proptest::prelude::*;

#[derive(Debug, Clone)]
struct Parts {
    path: String,
    query_value: String,
    header_value: String,
    body: Vec<u8>,
    unix: i64,
    get: bool,
}

fn parts() -> impl Strategy<Value = Parts> {
    (
        "[a-zA-Z0-9_.~-]{1,12}",
        "[ -~é未]{0,12}",
        "[a-zA-Z0-9 ;=/-]{1,16}",
        proptest::collection::vec(any::<u8>(), 0..64),
        1_500_000_000i64..2_000_000_000,
        any::<bool>(),
    )
        .prop_map(|(path, query_value, header_value, body, unix, get)| Parts {
            path,
            query_value,
            header_value,
            body,
            unix,
            get,
        })
}

fn request(p: &Parts) -> HttpRequest {
    let mut url = Url::parse("https://api.example.com/").unwrap();
    url.set_path(&format!("/v1/{}", p.path));
    url.set_query(Some(&format!(
        "q={}",
        console_core::encoding::encode_rfc3986(&p.query_value)
    )));
    let method = if p.get { Method::GET } else { Method::POST };
    let mut r = HttpRequest::new(method, url);
    r.set_header("Content-Type", "application/json");
    r.set_header("x-acs-action", p.header_value.trim().to_owned());
    r.set_header("X-Project-Id", p.header_value.trim().to_owned());
    // Each is left unsigned by some scheme's default: TC3 signs only content-type and host,
    // ACS3 leaves out the headers transports add, SDK-HMAC-SHA256 names with `_`.
    r.set_header("Accept-Encoding", "gzip");
    r.set_header("X_Trace", "t");
    r.body = p.body.clone();
    r
}

/// The three schemes' signatures of `r` at `t` with `secret`.
fn signatures(r: &HttpRequest, t: OffsetDateTime, secret: &str) -> [String; 3] {
    let signable = SignableRequest::from_request(r);
    let tencent = console_tencent::Credentials::new("id", secret);
    let aliyun = console_aliyun::Credentials::new("id", secret);
    let huawei = console_huawei::Credentials::ak_sk("ak", secret);
    let a = console_tencent::sign::tc3::sign(
        &signable,
        &SigningParams {
            identity: tencent.identity(),
            time: t,
            nonce: "",
            settings: Default::default(),
        },
    );
    let b = console_aliyun::sign::acs3::sign(
        &signable,
        &SigningParams {
            identity: aliyun.identity(),
            time: t,
            nonce: "nonce",
            settings: Default::default(),
        },
    );
    let c = console_huawei::sign::sdk_hmac::sign(
        &signable,
        &SigningParams {
            identity: huawei.identity().unwrap(),
            time: t,
            nonce: "",
            settings: Default::default(),
        },
    );
    [
        a.unwrap().signature().to_owned(),
        b.unwrap().signature().to_owned(),
        c.unwrap().signature().to_owned(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn any_change_to_a_signed_part_changes_every_signature(p in parts(), which in 0usize..9, extra in "[a-z]{1,4}") {
        let t = OffsetDateTime::from_unix_timestamp(p.unix).unwrap();
        let base = request(&p);
        let before = signatures(&base, t, "secret");
        prop_assert_eq!(&before, &signatures(&base, t, "secret"), "signing is not deterministic");

        let mut changed = base.clone();
        let mut t2 = t;
        let mut secret = "secret".to_owned();
        // Which schemes sign the part: TC3 signs only content-type and host among headers,
        // and the query only for GET (a POST's canonical query is fixed empty); ACS3 signs
        // x-acs-* and every header but those transports add; SDK-HMAC-SHA256 signs all headers
        // without `_`. A scheme that does not sign a part must not change its signature.
        let signed_by: [bool; 3] = match which {
            0 => { changed.body.extend_from_slice(extra.as_bytes()); [true, true, true] }
            1 => { let path = format!("{}/{extra}", changed.url.path()); changed.url.set_path(&path); [true, true, true] }
            2 => { changed.url.set_query(Some(&format!("q={extra}{}", console_core::encoding::encode_rfc3986(&p.query_value)))); [p.get, true, true] }
            3 => { changed.set_header("Content-Type", format!("application/{extra}")); [true, true, true] }
            4 => { changed.set_header("x-acs-action", format!("{}{extra}", p.header_value.trim())); [false, true, true] }
            5 => { t2 = t + Duration::seconds(1); [true, true, true] }
            6 => { secret.push_str(&extra); [true, true, true] }
            // Prefixed so that the new value always differs from the base one.
            7 => { changed.set_header("Accept-Encoding", format!("x-{extra}")); [false, false, true] }
            _ => { changed.set_header("X_Trace", format!("x-{extra}")); [false, true, false] }
        };
        let after = signatures(&changed, t2, &secret);
        for i in 0..3 {
            if signed_by[i] {
                prop_assert_ne!(&before[i], &after[i], "scheme {} ignored change {}", i, which);
            } else {
                prop_assert_eq!(&before[i], &after[i], "scheme {} signed change {}", i, which);
            }
        }
    }
}
