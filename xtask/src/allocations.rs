//! `cargo xtask allocations [PROVIDER...]`: heap allocations a call, library against the bare
//! POST, counted exactly by valgrind's dhat over the throughput bench's one-side runs (client
//! and emulator in one process). Unlike time on a shared machine, the count moves by about one
//! allocation a call from run to run (how hyper's buffers grow depends on timing), where the
//! throughput ratio moves by a tenth (docs/performance.md, fourth and sixth rounds). Needs
//! valgrind (Debian's package); about two minutes for the four providers.
//!
//! Each side runs twice, with `SMALL` and `LARGE` calls; the difference over `LARGE - SMALL`
//! is what one call allocates, setup and teardown cancelling out.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The providers the throughput bench measures, as `BENCH_ONLY` names them.
pub(crate) const PROVIDERS: [&str; 4] = ["tencent", "aliyun", "huawei", "smartx"];

const SMALL: u64 = 1280;
const LARGE: u64 = 3840;

/// One provider's allocations a call; the baseline's is `None` where its setup grows with the
/// calls (Alibaba's signs one request per call beforehand, in the same process).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Row {
    pub(crate) provider: String,
    pub(crate) library: f64,
    pub(crate) baseline: Option<f64>,
}

/// Allocations a call from the totals of a small and a large run.
pub(crate) fn per_call(small_total: u64, large_total: u64) -> f64 {
    (large_total as f64 - small_total as f64) / (LARGE - SMALL) as f64
}

/// The blocks a dhat profile (its JSON output) counts as allocated in all.
pub(crate) fn total_blocks(profile: &serde_json::Value) -> Result<u64, String> {
    let points = profile["pps"]
        .as_array()
        .ok_or("not a dhat profile: no program points (pps)")?;
    points
        .iter()
        .map(|p| p["tbk"].as_u64().ok_or("a program point has no tbk"))
        .sum::<Result<u64, _>>()
        .map_err(str::to_owned)
}

/// The table this prints.
pub(crate) fn table(rows: &[Row]) -> String {
    let mut out = String::from(
        "| provider | library | bare POST | library over the bare POST |\n| --- | ---: | ---: | ---: |\n",
    );
    for r in rows {
        let (baseline, over) = match r.baseline {
            Some(b) => (format!("{b:.1}"), format!("{:.1}", r.library - b)),
            None => ("(grows with the calls)".to_owned(), "-".to_owned()),
        };
        out.push_str(&format!(
            "| {} | {:.1} | {baseline} | {over} |\n",
            r.provider, r.library
        ));
    }
    out
}

/// Builds the bench and counts each of `providers` (all four when empty).
pub(crate) fn run(root: &Path, providers: &[String]) -> Result<Vec<Row>, String> {
    for p in providers {
        if !PROVIDERS.contains(&p.as_str()) {
            return Err(format!("{p:?} is not one of {}", PROVIDERS.join(", ")));
        }
    }
    let providers: Vec<String> = if providers.is_empty() {
        PROVIDERS.iter().map(|p| (*p).to_owned()).collect()
    } else {
        providers.to_vec()
    };
    let valgrind = Command::new("valgrind").arg("--version").output();
    if !valgrind.is_ok_and(|o| o.status.success()) {
        return Err("valgrind is not installed (Debian: apt-get install valgrind)".to_owned());
    }
    let bench = build_bench(root)?;
    let out_dir = root.join("target/allocations");
    std::fs::create_dir_all(&out_dir).map_err(|e| format!("{}: {e}", out_dir.display()))?;
    providers
        .iter()
        .map(|p| {
            let library = count(&bench, &out_dir, p, "library")?;
            let baseline = if p == "aliyun" {
                None
            } else {
                Some(count(&bench, &out_dir, p, "baseline")?)
            };
            Ok(Row {
                provider: p.clone(),
                library,
                baseline,
            })
        })
        .collect()
}

