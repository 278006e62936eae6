//! `console-url`: prints a browser-ready VNC console URL for a VM.
//!
//! ```text
//! console-url tencent --instance ID --region R [--endpoint URL] [--json]
//! console-url aliyun  --instance ID --region R [--windows] [--password P] [--endpoint URL] [--json]
//! console-url huawei  --instance ID --region R --project-id P [--api v1|nova-2.1|remote-consoles] [--microversion V] [--endpoint URL] [--json]
//! console-url smartx  --vm ID --endpoint URL [--direct] [--json]
//! console-url demo
//! ```
//!
//! Credentials come from the environment variables the provider SDKs read, never from flags.
//! Exit codes: 0 success; 2 usage or invalid input (nothing was sent); 1 any other failure.

use std::io::Write;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use console_core::time::OffsetDateTime;
use console_core::{timefmt, Console, Error};

mod demo;

#[derive(Debug, Parser)]
#[command(name = "console-url", version, about = "Print a browser-ready VNC console URL for a VM", long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Tencent Cloud CVM (TENCENTCLOUD_SECRET_ID, TENCENTCLOUD_SECRET_KEY[, TENCENTCLOUD_SESSION_TOKEN]).
    Tencent {
        /// The instance id (ins-...).
        #[arg(long)]
        instance: String,
        /// The region (ap-guangzhou, ...).
        #[arg(long)]
        region: String,
        /// Send to this endpoint instead of cvm.tencentcloudapi.com.
        #[arg(long)]
        endpoint: Option<String>,
        /// Print one JSON object instead of the URL.
        #[arg(long)]
        json: bool,
    },
    /// Alibaba Cloud ECS (ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET[, ALIBABA_CLOUD_SECURITY_TOKEN]).
    Aliyun {
        /// The instance id (i-...).
        #[arg(long)]
        instance: String,
        /// The region (cn-hangzhou, ...).
        #[arg(long)]
        region: String,
        /// The instance runs Windows.
        #[arg(long)]
        windows: bool,
        /// The instance's six-character VNC password, put in the viewer URL.
        #[arg(long)]
        password: Option<String>,
        /// Send to this endpoint instead of ecs.REGION.aliyuncs.com.
        #[arg(long)]
        endpoint: Option<String>,
        /// Print one JSON object instead of the URL.
        #[arg(long)]
        json: bool,
    },
    /// Huawei Cloud ECS (HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK[, HUAWEICLOUD_SDK_SECURITY_TOKEN]).
    Huawei {
        /// The server id.
        #[arg(long)]
        instance: String,
        /// The region (cn-north-4, ...).
        #[arg(long)]
        region: String,
        /// The project id.
        #[arg(long)]
        project_id: String,
        /// The API generation.
        #[arg(long, value_enum, default_value_t = HuaweiApi::V1)]
        api: HuaweiApi,
        /// The Nova microversion (default 2.1 for nova-2.1, 2.6 for remote-consoles).
        #[arg(long)]
        microversion: Option<String>,
        /// Send to this endpoint instead of ecs.REGION.myhuaweicloud.com.
        #[arg(long)]
        endpoint: Option<String>,
        /// Print one JSON object instead of the URL.
        #[arg(long)]
        json: bool,
    },
    /// SmartX CloudTower (CLOUDTOWER_USERNAME, CLOUDTOWER_PASSWORD[, CLOUDTOWER_USER_SOURCE], or CLOUDTOWER_TOKEN).
    Smartx {
        /// The VM id.
        #[arg(long)]
        vm: String,
        /// The CloudTower address (https://...).
        #[arg(long)]
        endpoint: String,
        /// The URL straight to the cluster instead of through CloudTower.
        #[arg(long)]
        direct: bool,
        /// Print one JSON object instead of the URL.
        #[arg(long)]
        json: bool,
    },
    /// Start the local emulator and fetch a console from every API through the real clients.
    Demo,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum HuaweiApi {
    /// POST /v1/{project_id}/cloudservers/{server_id}/remote_console
    V1,
    /// os-getVNCConsole on /v2.1 (microversion 2.5 or lower)
    #[value(name = "nova-2.1")]
    Nova21,
    /// remote-consoles (microversion 2.6 or higher)
    RemoteConsoles,
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

async fn fetch(command: Command) -> Result<(Console, bool), Error> {
    match command {
        Command::Tencent {
            instance,
            region,
            endpoint,
            json,
        } => {
            let mut b = console_tencent::Client::builder(console_tencent::Credentials::from_env()?);
            if let Some(e) = endpoint {
                b = b.endpoint_url(e);
            }
            let c = b
                .build()?
                .console(&console_tencent::ConsoleRequest::new(region, instance))
                .await?;
            Ok((c, json))
        }
        Command::Aliyun {
            instance,
            region,
            windows,
            password,
            endpoint,
            json,
        } => {
            let mut b = console_aliyun::Client::builder(console_aliyun::Credentials::from_env()?);
            if let Some(e) = endpoint {
                b = b.endpoint_url(e);
            }
            let mut req = console_aliyun::ConsoleRequest::new(region, instance).windows(windows);
            if let Some(p) = password {
                req = req.password(p);
            }
            Ok((b.build()?.console(&req).await?, json))
        }
        Command::Huawei {
            instance,
            region,
            project_id,
            api,
            microversion,
            endpoint,
            json,
        } => {
            use console_huawei::{credentials as hc, Api, Credentials, Microversion, NovaPath};
            let ak =
                env(hc::ENV_AK).ok_or_else(|| Error::invalid_input(hc::ENV_AK, "is not set"))?;
            let sk =
                env(hc::ENV_SK).ok_or_else(|| Error::invalid_input(hc::ENV_SK, "is not set"))?;
            let mut creds = Credentials::ak_sk(ak, sk, project_id);
            if let Some(t) = env(hc::ENV_SECURITY_TOKEN) {
                creds = creds.with_security_token(t);
            }
            let mv = microversion
                .map(|m| m.parse::<Microversion>())
                .transpose()?;
            let api = match api {
                HuaweiApi::V1 if mv.is_some() => {
                    return Err(Error::invalid_input(
                        "microversion",
                        "the v1 API has no microversion",
                    ))
                }
                HuaweiApi::V1 => Api::V1,
                HuaweiApi::Nova21 => Api::GetVncConsole {
                    path: NovaPath::V2_1,
                    microversion: mv.unwrap_or(Microversion::new(2, 1)),
                },
                HuaweiApi::RemoteConsoles => Api::RemoteConsoles {
                    microversion: mv.unwrap_or(Microversion::FIRST_REMOTE_CONSOLES),
                },
            };
            let mut b = console_huawei::Client::builder(creds);
            if let Some(e) = endpoint {
                b = b.endpoint_url(e);
            }
            let req = console_huawei::ConsoleRequest::new(region, instance).api(api);
            Ok((b.build()?.console(&req).await?, json))
        }
        Command::Smartx {
            vm,
            endpoint,
            direct,
            json,
        } => {
            let client =
                console_smartx::Client::builder(endpoint, console_smartx::Credentials::from_env()?)
                    .build()?;
            let mut req = console_smartx::ConsoleRequest::new(vm);
            if direct {
                req = req.direct();
            }
            Ok((client.console(&req).await?, json))
        }
        Command::Demo => unreachable!("handled before fetch"),
    }
}

/// One line naming the error kind, the provider's code and request id; never a secret.
fn error_line(e: &Error) -> String {
    let mut line = format!("console-url: error[{}]", e.kind());
    if let Some(code) = e.code() {
        line.push_str(&format!(" code={code}"));
    }
    if let Some(id) = e.request_id() {
        line.push_str(&format!(" request_id={id}"));
    }
    line.push_str(&format!(": {e}"));
    line.replace('\n', " ")
}

fn print_console(console: &Console, json: bool) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    if json {
        serde_json::to_writer(&mut out, console)?;
        writeln!(out)?;
        return Ok(());
    }
    writeln!(out, "{}", console.url().unwrap_or_default())?;
    let mut err = std::io::stderr().lock();
    match console.expires_at() {
        Some(at) => {
            let left = console
                .lifetime()
                .remaining(OffsetDateTime::now_utc())
                .unwrap_or_default();
            write!(
                err,
                "expires at {} (in {} s)",
                timefmt::rfc3339(at),
                left.as_secs()
            )?;
            if console.lifetime().single_use {
                write!(err, "; works once")?;
            }
            writeln!(err)
        }
        None => writeln!(err, "no documented expiry"),
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    if matches!(cli.command, Command::Demo) {
        return demo::run().await;
    }
    let result = fetch(cli.command).await;
    let (console, json) = match result {
        Ok(c) => c,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "{}", error_line(&e));
            return match e {
                Error::InvalidInput { .. } => ExitCode::from(2),
                _ => ExitCode::from(1),
            };
        }
    };
    // The clients never return an expired URL; this guards the moment of printing too.
    if console.is_expired(OffsetDateTime::now_utc()) {
        let _ = writeln!(
            std::io::stderr(),
            "console-url: error[timeout]: the console URL expired before it could be printed"
        );
        return ExitCode::from(1);
    }
    match print_console(&console, json) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "console-url: error[io]: {e}");
            ExitCode::from(1)
        }
    }
}
