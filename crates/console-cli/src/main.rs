//! `console-url`: prints a browser-ready VNC console URL for a VM.
//!
//! ```text
//! console-url tencent --instance ID --region R [--product cvm|lighthouse|ecm] [--intl] [--regional] [--viewer-page URL] [CHAIN] [COMMON]
//! console-url aliyun  --instance ID --region R [--windows] [--password P] [--vpc] [--viewer-page URL] [CHAIN] [COMMON]
//! console-url huawei  --instance ID --region R [--project-id P] [--iam-endpoint URL] [--api v1|nova-2.1|remote-consoles] [--microversion V] [CHAIN] [COMMON]
//! console-url smartx  --vm ID [--direct] [--profile NAME] [COMMON]
//! console-url openstack --server ID [--os-cloud NAME] [--type novnc|xvpvnc|spice-html5|spice-direct|rdp-html5|serial|webmks|auto] [--microversion V] [COMMON]
//! console-url open ACCOUNT INSTANCE [--region R] [-o NAME=VALUE]... [--config FILE] [COMMON]
//! console-url view WS_URL [--password P]
//! console-url completions SHELL
//! console-url demo    (builds with the `demo` feature)
//! CHAIN: [--profile NAME] [--metadata-endpoint URL] [--sts-endpoint URL]
//! COMMON: [--endpoint URL] [--json] [--timeout SECONDS] [--ca-file PEM] [--dry-run] [--open | --view]
//! ```
//!
//! `--dry-run` prints the endpoint the request would go to and sends nothing.
//!
//! Credentials come from where the provider SDKs find them (their variables, profile files and
//! instance roles, in each SDK's order; CHAIN says where to look), never from flags.
//! Exit codes: 0 success; 2 usage or invalid input (nothing was sent); 1 any other failure.

use std::io::Write;
use std::process::ExitCode;

use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};
use console_core::time::OffsetDateTime;
use console_core::{timefmt, Console, Error};

mod accounts;
mod browser;
#[cfg(feature = "demo")]
mod demo;
mod progress;
mod viewer;

const EXAMPLES: &str = "\
Examples:
  console-url tencent --instance ins-r9hr2upy --region ap-guangzhou --open
  console-url tencent --instance lhins-ruy9d2tw --region ap-guangzhou --product lighthouse
  console-url aliyun --instance i-bp1hzoinajzkh91h --region cn-hangzhou --windows --password abc123
  console-url huawei --instance 47bc79ae-df61-4ade-9197-283a74e5d70e --region cn-north-4 --api remote-consoles
  console-url smartx --vm cl2k0mpoy5ffl0822ihbbfw5p --endpoint https://tower.example.com
  console-url openstack --server 9168b536-cd40-4630-b43f-b259807c6e87 --os-cloud lab --type auto
  console-url open lab-tencent ins-r9hr2upy --open      (an account of console-url.toml)
  console-url completions bash > ~/.local/share/bash-completion/completions/console-url";

#[derive(Debug, Parser)]
#[command(name = "console-url", version, about = "Print a browser-ready VNC console URL for a VM", long_about = None, after_help = EXAMPLES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Where a provider's default credential chain looks, defined once (each provider's own
/// defaults when not given; a provider ignores what its chain has no source for).
#[derive(Debug, Args)]
struct ChainArgs {
    /// The profile of the provider's profile files.
    #[arg(long, value_name = "NAME")]
    profile: Option<String>,
    /// The instance metadata service's base URL, for the instance's role.
    #[arg(long, value_name = "URL")]
    metadata_endpoint: Option<String>,
    /// The STS endpoint roles are assumed at.
    #[arg(long, value_name = "URL")]
    sts_endpoint: Option<String>,
}

impl ChainArgs {
    fn settings(&self) -> console_core::credentials::ChainSettings {
        let mut s = console_core::credentials::ChainSettings::default();
        s.profile.clone_from(&self.profile);
        s.metadata_endpoint.clone_from(&self.metadata_endpoint);
        s.sts_endpoint.clone_from(&self.sts_endpoint);
        s
    }
}

