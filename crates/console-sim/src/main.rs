//! `console-sim`: runs the emulator until interrupted.
//!
//! Its first stdout line is one JSON object mapping `tencent`, `aliyun`, `huawei`,
//! `keystone`, `cloudtower` (and `admin`) to base URLs; the second is the credentials it
//! accepts, as JSON. Scripts read those two lines and point their clients at them.

use std::io::Write;
use std::net::IpAddr;
use std::process::ExitCode;

use console_sim::{ProviderKind, Sim};

const USAGE: &str = "usage: console-sim [--listen IP] [--no-rate-limit] [--port NAME=PORT]...
  --listen IP        address to listen on (default 127.0.0.1)
  --no-rate-limit    lift Tencent's 10 requests a second
  --port NAME=PORT   a fixed port for tencent, aliyun, huawei, keystone, cloudtower or admin
                     (default: ports chosen by the OS)";

fn parse() -> Result<console_sim::SimBuilder, String> {
    let mut builder = Sim::builder();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--listen" => {
                let ip: IpAddr = args
                    .next()
                    .and_then(|v| v.parse().ok())
                    .ok_or("--listen takes an IP address")?;
                builder = builder.ip(ip);
            }
            "--no-rate-limit" => builder = builder.tencent_rate_limit(None),
            "--port" => {
                let spec = args.next().ok_or("--port takes NAME=PORT")?;
                let (name, port) = spec.split_once('=').ok_or("--port takes NAME=PORT")?;
                let port: u16 = port.parse().map_err(|_| format!("{port} is not a port"))?;
                builder = match (name, ProviderKind::from_name(name)) {
                    ("admin", _) => builder.admin_port(port),
                    (_, Some(p)) => builder.port(p, port),
                    _ => return Err(format!("no API is named {name}")),
                };
            }
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(builder)
}

#[tokio::main]
async fn main() -> ExitCode {
    let builder = match parse() {
        Ok(b) => b,
        Err(why) => {
            let mut err = std::io::stderr().lock();
            if !why.is_empty() {
                let _ = writeln!(err, "console-sim: {why}");
            }
            let _ = writeln!(err, "{USAGE}");
            return ExitCode::from(2);
        }
    };
    let sim = match builder.start().await {
        Ok(s) => s,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "console-sim: cannot listen: {e}");
            return ExitCode::FAILURE;
        }
    };
    {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{}", sim.endpoints_json());
        let _ = writeln!(out, "{}", console_sim::credentials_json());
        let _ = out.flush();
    }
    let _ = tokio::signal::ctrl_c().await;
    sim.shutdown().await;
    ExitCode::SUCCESS
}
