//! `console-url` against the emulator, as a script would run it: every provider and API
//! generation, wrong credentials, stopped and missing instances, bad input (exit 2, nothing
//! sent), JSON output, and Tencent URLs that are valid when printed.

use std::process::Output;

use console_sim::{ProviderKind, Sim, MISSING, RUNNING, SERIAL_ONLY, STOPPED};
use serde_json::Value;

async fn run(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_console-url"));
    // No inherited credentials or proxies: only what the test gives.
    cmd.env_clear().args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const TENCENT_ENV: [(&str, &str); 2] = [
    ("TENCENTCLOUD_SECRET_ID", console_sim::TENCENT_SECRET_ID),
    ("TENCENTCLOUD_SECRET_KEY", console_sim::TENCENT_SECRET_KEY),
];
const ALIYUN_ENV: [(&str, &str); 2] = [
    (
        "ALIBABA_CLOUD_ACCESS_KEY_ID",
        console_sim::ALIYUN_ACCESS_KEY_ID,
    ),
    (
        "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
        console_sim::ALIYUN_ACCESS_KEY_SECRET,
    ),
];
const HUAWEI_ENV: [(&str, &str); 2] = [
    ("HUAWEICLOUD_SDK_AK", console_sim::HUAWEI_AK),
    ("HUAWEICLOUD_SDK_SK", console_sim::HUAWEI_SK),
];
const SMARTX_ENV: [(&str, &str); 2] = [
    ("CLOUDTOWER_USERNAME", console_sim::SMARTX_USERNAME),
    ("CLOUDTOWER_PASSWORD", console_sim::SMARTX_PASSWORD),
];

#[tokio::test]
async fn tencent_prints_the_viewer_url_and_its_expiry() {
    let sim = Sim::start().await.unwrap();
    let ep = sim.tencent_url();
    let o = run(
        &[
            "tencent",
            "--instance",
            RUNNING,
            "--region",
            "ap-guangzhou",
            "--endpoint",
            &ep,
        ],
        &TENCENT_ENV,
    )
    .await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let url = stdout(&o);
    assert!(url.trim().starts_with("https://img.qcloud.com/qcloud/app/active_vnc/index.html?InstanceVncUrl=ws%3A%2F%2F127.0.0.1"), "{url}");
    assert_eq!(url.lines().count(), 1);
    assert!(
        stderr(&o).contains("expires at") && stderr(&o).contains("works once"),
        "{}",
        stderr(&o)
    );
}

#[tokio::test]
async fn json_output_has_the_documented_fields_and_a_valid_url() {
    let sim = Sim::start().await.unwrap();
    let ep = sim.tencent_url();
    let o = run(
        &[
            "tencent",
            "--instance",
            RUNNING,
            "--region",
            "ap-guangzhou",
            "--endpoint",
            &ep,
            "--json",
        ],
        &TENCENT_ENV,
    )
    .await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    for key in [
        "provider",
        "instance_id",
        "websocket_url",
        "viewer_url",
        "issued_at",
        "expires_at",
        "single_use",
    ] {
        assert!(v.get(key).is_some(), "{key} missing in {v}");
    }
    assert_eq!(v["provider"], "tencent");
    assert_eq!(v["single_use"], true);
    // A printed Tencent URL is valid: not expired, and it opens (once).
    let expires = console_core::time::OffsetDateTime::parse(
        v["expires_at"].as_str().unwrap(),
        &console_core::time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    assert!(expires > console_core::time::OffsetDateTime::now_utc());
    let ws = v["websocket_url"]
        .as_str()
        .unwrap()
        .replacen("ws://", "http://", 1);
    assert_eq!(reqwest::get(&ws).await.unwrap().status().as_u16(), 200);
    assert_eq!(reqwest::get(&ws).await.unwrap().status().as_u16(), 410);
}

#[tokio::test]
async fn every_provider_and_api_generation() {
    let sim = Sim::start().await.unwrap();
    let (a, h, s) = (sim.aliyun_url(), sim.huawei_url(), sim.smartx_url());
    let o = run(
        &[
            "aliyun",
            "--instance",
            RUNNING,
            "--region",
            "cn-hangzhou",
            "--windows",
            "--password",
            "Ab12cd",
            "--endpoint",
            &a,
            "--json",
        ],
        &ALIYUN_ENV,
    )
    .await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(v["viewer_url"]
        .as_str()
        .unwrap()
        .ends_with("&isWindows=true&password=Ab12cd"));
    for (api, mv) in [
        ("v1", None),
        ("nova-2.1", None),
        ("nova-2.1", Some("2.5")),
        ("remote-consoles", None),
        ("remote-consoles", Some("2.8")),
    ] {
        let mut args = vec![
            "huawei",
            "--instance",
            RUNNING,
            "--region",
            "cn-north-4",
            "--project-id",
            console_sim::HUAWEI_PROJECT_ID,
            "--api",
            api,
            "--endpoint",
            &h,
        ];
        if let Some(mv) = mv {
            args.extend(["--microversion", mv]);
        }
        let o = run(&args, &HUAWEI_ENV).await;
        assert_eq!(o.status.code(), Some(0), "{api}: {}", stderr(&o));
        assert!(stdout(&o).contains("/vnc_auto.html?token="), "{api}");
        // The lifetimes Huawei's API reference gives: v1 a one-time token, remote-consoles
        // 10 minutes, os-getVNCConsole none.
        let lifetime = stderr(&o);
        match api {
            "v1" => assert!(
                lifetime.contains("no documented expiry; works once"),
                "{lifetime}"
            ),
            "remote-consoles" => assert!(lifetime.starts_with("expires at "), "{lifetime}"),
            _ => assert!(
                lifetime.trim_end().ends_with("no documented expiry"),
                "{lifetime}"
            ),
        }
    }
    let o = run(&["smartx", "--vm", RUNNING, "--endpoint", &s], &SMARTX_ENV).await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).starts_with(&format!(
            "ws://{}/websockify/?token=",
            sim.addr(ProviderKind::Smartx)
        )),
        "{}",
        stdout(&o)
    );
    let o = run(
        &["smartx", "--vm", RUNNING, "--endpoint", &s, "--direct"],
        &SMARTX_ENV,
    )
    .await;
    assert!(
        stdout(&o).starts_with("ws://127.0.0.1/websockify/?uuid="),
        "{}",
        stdout(&o)
    );
}

