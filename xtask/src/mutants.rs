//! `cargo xtask mutants [--in-diff [BASE]] [-- ARGS]`: cargo-mutants over the pure modules
//! `.cargo/mutants.toml` lists, then a table per crate of what the run found. Exits non-zero
//! when any mutant is missed.
//!
//! - The full run is the habit: every listed module, every mutant.
//! - `--in-diff` tests only the mutants on lines changed since BASE (default: `$MUTANTS_BASE`,
//!   else the merge base with `origin/main` when that differs from HEAD, else `HEAD~1`), so
//!   CI's cost stays in proportion to the change.
//!
//! Timeouts count as caught: the mutant made the tests hang, which the tests noticed.

#![allow(clippy::print_stderr, clippy::print_stdout)] // a command-line tool reports on its terminal

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

/// The cargo-mutants release the config and figures were made with.
pub(crate) const CARGO_MUTANTS_VERSION: &str = "27.1.0";

/// Per crate: mutants found, caught, missed, timed out, unviable.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Tally {
    pub(crate) total: usize,
    pub(crate) caught: usize,
    pub(crate) missed: usize,
    pub(crate) timeout: usize,
    pub(crate) unviable: usize,
}

/// Reads `outcomes.json` into a tally per package, and the names of missed mutants.
pub(crate) fn tally(outcomes: &serde_json::Value) -> (BTreeMap<String, Tally>, Vec<String>) {
    let mut by_crate: BTreeMap<String, Tally> = BTreeMap::new();
    let mut missed = Vec::new();
    let list = outcomes["outcomes"].as_array().cloned().unwrap_or_default();
    for o in &list {
        let Some(m) = o["scenario"].get("Mutant") else {
            continue;
        };
        let package = m["package"].as_str().unwrap_or("?").to_owned();
        let t = by_crate.entry(package).or_default();
        t.total += 1;
        match o["summary"].as_str().unwrap_or("") {
            "CaughtMutant" => t.caught += 1,
            "MissedMutant" => {
                t.missed += 1;
                missed.push(m["name"].as_str().unwrap_or("?").to_owned());
            }
            "Timeout" => t.timeout += 1,
            "Unviable" => t.unviable += 1,
            _ => {}
        }
    }
    (by_crate, missed)
}

/// The tally as a Markdown table, as `docs/reliability.md` carries it.
pub(crate) fn table(by_crate: &BTreeMap<String, Tally>) -> String {
    let mut out = String::from(
        "| crate | mutants | caught | timeout (caught) | unviable | missed |\n| --- | --- | --- | --- | --- | --- |\n",
    );
    let mut sum = Tally::default();
    for (name, t) in by_crate {
        out.push_str(&format!(
            "| `{name}` | {} | {} | {} | {} | {} |\n",
            t.total, t.caught, t.timeout, t.unviable, t.missed
        ));
        sum.total += t.total;
        sum.caught += t.caught;
        sum.timeout += t.timeout;
        sum.unviable += t.unviable;
        sum.missed += t.missed;
    }
    out.push_str(&format!(
        "| all | {} | {} | {} | {} | {} |\n",
        sum.total, sum.caught, sum.timeout, sum.unviable, sum.missed
    ));
    out
}

