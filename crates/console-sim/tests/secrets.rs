//! No secret key, password, login token or console token in `Debug`, `Display`, an error or a
//! log line: every credential, client, request, console and error type is built with known
//! secret values, formatted, and a full request per provider runs under a TRACE subscriber
//! whose output is searched too.

use std::io::Write;
use std::sync::{Arc, Mutex};

use console_core::{HttpRequest, Secret, Transport};
use console_sim::{Sim, RUNNING};
use tracing_subscriber::fmt::MakeWriter;

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

/// Everything printed, and the secrets that must not be in it.
#[derive(Default)]
struct Audit {
    printed: Vec<String>,
    secrets: Vec<String>,
}

impl Audit {
    fn debug(&mut self, v: &impl std::fmt::Debug) {
        self.printed.push(format!("{v:?}"));
        self.printed.push(format!("{v:#?}"));
    }
    fn both(&mut self, v: &(impl std::fmt::Debug + std::fmt::Display)) {
        self.debug(v);
        self.printed.push(v.to_string());
    }
    fn secret(&mut self, s: impl Into<String>) {
        self.secrets.push(s.into());
    }
    /// A console's tokens: everything after the authority of its URLs, and each query value.
    fn console_tokens(&mut self, c: &console_core::Console) {
        for url in [c.websocket_url(), c.viewer_url()].into_iter().flatten() {
            let parsed = url::Url::parse(url).unwrap();
            for (k, v) in parsed.query_pairs() {
                if matches!(
                    &*k,
                    "s" | "token" | "InstanceVncUrl" | "vncUrl" | "password"
                ) {
                    self.secret(v.into_owned());
                }
            }
        }
    }
    fn check(&self, log: &str) {
        for s in &self.secrets {
            assert!(s.len() >= 6, "secret {s:?} is too short to search for");
            for p in self.printed.iter().map(String::as_str).chain([log]) {
                assert!(!p.contains(s.as_str()), "a secret appears in output: {p}");
            }
        }
    }
}

const TENCENT_TOKEN: &str = "tencent-sts-session-token-value";
const ALIYUN_TOKEN: &str = "aliyun-sts-security-token-value";
const HUAWEI_TOKEN: &str = "huawei-temporary-security-token";
const PASSWORD: &str = "Zq9Xw2";