#[tokio::test]
async fn huawei_needs_no_project_id_and_goes_to_the_region_s_host() {
    let sim = Sim::start().await.unwrap();
    let h = sim.huawei_url();
    // No --project-id and no HUAWEICLOUD_SDK_PROJECT_ID: looked up at IAM by region.
    let o = run(
        &[
            "huawei",
            "--instance",
            RUNNING,
            "--region",
            "cn-north-4",
            "--endpoint",
            &h,
            "--iam-endpoint",
            &h,
        ],
        &HUAWEI_ENV,
    )
    .await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("/vnc_auto.html?token="),
        "{}",
        stdout(&o)
    );
    assert_eq!(
        sim.requests(ProviderKind::Huawei),
        2,
        "one lookup, one console"
    );
    // The IAM endpoint can come from the SDK's variable too.
    let mut env = HUAWEI_ENV.to_vec();
    env.push(("HUAWEICLOUD_SDK_IAM_ENDPOINT", &h));
    let o = run(
        &[
            "huawei",
            "--instance",
            RUNNING,
            "--region",
            "eu-west-101",
            "--endpoint",
            &h,
        ],
        &env,
    )
    .await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));

    // Where requests go, without sending any.
    let before = sim.requests(ProviderKind::Huawei);
    for (region, host) in [
        ("eu-west-101", "https://ecs.eu-west-101.myhuaweicloud.eu/"),
        ("cn-north-4", "https://ecs.cn-north-4.myhuaweicloud.com/"),
    ] {
        let o = run(
            &[
                "huawei",
                "--instance",
                RUNNING,
                "--region",
                region,
                "--dry-run",
            ],
            &HUAWEI_ENV,
        )
        .await;
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert_eq!(stdout(&o).trim(), host);
    }
    let o = run(
        &[
            "huawei",
            "--instance",
            RUNNING,
            "--region",
            "xx-nowhere-1",
            "--dry-run",
            "--json",
        ],
        &HUAWEI_ENV,
    )
    .await;
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("region") && stderr(&o).contains("eu-west-101"),
        "{}",
        stderr(&o)
    );
    assert_eq!(sim.requests(ProviderKind::Huawei), before);
}

#[tokio::test]
async fn tencent_products_sites_and_viewer_pages() {
    let sim = Sim::start().await.unwrap();
    let t = sim.tencent_url();
    let o = run(
        &[
            "tencent",
            "--instance",
            RUNNING,
            "--region",
            "ap-guangzhou",
            "--product",
            "lighthouse",
            "--viewer-page",
            "http://127.0.0.1:9/v.html",
            "--endpoint",
            &t,
        ],
        &TENCENT_ENV,
    )
    .await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).starts_with("http://127.0.0.1:9/v.html?InstanceVncUrl="),
        "{}",
        stdout(&o)
    );
    assert!(stderr(&o).contains("works once"), "{}", stderr(&o));
    for (extra, host) in [
        (&["--intl"][..], "https://cvm.intl.tencentcloudapi.com/"),
        (
            &["--regional"][..],
            "https://cvm.ap-guangzhou.tencentcloudapi.com/",
        ),
        (
            &["--product", "ecm", "--intl"][..],
            "https://ecm.intl.tencentcloudapi.com/",
        ),
    ] {
        let mut args = vec![
            "tencent",
            "--instance",
            RUNNING,
            "--region",
            "ap-guangzhou",
            "--dry-run",
        ];
        args.extend(extra);
        let o = run(&args, &TENCENT_ENV).await;
        assert_eq!(stdout(&o).trim(), host, "{extra:?} {}", stderr(&o));
    }
    let o = run(
        &[
            "aliyun",
            "--instance",
            RUNNING,
            "--region",
            "cn-shanghai",
            "--vpc",
            "--dry-run",
            "--json",
        ],
        &ALIYUN_ENV,
    )
    .await;
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["endpoint"], "https://ecs-vpc.cn-shanghai.aliyuncs.com/");
    let o = run(
        &[
            "tencent",
            "--instance",
            RUNNING,
            "--region",
            "ap-guangzhou",
            "--viewer-page",
            "javascript:x",
            "--endpoint",
            &t,
        ],
        &TENCENT_ENV,
    )
    .await;
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("viewer_page"), "{}", stderr(&o));
    assert_eq!(sim.requests(ProviderKind::Tencent), 1);
}