fn git(root: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .current_dir(root)
        .args(args)
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// The revision `--in-diff` compares with.
fn diff_base(root: &Path, given: Option<&str>) -> Result<String, String> {
    if let Some(b) = given
        .map(str::to_owned)
        .or_else(|| std::env::var("MUTANTS_BASE").ok().filter(|b| !b.is_empty()))
    {
        return Ok(b);
    }
    let head = git(root, &["rev-parse", "HEAD"]).ok_or("not a git checkout")?;
    if let Some(mb) = git(root, &["merge-base", "HEAD", "origin/main"]) {
        if mb != head {
            return Ok(mb);
        }
    }
    git(root, &["rev-parse", "HEAD~1"]).ok_or_else(|| "no commit before HEAD to diff with".into())
}

/// cargo-nextest runs each mutant's tests (`.cargo/mutants.toml`); a fresh machine may lack it.
fn ensure_nextest() -> Result<(), String> {
    let have = Command::new("cargo")
        .args(["nextest", "--version"])
        .output()
        .is_ok_and(|o| o.status.success());
    if have {
        return Ok(());
    }
    eprintln!("installing cargo-nextest");
    let ok = Command::new("cargo")
        .args(["install", "cargo-nextest", "--locked"])
        .status()
        .map_err(|e| format!("cannot run cargo install: {e}"))?
        .success();
    ok.then_some(())
        .ok_or_else(|| "cargo install cargo-nextest failed".into())
}

fn ensure_cargo_mutants() -> Result<(), String> {
    let have = Command::new("cargo")
        .args(["mutants", "--version"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned());
    if have
        .as_deref()
        .is_some_and(|v| v.contains(CARGO_MUTANTS_VERSION))
    {
        return Ok(());
    }
    eprintln!("installing cargo-mutants {CARGO_MUTANTS_VERSION}");
    let ok = Command::new("cargo")
        .args([
            "install",
            "cargo-mutants",
            "--locked",
            "--version",
            CARGO_MUTANTS_VERSION,
        ])
        .status()
        .map_err(|e| format!("cannot run cargo install: {e}"))?
        .success();
    ok.then_some(())
        .ok_or_else(|| "cargo install cargo-mutants failed".into())
}

/// Runs the command; the process exit code to return.
pub(crate) fn run(root: &Path, args: &[String]) -> Result<u8, String> {
    let (ours, passthrough) = match args.iter().position(|a| a == "--") {
        Some(i) => (&args[..i], &args[i + 1..]),
        None => (args, &[][..]),
    };
    let mut in_diff = None;
    let mut it = ours.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--in-diff" => in_diff = Some(it.next().cloned()),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    let out_dir = root.join("target").join("mutants");
    std::fs::create_dir_all(&out_dir).map_err(|e| e.to_string())?;
    // The diff first: with nothing to test, nothing needs installing.
    let mut diff_file = None;
    if let Some(base) = in_diff {
        let base = diff_base(root, base.as_deref())?;
        let diff = git(root, &["diff", &base, "--", "crates"]).unwrap_or_default();
        if diff.trim().is_empty() {
            println!("mutants: no change under crates/ since {base}; nothing to test");
            return Ok(0);
        }
        let path = out_dir.join("changes.diff");
        std::fs::write(&path, format!("{diff}\n")).map_err(|e| e.to_string())?;
        println!("mutants: only the lines changed since {base}");
        diff_file = Some(path);
    }
    ensure_cargo_mutants()?;
    ensure_nextest()?;
    // A previous run's outcomes must not be read as this run's (a run that finds no mutant
    // writes none).
    let previous = out_dir.join("mutants.out");
    if previous.exists() {
        std::fs::remove_dir_all(&previous)
            .map_err(|e| format!("cannot clear {}: {e}", previous.display()))?;
    }
    let mut cmd = Command::new("cargo");
    cmd.current_dir(root)
        .args(["mutants", "--no-shuffle", "-o"])
        .arg(&out_dir);
    if let Some(path) = &diff_file {
        cmd.arg("--in-diff").arg(path);
    }
    cmd.args(passthrough);
    let status = cmd
        .status()
        .map_err(|e| format!("cannot run cargo mutants: {e}"))?;
    let outcomes = out_dir.join("mutants.out").join("outcomes.json");
    if let Ok(text) = std::fs::read_to_string(&outcomes) {
        let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
        let (by_crate, missed) = tally(&value);
        println!("\n{}", table(&by_crate));
        for m in &missed {
            println!("MISSED {m}");
        }
        return Ok(u8::from(!missed.is_empty()) * 2);
    }
    // cargo-mutants exits 0 (all caught), 2 (missed), 3 (timeouts only), 4 (the unmutated
    // tree fails); with no outcomes file, pass its verdict on.
    match status.code() {
        Some(0 | 3) => Ok(0),
        Some(c) => Ok(u8::try_from(c).unwrap_or(1)),
        None => Ok(1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_are_tallied_per_crate_and_timeouts_count_as_caught() {
        let m = |pkg: &str, name: &str, summary: &str| serde_json::json!({"scenario": {"Mutant": {"package": pkg, "name": name}}, "summary": summary});
        let outcomes = serde_json::json!({"outcomes": [
            {"scenario": "Baseline", "summary": "Success"},
            m("console-core", "a", "CaughtMutant"),
            m("console-core", "b", "MissedMutant"),
            m("console-core", "c", "Timeout"),
            m("console-tencent", "d", "Unviable"),
        ]});
        let (by_crate, missed) = tally(&outcomes);
        assert_eq!(missed, ["b"]);
        assert_eq!(
            by_crate["console-core"],
            Tally {
                total: 3,
                caught: 1,
                missed: 1,
                timeout: 1,
                unviable: 0
            }
        );
        let t = table(&by_crate);
        assert!(
            t.contains("| `console-tencent` | 1 | 0 | 0 | 1 | 0 |"),
            "{t}"
        );
        assert!(t.contains("| all | 4 | 1 | 1 | 1 | 1 |"), "{t}");
    }
}