/// The throughput bench's executable, built in release as `cargo bench` builds it.
fn build_bench(root: &Path) -> Result<PathBuf, String> {
    let out = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
        .current_dir(root)
        .args([
            "bench",
            "--no-run",
            "-p",
            "console-sim",
            "--bench",
            "throughput",
            "--message-format=json",
        ])
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "building the bench failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    executable(&String::from_utf8_lossy(&out.stdout))
        .ok_or_else(|| "cargo named no executable for the throughput bench".to_owned())
}

/// The throughput bench's executable among cargo's JSON messages.
pub(crate) fn executable(messages: &str) -> Option<PathBuf> {
    messages
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|m| m["reason"] == "compiler-artifact" && m["target"]["name"] == "throughput")
        .find_map(|m| m["executable"].as_str().map(PathBuf::from))
}

fn count(bench: &Path, out_dir: &Path, provider: &str, side: &str) -> Result<f64, String> {
    let mut totals = Vec::new();
    for calls in [SMALL, LARGE] {
        let file = out_dir.join(format!("dhat.{provider}.{side}.{calls}.json"));
        let status = Command::new("valgrind")
            .arg("--tool=dhat")
            .arg(format!("--dhat-out-file={}", file.display()))
            .arg(bench)
            .env("BENCH_ONLY", format!("{provider}/{side}"))
            .env("BENCH_CALLS", calls.to_string())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .map_err(|e| format!("cannot run valgrind: {e}"))?;
        if !status.success() {
            return Err(format!(
                "{provider}/{side} with {calls} calls failed: {status}"
            ));
        }
        let text =
            std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
        let profile =
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", file.display()))?;
        totals.push(total_blocks(&profile)?);
    }
    Ok(per_call(totals[0], totals[1]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_call_is_the_difference_over_the_extra_calls() {
        assert_eq!(per_call(1_000_000, 1_000_000 + 2560 * 200), 200.0);
        assert_eq!(per_call(5000, 5000 + 1280), 0.5);
    }

    #[test]
    fn blocks_are_summed_over_every_program_point() {
        let profile = serde_json::json!({"pps": [{"tbk": 3, "tb": 10}, {"tbk": 4}]});
        assert_eq!(total_blocks(&profile), Ok(7));
        assert!(total_blocks(&serde_json::json!({})).is_err());
        assert!(total_blocks(&serde_json::json!({"pps": [{"tb": 1}]})).is_err());
    }

    #[test]
    fn the_bench_executable_is_found_among_cargo_s_messages() {
        let messages = [
            r#"{"reason":"compiler-artifact","target":{"name":"load"},"executable":"/t/load-1"}"#,
            "not json",
            r#"{"reason":"compiler-artifact","target":{"name":"throughput"},"executable":"/t/throughput-2"}"#,
            r#"{"reason":"build-finished","success":true}"#,
        ]
        .join("\n");
        assert_eq!(
            executable(&messages),
            Some(PathBuf::from("/t/throughput-2"))
        );
        assert_eq!(executable(r#"{"reason":"build-finished"}"#), None);
    }

    #[test]
    fn the_table_gives_what_the_library_adds_where_the_baseline_is_comparable() {
        let rows = [
            Row {
                provider: "tencent".into(),
                library: 200.0,
                baseline: Some(193.8),
            },
            Row {
                provider: "aliyun".into(),
                library: 233.5,
                baseline: None,
            },
        ];
        let t = table(&rows);
        assert!(t.contains("| tencent | 200.0 | 193.8 | 6.2 |"), "{t}");
        assert!(
            t.contains("| aliyun | 233.5 | (grows with the calls) | - |"),
            "{t}"
        );
    }

    #[test]
    fn an_unknown_provider_is_refused_before_anything_runs() {
        let e = run(Path::new("/nonexistent"), &["azure".to_owned()]).unwrap_err();
        assert!(e.contains("\"azure\"") && e.contains("tencent"), "{e}");
    }
}