#[tokio::test]
async fn wrong_credentials_exit_1_naming_the_auth_error_without_secrets() {
    let sim = Sim::start().await.unwrap();
    let ep = sim.tencent_url();
    let o = run(
        &[
            "tencent",
            "--instance",
            RUNNING,
            "--region",
            "ap-guangzhou",
            "--endpoint",
            &ep,
        ],
        &[
            ("TENCENTCLOUD_SECRET_ID", console_sim::TENCENT_SECRET_ID),
            ("TENCENTCLOUD_SECRET_KEY", "wrong-key-value"),
        ],
    )
    .await;
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("error[auth]")
            && err.contains("code=AuthFailure.SignatureFailure")
            && err.contains("request_id="),
        "{err}"
    );
    assert!(!err.contains("wrong-key-value"));
    assert!(stdout(&o).is_empty());
    let s = sim.smartx_url();
    let o = run(
        &["smartx", "--vm", RUNNING, "--endpoint", &s],
        &[
            ("CLOUDTOWER_USERNAME", "admin"),
            ("CLOUDTOWER_PASSWORD", "wrong-password-value"),
        ],
    )
    .await;
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("error[auth]") && !stderr(&o).contains("wrong-password-value"),
        "{}",
        stderr(&o)
    );
}

#[tokio::test]
async fn stopped_and_missing_instances_exit_1_with_their_kinds() {
    let sim = Sim::start().await.unwrap();
    let (t, a, h) = (sim.tencent_url(), sim.aliyun_url(), sim.huawei_url());
    let o = run(
        &[
            "tencent",
            "--instance",
            STOPPED,
            "--region",
            "ap-guangzhou",
            "--endpoint",
            &t,
        ],
        &TENCENT_ENV,
    )
    .await;
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("error[instance_state] code=UnsupportedOperation.InstanceStateStopped"),
        "{}",
        stderr(&o)
    );
    let o = run(
        &[
            "aliyun",
            "--instance",
            MISSING,
            "--region",
            "cn-hangzhou",
            "--endpoint",
            &a,
        ],
        &ALIYUN_ENV,
    )
    .await;
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("error[not_found] code=InvalidInstanceId.NotFound"),
        "{}",
        stderr(&o)
    );
    let o = run(
        &[
            "huawei",
            "--instance",
            STOPPED,
            "--region",
            "cn-north-4",
            "--project-id",
            console_sim::HUAWEI_PROJECT_ID,
            "--api",
            "nova-2.1",
            "--endpoint",
            &h,
        ],
        &HUAWEI_ENV,
    )
    .await;
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("error[instance_state] code=conflictingRequest"),
        "{}",
        stderr(&o)
    );
}

