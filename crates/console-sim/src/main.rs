//! `console-sim`: runs the emulator until interrupted, printing its endpoints and credentials.

use std::process::ExitCode;

#[tokio::main]
#[allow(clippy::print_stdout, clippy::print_stderr)]
async fn main() -> ExitCode {
    let mut port = 8930u16;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match (a.as_str(), args.next()) {
            ("--port", Some(p)) if p.parse::<u16>().is_ok() => port = p.parse().unwrap(),
            _ => {
                eprintln!("usage: console-sim [--port PORT]   (default 8930, 0 for any)");
                return ExitCode::from(2);
            }
        }
    }
    let sim = match console_sim::Sim::builder().port(port).start().await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("console-sim: cannot listen on 127.0.0.1:{port}: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!("console-sim listening on {}", sim.base_url());
    println!(
        "  tencent  {}   TENCENTCLOUD_SECRET_ID={} TENCENTCLOUD_SECRET_KEY={}",
        sim.tencent_url(),
        console_sim::TENCENT_SECRET_ID,
        console_sim::TENCENT_SECRET_KEY
    );
    println!(
        "  aliyun   {}   ALIBABA_CLOUD_ACCESS_KEY_ID={} ALIBABA_CLOUD_ACCESS_KEY_SECRET={}",
        sim.aliyun_url(),
        console_sim::ALIYUN_ACCESS_KEY_ID,
        console_sim::ALIYUN_ACCESS_KEY_SECRET
    );
    println!(
        "  huawei   {}   HUAWEICLOUD_SDK_AK={} HUAWEICLOUD_SDK_SK={} project {}",
        sim.huawei_url(),
        console_sim::HUAWEI_AK,
        console_sim::HUAWEI_SK,
        console_sim::HUAWEI_PROJECT_ID
    );
    println!(
        "  smartx   {}   CLOUDTOWER_USERNAME={} CLOUDTOWER_PASSWORD={}",
        sim.smartx_url(),
        console_sim::SMARTX_USERNAME,
        console_sim::SMARTX_PASSWORD
    );
    println!(
        "  instances: {} (running), {} (stopped); any other id is missing",
        console_sim::RUNNING,
        console_sim::STOPPED
    );
    let _ = tokio::signal::ctrl_c().await;
    sim.shutdown().await;
    ExitCode::SUCCESS
}
