//! Load: 10,000 console fetches against the emulator with 256 in flight, across Alibaba,
//! Huawei (three APIs) and CloudTower, checking that no answer is lost or handed to the wrong
//! request and that memory stays flat; then Tencent behind its 10/s limiter, checking the
//! emulator refuses none of it.
//!
//! `cargo bench -p console-sim --bench load` (`LOAD_CALLS`, `LOAD_TENCENT_CALLS` to change).

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use console_core::{Console, Result, RetryPolicy};
use console_sim::{InstanceState, ProviderKind, Sim};
use tokio::sync::Semaphore;

/// A line of /proc/self/status, in KiB (VmRSS: now; VmHWM: peak).
fn proc_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

#[derive(Clone)]
struct Clients {
    aliyun: console_aliyun::Client,
    huawei: console_huawei::Client,
    smartx: console_smartx::Client,
}

impl Clients {
    async fn fetch(&self, n: usize, id: &str) -> Result<Console> {
        use console_huawei::{Api, ConsoleRequest};
        match n % 5 {
            0 => {
                self.aliyun
                    .console(&console_aliyun::ConsoleRequest::new("cn-hangzhou", id).unwrap())
                    .await
            }
            1 => {
                self.huawei
                    .console(&ConsoleRequest::new("cn-north-4", id).unwrap())
                    .await
            }
            2 => {
                self.huawei
                    .console(
                        &ConsoleRequest::new("cn-north-4", id)
                            .unwrap()
                            .api(Api::nova())
                            .unwrap(),
                    )
                    .await
            }
            3 => {
                self.huawei
                    .console(
                        &ConsoleRequest::new("cn-north-4", id)
                            .unwrap()
                            .api(Api::remote_consoles())
                            .unwrap(),
                    )
                    .await
            }
            _ => {
                self.smartx
                    .console(&console_smartx::ConsoleRequest::new(id).unwrap())
                    .await
            }
        }
    }
}

/// Whether the console is the one asked for: the emulator marks each URL with its instance.
fn matches(c: &Console, id: &str) -> bool {
    let url = c.url().unwrap_or_default();
    c.instance_id() == id
        && (url.contains(&format!("instance%3D{id}"))
            || url.contains(&format!("instance={id}"))
            || url.contains(&format!("uuid=uuid-{id}")))
}