#[tokio::test]
async fn bad_input_exits_2_and_sends_nothing() {
    let sim = Sim::start().await.unwrap();
    let (t, a, h, s) = (
        sim.tencent_url(),
        sim.aliyun_url(),
        sim.huawei_url(),
        sim.smartx_url(),
    );
    let pid = console_sim::HUAWEI_PROJECT_ID;
    let padded = format!(" {t}");
    let tencent_with_token = [
        TENCENT_ENV[0],
        TENCENT_ENV[1],
        ("TENCENTCLOUD_SESSION_TOKEN", "tok\r\nX-Evil: 1"),
    ];
    let aliyun_with_token = [
        ALIYUN_ENV[0],
        ALIYUN_ENV[1],
        ("ALIBABA_CLOUD_SECURITY_TOKEN", "tok\nX-Evil: 1"),
    ];
    let huawei_with_token = [
        HUAWEI_ENV[0],
        HUAWEI_ENV[1],
        ("HUAWEICLOUD_SDK_SECURITY_TOKEN", "tok\r\n"),
    ];
    type Env<'a> = &'a [(&'a str, &'a str)];
    let cases: Vec<(Vec<&str>, Env, &str)> = vec![
        (
            vec![
                "tencent",
                "--instance",
                "ins/1",
                "--region",
                "ap-guangzhou",
                "--endpoint",
                &t,
            ],
            &TENCENT_ENV,
            "instance_id",
        ),
        (
            vec![
                "tencent",
                "--instance",
                RUNNING,
                "--region",
                "AP",
                "--endpoint",
                &t,
            ],
            &TENCENT_ENV,
            "region",
        ),
        (
            vec![
                "tencent",
                "--instance",
                RUNNING,
                "--region",
                "ap-guangzhou",
                "--endpoint",
                &t,
                // No credentials anywhere: the chain's last source, the CVM role, is asked at
                // a closed loopback port, never at the real metadata service.
                "--metadata-endpoint",
                "http://127.0.0.1:9",
            ],
            &[],
            "TENCENTCLOUD_SECRET_ID",
        ),
        (
            vec![
                "tencent",
                "--instance",
                RUNNING,
                "--region",
                "ap-guangzhou",
                "--endpoint",
                "ftp://x",
            ],
            &TENCENT_ENV,
            "endpoint",
        ),
        (
            vec![
                "aliyun",
                "--instance",
                RUNNING,
                "--region",
                "cn-hangzhou",
                "--password",
                "12345",
                "--endpoint",
                &a,
            ],
            &ALIYUN_ENV,
            "password",
        ),
        (
            vec![
                "huawei",
                "--instance",
                RUNNING,
                "--region",
                "cn-north-4",
                "--project-id",
                pid,
                "--api",
                "nova-2.1",
                "--microversion",
                "2.6",
                "--endpoint",
                &h,
            ],
            &HUAWEI_ENV,
            "microversion",
        ),
        (
            vec![
                "huawei",
                "--instance",
                " ",
                "--region",
                "cn-north-4",
                "--project-id",
                pid,
                "--endpoint",
                &h,
            ],
            &HUAWEI_ENV,
            "server_id",
        ),
        (
            vec!["smartx", "--vm", "", "--endpoint", &s],
            &SMARTX_ENV,
            "vm_id",
        ),
        (
            vec!["smartx", "--vm", RUNNING, "--endpoint", "tower.local"],
            &SMARTX_ENV,
            "endpoint",
        ),
        // Dot segments would change the request path.
        (
            vec![
                "huawei",
                "--instance",
                "..",
                "--region",
                "cn-north-4",
                "--project-id",
                pid,
                "--endpoint",
                &h,
            ],
            &HUAWEI_ENV,
            "server_id",
        ),
        (
            vec![
                "huawei",
                "--instance",
                RUNNING,
                "--region",
                "cn-north-4",
                "--project-id",
                "..",
                "--endpoint",
                &h,
            ],
            &HUAWEI_ENV,
            "project_id",
        ),
        (
            vec!["smartx", "--vm", ".", "--endpoint", &s],
            &SMARTX_ENV,
            "vm_id",
        ),
        // An id with a bidi override reads differently from what would be sent.
        (
            vec![
                "tencent",
                "--instance",
                "ins-\u{202E}1",
                "--region",
                "ap-guangzhou",
                "--endpoint",
                &t,
            ],
            &TENCENT_ENV,
            "instance_id",
        ),
        // Session tokens that would split a header, named by their variable.
        (
            vec![
                "tencent",
                "--instance",
                RUNNING,
                "--region",
                "ap-guangzhou",
                "--endpoint",
                &t,
            ],
            &tencent_with_token,
            "TENCENTCLOUD_SESSION_TOKEN",
        ),
        (
            vec![
                "aliyun",
                "--instance",
                RUNNING,
                "--region",
                "cn-hangzhou",
                "--endpoint",
                &a,
            ],
            &aliyun_with_token,
            "ALIBABA_CLOUD_SECURITY_TOKEN",
        ),
        (
            vec![
                "huawei",
                "--instance",
                RUNNING,
                "--region",
                "cn-north-4",
                "--project-id",
                pid,
                "--endpoint",
                &h,
            ],
            &huawei_with_token,
            "HUAWEICLOUD_SDK_SECURITY_TOKEN",
        ),
        // Whitespace-only secrets and usernames, and an endpoint with a leading space.
        (
            vec![
                "tencent",
                "--instance",
                RUNNING,
                "--region",
                "ap-guangzhou",
                "--endpoint",
                &t,
            ],
            &[
                ("TENCENTCLOUD_SECRET_ID", console_sim::TENCENT_SECRET_ID),
                ("TENCENTCLOUD_SECRET_KEY", "   "),
            ],
            "TENCENTCLOUD_SECRET_KEY",
        ),
        (
            vec!["smartx", "--vm", RUNNING, "--endpoint", &s],
            &[
                ("CLOUDTOWER_USERNAME", " "),
                ("CLOUDTOWER_PASSWORD", console_sim::SMARTX_PASSWORD),
            ],
            "CLOUDTOWER_USERNAME",
        ),
        (
            vec![
                "tencent",
                "--instance",
                RUNNING,
                "--region",
                "ap-guangzhou",
                "--endpoint",
                &padded,
            ],
            &TENCENT_ENV,
            "endpoint",
        ),
    ];
    for (args, env, field) in cases {
        let o = run(&args, env).await;
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("error[invalid_input]") && stderr(&o).contains(field),
            "{args:?}: {}",
            stderr(&o)
        );
    }
    // Usage errors are exit 2 too.
    assert_eq!(
        run(&["tencent", "--region", "ap-guangzhou"], &TENCENT_ENV)
            .await
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        run(
            &[
                "huawei",
                "--instance",
                "x",
                "--region",
                "r",
                "--project-id",
                "p",
                "--api",
                "v3"
            ],
            &HUAWEI_ENV
        )
        .await
        .status
        .code(),
        Some(2)
    );
    assert_eq!(run(&["nosuchcloud"], &[]).await.status.code(), Some(2));
    for p in ProviderKind::ALL {
        assert_eq!(sim.requests(p), 0, "{p:?} saw a request");
    }
}

