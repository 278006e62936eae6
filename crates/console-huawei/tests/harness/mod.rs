//! Runs one Huawei fixture: serves its answer from a mock server that only answers the exact
//! signed request (path, headers, body), runs the real client, checks and snapshots.

use std::sync::Arc;

use console_core::testing::{check, fixture_clock, render, serve_exactly, Fixture};
use console_core::{RetryPolicy, Url};
use console_huawei::{
    request, sign, Api, Client, ConsoleRequest, Credentials, Microversion, NovaPath,
};
use httpmock::prelude::*;

fn api(fixture: &Fixture) -> Api {
    let mv = || {
        fixture
            .input_str("microversion")
            .parse::<Microversion>()
            .unwrap()
    };
    match fixture.input_str("api") {
        "v1" => Api::V1,
        "nova-2" => Api::GetVncConsole {
            path: NovaPath::V2,
            microversion: mv(),
        },
        "nova-2.1" => Api::GetVncConsole {
            path: NovaPath::V2_1,
            microversion: mv(),
        },
        "remote-consoles" => Api::RemoteConsoles { microversion: mv() },
        other => panic!("unknown api {other}"),
    }
}

pub(crate) async fn run(name: &str, json: &str) {
    let fixture = Fixture::parse(name, json);
    let clock = fixture_clock();
    let credentials = Credentials::ak_sk("HWFIXTUREAK", "fixture-secret");
    let target = ConsoleRequest::new(fixture.input_str("region"), fixture.input_str("server_id"))
        .unwrap()
        .project_id(fixture.input_str("project_id"))
        .unwrap()
        .api(api(&fixture))
        .unwrap();

    let server = MockServer::start_async().await;
    let endpoint = Url::parse(&server.base_url()).unwrap();
    let mut expected = request::build(&endpoint, &target).unwrap();
    sign::authenticate(&mut expected, &credentials, clock.now).unwrap();

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
