//! Replays every input kept in `fuzz/regressions/<target>/` (crashes the fuzzers found, and
//! seeds) through the same checks the fuzz targets run, so a fixed crash stays fixed without
//! a nightly toolchain.

#[allow(dead_code)]
#[path = "../../../fuzz/src/checks.rs"]
mod checks;

use std::path::Path;

fn replay(target: &str, check: fn(&[u8])) -> usize {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/regressions")
        .join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return 0;
    };
    let mut n = 0;
    for entry in entries {
        let path = entry.unwrap().path();
        let data = std::fs::read(&path).unwrap();
        let result = std::panic::catch_unwind(|| check(&data));
        assert!(result.is_ok(), "{} fails its check again", path.display());
        n += 1;
    }
    n
}

#[test]
fn fuzz_regressions_stay_fixed() {
    let n = replay("responses", checks::responses)
        + replay("encoding", checks::encoding)
        + replay("viewer", checks::viewer)
        + replay("signing", checks::signing);
    assert!(n >= 1, "no regression inputs found under fuzz/regressions");
}