#[cfg(feature = "demo")]
#[tokio::test]
async fn the_demo_prints_a_console_from_every_api() {
    let o = run(&["demo", "--exit"], &[]).await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    for needle in [
        "tencent",
        "aliyun",
        "v1 remote_console",
        "os-getVNCConsole",
        "remote-consoles",
        "smartx",
        "openstack ",
        "remote-consoles (auto)",
    ] {
        assert!(out.contains(needle), "{needle} missing:\n{out}");
    }
    assert!(!out.contains("error["), "{out}");
}

/// `RUST_LOG` turns the library's tracing on, to stderr; nothing secret is in it: not the
/// secret key, not the session token, not the console token.
#[tokio::test]
async fn rust_log_shows_the_requests_and_no_secret() {
    let sim = Sim::start().await.unwrap();
    let ep = sim.tencent_url();
    for level in ["debug", "trace"] {
        let o = run(
            &[
                "tencent",
                "--instance",
                RUNNING,
                "--region",
                "ap-guangzhou",
                "--endpoint",
                &ep,
                "--json",
            ],
            &[
                ("TENCENTCLOUD_SECRET_ID", console_sim::TENCENT_STS_SECRET_ID),
                (
                    "TENCENTCLOUD_SECRET_KEY",
                    console_sim::TENCENT_STS_SECRET_KEY,
                ),
                ("TENCENTCLOUD_SESSION_TOKEN", console_sim::TENCENT_STS_TOKEN),
                ("RUST_LOG", level),
            ],
        )
        .await;
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let log = stderr(&o);
        assert!(
            log.contains("sending request"),
            "{level}: no log line: {log}"
        );
        let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
        let ws = v["websocket_url"].as_str().unwrap();
        let console_token = ws.split("s=").nth(1).unwrap().split('&').next().unwrap();
        for secret in [
            console_sim::TENCENT_STS_SECRET_KEY,
            console_sim::TENCENT_STS_TOKEN,
            console_token,
        ] {
            assert!(
                !log.contains(secret),
                "{level}: {secret} in the log:\n{log}"
            );
        }
    }
}

/// `--ca-file` and `--timeout` are on every subcommand; a bad value is input, exit 2.
#[tokio::test]
async fn ca_file_and_timeout_are_checked_before_anything_is_sent() {
    let sim = Sim::start().await.unwrap();
    let ep = sim.tencent_url();
    let base = [
        "tencent",
        "--instance",
        RUNNING,
        "--region",
        "ap-guangzhou",
        "--endpoint",
        ep.as_str(),
    ];
    let dir = std::env::temp_dir().join(format!("console-cli-ca-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let not_pem = dir.join("not.pem");
    std::fs::write(&not_pem, "not a certificate").unwrap();
    let not_pem = not_pem.to_string_lossy().into_owned();
    for (extra, field) in [
        (vec!["--ca-file", not_pem.as_str()], "ca_certificate"),
        (vec!["--ca-file", "/nonexistent/ca.pem"], "ca_file"),
        (vec!["--timeout", "0"], "timeout"),
        (vec!["--timeout=-1"], "timeout"),
    ] {
        let mut args = base.to_vec();
        args.extend(extra);
        let o = run(&args, &TENCENT_ENV).await;
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(field), "{args:?}: {}", stderr(&o));
    }
    assert_eq!(sim.requests(ProviderKind::Tencent), 0);
    let mut args = base.to_vec();
    args.extend(["--timeout", "5"]);
    let o = run(&args, &TENCENT_ENV).await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn openstack_with_a_clouds_yaml_and_with_os_variables_alone() {
    let sim = Sim::start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let clouds = dir.path().join("clouds.yaml");
    std::fs::write(
        &clouds,
        format!(
            "clouds:\n  sim:\n    auth:\n      auth_url: {}/v3\n      username: {}\n      password: {}\n      project_name: {}\n      user_domain_name: Default\n      project_domain_name: Default\n    region_name: RegionOne\n",
            sim.keystone_url(),
            console_sim::OPENSTACK_USERNAME,
            console_sim::OPENSTACK_PASSWORD,
            console_sim::OPENSTACK_PROJECT_NAME,
        ),
    )
    .unwrap();
    let clouds = clouds.display().to_string();
    let env = [
        ("OS_CLIENT_CONFIG_FILE", clouds.as_str()),
        ("HOME", "/nonexistent"),
    ];
    let o = run(
        &[
            "openstack",
            "--server",
            RUNNING,
            "--os-cloud",
            "sim",
            "--json",
        ],
        &env,
    )
    .await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(
        (v["provider"].as_str(), v["protocol"].as_str()),
        (Some("openstack"), Some("vnc"))
    );
    for (t, protocol) in [
        ("serial", "serial"),
        ("webmks", "mks"),
        ("spice-html5", "spice"),
        ("auto", "vnc"),
    ] {
        let o = run(
            &[
                "openstack",
                "--server",
                RUNNING,
                "--os-cloud",
                "sim",
                "--type",
                t,
                "--json",
            ],
            &env,
        )
        .await;
        assert_eq!(o.status.code(), Some(0), "{t}: {}", stderr(&o));
        let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
        assert_eq!(v["protocol"].as_str(), Some(protocol), "{t}");
    }
    let o = run(
        &[
            "openstack",
            "--server",
            SERIAL_ONLY,
            "--os-cloud",
            "sim",
            "--type",
            "auto",
        ],
        &env,
    )
    .await;
    assert!(stdout(&o).starts_with("ws://127.0.0.1:"), "{}", stdout(&o));

    // OS_* alone, with the application credential.
    let auth_url = format!("{}/v3", sim.keystone_url());
    let os = [
        ("OS_AUTH_URL", auth_url.as_str()),
        (
            "OS_APPLICATION_CREDENTIAL_ID",
            console_sim::OPENSTACK_APP_CREDENTIAL_ID,
        ),
        (
            "OS_APPLICATION_CREDENTIAL_SECRET",
            console_sim::OPENSTACK_APP_CREDENTIAL_SECRET,
        ),
        ("HOME", "/nonexistent"),
    ];
    let o = run(
        &["openstack", "--server", RUNNING, "--microversion", "2.5"],
        &os,
    )
    .await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("/vnc_lite.html?path="),
        "{}",
        stdout(&o)
    );
    assert!(!format!("{}{}", stdout(&o), stderr(&o))
        .contains(console_sim::OPENSTACK_APP_CREDENTIAL_SECRET));

    // Bad input exits 2 and names the field; a missing cloud names the ones there are.
    for (args, field) in [
        (
            vec![
                "openstack",
                "--server",
                RUNNING,
                "--os-cloud",
                "sim",
                "--type",
                "vnc",
            ],
            "console_type",
        ),
        (
            vec![
                "openstack",
                "--server",
                RUNNING,
                "--os-cloud",
                "sim",
                "--type",
                "webmks",
                "--microversion",
                "2.6",
            ],
            "console_type",
        ),
        (
            vec!["openstack", "--server", RUNNING, "--os-cloud", "nowhere"],
            "sim",
        ),
    ] {
        let o = run(&args, &env).await;
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(stderr(&o).contains(field), "{args:?}: {}", stderr(&o));
    }
}

#[tokio::test]
async fn tencent_credentials_come_from_the_default_chain() {
    let sim = Sim::start().await.unwrap();
    let t = sim.tencent_url();
    // No variables and no profile file: the CVM role, from the emulator's metadata service.
    let o = run(
        &[
            "tencent",
            "--instance",
            RUNNING,
            "--region",
            "ap-guangzhou",
            "--endpoint",
            &t,
            "--metadata-endpoint",
            &t,
        ],
        &[("HOME", "/nonexistent")],
    )
    .await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // A named profile of the profile file.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("credentials");
    std::fs::write(
        &file,
        format!(
            "[ops]\nsecret_id = {}\nsecret_key = {}\n",
            console_sim::TENCENT_SECRET_ID,
            console_sim::TENCENT_SECRET_KEY
        ),
    )
    .unwrap();
    let file = file.display().to_string();
    let env = [("TENCENTCLOUD_CREDENTIALS_FILE", file.as_str())];
    let args = [
        "tencent",
        "--instance",
        RUNNING,
        "--region",
        "ap-guangzhou",
        "--endpoint",
        &t,
        "--metadata-endpoint",
        "http://127.0.0.1:9",
    ];
    let o = run(&[&args[..], &["--profile", "ops"]].concat(), &env).await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = run(&[&args[..], &["--profile", "prod"]].concat(), &env).await;
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("no profile [prod]") && stderr(&o).contains("it has: ops"),
        "{}",
        stderr(&o)
    );
}

