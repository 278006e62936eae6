//! Runs one Alibaba Cloud fixture: serves its answer from a mock server that only answers the
//! exact signed request, runs the real client, checks the outcome and snapshots both.

use std::sync::Arc;

use console_aliyun::{request, sign, Client, ConsoleRequest, Credentials};
use console_core::sign::{SignableRequest, SigningParams};
use console_core::testing::{check, fixture_clock, render, serve_exactly, Fixture};
use console_core::{RetryPolicy, Url};
use httpmock::prelude::*;

pub(crate) async fn run(name: &str, json: &str) {
    let fixture = Fixture::parse(name, json);
    let clock = fixture_clock();
    let credentials = Credentials::new("LTAIFIXTURE", "fixture-secret");
    let mut target = ConsoleRequest::new(
        fixture.input_str("region"),
        fixture.input_str("instance_id"),
    )
    .unwrap()
    .windows(fixture.input["is_windows"].as_bool().unwrap_or(false));
    if let Some(p) = fixture.input["password"].as_str() {
        target = target.password(p).unwrap();
    }

    let server = MockServer::start_async().await;
    let endpoint = Url::parse(&server.base_url()).unwrap();
    let mut expected = request::build(&endpoint, &target).unwrap();
    let params = SigningParams {
        identity: credentials.identity(),
        time: clock.now,
        nonce: &clock.nonce,
        settings: sign::acs3::Settings::default(),
    };
    sign::acs3::sign(&SignableRequest::from_request(&expected), &params)
        .unwrap()
        .apply_to(&mut expected);

    let mock = serve_exactly(&server, &expected, &fixture.response).await;

    let client = Client::builder(credentials)
        .endpoint_url(server.base_url())
        .clock(Arc::new(clock))
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let result = client.console(&target).await;
    mock.assert_async().await;

    check(name, &fixture.expect, &result);
    insta::with_settings!({
        snapshot_path => "../snapshots",
        prepend_module_to_snapshot => false,
        description => fixture.description.as_str(),
    }, {
        insta::assert_snapshot!(name, render(&expected, &result));
    });
}