#[tokio::main]
async fn main() {
    let calls: usize = std::env::var("LOAD_CALLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let tencent_calls: usize = std::env::var("LOAD_TENCENT_CALLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100);
    let in_flight = 256;
    // The emulator forgets issued tokens after 250 ms, so its memory does not hide the clients'.
    let sim = Sim::builder()
        .memory(Duration::from_millis(250))
        .start()
        .await
        .unwrap();
    let ids: Vec<String> = (0..1000).map(|i| format!("ins-load-{i}")).collect();
    for p in ProviderKind::ALL {
        for id in &ids {
            sim.set_instance(p, id, InstanceState::Running);
        }
    }
    let retry = RetryPolicy::default();
    let clients = Clients {
        aliyun: console_aliyun::Client::builder(console_aliyun::Credentials::new(
            console_sim::ALIYUN_ACCESS_KEY_ID,
            console_sim::ALIYUN_ACCESS_KEY_SECRET,
        ))
        .endpoint_url(sim.aliyun_url())
        .retry(retry)
        .build()
        .unwrap(),
        huawei: console_huawei::Client::builder(console_huawei::Credentials::ak_sk(
            console_sim::HUAWEI_AK,
            console_sim::HUAWEI_SK,
        ))
        .project_id(console_sim::HUAWEI_PROJECT_ID)
        .unwrap()
        .endpoint_url(sim.huawei_url())
        .retry(retry)
        .build()
        .unwrap(),
        smartx: console_smartx::Client::builder(
            sim.smartx_url(),
            console_smartx::Credentials::login(
                console_sim::SMARTX_USERNAME,
                console_sim::SMARTX_PASSWORD,
                console_smartx::UserSource::Local,
            ),
        )
        .retry(retry)
        .build()
        .unwrap(),
    };
    let ids = Arc::new(ids);
    let (ok, wrong, failed) = (
        Arc::new(AtomicUsize::new(0)),
        Arc::new(AtomicUsize::new(0)),
        Arc::new(AtomicUsize::new(0)),
    );
    let gate = Arc::new(Semaphore::new(in_flight));
    let rss_start = proc_kib("VmRSS:");
    let mut rss_marks = Vec::new();
    let start = Instant::now();
    for n in 0..calls {
        let permit = gate.clone().acquire_owned().await.unwrap();
        let (clients, ids, ok, wrong, failed) = (
            clients.clone(),
            ids.clone(),
            ok.clone(),
            wrong.clone(),
            failed.clone(),
        );
        // Not kept: a finished task's handle would hold its memory until joined.
        tokio::spawn(async move {
            let id = &ids[(n * 7919) % ids.len()];
            match clients.fetch(n, id).await {
                Ok(c) if matches(&c, id) => ok.fetch_add(1, Ordering::Relaxed),
                Ok(_) => wrong.fetch_add(1, Ordering::Relaxed),
                Err(e) => {
                    eprintln!("call {n} failed: {e}");
                    failed.fetch_add(1, Ordering::Relaxed)
                }
            };
            drop(permit);
        });
        if (n + 1) % (calls / 10).max(1) == 0 {
            rss_marks.push((n + 1, proc_kib("VmRSS:")));
        }
    }
    // All permits back means every call has finished.
    let _all = gate.acquire_many(in_flight as u32).await.unwrap();
    let took = start.elapsed();
    let (ok, wrong, failed) = (
        ok.load(Ordering::Relaxed),
        wrong.load(Ordering::Relaxed),
        failed.load(Ordering::Relaxed),
    );
    println!("{calls} fetches (Alibaba, Huawei v1/os-getVNCConsole/remote-consoles, CloudTower), {in_flight} in flight, {:.1} s", took.as_secs_f64());
    println!("  answered for the right request: {ok}; for another request: {wrong}; failed: {failed}; lost: {}", calls - ok - wrong - failed);
    println!(
        "  RSS at start {} KiB; after each tenth of the calls:",
        rss_start
    );
    for (n, kib) in &rss_marks {
        println!("    {n:>6} calls: {kib} KiB");
    }

    // Tencent behind its limiter: the emulator enforces 10/s and must refuse none of it.
    let tencent = console_tencent::Client::builder(console_tencent::Credentials::new(
        console_sim::TENCENT_SECRET_ID,
        console_sim::TENCENT_SECRET_KEY,
    ))
    .endpoint_url(sim.tencent_url())
    .rate_limit(console_tencent::client::DOCUMENTED_RATE_LIMIT)
    .retry(RetryPolicy::none())
    .build()
    .unwrap();
    let start = Instant::now();
    let tasks: Vec<_> = (0..tencent_calls)
        .map(|n| {
            let (c, id) = (tencent.clone(), format!("ins-load-{}", n % 1000));
            tokio::spawn(async move {
                c.console(&console_tencent::ConsoleRequest::new("ap-guangzhou", &id).unwrap())
                    .await
                    .map(|c| matches(&c, &id))
            })
        })
        .collect();
    let mut tencent_ok = 0;
    for t in tasks {
        if let Ok(true) = t.await.unwrap() {
            tencent_ok += 1;
        }
    }
    let throttled = sim.throttled();
    println!(
        "{tencent_calls} Tencent fetches all in flight behind the 10/s limiter: {tencent_ok} right answers, {throttled} RequestLimitExceeded, {:.1} s",
        start.elapsed().as_secs_f64()
    );
    println!(
        "peak RSS (VmHWM) of the process (emulator and clients together): {} KiB",
        proc_kib("VmHWM:")
    );
    tokio::time::sleep(Duration::from_millis(10)).await;
    sim.shutdown().await;
    let pass =
        wrong == 0 && failed == 0 && ok == calls && tencent_ok == tencent_calls && throttled == 0;
    println!("{}", if pass { "load: PASS" } else { "load: FAIL" });
    if !pass {
        std::process::exit(1);
    }
}
