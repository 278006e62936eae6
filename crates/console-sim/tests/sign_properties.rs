//! Properties of the three HMAC signing schemes: for any request, changing any signed part
//! (method, path, query, a signed header, the body, the time, the secret) changes the
//! signature, and signing is deterministic.

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
}

fn parts() -> impl Strategy<Value = Parts> {
    (
        "[a-zA-Z0-9_.~-]{1,12}",
        "[ -~é未]{0,12}",
        "[a-zA-Z0-9 ;=/-]{1,16}",
        proptest::collection::vec(any::<u8>(), 0..64),
        1_500_000_000i64..2_000_000_000,
    )
        .prop_map(|(path, query_value, header_value, body, unix)| Parts {
            path,
            query_value,
            header_value,
            body,
            unix,
        })
}

fn request(p: &Parts) -> HttpRequest {
    let mut url = Url::parse("https://api.example.com/").unwrap();
    url.set_path(&format!("/v1/{}", p.path));
    url.set_query(Some(&format!(
        "q={}",
        console_core::encoding::encode_rfc3986(&p.query_value)
    )));
    let mut r = HttpRequest::new(Method::Post, url);
    r.set_header("Content-Type", "application/json");
    r.set_header("x-acs-action", p.header_value.trim());
    r.set_header("X-Project-Id", p.header_value.trim());
    r.body = p.body.clone();
    r
}

/// The three schemes' signatures of `r` at `t` with `secret`.
fn signatures(r: &HttpRequest, t: OffsetDateTime, secret: &str) -> [String; 3] {
    let sig = |r: HttpRequest| {
        r.header("Authorization")
            .unwrap()
            .rsplit("Signature=")
            .next()
            .unwrap()
            .to_owned()
    };
    let mut a = r.clone();
    console_tencent::sign::sign(
        &mut a,
        &console_tencent::Credentials::new("id", secret),
        "cvm",
        t,
    );
    let mut b = r.clone();
    console_aliyun::sign::sign(
        &mut b,
        &console_aliyun::Credentials::new("id", secret),
        t,
        "nonce",
    );
    let mut c = r.clone();
    console_huawei::sign::sign_ak_sk(&mut c, "ak", secret, None, t);
    [sig(a), sig(b), sig(c)]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn any_change_to_a_signed_part_changes_every_signature(p in parts(), which in 0usize..7, extra in "[a-z]{1,4}") {
        let t = OffsetDateTime::from_unix_timestamp(p.unix).unwrap();
        let base = request(&p);
        let before = signatures(&base, t, "secret");
        prop_assert_eq!(&before, &signatures(&base, t, "secret"), "signing is not deterministic");

        let mut changed = base.clone();
        let mut t2 = t;
        let mut secret = "secret".to_owned();
        // Which schemes sign the part: TC3 signs only content-type and host among headers,
        // and (for POST) not the query; ACS3 signs x-acs-*; SDK-HMAC-SHA256 signs all headers.
        let signed_by: [bool; 3] = match which {
            0 => { changed.body.extend_from_slice(extra.as_bytes()); [true, true, true] }
            1 => { let path = format!("{}/{extra}", changed.url.path()); changed.url.set_path(&path); [true, true, true] }
            2 => { changed.url.set_query(Some(&format!("q={extra}{}", console_core::encoding::encode_rfc3986(&p.query_value)))); [true, true, true] }
            3 => { changed.set_header("Content-Type", format!("application/{extra}")); [true, true, true] }
            4 => { changed.set_header("x-acs-action", format!("{}{extra}", p.header_value.trim())); [false, true, true] }
            5 => { t2 = t + Duration::seconds(1); [true, true, true] }
            _ => { secret.push_str(&extra); [true, true, true] }
        };
        let after = signatures(&changed, t2, &secret);
        for i in 0..3 {
            if signed_by[i] {
                prop_assert_ne!(&before[i], &after[i], "scheme {} ignored change {}", i, which);
            }
        }
    }
}
