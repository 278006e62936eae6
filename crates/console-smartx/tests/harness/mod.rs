//! Runs one SmartX fixture: a mock CloudTower answers the login and, only for the exact
//! authorised VNC request, the fixture's answer; the real client builds the console.

use std::sync::Arc;

use console_core::testing::{check, fixture_clock, render, serve_exactly, Fixture};
use console_core::{RetryPolicy, Secret, Url};
use console_smartx::{request, sign, Client, ConsoleRequest, Credentials, UserSource};
use httpmock::prelude::*;

const TOKEN: &str = "fixture-login-token";

pub(crate) async fn run(name: &str, json: &str) {
    let fixture = Fixture::parse(name, json);
    let mut target = ConsoleRequest::new(fixture.input_str("vm_id")).unwrap();
    if fixture.input_str("mode") == "direct" {
        target = target.direct();
    }

    let server = MockServer::start_async().await;
    let endpoint = Url::parse(&server.base_url()).unwrap();
    let mut expected = request::build(&endpoint, &target).unwrap();
    sign::authorize(&mut expected, &Secret::new(TOKEN));

    let login = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v2/api/login")
                .json_body(serde_json::json!({"username": "fixture", "password": "fixture-password", "source": "LOCAL"}));
            then.status(200)
                .json_body(serde_json::json!({"task_id": "t", "data": {"token": TOKEN}}));
        })
        .await;
    let vnc = serve_exactly(&server, &expected, &fixture.response).await;

    let client = Client::builder(
        server.base_url(),
        Credentials::login("fixture", "fixture-password", UserSource::Local),
    )
    .websocket_base(fixture.input_str("cloudtower"))
    .clock(Arc::new(fixture_clock()))
    .retry(RetryPolicy::none())
    .build()
    .unwrap();
    let result = client.console(&target).await;
    login.assert_async().await;
    vnc.assert_async().await;

    check(name, &fixture.expect, &result);
    insta::with_settings!({
        snapshot_path => "../snapshots",
        prepend_module_to_snapshot => false,
        description => fixture.description.as_str(),
    }, {
        insta::assert_snapshot!(name, render(&expected, &result));
    });
}
