//! Console fetches per second and latency against the emulator, per provider, sequentially and
//! with 64 in flight, beside a baseline measured in the same run: a bare reqwest POST of
//! requests signed before timing starts, with the library's `User-Agent`, to the same emulator
//! route (the same bytes on the wire; what any HTTP client pays;
//! the difference is what the library adds: building, signing, parsing, retry bookkeeping).
//! Alibaba's baseline signs each request with its own nonce beforehand, since the emulator
//! refuses a replayed nonce early and that would make the baseline's path shorter.
//!
//! Beside calls a second, each row gives the process's CPU time a call (client and emulator)
//! for both, and their ratio, which counts no time spent waiting.
//!
//! `cargo bench -p console-sim --bench throughput` (set `BENCH_CALLS` to change the count).
//!
//! `BENCH_ONLY=PROVIDER/SIDE` (`tencent`, `aliyun`, `huawei`, `smartx`; `library` or
//! `baseline`) runs only that side of that provider, `BENCH_CALLS` calls with 64 in flight
//! (`BENCH_IN_FLIGHT` to change it; 1 is the sequential mode), and prints its CPU time a
//! call: the run to hand to `perf stat`, `perf record` or `valgrind --tool=callgrind`
//! (docs/performance.md counts instructions a call that way).

#![allow(clippy::print_stdout)]

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use console_core::sign::{SignableRequest, SigningParams};
use console_core::{HttpRequest, RetryPolicy};
use console_sim::{Sim, RUNNING};

struct Stats {
    per_second: f64,
    p50: Duration,
    p99: Duration,
    wall: Duration,
    /// The process's CPU time over the batch (client and emulator, all threads).
    cpu: Duration,
    latencies: Vec<Duration>,
}

fn stats(mut lat: Vec<Duration>, wall: Duration, cpu: Duration) -> Stats {
    lat.sort();
    let pick = |q: f64| lat[((lat.len() as f64 * q) as usize).min(lat.len() - 1)];
    Stats {
        per_second: lat.len() as f64 / wall.as_secs_f64(),
        p50: pick(0.50),
        p99: pick(0.99),
        wall,
        cpu,
        latencies: lat,
    }
}

async fn measure<F, Fut>(calls: usize, in_flight: usize, op: F) -> Stats
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = bool> + Send,
{
    let op = Arc::new(op);
    let cpu = cpu_time::ProcessTime::now();
    let start = Instant::now();
    let per_worker = calls / in_flight;
    let workers: Vec<_> = (0..in_flight)
        .map(|_| {
            let op = op.clone();
            tokio::spawn(async move {
                let mut lat = Vec::with_capacity(per_worker);
                for _ in 0..per_worker {
                    let t = Instant::now();
                    assert!(op().await, "a call failed");
                    lat.push(t.elapsed());
                }
                lat
            })
        })
        .collect();
    let mut all = Vec::with_capacity(calls);
    for w in workers {
        all.extend(w.await.unwrap());
    }
    stats(all, start.elapsed(), cpu.elapsed())
}

fn to_reqwest(http: &reqwest::Client, r: &HttpRequest) -> reqwest::RequestBuilder {
    let mut b = http.post(r.url.clone()).body(r.body.clone());
    for (k, v) in &r.headers {
        b = b.header(k.as_ref(), v.as_ref());
    }
    b
}

/// `BENCH_ONLY`'s provider and side, when it is set.
#[derive(Clone)]
struct Only {
    provider: String,
    library: bool,
    /// `BENCH_IN_FLIGHT`, 64 unless set (1 is the sequential mode).
    in_flight: usize,
}

impl Only {
    fn from_env() -> Option<Self> {
        let v = std::env::var("BENCH_ONLY").ok().filter(|v| !v.is_empty())?;
        let (provider, side) = v
            .split_once('/')
            .expect("BENCH_ONLY is PROVIDER/library or PROVIDER/baseline");
        let library = match side {
            "library" => true,
            "baseline" => false,
            other => panic!("BENCH_ONLY's side is library or baseline, not {other}"),
        };
        let in_flight = std::env::var("BENCH_IN_FLIGHT").ok().map_or(64, |v| {
            v.parse().expect("BENCH_IN_FLIGHT is a number of calls")
        });
        Some(Self {
            provider: provider.to_owned(),
            library,
            in_flight,
        })
    }