/// What every provider's subcommand takes, defined once.
#[derive(Debug, Args)]
struct Common {
    /// Send to this endpoint instead of the provider's own (for smartx: the CloudTower
    /// address, default CLOUDTOWER_ENDPOINT).
    #[arg(long)]
    endpoint: Option<String>,
    /// Print one JSON object instead of the URL.
    #[arg(long)]
    json: bool,
    /// Seconds one request may take (default 10).
    #[arg(long, value_name = "SECONDS")]
    timeout: Option<f64>,
    /// Also trust this certificate authority (PEM), as private clouds need.
    #[arg(long, value_name = "PATH")]
    ca_file: Option<std::path::PathBuf>,
    /// Print the endpoint the request would go to, and send nothing.
    #[arg(long)]
    dry_run: bool,
    /// Open the console's viewer page in the system browser at once (or with the program
    /// CONSOLE_URL_OPENER names).
    #[arg(long)]
    open: bool,
    /// Serve a local noVNC viewer for the console's websocket URL on 127.0.0.1, open it, and
    /// keep serving until Ctrl-C (for SmartX, whose consoles have no viewer page).
    #[arg(long, conflicts_with = "open")]
    view: bool,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Tencent Cloud CVM, Lighthouse or ECM (credentials as Tencent's SDKs find them:
    /// TENCENTCLOUD_SECRET_ID, TENCENTCLOUD_SECRET_KEY[, TENCENTCLOUD_SESSION_TOKEN], else the
    /// profile file, else the CVM role).
    Tencent {
        /// The instance id (ins-..., lhins-..., ein-...).
        #[arg(long)]
        instance: String,
        /// The region (ap-guangzhou, ...).
        #[arg(long)]
        region: String,
        /// The product the instance belongs to.
        #[arg(long, value_enum, default_value_t = TencentProduct::Cvm)]
        product: TencentProduct,
        /// The account is on the international site (tencentcloud.com).
        #[arg(long)]
        intl: bool,
        /// Send to the region's own host rather than the nearest one.
        #[arg(long)]
        regional: bool,
        /// Build the viewer URL on this page instead of Tencent's.
        #[arg(long, value_name = "URL")]
        viewer_page: Option<String>,
        #[command(flatten)]
        chain: ChainArgs,
        #[command(flatten)]
        common: Common,
    },
    /// Alibaba Cloud ECS (ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET[,
    /// ALIBABA_CLOUD_SECURITY_TOKEN], else ~/.aliyun/config.json, else the credentials file).
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
        /// Send to the VPC endpoint (`ecs-vpc.<region>.aliyuncs.com`).
        #[arg(long)]
        vpc: bool,
        /// Build the viewer URL on this page instead of Alibaba's (a moved page, Apsara Stack).
        #[arg(long, value_name = "URL")]
        viewer_page: Option<String>,
        #[command(flatten)]
        chain: ChainArgs,
        #[command(flatten)]
        common: Common,
    },
    /// Huawei Cloud ECS (credentials as Huawei's SDKs find them: HUAWEICLOUD_SDK_AK,
    /// HUAWEICLOUD_SDK_SK[, HUAWEICLOUD_SDK_SECURITY_TOKEN], else the profile file
    /// ~/.huaweicloud/credentials, else the ECS metadata service's agency keys).
    Huawei {
        /// The server id.
        #[arg(long)]
        instance: String,
        /// The region (cn-north-4, ...).
        #[arg(long)]
        region: String,
        /// The project id (default HUAWEICLOUD_SDK_PROJECT_ID; else looked up at IAM by region).
        #[arg(long)]
        project_id: Option<String>,
        /// Where the project id is looked up (default HUAWEICLOUD_SDK_IAM_ENDPOINT, else the
        /// region's IAM endpoint).
        #[arg(long, value_name = "URL")]
        iam_endpoint: Option<String>,
        /// The API generation.
        #[arg(long, value_enum, default_value_t = HuaweiApi::V1)]
        api: HuaweiApi,
        /// The Nova microversion (default 2.1 for nova-2.1, 2.6 for remote-consoles).
        #[arg(long)]
        microversion: Option<String>,
        #[command(flatten)]
        chain: ChainArgs,
        #[command(flatten)]
        common: Common,
    },
    /// SmartX CloudTower (CLOUDTOWER_USERNAME, CLOUDTOWER_PASSWORD[, CLOUDTOWER_USER_SOURCE], or
    /// CLOUDTOWER_TOKEN; else a profile of ~/.cloudtower/credentials).
    Smartx {
        /// The VM id.
        #[arg(long)]
        vm: String,
        /// The URL straight to the cluster instead of through CloudTower.
        #[arg(long)]
        direct: bool,
        /// The profile of ~/.cloudtower/credentials (CLOUDTOWER_CREDENTIALS_FILE; default
        /// CLOUDTOWER_PROFILE, else `default`).
        #[arg(long, value_name = "NAME")]
        profile: Option<String>,
        #[command(flatten)]
        common: Common,
    },
    /// Any OpenStack cloud (clouds.yaml with OS_CLOUD or --os-cloud, or the OS_* variables,
    /// as openstackclient reads them).
    Openstack {
        /// The server id.
        #[arg(long)]
        server: String,
        /// The cloud of clouds.yaml (default OS_CLOUD, else the OS_* variables).
        #[arg(long, value_name = "NAME")]
        os_cloud: Option<String>,
        /// The console type, or `auto` for the first the server has (noVNC, SPICE, RDP,
        /// serial, WebMKS, as Horizon tries them).
        #[arg(long = "type", value_name = "TYPE", default_value = "novnc")]
        console_type: String,
        /// The Nova microversion (default: negotiated with the server).
        #[arg(long)]
        microversion: Option<String>,
        #[command(flatten)]
        common: Common,
    },
    /// An account of the account file: console-url.toml in the platform's configuration
    /// directory (~/.config/console-url/ on Linux), or --config FILE.
    Open {
        /// The account's name in the file.
        account: String,
        /// The instance (server, VM) id.
        instance: String,
        /// The region, if not the account's.
        #[arg(long)]
        region: Option<String>,
        /// A provider option, NAME=VALUE (product=lighthouse, windows=true, password=...,
        /// api=remote-consoles, direct=true, type=auto); repeatable.
        #[arg(long = "option", short = 'o', value_name = "NAME=VALUE")]
        options: Vec<String>,
        /// The account file.
        #[arg(long, value_name = "FILE")]
        config: Option<std::path::PathBuf>,
        #[command(flatten)]
        common: Common,
    },
    /// Serve a local noVNC viewer for a websocket console URL on 127.0.0.1 and open it.
    View {
        /// The websocket URL (ws:// or wss://).
        url: String,
        /// The VNC password, if the server asks for one (else the page asks).
        #[arg(long)]
        password: Option<String>,
    },
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Start the local emulator and fetch a console from every API through the real clients;
    /// every printed URL opens a noVNC viewer of the emulator's console, served until Ctrl-C
    /// (in builds with the `demo` feature).
    Demo {
        /// One JSON object per line: the emulator's endpoints, each console, then `ready`.
        #[arg(long)]
        json: bool,
        /// Open the first console in the system browser (or CONSOLE_URL_OPENER).
        #[arg(long)]
        open: bool,
        /// Print and exit instead of serving.
        #[arg(long)]
        exit: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum TencentProduct {
    /// Cloud Virtual Machine
    Cvm,
    /// Lighthouse
    Lighthouse,
    /// Edge Computing Machine
    Ecm,
}

/// What a subcommand produced: a console, or with `--dry-run` the endpoint it would ask.
enum Outcome {
    Console(Console),
    Endpoint(console_core::Url),
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

/// Applies the common flags to any provider's builder (they all have the same setters).
macro_rules! configure {
    ($builder:expr, $common:expr) => {{
        let mut b = $builder;
        let common: &Common = $common;
        if let Some(e) = &common.endpoint {
            b = b.endpoint_url(e.clone());
        }
        if let Some(t) = common.timeout {
            b = b.timeout(timeout(t)?);
        }
        if let Some(path) = &common.ca_file {
            let pem = std::fs::read(path).map_err(|e| {
                Error::invalid_input("ca_file", format!("cannot read {}: {e}", path.display()))
            })?;
            b = b.ca_certificate_pem(&pem)?;
        }
        b
    }};
}

fn timeout(seconds: f64) -> Result<Duration, Error> {
    Duration::try_from_secs_f64(seconds)
        .ok()
        .filter(|d| !d.is_zero())
        .ok_or_else(|| Error::invalid_input("timeout", "must be a positive number of seconds"))
}

/// The console, or with `--dry-run` the endpoint: every provider's client has both calls.
macro_rules! outcome {
    ($client:expr, $target:expr, $common:expr) => {{
        let client = $client;
        if $common.dry_run {
            Ok(Outcome::Endpoint(client.endpoint_for(&$target)?))
        } else {
            Ok(Outcome::Console(client.console(&$target).await?))
        }
    }};
}

struct TencentArgs {
    instance: String,
    region: String,
    product: TencentProduct,
    intl: bool,
    regional: bool,
    viewer_page: Option<String>,
    chain: ChainArgs,
}

async fn tencent(args: TencentArgs, common: &Common) -> Result<Outcome, Error> {
    use console_tencent::{Endpoint, Product, Site};
    let product = match args.product {
        TencentProduct::Cvm => Product::Cvm,
        TencentProduct::Lighthouse => Product::Lighthouse,
        TencentProduct::Ecm => Product::Ecm,
    };
    let target = console_tencent::ConsoleRequest::new(args.region, args.instance)?.product(product);
    let chain = console_tencent::credentials::sources::chain(
        std::sync::Arc::new(console_core::env::SystemEnv),
        &args.chain.settings(),
    )?;
    let mut builder = console_tencent::Client::builder_with(chain)
        .site(if args.intl {
            Site::International
        } else {
            Site::China
        })
        .endpoint(if args.regional {
            Endpoint::Regional
        } else {
            Endpoint::Global
        });
    if let Some(page) = args.viewer_page {
        builder = builder.viewer_page(console_core::ViewerPage::new(page)?);
    }
    outcome!(configure!(builder, common).build()?, target, common)
}

struct AliyunArgs {
    instance: String,
    region: String,
    windows: bool,
    password: Option<String>,
    vpc: bool,
    viewer_page: Option<String>,
    chain: ChainArgs,
}

async fn aliyun(args: AliyunArgs, common: &Common) -> Result<Outcome, Error> {
    use console_aliyun::Network;
    let mut target =
        console_aliyun::ConsoleRequest::new(args.region, args.instance)?.windows(args.windows);
    if let Some(p) = args.password {
        target = target.password(p)?;
    }
    let chain = console_aliyun::credentials::sources::chain(
        std::sync::Arc::new(console_core::env::SystemEnv),
        &args.chain.settings(),
    )?;
    let mut builder = console_aliyun::Client::builder_with(chain).network(if args.vpc {
        Network::Vpc
    } else {
        Network::Public
    });
    if let Some(page) = args.viewer_page {
        builder = builder.viewer_page(console_core::ViewerPage::new(page)?);
    }
    outcome!(configure!(builder, common).build()?, target, common)
}

struct HuaweiArgs {
    instance: String,
    region: String,
    project_id: Option<String>,
    iam_endpoint: Option<String>,
    api: HuaweiApi,
    microversion: Option<String>,
    chain: ChainArgs,
}

async fn huawei(args: HuaweiArgs, common: &Common) -> Result<Outcome, Error> {
    use console_huawei::client::ENV_IAM_ENDPOINT;
    use console_huawei::{credentials::ENV_PROJECT_ID, Api, Microversion, NovaPath};
    let HuaweiArgs {
        instance,
        region,
        project_id,
        iam_endpoint,
        api,
        microversion,
        chain,
    } = args;
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
    let env = |name| std::env::var(name).ok().filter(|v: &String| !v.is_empty());
    let system = std::sync::Arc::new(console_core::env::SystemEnv);
    // The profile file's project and IAM endpoint come after the flags and variables, as
    // the SDKs read them; its keys are the chain's.
    let from_file = console_huawei::credentials::profile::file(system.as_ref())
        .filter(|p| p.is_file())
        .and_then(|p| console_huawei::credentials::profile::read(&p).ok());
    let mut target = console_huawei::ConsoleRequest::new(region, instance)?.api(api)?;
    let project = project_id
        .or_else(|| env(ENV_PROJECT_ID))
        .or_else(|| from_file.as_ref().and_then(|p| p.project_id.clone()));
    if let Some(project) = project {
        target = target.project_id(project)?;
    }
    let chain = console_huawei::credentials::sources::chain(system, &chain.settings())?;
    let mut builder = console_huawei::Client::builder_with(chain);
    let iam = iam_endpoint
        .or_else(|| env(ENV_IAM_ENDPOINT))
        .or_else(|| from_file.and_then(|p| p.iam_endpoint));
    if let Some(iam) = iam {
        builder = builder.iam_endpoint_url(iam);
    }
    outcome!(configure!(builder, common).build()?, target, common)
}

async fn smartx(
    vm: String,
    direct: bool,
    profile: Option<String>,
    common: &Common,
) -> Result<Outcome, Error> {
    use console_smartx::credentials::{profile as file, ENV_ENDPOINT};
    let mut target = console_smartx::ConsoleRequest::new(vm)?;
    if direct {
        target = target.direct();
    }
    let system = std::sync::Arc::new(console_core::env::SystemEnv);
    // The profile's endpoint comes last: after the flag and the variable.
    let profile_endpoint = || {
        let path = file::file(system.as_ref()).filter(|p| p.is_file())?;
        let name = file::profile_name(system.as_ref(), profile.as_deref());
        file::read(&path, &name).ok()?.endpoint
    };
    let endpoint = common
        .endpoint
        .clone()
        .or_else(|| std::env::var(ENV_ENDPOINT).ok().filter(|e| !e.is_empty()))
        .or_else(profile_endpoint)
        .ok_or_else(|| {
            Error::invalid_input(
                "endpoint",
                "give --endpoint, set CLOUDTOWER_ENDPOINT, or set endpoint in the profile",
            )
        })?;
    let mut settings = console_core::credentials::ChainSettings::default();
    settings.profile.clone_from(&profile);
    let chain = console_smartx::credentials::sources::chain(system.clone(), &settings)?;
    let builder = console_smartx::Client::builder_with(endpoint, chain);
    outcome!(configure!(builder, common).build()?, target, common)
}

async fn openstack(
    server: String,
    os_cloud: Option<String>,
    console_type: String,
    microversion: Option<String>,
    common: &Common,
) -> Result<Outcome, Error> {
    let mut target = console_openstack::ConsoleRequest::new(server)?;
    target = match console_type.as_str() {
        "auto" => target.auto(),
        t => target.console_type(t.parse()?),
    };
    if let Some(mv) = microversion {
        target = target.microversion(mv.parse()?)?;
    }
    let cloud = console_openstack::Cloud::load(
        os_cloud.as_deref(),
        &console_openstack::credentials::SystemEnv,
    )?;
    let builder = console_openstack::Client::builder_for(&cloud)?;
    outcome!(configure!(builder, common).build()?, target, common)
}

/// Runs one provider's subcommand; the outcome, whether to print it as JSON, whether to open
/// it.
async fn fetch(command: Command) -> Result<(Outcome, bool, bool, bool), Error> {
    match command {
        Command::Tencent {
            instance,
            region,
            product,
            intl,
            regional,
            viewer_page,
            chain,
            common,
        } => {
            let args = TencentArgs {
                instance,
                region,
                product,
                intl,
                regional,
                viewer_page,
                chain,
            };
            Ok((tencent(args, &common).await?, common.json, common.open, common.view))
        }
        Command::Aliyun {
            instance,
            region,
            windows,
            password,
            vpc,
            viewer_page,
            chain,
            common,
        } => {
            let args = AliyunArgs {
                instance,
                region,
                windows,
                password,
                vpc,
                viewer_page,
                chain,
            };
            Ok((aliyun(args, &common).await?, common.json, common.open, common.view))
        }
        Command::Huawei {
            instance,
            region,
            project_id,
            iam_endpoint,
            api,
            microversion,
            chain,
            common,
        } => {
            let args = HuaweiArgs {
                instance,
                region,
                project_id,
                iam_endpoint,
                api,
                microversion,
                chain,
            };
            Ok((huawei(args, &common).await?, common.json, common.open, common.view))
        }
        Command::Smartx {
            vm,
            direct,
            profile,
            common,
        } => Ok((smartx(vm, direct, profile, &common).await?, common.json, common.open, common.view)),
        Command::Openstack {
            server,
            os_cloud,
            console_type,
            microversion,
            common,
        } => Ok((
            openstack(server, os_cloud, console_type, microversion, &common).await?,
            common.json,
            common.open,
            common.view,
        )),
        Command::Open {
            account,
            instance,
            region,
            options,
            config,
            common,
        } => {
            if common.dry_run {
                return Err(Error::invalid_input(
                    "dry_run",
                    "is for the provider subcommands; open asks the account's provider",
                ));
            }
            let target = accounts::target(instance, region, &options)?;
            let client = accounts::client(
                config,
                &account,
                common.timeout,
                common.ca_file.clone(),
                common.endpoint.clone(),
            )?;
            let _progress = progress::Progress::start(&account, common.json);
            Ok((
                Outcome::Console(client.console(&target).await?),
                common.json,
                common.open,
                common.view,
            ))
        }
        Command::Completions { .. } | Command::View { .. } => Err(Error::invalid_input(
            "completions",
            "handled before any request",
        )),
        Command::Demo { .. } => Err(Error::invalid_input(
            "demo",
            "this build has no demo; run it with `cargo run -p console-cli --features demo -- demo`",
        )),
    }
}

/// One line naming the error kind, the provider's code and request id; never a secret.
/// Whatever a server sent is printed with control characters escaped, so that an escape
/// sequence in a code, message or request id cannot retitle or rewrite the terminal.
pub(crate) fn error_line(e: &Error) -> String {
    let mut line = format!("console-url: error[{}]", e.kind());
    if let Some(code) = e.code() {
        line.push_str(&format!(" code={code}"));
    }
    if let Some(id) = e.request_id() {
        line.push_str(&format!(" request_id={id}"));
    }
    line.push_str(&format!(": {e}"));
    escape_controls(&line)
}

/// Control characters (ESC, CR, LF, BEL, bidi overrides, ...) as `\u{..}` escapes.
fn escape_controls(text: &str) -> String {
    text.chars()
        .map(|c| {
            let bidi = matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
            if c.is_control() || bidi {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
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
    for warning in console.warnings() {
        writeln!(err, "warning: {warning}")?;
    }
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
        }
        None => write!(err, "no documented expiry")?,
    }
    if console.lifetime().single_use {
        write!(err, "; works once")?;
    }
    writeln!(err)
}

/// With `RUST_LOG` set, the library's tracing events go to stderr (plain text, no colour).
/// The HTTP stack's own crates are capped at `info`: their lower levels describe connections
/// and frames, and nothing of theirs is redacted.
fn init_logging() {
    use tracing_subscriber::EnvFilter;
    if std::env::var_os("RUST_LOG").is_none() {
        return;
    }
    let mut filter = EnvFilter::from_default_env();
    for noisy in [
        "hyper=info",
        "hyper_util=info",
        "reqwest=info",
        "rustls=info",
        "h2=info",
    ] {
        if let Ok(d) = noisy.parse() {
            filter = filter.add_directive(d);
        }
    }
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .try_init();
}

#[tokio::main]
async fn main() -> ExitCode {
    init_logging();
    let cli = Cli::parse();
    #[cfg(feature = "demo")]
    if let Command::Demo { json, open, exit } = cli.command {
        return demo::run(demo::Options { json, open, exit }).await;
    }
    if let Command::Completions { shell } = cli.command {
        use clap::CommandFactory;
        clap_complete::generate(
            shell,
            &mut Cli::command(),
            "console-url",
            &mut std::io::stdout(),
        );
        return ExitCode::SUCCESS;
    }
    if let Command::View { url, password } = &cli.command {
        let password = password.clone().map(console_core::Secret::new);
        return match viewer::check(url) {
            Ok(()) => exit_with(viewer::run(url, password.as_ref()).await),
            Err(e) => exit_with(Err(e)),
        };
    }
    let result = {
        let _progress = progress_for(&cli.command);
        fetch(cli.command).await
    };
    let (outcome, json, open, view) = match result {
        Ok(c) => c,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "{}", error_line(&e));
            return match e {
                Error::InvalidInput { .. } => ExitCode::from(2),
                _ => ExitCode::from(1),
            };
        }
    };
    let console = match outcome {
        Outcome::Console(c) => c,
        Outcome::Endpoint(url) => {
            let line = if json {
                serde_json::json!({ "endpoint": url.as_str() }).to_string()
            } else {
                url.to_string()
            };
            return match writeln!(std::io::stdout(), "{line}") {
                Ok(()) => ExitCode::SUCCESS,
                Err(_) => ExitCode::from(1),
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
    if let Err(e) = print_console(&console, json) {
        let _ = writeln!(std::io::stderr(), "console-url: error[io]: {e}");
        return ExitCode::from(1);
    }
    if open {
        if let Err(e) = browser::page(&console).and_then(browser::open) {
            let _ = writeln!(std::io::stderr(), "{}", error_line(&e));
            return ExitCode::from(1);
        }
    }
    if view {
        let Some(ws) = console.websocket_url() else {
            return exit_with(Err(Error::invalid_input(
                "view",
                "this console has no websocket URL; open its viewer page (--open)",
            )));
        };
        return exit_with(viewer::run(ws, None).await);
    }
    ExitCode::SUCCESS
}

/// The exit code of a finished command: 0, 2 for invalid input, else 1, the error on stderr.
fn exit_with(result: Result<(), Error>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "{}", error_line(&e));
            match e {
                Error::InvalidInput { .. } => ExitCode::from(2),
                _ => ExitCode::from(1),
            }
        }
    }
}

/// The progress line of a provider subcommand (`open` shows its own, naming the account).
fn progress_for(command: &Command) -> Option<progress::Progress> {
    let (provider, common) = match command {
        Command::Tencent { common, .. } => ("tencent", common),
        Command::Aliyun { common, .. } => ("aliyun", common),
        Command::Huawei { common, .. } => ("huawei", common),
        Command::Smartx { common, .. } => ("smartx", common),
        Command::Openstack { common, .. } => ("openstack", common),
        _ => return None,
    };
    Some(progress::Progress::start(
        provider,
        common.json || common.dry_run,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use console_core::{Provider, ProviderError};

    #[test]
    fn server_text_cannot_reach_the_terminal_raw() {
        let e = Error::Provider(ProviderError::new(
            Provider::new("tencent"),
            200,
            "\u{1b}]0;pwned\u{7}Code",
            "line one\r\u{1b}[2Kline two\nthird \u{202E}txt",
            Some("rid-\u{1b}[31m".to_owned()),
        ));
        let line = error_line(&e);
        assert!(!line.chars().any(|c| c.is_control()), "{line:?}");
        assert!(!line.contains('\u{202E}'), "{line:?}");
        assert!(line.contains("\\u{1b}]0;pwned"), "{line}");
        assert!(
            line.contains("code=") && line.contains("request_id=rid-"),
            "{line}"
        );
    }
}