#[tokio::test]
async fn huawei_and_alibaba_credentials_come_from_their_default_chains() {
    let sim = Sim::start().await.unwrap();
    let h = sim.huawei_url();
    // No variables, no profile file: the agency's keys from the emulator's metadata service
    // (with an explicit endpoint there is no IAM to look the project up at, so it is given).
    let o = run(
        &[
            "huawei",
            "--instance",
            RUNNING,
            "--region",
            console_sim::HUAWEI_REGION,
            "--project-id",
            console_sim::HUAWEI_PROJECT_ID,
            "--endpoint",
            &h,
            "--metadata-endpoint",
            &h,
        ],
        &[("HOME", "/nonexistent")],
    )
    .await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // The profile file gives keys and the project.
    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(home.path().join(".huaweicloud")).unwrap();
    std::fs::write(
        home.path().join(".huaweicloud/credentials"),
        format!(
            "[basic]\nak = {}\nsk = {}\nproject_id = {}\n",
            console_sim::HUAWEI_AK,
            console_sim::HUAWEI_SK,
            console_sim::HUAWEI_PROJECT_ID
        ),
    )
    .unwrap();
    let home_dir = home.path().display().to_string();
    let o = run(
        &[
            "huawei",
            "--instance",
            RUNNING,
            "--region",
            console_sim::HUAWEI_REGION,
            "--endpoint",
            &h,
            "--metadata-endpoint",
            "http://127.0.0.1:9",
        ],
        &[("HOME", home_dir.as_str())],
    )
    .await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));

    // Alibaba: a RamRoleArn profile of the CLI's config.json, assumed at the emulator's STS.
    let a = sim.aliyun_url();
    std::fs::create_dir_all(home.path().join(".aliyun")).unwrap();
    std::fs::write(
        home.path().join(".aliyun/config.json"),
        serde_json::json!({"current": "default", "profiles": [
            {"name": "ops", "mode": "RamRoleArn", "access_key_id": console_sim::ALIYUN_ACCESS_KEY_ID,
             "access_key_secret": console_sim::ALIYUN_ACCESS_KEY_SECRET,
             "ram_role_arn": console_sim::ALIYUN_ROLE_ARN, "ram_session_name": "cli"}]})
        .to_string(),
    )
    .unwrap();
    let o = run(
        &[
            "aliyun",
            "--instance",
            RUNNING,
            "--region",
            "cn-hangzhou",
            "--endpoint",
            &a,
            "--profile",
            "ops",
            "--sts-endpoint",
            &a,
            "--metadata-endpoint",
            "http://127.0.0.1:9",
        ],
        &[("HOME", home_dir.as_str())],
    )
    .await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // Nothing anywhere: every source says why, and nothing left loopback.
    let o = run(
        &[
            "aliyun",
            "--instance",
            RUNNING,
            "--region",
            "cn-hangzhou",
            "--endpoint",
            &a,
            "--sts-endpoint",
            &a,
            "--metadata-endpoint",
            "http://127.0.0.1:9",
        ],
        &[("HOME", "/nonexistent")],
    )
    .await;
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("ECS RAM role (http://127.0.0.1:9/)"),
        "{}",
        stderr(&o)
    );
}

