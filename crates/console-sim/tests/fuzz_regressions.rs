//! Replays every input kept in `fuzz/regressions/<target>/` (crashes the fuzzers found, and
//! seeds) through the same checks the fuzz targets run, so a fixed crash stays fixed without
//! a nightly toolchain.

#[allow(dead_code)]
#[path = "../../../fuzz/src/checks.rs"]
mod checks;

use std::path::Path;

/// A fuzz target's check.
type Check = fn(&[u8]);

fn fuzz_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz")
}

/// Replays a target's inputs; a target without any is a failure, not a silent zero.
fn replay(target: &str, check: Check) -> usize {
    let dir = fuzz_dir().join("regressions").join(target);
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| {
        panic!(
            "{}: every fuzz target keeps its regressions ({e})",
            dir.display()
        )
    });
    let mut n = 0;
    for entry in entries {
        let path = entry.unwrap().path();
        let data = std::fs::read(&path).unwrap();
        let result = std::panic::catch_unwind(|| check(&data));
        assert!(result.is_ok(), "{} fails its check again", path.display());
        n += 1;
    }
    assert!(n >= 1, "{}: no regression input", dir.display());
    n
}

#[test]
fn fuzz_regressions_stay_fixed() {
    let checks: [(&str, Check); 4] = [
        ("responses", checks::responses),
        ("encoding", checks::encoding),
        ("viewer", checks::viewer),
        ("signing", checks::signing),
    ];
    for (target, check) in checks {
        replay(target, check);
    }
    // A new fuzz target needs its regressions folder and a place in the list above.
    let targets = std::fs::read_dir(fuzz_dir().join("fuzz_targets")).unwrap();
    for entry in targets {
        let name = entry.unwrap().path();
        let name = name.file_stem().unwrap().to_string_lossy().into_owned();
        assert!(
            checks.iter().any(|(t, _)| *t == name),
            "fuzz target {name} has no regression replay"
        );
    }
}