    /// Whether the row named `name` (its first word is the provider) runs.
    fn runs(only: &Option<Self>, name: &str) -> bool {
        only.as_ref()
            .is_none_or(|o| name.split(' ').next() == Some(o.provider.as_str()))
    }
}

#[tokio::main]
async fn main() {
    let calls: usize = std::env::var("BENCH_CALLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2048);
    let only = Only::from_env();
    // The emulator forgets issued URLs (and Alibaba nonces) after a second, as the load bench
    // has it forget them: otherwise its maps grow with every call, and the later rows of a
    // long run, or every row of a longer one, pay more to be served than the first.
    let sim = Sim::builder()
        .tencent_rate_limit(None)
        .console_ttl(Duration::from_secs(1))
        .memory(Duration::from_secs(1))
        .start()
        .await
        .unwrap();
    // The baseline sends the User-Agent the library's transport sends, so that the emulator
    // and the kernel get the same bytes from both: one more header of any name costs the
    // in-process emulator about 0.1 context switches and several µs a call here, which is
    // the request's shape, not the library's work (docs/performance.md, "Fifth round").
    let http = reqwest::Client::builder()
        .user_agent(console_core::transport::USER_AGENT)
        .build()
        .unwrap();
    let no_retry = RetryPolicy::none();
    let now = console_core::time::OffsetDateTime::now_utc();

    // Library calls, one closure per provider.
    let tencent = console_tencent::Client::builder(console_tencent::Credentials::new(
        console_sim::TENCENT_SECRET_ID,
        console_sim::TENCENT_SECRET_KEY,
    ))
    .endpoint_url(sim.tencent_url())
    .retry(no_retry)
    .build()
    .unwrap();
    let aliyun = console_aliyun::Client::builder(console_aliyun::Credentials::new(
        console_sim::ALIYUN_ACCESS_KEY_ID,
        console_sim::ALIYUN_ACCESS_KEY_SECRET,
    ))
    .endpoint_url(sim.aliyun_url())
    .retry(no_retry)
    .build()
    .unwrap();
    let huawei = console_huawei::Client::builder(console_huawei::Credentials::ak_sk(
        console_sim::HUAWEI_AK,
        console_sim::HUAWEI_SK,
    ))
    .project_id(console_sim::HUAWEI_PROJECT_ID)
    .unwrap()
    .endpoint_url(sim.huawei_url())
    .retry(no_retry)
    .build()
    .unwrap();
    let smartx = console_smartx::Client::builder(
        sim.smartx_url(),
        console_smartx::Credentials::login(
            console_sim::SMARTX_USERNAME,
            console_sim::SMARTX_PASSWORD,
            console_smartx::UserSource::Local,
        ),
    )
    .retry(no_retry)
    .build()
    .unwrap();
    smartx
        .console(&console_smartx::ConsoleRequest::new(RUNNING).unwrap())
        .await
        .unwrap(); // log in once

    // Baselines: one request signed once, replayed with bare reqwest.
    let t_req = {
        let ep = console_core::Url::parse(&sim.tencent_url()).unwrap();
        let mut r = console_tencent::request::build(
            &ep,
            &console_tencent::ConsoleRequest::new("ap-guangzhou", RUNNING).unwrap(),
        )
        .unwrap();
        let creds = console_tencent::Credentials::new(
            console_sim::TENCENT_SECRET_ID,
            console_sim::TENCENT_SECRET_KEY,
        );
        let params = SigningParams {
            identity: creds.identity(),
            time: now,
            nonce: "",
            settings: console_tencent::sign::tc3::Settings::default(),
        };
        console_tencent::sign::tc3::sign(&SignableRequest::from_request(&r), &params)
            .unwrap()
            .apply_to(&mut r);
        r
    };
    let a_req = |nonce: &str| {
        let ep = console_core::Url::parse(&sim.aliyun_url()).unwrap();
        let mut r = console_aliyun::request::build(
            &ep,
            &console_aliyun::ConsoleRequest::new("cn-hangzhou", RUNNING).unwrap(),
        )
        .unwrap();
        let creds = console_aliyun::Credentials::new(
            console_sim::ALIYUN_ACCESS_KEY_ID,
            console_sim::ALIYUN_ACCESS_KEY_SECRET,
        );
        let params = SigningParams {
            identity: creds.identity(),
            time: now,
            nonce,
            settings: console_aliyun::sign::acs3::Settings::default(),
        };
        console_aliyun::sign::acs3::sign(&SignableRequest::from_request(&r), &params)
            .unwrap()
            .apply_to(&mut r);
        r
    };
    let h_req = {
        let ep = console_core::Url::parse(&sim.huawei_url()).unwrap();
        let creds =
            console_huawei::Credentials::ak_sk(console_sim::HUAWEI_AK, console_sim::HUAWEI_SK);
        let mut r = console_huawei::request::build(
            &ep,
            &console_huawei::ConsoleRequest::new("cn-north-4", RUNNING)
                .unwrap()
                .project_id(console_sim::HUAWEI_PROJECT_ID)
                .unwrap(),
        )
        .unwrap();
        console_huawei::sign::authenticate(&mut r, &creds, now).unwrap();
        r
    };
    let s_req = {
        let ep = console_core::Url::parse(&sim.smartx_url()).unwrap();
        let login = console_smartx::request::login(
            &ep,
            console_sim::SMARTX_USERNAME,
            console_sim::SMARTX_PASSWORD,
            console_smartx::UserSource::Local,
        )
        .unwrap();
        let resp = to_reqwest(&http, &login).send().await.unwrap();
        let body: serde_json::Value = serde_json::from_slice(&resp.bytes().await.unwrap()).unwrap();
        let token = console_core::Secret::new(body["data"]["token"].as_str().unwrap());
        let mut r = console_smartx::request::build(
            &ep,
            &console_smartx::ConsoleRequest::new(RUNNING).unwrap(),
        )
        .unwrap();
        console_smartx::sign::authorize(&mut r, &token);
        r
    };

    if only.is_none() {
        println!("console fetches against console-sim on 127.0.0.1; {calls} calls per 64-in-flight row, {} per sequential row\n", calls / 4);
    }
    if only.is_none() {
        println!("| provider | mode | library calls/s | baseline calls/s | library/baseline (median of {ROUNDS} rounds) | rounds' range | library p50 | library p99 | baseline p50 | baseline p99 | CPU a call, library | CPU a call, baseline | CPU ratio (median) | its range |");
        println!("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    }

    // The targets are made (and validated) once, as a caller that reuses them would.
    let target = Arc::new(console_tencent::ConsoleRequest::new("ap-guangzhou", RUNNING).unwrap());
    let t = tencent.clone();
    row("tencent", &only, calls, &http, vec![t_req], move || {
        let (c, target) = (t.clone(), target.clone());
        async move { c.console(&target).await.is_ok() }
    })
    .await;
    // One pre-signed request per baseline call: a fresh nonce each, as the service demands
    // (not signed when only the library runs: instructions counted would include them).
    let pool_size = match &only {
        Some(o) if o.library || o.provider != "aliyun" => 1,
        _ => calls + calls / 4,
    };
    let pool: Vec<HttpRequest> = (0..pool_size)
        .map(|i| a_req(&format!("bench-nonce-{i}")))
        .collect();
    let target = Arc::new(console_aliyun::ConsoleRequest::new("cn-hangzhou", RUNNING).unwrap());
    let a = aliyun.clone();
    row("aliyun", &only, calls, &http, pool, move || {
        let (c, target) = (a.clone(), target.clone());
        async move { c.console(&target).await.is_ok() }
    })
    .await;
    let target = Arc::new(console_huawei::ConsoleRequest::new("cn-north-4", RUNNING).unwrap());
    let h = huawei.clone();
    row("huawei v1", &only, calls, &http, vec![h_req], move || {
        let (c, target) = (h.clone(), target.clone());
        async move { c.console(&target).await.is_ok() }
    })
    .await;
    let target = Arc::new(console_smartx::ConsoleRequest::new(RUNNING).unwrap());
    let x = smartx.clone();
    row("smartx", &only, calls, &http, vec![s_req], move || {
        let (c, target) = (x.clone(), target.clone());
        async move { c.console(&target).await.is_ok() }
    })
    .await;
    sim.shutdown().await;
}

/// Rounds per row: library and baseline batches alternate (which goes first alternates too),
/// so that both see the same machine, and the ratio reported is the median of the rounds'.
const ROUNDS: usize = 6;

/// Measures the library and the baseline; the baseline sends `reqs` in turn (one replayed,
/// or one each).
async fn row<F, Fut>(
    name: &str,
    only: &Option<Only>,
    calls: usize,
    http: &reqwest::Client,
    reqs: Vec<HttpRequest>,
    lib_op: F,
) where
    F: Fn() -> Fut + Send + Sync + Clone + 'static,
    Fut: Future<Output = bool> + Send,
{
    if !Only::runs(only, name) {
        return;
    }
    // Shared by both modes, so a pool of one request per call is never replayed.
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let base_op = |http: reqwest::Client,
                   reqs: Vec<HttpRequest>,
                   next: Arc<std::sync::atomic::AtomicUsize>| {
        move || {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let b = to_reqwest(&http, &reqs[i % reqs.len()]);
            async move {
                // The baseline must take the emulator's full path (a console issued), not
                // an error answer that would be cheaper than the library's.
                match b.send().await {
                    Ok(r) if r.status().is_success() => r
                        .bytes()
                        .await
                        .is_ok_and(|body| !body.windows(5).any(|w| w == b"Error")),
                    _ => false,
                }
            }
        }
    };
    if let Some(o) = only {
        let s = if o.library {
            measure(calls, o.in_flight, lib_op).await
        } else {
            measure(calls, o.in_flight, base_op(http.clone(), reqs, next)).await
        };
        let side = if o.library { "library" } else { "baseline" };
        println!(
            "{name} {side}, {} in flight: {calls} calls, {:.0} calls/s, {:.1} µs CPU a call",
            o.in_flight,
            s.per_second,
            s.cpu.as_secs_f64() * 1e6 / calls as f64
        );
        return;
    }
    for (mode, n, in_flight) in [
        ("sequential", calls / 4, 1usize),
        ("64 in flight", calls, 64usize),
    ] {
        let per_round = (n / ROUNDS).max(in_flight);
        let (mut lib_all, mut base_all, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
        let (mut lib_wall, mut base_wall) = (Duration::ZERO, Duration::ZERO);
        // CPU a call counts no time the process waits (a second view of the same cost).
        // Baseline CPU over library CPU, per round.
        let (mut lib_cpu, mut base_cpu, mut cpu_ratios) =
            (Duration::ZERO, Duration::ZERO, Vec::new());
        for round in 0..ROUNDS {
            let base_op = base_op(http.clone(), reqs.clone(), next.clone());
            let (lib, base) = if round % 2 == 0 {
                let l = measure(per_round, in_flight, lib_op.clone()).await;
                (l, measure(per_round, in_flight, base_op).await)
            } else {
                let b = measure(per_round, in_flight, base_op).await;
                (measure(per_round, in_flight, lib_op.clone()).await, b)
            };
            ratios.push(lib.per_second / base.per_second);
            cpu_ratios.push(base.cpu.as_secs_f64() / lib.cpu.as_secs_f64());
            lib_wall += lib.wall;
            base_wall += base.wall;
            lib_cpu += lib.cpu;
            base_cpu += base.cpu;
            lib_all.extend(lib.latencies);
            base_all.extend(base.latencies);
        }
        ratios.sort_by(f64::total_cmp);
        cpu_ratios.sort_by(f64::total_cmp);
        let median = (ratios[ROUNDS / 2 - 1] + ratios[ROUNDS / 2]) / 2.0;
        let cpu_median = (cpu_ratios[ROUNDS / 2 - 1] + cpu_ratios[ROUNDS / 2]) / 2.0;
        let lib = stats(lib_all, lib_wall, lib_cpu);
        let base = stats(base_all, base_wall, base_cpu);
        let per_call = |s: &Stats| s.cpu.as_secs_f64() * 1e6 / s.latencies.len() as f64;
        println!(
            "| {name} | {mode} | {:.0} | {:.0} | {median:.2} | {:.2}-{:.2} | {:.2} ms | {:.2} ms | {:.2} ms | {:.2} ms | {:.1} µs | {:.1} µs | {cpu_median:.2} | {:.2}-{:.2} |",
            lib.per_second,
            base.per_second,
            ratios[0],
            ratios[ROUNDS - 1],
            lib.p50.as_secs_f64() * 1e3,
            lib.p99.as_secs_f64() * 1e3,
            base.p50.as_secs_f64() * 1e3,
            base.p99.as_secs_f64() * 1e3,
            per_call(&lib),
            per_call(&base),
            cpu_ratios[0],
            cpu_ratios[ROUNDS - 1],
        );
    }
}