#[tokio::test]
async fn smartx_reads_a_profile_with_its_endpoint() {
    let sim = Sim::start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("credentials");
    std::fs::write(
        &file,
        format!(
            "[lab]\nendpoint = {}\nusername = {}\npassword = {}\n",
            sim.smartx_url(),
            console_sim::SMARTX_USERNAME,
            console_sim::SMARTX_PASSWORD
        ),
    )
    .unwrap();
    let file = file.display().to_string();
    let env = [("CLOUDTOWER_CREDENTIALS_FILE", file.as_str())];
    let o = run(&["smartx", "--vm", RUNNING, "--profile", "lab"], &env).await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("ws"), "{}", stdout(&o));
    let o = run(&["smartx", "--vm", RUNNING], &env).await;
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("endpoint"), "{}", stderr(&o));
}

/// An opener that records the URL it is given, as CONSOLE_URL_OPENER.
fn recording_opener(dir: &std::path::Path) -> (String, std::path::PathBuf) {
    use std::os::unix::fs::PermissionsExt;
    let log = dir.join("opened.txt");
    let script = dir.join("opener.sh");
    std::fs::write(
        &script,
        format!("#!/bin/sh\nprintf '%s\\n' \"$1\" >> '{}'\n", log.display()),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    (script.display().to_string(), log)
}

/// What the recording opener was given, once a program running in the background gave it
/// something (within 10 s).
async fn opened(log: &std::path::Path) -> String {
    for _ in 0..200 {
        let opened = std::fs::read_to_string(log).unwrap_or_default();
        if !opened.is_empty() {
            return opened;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("nothing was opened");
}

#[tokio::test]
async fn open_reads_an_account_from_the_config_directory_and_opens_the_viewer() {
    let sim = Sim::start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let config_dir = dir.path().join("xdg/console-url");
    std::fs::create_dir_all(&config_dir).unwrap();
    std::fs::write(
        config_dir.join("console-url.toml"),
        format!(
            "[accounts.shop]\nprovider = \"aliyun\"\nendpoint = \"{}\"\nregion = \"cn-hangzhou\"\n\
             credentials = {{ source = \"static\", id = \"{}\", secret = \"{}\" }}\n\
             [accounts.tower]\nprovider = \"smartx\"\nendpoint = \"{}\"\n\
             credentials = {{ source = \"static\", username = \"{}\", password = \"{}\" }}\n",
            sim.aliyun_url(),
            console_sim::ALIYUN_ACCESS_KEY_ID,
            console_sim::ALIYUN_ACCESS_KEY_SECRET,
            sim.smartx_url(),
            console_sim::SMARTX_USERNAME,
            console_sim::SMARTX_PASSWORD,
        ),
    )
    .unwrap();
    let xdg = dir.path().join("xdg").display().to_string();
    let (opener, log) = recording_opener(dir.path());
    let env = [
        ("XDG_CONFIG_HOME", xdg.as_str()),
        ("HOME", "/nonexistent"),
        ("CONSOLE_URL_OPENER", opener.as_str()),
    ];
    let o = run(
        &["open", "shop", RUNNING, "-o", "windows=true", "--open"],
        &env,
    )
    .await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let printed = stdout(&o);
    let opened = std::fs::read_to_string(&log).unwrap();
    assert_eq!(
        opened.trim(),
        printed.trim(),
        "the printed URL is the one opened"
    );
    assert!(opened.contains("isWindows=true"), "{opened}");

    // A console with only a websocket URL cannot be opened in a browser: said so, exit 1.
    let o = run(&["open", "tower", RUNNING, "--open"], &env).await;
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("only a websocket URL"),
        "{}",
        stderr(&o)
    );

    // Mistakes name the account, the option, the file.
    let o = run(&["open", "nope", RUNNING], &env).await;
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("it has: shop, tower"), "{}", stderr(&o));
    let o = run(&["open", "shop", RUNNING, "-o", "product=cvm"], &env).await;
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("aliyun has no option `product`"),
        "{}",
        stderr(&o)
    );
    let other = dir.path().join("other.toml");
    std::fs::write(&other, "[accounts.x]\nprovider = \"tencent\"\n").unwrap();
    let other = other.display().to_string();
    let o = run(&["open", "x", RUNNING, "--config", &other], &env).await;
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("other.toml") && stderr(&o).contains("credentials"),
        "{}",
        stderr(&o)
    );
    // The provider subcommands open too.
    let o = run(
        &[
            "tencent",
            "--instance",
            RUNNING,
            "--region",
            "ap-guangzhou",
            "--endpoint",
            &sim.tencent_url(),
            "--open",
        ],
        &[
            TENCENT_ENV[0],
            TENCENT_ENV[1],
            ("CONSOLE_URL_OPENER", opener.as_str()),
        ],
    )
    .await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(&log).unwrap().lines().count(),
        2,
        "opened once more"
    );
}