#[tokio::test]
async fn no_secret_or_console_token_is_ever_printed_or_logged() {
    let log = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(log.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let sim = Sim::start().await.unwrap();
    let mut audit = Audit::default();
    for s in [
        console_sim::TENCENT_SECRET_KEY,
        console_sim::ALIYUN_ACCESS_KEY_SECRET,
        console_sim::HUAWEI_SK,
        console_sim::SMARTX_PASSWORD,
        console_sim::HUAWEI_IAM_TOKEN,
        TENCENT_TOKEN,
        ALIYUN_TOKEN,
        HUAWEI_TOKEN,
        PASSWORD,
    ] {
        audit.secret(s);
    }

    // Credentials.
    let tc = console_tencent::Credentials::new(
        console_sim::TENCENT_SECRET_ID,
        console_sim::TENCENT_SECRET_KEY,
    )
    .with_session_token(TENCENT_TOKEN);
    let ac = console_aliyun::Credentials::new(
        console_sim::ALIYUN_ACCESS_KEY_ID,
        console_sim::ALIYUN_ACCESS_KEY_SECRET,
    )
    .with_security_token(ALIYUN_TOKEN);
    let hc = console_huawei::Credentials::ak_sk(console_sim::HUAWEI_AK, console_sim::HUAWEI_SK)
        .with_security_token(HUAWEI_TOKEN);
    let sc = console_smartx::Credentials::login(
        console_sim::SMARTX_USERNAME,
        console_sim::SMARTX_PASSWORD,
        console_smartx::UserSource::Local,
    );
    audit.debug(&tc);
    audit.debug(&ac);
    audit.debug(&hc);
    audit.debug(&sc);
    audit.debug(&console_huawei::Credentials::token(
        console_sim::HUAWEI_IAM_TOKEN,
    ));
    audit.both(&Secret::new(PASSWORD));

    // Clients, verification off included (it logs a warning).
    let tencent = console_tencent::Client::builder(tc.clone())
        .endpoint_url(sim.tencent_url())
        .build()
        .unwrap();
    let aliyun = console_aliyun::Client::builder(ac.clone())
        .endpoint_url(sim.aliyun_url())
        .build()
        .unwrap();
    let huawei = console_huawei::Client::builder(hc.clone())
        .project_id(console_sim::HUAWEI_PROJECT_ID)
        .unwrap()
        .endpoint_url(sim.huawei_url())
        .build()
        .unwrap();
    let smartx = console_smartx::Client::builder(sim.smartx_url(), sc.clone())
        .danger_accept_invalid_certs(true)
        .build()
        .unwrap();
    audit.debug(&tencent);
    audit.debug(&aliyun);
    audit.debug(&huawei);
    audit.debug(&smartx);

    // Requests, as built and signed.
    let areq = console_aliyun::ConsoleRequest::new("cn-hangzhou", RUNNING)
        .unwrap()
        .password(PASSWORD)
        .unwrap();
    audit.debug(&areq);
    let mut signed = console_tencent::request::build(
        &console_core::Url::parse(&sim.tencent_url()).unwrap(),
        &console_tencent::ConsoleRequest::new("ap-guangzhou", RUNNING).unwrap(),
    )
    .unwrap();
    console_tencent::sign::tc3::sign(
        &console_core::sign::SignableRequest::from_request(&signed),
        &console_core::sign::SigningParams {
            identity: tc.identity(),
            time: console_core::time::OffsetDateTime::now_utc(),
            nonce: "",
            settings: console_tencent::sign::tc3::Settings::default(),
        },
    )
    .unwrap()
    .apply_to(&mut signed);
    audit.secret(
        signed
            .header("Authorization")
            .unwrap()
            .rsplit("Signature=")
            .next()
            .unwrap()
            .to_owned(),
    );
    audit.debug(&signed);
    // What a signer returns, with a signed security token in its canonical request.
    let acs3_out = console_aliyun::sign::acs3::sign(
        &console_core::sign::SignableRequest::from_request(&signed),
        &console_core::sign::SigningParams {
            identity: ac.identity(),
            time: console_core::time::OffsetDateTime::now_utc(),
            nonce: "n",
            settings: console_aliyun::sign::acs3::Settings::default(),
        },
    )
    .unwrap();
    audit.debug(&acs3_out);
    audit.debug(&console_core::sign::SignableRequest::from_request(&signed));
    let login = console_smartx::request::login(
        &console_core::Url::parse(&sim.smartx_url()).unwrap(),
        console_sim::SMARTX_USERNAME,
        console_sim::SMARTX_PASSWORD,
        console_smartx::UserSource::Local,
    )
    .unwrap();
    audit.debug(&login);

    // Full requests through every client, and the consoles they return.
    let consoles = vec![
        tencent
            .console(&console_tencent::ConsoleRequest::new("ap-guangzhou", RUNNING).unwrap())
            .await
            .unwrap(),
        aliyun.console(&areq).await.unwrap(),
        huawei
            .console(&console_huawei::ConsoleRequest::new("cn-north-4", RUNNING).unwrap())
            .await
            .unwrap(),
        huawei
            .console(
                &console_huawei::ConsoleRequest::new("cn-north-4", RUNNING)
                    .unwrap()
                    .api(console_huawei::Api::nova())
                    .unwrap(),
            )
            .await
            .unwrap(),
        smartx
            .console(&console_smartx::ConsoleRequest::new(RUNNING).unwrap())
            .await
            .unwrap(),
        smartx
            .console(
                &console_smartx::ConsoleRequest::new(RUNNING)
                    .unwrap()
                    .direct(),
            )
            .await
            .unwrap(),
    ];
    for c in &consoles {
        audit.console_tokens(c);
        audit.debug(c);
    }
    // A login token handed in ready, and the SmartX token a login issues.
    let raw = reqwest::Client::new()
        .post(login.url.clone())
        .header("content-type", "application/json")
        .body(login.body.clone())
        .send()
        .await
        .unwrap();
    let body: serde_json::Value = serde_json::from_slice(&raw.bytes().await.unwrap()).unwrap();
    let login_token = body["data"]["token"].as_str().unwrap().to_owned();
    audit.secret(&login_token);
    // The raw VNC information, through the pure steps.
    let mut vnc = console_smartx::request::build(
        &console_core::Url::parse(&sim.smartx_url()).unwrap(),
        &console_smartx::ConsoleRequest::new(RUNNING).unwrap(),
    )
    .unwrap();
    console_smartx::sign::authorize(&mut vnc, &console_core::Secret::new(login_token.clone()));
    let answer = console_core::Transport::new()
        .unwrap()
        .send(&vnc)
        .await
        .unwrap();
    let info = console_smartx::response::parse_vnc(&answer).unwrap();
    audit.secret(info.token.expose());
    audit.secret(info.raw_token.expose());
    audit.debug(&info);
    let with_token = console_smartx::Client::builder(
        sim.smartx_url(),
        console_smartx::Credentials::token(login_token.clone()),
    )
    .build()
    .unwrap();
    with_token
        .console(&console_smartx::ConsoleRequest::new(RUNNING).unwrap())
        .await
        .unwrap();
    audit.debug(&with_token);

    // Errors of every kind a provider can produce here.
    let wrong = |k: &str| format!("wrong-{k}-secret-value");
    audit.secret(wrong("tencent"));
    audit.secret(wrong("aliyun"));
    audit.secret(wrong("huawei"));
    audit.secret(wrong("smartx"));
    let errors = vec![
        console_tencent::Client::builder(console_tencent::Credentials::new(
            console_sim::TENCENT_SECRET_ID,
            wrong("tencent"),
        ))
        .endpoint_url(sim.tencent_url())
        .build()
        .unwrap()
        .console(&console_tencent::ConsoleRequest::new("ap-guangzhou", RUNNING).unwrap())
        .await
        .unwrap_err(),
        console_aliyun::Client::builder(console_aliyun::Credentials::new(
            console_sim::ALIYUN_ACCESS_KEY_ID,
            wrong("aliyun"),
        ))
        .endpoint_url(sim.aliyun_url())
        .build()
        .unwrap()
        .console(&areq)
        .await
        .unwrap_err(),
        console_huawei::Client::builder(console_huawei::Credentials::ak_sk(
            console_sim::HUAWEI_AK,
            wrong("huawei"),
        ))
        .project_id(console_sim::HUAWEI_PROJECT_ID)
        .unwrap()
        .endpoint_url(sim.huawei_url())
        .build()
        .unwrap()
        .console(&console_huawei::ConsoleRequest::new("cn-north-4", RUNNING).unwrap())
        .await
        .unwrap_err(),
        console_smartx::Client::builder(
            sim.smartx_url(),
            console_smartx::Credentials::login(
                "admin",
                wrong("smartx"),
                console_smartx::UserSource::Local,
            ),
        )
        .build()
        .unwrap()
        .console(&console_smartx::ConsoleRequest::new(RUNNING).unwrap())
        .await
        .unwrap_err(),
        console_aliyun::ConsoleRequest::new("cn-hangzhou", RUNNING)
            .unwrap()
            .password("short")
            .unwrap_err(),
        console_core::Error::invalid_response(
            200,
            "bad",
            br#"{"token":"MTIzNDU2Nzg5YWJjZGVmZ2hpamtsbW5vcHFy"}"#,
        ),
    ];
    audit.secret("MTIzNDU2Nzg5YWJjZGVmZ2hpamtsbW5vcHFy");
    for e in &errors {
        audit.both(e);
    }
    // A transport failure quotes no URL (a query may carry an id or a token).
    let refused = Transport::new()
        .unwrap()
        .send(&HttpRequest::new(
            console_core::Method::GET,
            console_core::Url::parse("http://127.0.0.1:9/?token=transport-secret-token").unwrap(),
        ))
        .await
        .unwrap_err();
    audit.secret("transport-secret-token");
    audit.both(&refused);

    credential_sources(&sim, &mut audit).await;

    sim.shutdown().await;
    let log = String::from_utf8(log.0.lock().unwrap().clone()).unwrap();
    assert!(
        log.contains("sending request"),
        "the subscriber captured nothing:\n{log}"
    );
    assert!(
        log.contains("TLS certificate verification is disabled"),
        "{log}"
    );
    audit.check(&log);
}

/// Every credential source, chain and profile type, the temporary keys they fetch, the tokens
/// they send, and their failures.
async fn credential_sources(sim: &Sim, audit: &mut Audit) {
    use console_core::credentials::{ChainSettings, Fixed, ProvideCredentials, Provided};
    use console_core::env::MapEnv;

    async fn keys<C: Clone>(
        p: &dyn ProvideCredentials<C>,
    ) -> console_core::credentials::Expiring<C> {
        match p.provide().await.unwrap() {
            Provided::Credentials(c) => c,
            Provided::NotHere(why) => panic!("{}: {why}", p.name()),
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.display().to_string()
    };

    // Tencent: the role's keys, STS's keys, the web identity token.
    let tencent_token = write("tke", console_sim::TENCENT_WEB_IDENTITY_TOKEN);
    audit.secret(console_sim::TENCENT_WEB_IDENTITY_TOKEN);
    let base = Arc::new(Fixed::new(
        "keys",
        console_tencent::Credentials::new(
            console_sim::TENCENT_SECRET_ID,
            console_sim::TENCENT_SECRET_KEY,
        ),
        None,
    ));
    let assume = console_tencent::credentials::sts::AssumeRole::new(
        base,
        console_sim::TENCENT_ROLE_ARN,
        "audit",
    )
    .unwrap()
    .endpoint_url(&sim.tencent_url())
    .unwrap();
    let web = console_tencent::credentials::sts::WebIdentity::new(
        "ap-guangzhou",
        console_sim::TENCENT_OIDC_PROVIDER_ID,
        &tencent_token,
        console_sim::TENCENT_ROLE_ARN,
    )
    .unwrap()
    .endpoint_url(&sim.tencent_url())
    .unwrap();
    let cvm =
        console_tencent::credentials::sources::CvmRole::new(&sim.tencent_url(), None).unwrap();
    for p in [
        &assume as &dyn ProvideCredentials<console_tencent::Credentials>,
        &web,
        &cvm,
    ] {
        let k = keys(p).await;
        audit.secret(k.value.secret_key().expose());
        audit.secret(k.value.session_token().unwrap().expose());
        audit.debug(&k);
        audit.debug(&k.value);
        audit.debug(&p);
    }
    let chain = console_tencent::credentials::sources::chain(
        Arc::new(MapEnv::default()),
        &ChainSettings::default()
            .metadata_endpoint(sim.tencent_url())
            .sts_endpoint(sim.tencent_url()),
    )
    .unwrap();
    audit.debug(&chain);
    let client = console_tencent::Client::builder_with(Arc::new(web))
        .endpoint_url(sim.tencent_url())
        .build()
        .unwrap();
    client
        .console(&console_tencent::ConsoleRequest::new("ap-guangzhou", RUNNING).unwrap())
        .await
        .unwrap();
    audit.debug(&client);

    // Alibaba: STS, the RRSA token, the ECS role's keys, the profile modes.
    let aliyun_token = write("rrsa", console_sim::ALIYUN_OIDC_TOKEN);
    audit.secret(console_sim::ALIYUN_OIDC_TOKEN);
    let ak = console_aliyun::Credentials::new(
        console_sim::ALIYUN_ACCESS_KEY_ID,
        console_sim::ALIYUN_ACCESS_KEY_SECRET,
    );
    let assume = console_aliyun::credentials::sts::AssumeRole::new(
        Arc::new(Fixed::new("keys", ak.clone(), None)),
        console_sim::ALIYUN_ROLE_ARN,
        "audit",
    )
    .unwrap()
    .endpoint_url(&sim.aliyun_url())
    .unwrap();
    let oidc = console_aliyun::credentials::sts::Oidc::new(
        console_sim::ALIYUN_ROLE_ARN,
        console_sim::ALIYUN_OIDC_PROVIDER_ARN,
        &aliyun_token,
        None,
    )
    .endpoint_url(&sim.aliyun_url())
    .unwrap();
    let ecs =
        console_aliyun::credentials::sources::EcsRamRole::new(&sim.aliyun_url(), None).unwrap();
    for p in [
        &assume as &dyn ProvideCredentials<console_aliyun::Credentials>,
        &oidc,
        &ecs,
    ] {
        let k = keys(p).await;
        audit.secret(k.value.access_key_secret().expose());
        audit.secret(k.value.security_token().unwrap().expose());
        audit.debug(&k);
        audit.debug(&p);
    }
    let config = write(
        "config.json",
        &serde_json::json!({"profiles": [{"name": "default", "mode": "RamRoleArn",
            "access_key_id": console_sim::ALIYUN_ACCESS_KEY_ID,
            "access_key_secret": console_sim::ALIYUN_ACCESS_KEY_SECRET,
            "ram_role_arn": console_sim::ALIYUN_ROLE_ARN}]})
        .to_string(),
    );
    let profile =
        console_aliyun::credentials::profile::read_cli_config(std::path::Path::new(&config), None)
            .unwrap();
    audit.debug(&profile);
    // Failures that quote what was sent: a forged OIDC token, a wrong secret.
    let forged = write("forged", "forged-oidc-token-value");
    audit.secret("forged-oidc-token-value");
    let e = console_aliyun::credentials::sts::Oidc::new(
        console_sim::ALIYUN_ROLE_ARN,
        console_sim::ALIYUN_OIDC_PROVIDER_ARN,
        &forged,
        None,
    )
    .endpoint_url(&sim.aliyun_url())
    .unwrap()
    .provide()
    .await
    .unwrap_err();
    audit.both(&e);
    audit.secret("wrong-sts-base-secret");
    let e = console_aliyun::credentials::sts::AssumeRole::new(
        Arc::new(Fixed::new(
            "keys",
            console_aliyun::Credentials::new(
                console_sim::ALIYUN_ACCESS_KEY_ID,
                "wrong-sts-base-secret",
            ),
            None,
        )),
        console_sim::ALIYUN_ROLE_ARN,
        "audit",
    )
    .unwrap()
    .endpoint_url(&sim.aliyun_url())
    .unwrap()
    .provide()
    .await
    .unwrap_err();
    audit.both(&e);
    let client = console_aliyun::Client::builder_with(Arc::new(oidc))
        .endpoint_url(sim.aliyun_url())
        .build()
        .unwrap();
    client
        .console(&console_aliyun::ConsoleRequest::new("cn-hangzhou", RUNNING).unwrap())
        .await
        .unwrap();
    audit.debug(&client);

    // Huawei: the metadata security key, the profile file.
    let metadata = console_huawei::credentials::sources::Metadata::new(&sim.huawei_url()).unwrap();
    let k = keys(&metadata).await;
    let auth = format!("{:?}", k.value.auth());
    if let console_huawei::credentials::Auth::AkSk {
        sk, security_token, ..
    } = k.value.auth()
    {
        audit.secret(sk.expose());
        audit.secret(security_token.as_ref().unwrap().expose());
    }
    audit.debug(&auth);
    audit.debug(&k);
    let hw = write(
        "huawei",
        &format!(
            "[basic]\nak = {}\nsk = {}\n",
            console_sim::HUAWEI_AK,
            console_sim::HUAWEI_SK
        ),
    );
    audit.debug(&console_huawei::credentials::profile::read(std::path::Path::new(&hw)).unwrap());
    let client = console_huawei::Client::builder_with(Arc::new(metadata))
        .project_id(console_sim::HUAWEI_PROJECT_ID)
        .unwrap()
        .endpoint_url(sim.huawei_url())
        .build()
        .unwrap();
    client
        .console(&console_huawei::ConsoleRequest::new("cn-north-4", RUNNING).unwrap())
        .await
        .unwrap();
    audit.debug(&client);

    // SmartX: the profile file, and a client built on the chain.
    let tower = write(
        "tower",
        &format!(
            "[default]\nusername = {}\npassword = {}\n",
            console_sim::SMARTX_USERNAME,
            console_sim::SMARTX_PASSWORD
        ),
    );
    audit.debug(
        &console_smartx::credentials::profile::read(std::path::Path::new(&tower), "default")
            .unwrap(),
    );
    let env = Arc::new(MapEnv::new([("CLOUDTOWER_CREDENTIALS_FILE", tower)]));
    let chain =
        console_smartx::credentials::sources::chain(env, &ChainSettings::default()).unwrap();
    audit.debug(&chain);
    let client = console_smartx::Client::builder_with(sim.smartx_url(), chain)
        .build()
        .unwrap();
    client
        .console(&console_smartx::ConsoleRequest::new(RUNNING).unwrap())
        .await
        .unwrap();
    audit.debug(&client);
}
