//! `console-url demo`: the emulator in-process, one console from each API through the real
//! clients, printed as a table. Needs no account and no configuration.

use std::io::Write;
use std::process::ExitCode;

use console_core::time::OffsetDateTime;
use console_core::{Console, Result};
use console_huawei::{Api, Microversion, NovaPath};
use console_sim::{Sim, RUNNING};

async fn fetch_all(sim: &Sim) -> Vec<(&'static str, &'static str, Result<Console>)> {
    let tencent = async {
        console_tencent::Client::builder(console_tencent::Credentials::new(
            console_sim::TENCENT_SECRET_ID,
            console_sim::TENCENT_SECRET_KEY,
        ))
        .endpoint_url(sim.tencent_url())
        .viewer_page(console_core::ViewerPage::new(format!(
            "{}/viewers/tencent/",
            sim.tencent_url()
        ))?)
        .build()?
        .console(&console_tencent::ConsoleRequest::new(
            "ap-guangzhou",
            RUNNING,
        )?)
        .await
    };
    let aliyun = async {
        console_aliyun::Client::builder(console_aliyun::Credentials::new(
            console_sim::ALIYUN_ACCESS_KEY_ID,
            console_sim::ALIYUN_ACCESS_KEY_SECRET,
        ))
        .endpoint_url(sim.aliyun_url())
        .viewer_page(console_core::ViewerPage::new(format!(
            "{}/viewers/aliyun/",
            sim.aliyun_url()
        ))?)
        .build()?
        .console(
            &console_aliyun::ConsoleRequest::new("cn-hangzhou", RUNNING)?
                .password(console_sim::ALIYUN_VNC_PASSWORD)?,
        )
        .await
    };
    let huawei = |api: Api| async move {
        console_huawei::Client::builder(console_huawei::Credentials::ak_sk(
            console_sim::HUAWEI_AK,
            console_sim::HUAWEI_SK,
        ))
        .project_id(console_sim::HUAWEI_PROJECT_ID)
        .unwrap()
        .endpoint_url(sim.huawei_url())
        .build()?
        .console(&console_huawei::ConsoleRequest::new("cn-north-4", RUNNING)?.api(api)?)
        .await
    };
    let smartx = async {
        console_smartx::Client::builder(
            sim.smartx_url(),
            console_smartx::Credentials::login(
                console_sim::SMARTX_USERNAME,
                console_sim::SMARTX_PASSWORD,
                console_smartx::UserSource::Local,
            ),
        )
        .build()?
        .console(&console_smartx::ConsoleRequest::new(RUNNING)?)
        .await
    };
    let openstack = async {
        use console_openstack::credentials::{Method, Named};
        let credentials = console_openstack::Credentials::new(
            format!("{}/v3", sim.keystone_url()),
            Method::Password {
                user: Named::name_in(
                    console_sim::OPENSTACK_USERNAME,
                    Named::domain_name(console_sim::OPENSTACK_DOMAIN_NAME),
                ),
                password: console_sim::OPENSTACK_PASSWORD.into(),
            },
        )?
        .project(Named::id(console_sim::OPENSTACK_PROJECT_ID));
        console_openstack::Client::builder(credentials)
            .build()?
            .console(&console_openstack::ConsoleRequest::new(RUNNING)?.auto())
            .await
    };
    vec![
        ("tencent", "DescribeInstanceVncUrl", tencent.await),
        ("aliyun", "DescribeInstanceVncUrl", aliyun.await),
        ("huawei", "v1 remote_console", huawei(Api::V1).await),
        (
            "huawei",
            "os-getVNCConsole (2.1)",
            huawei(Api::GetVncConsole {
                path: NovaPath::V2_1,
                microversion: Microversion::new(2, 1),
            })
            .await,
        ),
        (
            "huawei",
            "remote-consoles (2.6)",
            huawei(Api::remote_consoles()).await,
        ),
        ("smartx", "CloudTower vnc", smartx.await),
        ("openstack", "remote-consoles (auto)", openstack.await),
    ]
}

/// What `demo` was asked.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Options {
    /// One JSON object per line instead of the table.
    pub(crate) json: bool,
    /// Open the first console in the browser.
    pub(crate) open: bool,
    /// Print and exit instead of serving until Ctrl-C.
    pub(crate) exit: bool,
}

/// The page a person opens for `console`: its viewer page, or for a console with only a
/// websocket URL (SmartX) the emulator's viewer with the URL in its fragment.
fn page(sim: &Sim, console: &Console) -> String {
    match (console.viewer_url(), console.websocket_url()) {
        (Some(v), _) => v.to_owned(),
        (None, Some(ws)) => {
            let mut f = url::form_urlencoded::Serializer::new(String::new());
            f.append_pair("url", ws);
            format!("{}/viewers/smartx/#{}", sim.smartx_url(), f.finish())
        }
        (None, None) => String::new(),
    }
}

pub(crate) async fn run(options: Options) -> ExitCode {
    let sim = match Sim::start().await {
        Ok(s) => s,
        Err(e) => {
            let _ = writeln!(
                std::io::stderr(),
                "console-url: error[transport]: cannot start the emulator: {e}"
            );
            return ExitCode::from(1);
        }
    };
    let rows = fetch_all(&sim).await;
    let now = OffsetDateTime::now_utc();
    let mut out = std::io::stdout().lock();
    let mut failed = false;
    let mut first = None;
    if options.json {
        let _ = writeln!(
            out,
            "{}",
            serde_json::json!({"endpoints": sim.endpoints_json()})
        );
    } else {
        let _ = writeln!(
            out,
            "console-url demo: the emulator on 127.0.0.1, one port per API (no cloud account needed)\n"
        );
        let _ = writeln!(
            out,
            "{:<9} {:<24} {:<11} URL",
            "PROVIDER", "API", "EXPIRES IN"
        );
    }
    for (provider, api, result) in rows {
        match result {
            Ok(c) => {
                let url = page(&sim, &c);
                first.get_or_insert_with(|| url.clone());
                if options.json {
                    let _ = writeln!(
                        out,
                        "{}",
                        serde_json::json!({"provider": provider, "api": api, "url": url,
                            "console": serde_json::to_value(&c).unwrap_or_default()})
                    );
                    continue;
                }
                let expires = match c.lifetime().remaining(now) {
                    Some(d) => format!("{} s", d.as_secs()),
                    None => "-".to_owned(),
                };
                let _ = writeln!(out, "{provider:<9} {api:<24} {expires:<11} {url}");
            }
            Err(e) => {
                failed = true;
                let _ = writeln!(
                    out,
                    "{provider:<9} {api:<24} {:<11} error[{}]: {e}",
                    "-",
                    e.kind()
                );
            }
        }
    }
    if options.json {
        let _ = writeln!(out, "{}", serde_json::json!({"ready": true}));
    } else if !options.exit {
        let _ = writeln!(
            out,
            "\nEach URL opens a noVNC viewer of the emulator's console (Tencent's works once, and \
             Tencent's and Alibaba's within 15 s). Serving until Ctrl-C."
        );
    }
    let _ = out.flush();
    drop(out);
    if options.open {
        if let Some(url) = &first {
            if let Err(e) = crate::browser::open(url) {
                let _ = writeln!(std::io::stderr(), "{}", crate::error_line(&e));
            }
        }
    }
    if !options.exit && !failed {
        let _ = tokio::signal::ctrl_c().await;
    }
    sim.shutdown().await;
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
