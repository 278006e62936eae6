//! console-openstack against the emulator's generic OpenStack (Keystone v3 and Nova) over HTTP
//! on 127.0.0.1: every authentication method, clouds.yaml and OS_* configuration, every console
//! type and both APIs, Horizon's AUTO order, the negotiated microversion, token renewal.

use std::path::Path;
use std::time::Duration;

use console_core::error::ErrorKind;
use console_core::{Protocol, RetryPolicy};
use console_openstack::credentials::{MapEnv, Method, Named};
use console_openstack::{Client, ConsoleRequest, ConsoleType, Credentials, Microversion};
use console_sim::{ProviderKind, Sim, MISSING, NO_SPICE, RUNNING, SERIAL_ONLY, STOPPED};

fn retry() -> RetryPolicy {
    RetryPolicy {
        initial_backoff: Duration::from_millis(5),
        max_backoff: Duration::from_millis(20),
        ..RetryPolicy::default()
    }
}

fn password(sim: &Sim) -> Credentials {
    Credentials::new(
        format!("{}/v3", sim.keystone_url()),
        Method::Password {
            user: Named::name_in(
                console_sim::OPENSTACK_USERNAME,
                Named::domain_name(console_sim::OPENSTACK_DOMAIN_NAME),
            ),
            password: console_sim::OPENSTACK_PASSWORD.into(),
        },
    )
    .unwrap()
    .project(Named::name_in(
        console_sim::OPENSTACK_PROJECT_NAME,
        Named::domain_name(console_sim::OPENSTACK_DOMAIN_NAME),
    ))
}

fn client(creds: Credentials) -> Client {
    Client::builder(creds).retry(retry()).build().unwrap()
}

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

