//! Runs one OpenStack fixture: Keystone (a mock answering the password request with a token)
//! and Nova (a mock that only answers the exact console request, `X-Auth-Token` included),
//! runs the real client, checks the outcome and snapshots request and outcome.

use std::sync::Arc;

use console_core::testing::{check, fixture_clock, render, serve_exactly, Fixture};
use console_core::{RetryPolicy, Url};
use console_openstack::credentials::{Method, Named};
use console_openstack::{
    request, sign, Client, ConsoleRequest, ConsoleType, Credentials, Microversion,
};
use httpmock::prelude::*;

const TOKEN: &str = "gAAAAB-fixture-token";

pub(crate) async fn run(name: &str, json: &str) {
    let fixture = Fixture::parse(name, json);
    let console_type: ConsoleType = fixture.input_str("type").parse().unwrap();
    let microversion: Microversion = fixture.input_str("microversion").parse().unwrap();
    let target = ConsoleRequest::new(fixture.input_str("server_id"))
        .unwrap()
        .console_type(console_type)
        .microversion(microversion)
        .unwrap();

    let server = MockServer::start_async().await;
    let compute = Url::parse(&format!("{}/compute/v2.1", server.base_url())).unwrap();
    let keystone = server
        .mock_async(|when, then| {
            when.method(POST).path("/v3/auth/tokens");
            then.status(201).header("X-Subject-Token", TOKEN).json_body(
                serde_json::json!({"token": {"expires_at": "2099-01-01T00:00:00Z",
                    "project": {"id": "p"}, "catalog": []}}),
            );
        })
        .await;
    let mut expected = request::build(&compute, &target).unwrap();
    sign::authenticate(&mut expected, &TOKEN.into());
    let mock = serve_exactly(&server, &expected, &fixture.response).await;

    let credentials = Credentials::new(
        format!("{}/v3", server.base_url()),
        Method::Password {
            user: Named::id("u"),
            password: "fixture-password".into(),
        },
    )
    .unwrap();
    let client = Client::builder(credentials)
        .endpoint_url(compute.to_string())
        .clock(Arc::new(fixture_clock()))
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let result = client.console(&target).await;
    keystone.assert_async().await;
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
