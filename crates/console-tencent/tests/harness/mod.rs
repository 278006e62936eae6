//! Runs one Tencent fixture: serves its answer from a mock server that only answers the exact
//! signed request, runs the real client, checks the outcome and snapshots request and outcome.

use std::sync::Arc;

use console_core::sign::{SignableRequest, SigningParams};
use console_core::testing::{check, fixture_clock, render, serve_exactly, Fixture};
use console_core::{RetryPolicy, Url};
use console_tencent::request::SERVICE;
use console_tencent::{request, sign, Client, ConsoleRequest, Credentials};
use httpmock::prelude::*;

pub(crate) async fn run(name: &str, json: &str) {
    let fixture = Fixture::parse(name, json);
    let clock = fixture_clock();
    let credentials = Credentials::new("AKIDFIXTURE", "fixture-secret-key");
    let target = ConsoleRequest::new(
        fixture.input_str("region"),
        fixture.input_str("instance_id"),
    )
    .unwrap();

    let server = MockServer::start_async().await;
    let endpoint = Url::parse(&server.base_url()).unwrap();
    let mut expected = request::build(&endpoint, &target).unwrap();
    let params = SigningParams {
        identity: credentials.identity(),
        time: clock.now,
        nonce: "",
        settings: sign::tc3::Settings::service(SERVICE),
    };
    sign::tc3::sign(&SignableRequest::from_request(&expected), &params)
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