#[tokio::test]
async fn every_authentication_method_gets_a_console() {
    let sim = Sim::start().await.unwrap();
    let auth_url = format!("{}/v3", sim.keystone_url());
    let by_ids = Credentials::new(
        &auth_url,
        Method::Password {
            user: Named::id(console_sim::OPENSTACK_USER_ID),
            password: console_sim::OPENSTACK_PASSWORD.into(),
        },
    )
    .unwrap()
    .project(Named::id(console_sim::OPENSTACK_PROJECT_ID));
    let app_id = Credentials::new(
        &auth_url,
        Method::ApplicationCredential {
            credential: Named::id(console_sim::OPENSTACK_APP_CREDENTIAL_ID),
            secret: console_sim::OPENSTACK_APP_CREDENTIAL_SECRET.into(),
        },
    )
    .unwrap();
    let app_name = Credentials::new(
        &auth_url,
        Method::ApplicationCredential {
            credential: Named::Name {
                name: console_sim::OPENSTACK_APP_CREDENTIAL_NAME.into(),
                domain: Some(Box::new(Named::id(console_sim::OPENSTACK_USER_ID))),
            },
            secret: console_sim::OPENSTACK_APP_CREDENTIAL_SECRET.into(),
        },
    )
    .unwrap();
    // A token from Keystone itself, exchanged for a scoped one.
    let transport = console_core::Transport::new().unwrap();
    let answer = transport
        .send(&console_openstack::keystone::build(&password(&sim)))
        .await
        .unwrap();
    let first = console_openstack::keystone::parse(console_openstack::PROVIDER, &answer).unwrap();
    let token = Credentials::new(
        &auth_url,
        Method::Token {
            token: first.value.clone(),
        },
    )
    .unwrap()
    .project(Named::id(console_sim::OPENSTACK_PROJECT_ID));
    for creds in [password(&sim), by_ids, app_id, app_name, token] {
        let c = client(creds.clone())
            .console(&ConsoleRequest::new(RUNNING).unwrap())
            .await;
        let c = c.unwrap_or_else(|e| panic!("{:?}: {e}", creds.method()));
        assert_eq!(c.protocol(), Protocol::Vnc);
        assert!(
            c.viewer_url()
                .unwrap()
                .contains("/vnc_lite.html?path=%3Ftoken%3D"),
            "{c:?}"
        );
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn every_console_type_on_both_apis() {
    let sim = Sim::start().await.unwrap();
    let c = client(password(&sim));
    for (t, protocol, websocket) in [
        (ConsoleType::NoVnc, Protocol::Vnc, false),
        (ConsoleType::XvpVnc, Protocol::Vnc, false),
        (ConsoleType::SpiceHtml5, Protocol::Spice, false),
        (ConsoleType::SpiceDirect, Protocol::Spice, false),
        (ConsoleType::RdpHtml5, Protocol::Rdp, false),
        (ConsoleType::Serial, Protocol::Serial, true),
        (ConsoleType::WebMks, Protocol::Mks, false),
    ] {
        let negotiated = c
            .console(&ConsoleRequest::new(RUNNING).unwrap().console_type(t))
            .await;
        let negotiated = negotiated.unwrap_or_else(|e| panic!("{t}: {e}"));
        assert_eq!(negotiated.protocol(), protocol, "{t}");
        assert_eq!(negotiated.websocket_url().is_some(), websocket, "{t}");
        if t.action().is_some() {
            // The action of the older API, below 2.6.
            let old = ConsoleRequest::new(RUNNING)
                .unwrap()
                .console_type(t)
                .microversion(Microversion::new(2, 5))
                .unwrap();
            let old = c
                .console(&old)
                .await
                .unwrap_or_else(|e| panic!("{t} at 2.5: {e}"));
            assert_eq!(old.protocol(), protocol, "{t} at 2.5");
        }
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn auto_tries_what_the_server_has_in_horizon_s_order() {
    let sim = Sim::start().await.unwrap();
    let c = client(password(&sim));
    let auto = |id: &str| ConsoleRequest::new(id).unwrap().auto();
    assert_eq!(
        c.console(&auto(RUNNING)).await.unwrap().protocol(),
        Protocol::Vnc
    );
    let before = sim.requests(ProviderKind::OpenStack);
    let serial = c.console(&auto(SERIAL_ONLY)).await.unwrap();
    assert_eq!(serial.protocol(), Protocol::Serial);
    // noVNC, SPICE and RDP were refused before serial was given.
    assert_eq!(sim.requests(ProviderKind::OpenStack) - before, 4);
    // Asked for by name, an unavailable type is the server's error, not a fallback.
    let e = c
        .console(
            &ConsoleRequest::new(NO_SPICE)
                .unwrap()
                .console_type(ConsoleType::SpiceHtml5),
        )
        .await
        .unwrap_err();
    assert_eq!(
        (e.kind(), e.code()),
        (ErrorKind::Provider, Some("badRequest")),
        "{e}"
    );
    // Stopped or missing servers end the automatic choice at once.
    let e = c.console(&auto(STOPPED)).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InstanceState);
    let e = c.console(&auto(MISSING)).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    sim.shutdown().await;
}

#[tokio::test]
async fn the_token_is_kept_renewed_before_it_expires_and_shared() {
    // Lifetimes wide enough that a slow machine's first calls stay well outside the margin.
    let sim = Sim::builder()
        .keystone_token_ttl(Duration::from_secs(8))
        .start()
        .await
        .unwrap();
    let c = Client::builder(password(&sim))
        .token_renewal_margin(Duration::from_secs(4))
        .retry(retry())
        .build()
        .unwrap();
    let target = ConsoleRequest::new(RUNNING).unwrap();
    let calls = (0..8).map(|_| c.console(&target));
    for r in futures_util::future::join_all(calls).await {
        r.unwrap();
    }
    // One token, one version document, eight consoles.
    assert_eq!(sim.requests(ProviderKind::OpenStack), 10);
    c.console(&target).await.unwrap();
    assert_eq!(
        sim.requests(ProviderKind::OpenStack),
        11,
        "the token is kept"
    );
    // Within the margin of its expiry: renewed before use, and the call succeeds.
    tokio::time::sleep(Duration::from_millis(4500)).await;
    c.clone().console(&target).await.unwrap();
    assert_eq!(sim.requests(ProviderKind::OpenStack), 13, "renewed once");
    sim.shutdown().await;
}

#[tokio::test]
async fn configuration_as_openstack_users_have_it() {
    let sim = Sim::start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let clouds = write(
        dir.path(),
        "clouds.yaml",
        &format!(
            "clouds:\n  sim:\n    auth:\n      auth_url: {}/v3\n      username: {}\n      project_name: {}\n      user_domain_name: {}\n      project_domain_name: {}\n    region_name: {}\n    interface: internal\n",
            sim.keystone_url(),
            console_sim::OPENSTACK_USERNAME,
            console_sim::OPENSTACK_PROJECT_NAME,
            console_sim::OPENSTACK_DOMAIN_NAME,
            console_sim::OPENSTACK_DOMAIN_NAME,
            console_sim::OPENSTACK_REGION,
        ),
    );
    let secure = write(
        dir.path(),
        "secure.yaml",
        &format!(
            "clouds:\n  sim:\n    auth:\n      password: {}\n",
            console_sim::OPENSTACK_PASSWORD
        ),
    );
    let env = MapEnv::new([
        ("OS_CLIENT_CONFIG_FILE", clouds.display().to_string()),
        ("OS_CLIENT_SECURE_FILE", secure.display().to_string()),
        ("OS_CLOUD", "sim".to_owned()),
    ]);
    let c = Client::from_config_in(None, &env).unwrap();
    assert_eq!(
        c.console(&ConsoleRequest::new(RUNNING).unwrap())
            .await
            .unwrap()
            .protocol(),
        Protocol::Vnc
    );

    // The OS_* variables alone.
    let env = MapEnv::new([
        ("OS_AUTH_URL", format!("{}/v3", sim.keystone_url())),
        (
            "OS_APPLICATION_CREDENTIAL_ID",
            console_sim::OPENSTACK_APP_CREDENTIAL_ID.to_owned(),
        ),
        (
            "OS_APPLICATION_CREDENTIAL_SECRET",
            console_sim::OPENSTACK_APP_CREDENTIAL_SECRET.to_owned(),
        ),
        ("OS_REGION_NAME", console_sim::OPENSTACK_REGION.to_owned()),
    ]);
    let c = Client::from_config_in(None, &env).unwrap();
    c.console(&ConsoleRequest::new(RUNNING).unwrap())
        .await
        .unwrap();

    // A named cloud wins over OS_*; a missing one names those that exist.
    let env = MapEnv::new([
        ("OS_CLIENT_CONFIG_FILE", clouds.display().to_string()),
        ("OS_AUTH_URL", "http://127.0.0.1:9/v3".to_owned()),
    ]);
    let e = Client::from_config_in(Some("lab"), &env).unwrap_err();
    assert!(e.to_string().contains("it has: sim"), "{e}");
    // An interface or region the catalog lacks says what it has, and nothing is asked of Nova.
    let e = Client::builder(password(&sim))
        .interface(console_openstack::credentials::Interface::Admin)
        .build()
        .unwrap()
        .console(&ConsoleRequest::new(RUNNING).unwrap())
        .await
        .unwrap_err();
    assert!(e.to_string().contains("public in RegionOne"), "{e}");
    let e = Client::builder(password(&sim))
        .region("RegionTwo")
        .build()
        .unwrap()
        .console(&ConsoleRequest::new(RUNNING).unwrap())
        .await
        .unwrap_err();
    assert!(e.to_string().contains("region_name"), "{e}");
    sim.shutdown().await;
}

#[tokio::test]
async fn wrong_credentials_are_auth_errors_without_the_secret() {
    let sim = Sim::start().await.unwrap();
    let wrong = Credentials::new(
        format!("{}/v3", sim.keystone_url()),
        Method::Password {
            user: Named::name_in(
                console_sim::OPENSTACK_USERNAME,
                Named::domain_name("Default"),
            ),
            password: "not-the-password".into(),
        },
    )
    .unwrap();
    let e = client(wrong)
        .console(&ConsoleRequest::new(RUNNING).unwrap())
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Auth);
    assert!(!format!("{e} {e:?}").contains("not-the-password"));
    sim.shutdown().await;
}

#[tokio::test]
async fn no_nonce_is_drawn_for_keystone_or_nova() {
    use console_core::testing::{fixture_clock, CountingClock};
    let sim = Sim::start().await.unwrap();
    let clock = std::sync::Arc::new(CountingClock::new(fixture_clock()));
    Client::builder(password(&sim))
        .retry(retry())
        .clock(clock.clone())
        .build()
        .unwrap()
        .console(&ConsoleRequest::new(RUNNING).unwrap())
        .await
        .unwrap();
    assert_eq!(clock.nonces_drawn(), 0);
}
