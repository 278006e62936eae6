//! `cargo xtask fixtures [--check]`: writes (or checks) one generated test file per crate from
//! the fixture JSON in `fixtures/<name>/`. See `docs/fixtures.md`.
//!
//! `cargo xtask mutants [--in-diff [BASE]] [-- ARGS]`: mutation testing of the pure modules
//! (`.cargo/mutants.toml`). See `docs/reliability.md`.
//!
//! `cargo xtask novnc [--check]`: refreshes (or checks) the vendored noVNC against the pinned
//! npm package.
//!
//! `cargo xtask allocations [PROVIDER...]`: heap allocations a call, library against the bare
//! POST, counted by valgrind's dhat over the throughput bench. See `docs/performance.md`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod allocations;
mod fixtures;
mod mutants;
mod novnc;

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_path_buf()
}

#[allow(clippy::print_stderr, clippy::print_stdout)]
fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = workspace_root();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["fixtures"] => match fixtures::write(&root) {
            Ok(written) => {
                for path in written {
                    println!("wrote {}", path.display());
                }
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        },
        ["fixtures", "--check"] => match fixtures::check(&root) {
            Ok(n) => {
                println!("fixtures: {n} generated files are up to date");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        },
        ["mutants", ..] => match mutants::run(&root, &args[1..]) {
            Ok(code) => ExitCode::from(code),
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        },
        ["novnc"] => match novnc::write(&root) {
            Ok(n) => {
                println!(
                    "novnc: wrote {n} files of @novnc/novnc@{}",
                    console_novnc::VERSION
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        },
        ["novnc", "--check"] => match novnc::check(&root) {
            Ok(n) => {
                println!(
                    "novnc: {n} vendored files are @novnc/novnc@{}'s",
                    console_novnc::VERSION
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        },
        ["allocations", ..] => match allocations::run(&root, &args[1..]) {
            Ok(rows) => {
                println!("heap allocations a call (client and emulator, one process):\n");
                print!("{}", allocations::table(&rows));
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        },
        _ => {
            eprintln!("usage: cargo xtask fixtures [--check] | cargo xtask mutants [--in-diff [BASE]] [-- ARGS] | cargo xtask novnc [--check] | cargo xtask allocations [PROVIDER...]");
            ExitCode::from(2)
        }
    }
}