#[tokio::test]
async fn completions_and_help_with_an_example_per_provider() {
    let o = run(&["completions", "bash"], &[]).await;
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("console-url") && stdout(&o).contains("open"));
    let o = run(&["--help"], &[]).await;
    let help = stdout(&o);
    for example in [
        "console-url tencent",
        "console-url aliyun",
        "console-url huawei",
        "console-url smartx",
        "console-url openstack",
        "console-url open",
    ] {
        assert!(help.contains(example), "{example} missing from:\n{help}");
    }
}

#[tokio::test]
async fn view_serves_the_embedded_novnc_on_loopback_and_opens_it() {
    let dir = tempfile::tempdir().unwrap();
    let (opener, log) = recording_opener(dir.path());
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_console-url"))
        .env_clear()
        .env("CONSOLE_URL_OPENER", &opener)
        .args([
            "view",
            "ws://127.0.0.1:9/websockify/?token=view-secret-token",
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let opened = opened(&log).await;
    let page = opened.trim().to_owned();
    assert!(page.starts_with("http://127.0.0.1:"), "{page}");
    let (base, fragment) = page.split_once('#').unwrap();
    assert!(fragment.contains("token%3Dview-secret-token"), "{fragment}");
    let http = reqwest::Client::new();
    let html = http.get(base).send().await.unwrap();
    assert_eq!(html.status(), 200);
    assert!(html.text().await.unwrap().contains("./novnc/core/rfb.js"));
    let origin = base.trim_end_matches("viewer.html");
    for (path, kind) in [
        ("novnc/core/rfb.js", "text/javascript"),
        ("novnc/LICENSE.txt", "text/plain"),
    ] {
        let r = http.get(format!("{origin}{path}")).send().await.unwrap();
        assert_eq!(r.status(), 200, "{path}");
        assert!(
            r.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with(kind),
            "{path}"
        );
    }
    assert_eq!(
        http.get(format!("{origin}novnc/../Cargo.toml"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    child.kill().unwrap();
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("view-secret-token"), "{err}");

    let o = run(&["view", "https://not-a-websocket/"], &[]).await;
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("ws:// or wss://"), "{}", stderr(&o));
}

#[cfg(feature = "demo")]
#[tokio::test]
async fn the_demo_opens_its_first_console() {
    let dir = tempfile::tempdir().unwrap();
    let (opener, log) = recording_opener(dir.path());
    let o = run(
        &["demo", "--exit", "--open"],
        &[("CONSOLE_URL_OPENER", opener.as_str())],
    )
    .await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let opened = std::fs::read_to_string(&log).unwrap();
    let first = stdout(&o)
        .lines()
        .find(|l| l.starts_with("tencent"))
        .and_then(|l| l.split_whitespace().last())
        .unwrap()
        .to_owned();
    assert_eq!(opened.trim(), first);
    assert!(
        first.contains("/viewers/tencent/?InstanceVncUrl="),
        "{first}"
    );
}

#[tokio::test]
async fn view_on_a_smartx_console_serves_a_viewer_for_its_websocket() {
    let sim = Sim::start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (opener, log) = recording_opener(dir.path());
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_console-url"))
        .env_clear()
        .envs(SMARTX_ENV)
        .env("CONSOLE_URL_OPENER", &opener)
        .args([
            "smartx",
            "--vm",
            RUNNING,
            "--endpoint",
            &sim.smartx_url(),
            "--view",
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let opened = opened(&log).await;
    let (page, fragment) = opened.trim().split_once('#').unwrap();
    assert!(page.starts_with("http://127.0.0.1:"), "{page}");
    assert!(
        fragment.starts_with("url=ws%3A%2F%2F127.0.0.1"),
        "{fragment}"
    );
    assert_eq!(reqwest::get(page).await.unwrap().status(), 200);
    child.kill().unwrap();
    let _ = child.wait();
    // A console without a websocket URL (Huawei's v1 page) cannot be viewed this way.
    let o = run(
        &[
            "huawei",
            "--instance",
            RUNNING,
            "--region",
            "cn-north-4",
            "--project-id",
            console_sim::HUAWEI_PROJECT_ID,
            "--endpoint",
            &sim.huawei_url(),
            "--view",
        ],
        &HUAWEI_ENV,
    )
    .await;
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("no websocket URL"), "{}", stderr(&o));
}
