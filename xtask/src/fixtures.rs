//! The fixture pipeline: `fixtures/<dir>/*.json` -> `crates/console-<dir>/tests/fixtures.rs`.
//!
//! Each generated file holds one `#[tokio::test]` per fixture that hands the fixture's JSON to
//! the crate's hand-written harness (`tests/harness/mod.rs`). The generator only validates the
//! envelope every fixture shares (`source.document`, `source.section`, `description`); what a
//! fixture's `input`, `response` and `expect` mean is the harness's business.

use std::collections::BTreeSet;
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

/// The generated file, relative to a crate's directory.
pub(crate) const GENERATED: &str = "tests/fixtures.rs";

/// A problem the generator found; it names the file.
#[derive(Debug)]
pub(crate) struct FixtureError(String);

impl fmt::Display for FixtureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn err(msg: impl Into<String>) -> FixtureError {
    FixtureError(msg.into())
}

/// One generated file: where it goes and what it holds.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Generated {
    pub(crate) path: PathBuf,
    pub(crate) contents: String,
}

/// Turns a file stem into a test function name: lowercase, `[a-z0-9_]`, starting with a letter.
pub(crate) fn test_name(stem: &str) -> String {
    let mut name: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    if !name.starts_with(|c: char| c.is_ascii_lowercase()) {
        name.insert_str(0, "fixture_");
    }
    name
}

fn validate(path: &Path, text: &str) -> Result<(), FixtureError> {
    let shown = path.display();
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| err(format!("{shown}: not valid JSON: {e}")))?;
    for pointer in ["/source/document", "/source/section", "/description"] {
        match value.pointer(pointer) {
            Some(serde_json::Value::String(s)) if !s.trim().is_empty() => {}
            _ => {
                return Err(err(format!(
                    "{shown}: missing `{}` (every fixture names its source document and section)",
                    pointer.trim_start_matches('/').replace('/', ".")
                )))
            }
        }
    }
    Ok(())
}

/// Formats generated code the way `cargo fmt` would, so that the formatter and `--check`
/// never disagree about a generated file.
fn rustfmt(code: &str) -> Result<String, FixtureError> {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new("rustfmt")
        .args(["--edition", "2021", "--emit", "stdout"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            err(format!(
                "could not run rustfmt (rustup component add rustfmt): {e}"
            ))
        })?;
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(code.as_bytes())
        .map_err(|e| err(format!("rustfmt: {e}")))?;
    let out = child
        .wait_with_output()
        .map_err(|e| err(format!("rustfmt: {e}")))?;
    if !out.status.success() {
        return Err(err(format!(
            "rustfmt rejected the generated code: {}",
            String::from_utf8_lossy(&out.stderr)
        )));
    }
    String::from_utf8(out.stdout).map_err(|e| err(format!("rustfmt: {e}")))
}

/// Fixture folders that are not provider documents: `signing/` holds vectors the official SDKs
/// compute (`tests/official-sdks/run.sh vectors`), replayed by each provider's `sdk_vectors`
/// test and checked for staleness by that script.
const NOT_DOCUMENT_FIXTURES: &[&str] = &["signing"];

/// Everything the generator would write, computed in memory.
pub(crate) fn generate(root: &Path) -> Result<Vec<Generated>, FixtureError> {
    let fixtures_dir = root.join("fixtures");
    let mut dirs: Vec<PathBuf> = fs::read_dir(&fixtures_dir)
        .map_err(|e| err(format!("{}: {e}", fixtures_dir.display())))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .filter(|p| {
            !p.file_name()
                .is_some_and(|n| NOT_DOCUMENT_FIXTURES.iter().any(|x| n == *x))
        })
        .collect();
    dirs.sort();

    let mut out = Vec::new();
    for dir in dirs {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let crate_dir = root.join("crates").join(format!("console-{name}"));
        if !crate_dir.join("Cargo.toml").is_file() {
            return Err(err(format!(
                "{}: no crate crates/console-{name} to generate tests into",
                dir.display()
            )));
        }
        let mut files: Vec<PathBuf> = fs::read_dir(&dir)
            .map_err(|e| err(format!("{}: {e}", dir.display())))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        if files.is_empty() {
            continue;
        }

        let mut seen = BTreeSet::new();
        let mut body = String::new();
        body.push_str(&format!(
            "// @generated by `cargo xtask fixtures` from fixtures/{name}/: do not edit by hand.\n\
             // Add or change a JSON file there and run `cargo xtask fixtures`.\n\
             //! One test per fixture in `fixtures/{name}/`, run by the harness in `tests/harness/mod.rs`.\n\
             \n\
             mod harness;\n"
        ));
        for file in &files {
            let text =
                fs::read_to_string(file).map_err(|e| err(format!("{}: {e}", file.display())))?;
            validate(file, &text)?;
            let stem = file.file_stem().unwrap().to_string_lossy().into_owned();
            let test = test_name(&stem);
            if !seen.insert(test.clone()) {
                return Err(err(format!(
                    "{}: its test name `{test}` collides with another fixture's",
                    file.display()
                )));
            }
            let file_name = file.file_name().unwrap().to_string_lossy();
            body.push_str(&format!(
                "\n#[tokio::test]\nasync fn {test}() {{\n    harness::run(\n        \"{test}\",\n        include_str!(\"../../../fixtures/{name}/{file_name}\"),\n    )\n    .await;\n}}\n"
            ));
        }
        out.push(Generated {
            path: crate_dir.join(GENERATED),
            contents: rustfmt(&body)?,
        });
    }
    Ok(out)
}

/// Writes every generated file; returns their paths.
pub(crate) fn write(root: &Path) -> Result<Vec<PathBuf>, FixtureError> {
    let generated = generate(root)?;
    let mut written = Vec::new();
    for g in generated {
        if fs::read_to_string(&g.path).ok().as_deref() != Some(g.contents.as_str()) {
            fs::write(&g.path, &g.contents)
                .map_err(|e| err(format!("{}: {e}", g.path.display())))?;
            written.push(g.path);
        }
    }
    Ok(written)
}

/// Fails, naming each stale or missing file, unless every generated file is up to date.
pub(crate) fn check(root: &Path) -> Result<usize, FixtureError> {
    let generated = generate(root)?;
    let stale: Vec<String> = generated
        .iter()
        .filter(|g| fs::read_to_string(&g.path).ok().as_deref() != Some(g.contents.as_str()))
        .map(|g| {
            g.path
                .strip_prefix(root)
                .unwrap_or(&g.path)
                .display()
                .to_string()
        })
        .collect();
    if stale.is_empty() {
        Ok(generated.len())
    } else {
        Err(err(format!(
            "stale generated fixture tests: {}; run `cargo xtask fixtures` and commit the result",
            stale.join(", ")
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(document: &str) -> String {
        format!(
            r#"{{"source": {{"document": "{document}", "section": "Example"}}, "description": "d"}}"#
        )
    }

    fn workspace() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("crates/console-demo/tests")).unwrap();
        fs::write(root.join("crates/console-demo/Cargo.toml"), "").unwrap();
        fs::create_dir_all(root.join("fixtures/demo")).unwrap();
        fs::write(root.join("fixtures/demo/b-error.json"), fixture("seed.txt")).unwrap();
        fs::write(
            root.join("fixtures/demo/a_success.json"),
            fixture("seed.txt"),
        )
        .unwrap();
        fs::write(root.join("fixtures/demo/notes.md"), "ignored").unwrap();
        dir
    }

    #[test]
    fn names_are_valid_identifiers() {
        assert_eq!(
            test_name("error-InvalidInstanceId.NotFound"),
            "error_invalidinstanceid_notfound"
        );
        assert_eq!(test_name("404"), "fixture_404");
    }

    #[test]
    fn generates_one_sorted_test_per_fixture() {
        let ws = workspace();
        let generated = generate(ws.path()).unwrap();
        assert_eq!(generated.len(), 1);
        let g = &generated[0];
        assert_eq!(
            g.path,
            ws.path().join("crates/console-demo/tests/fixtures.rs")
        );
        assert!(g.contents.starts_with("// @generated"));
        let a = g.contents.find("async fn a_success()").unwrap();
        let b = g.contents.find("async fn b_error()").unwrap();
        assert!(a < b);
        assert!(g
            .contents
            .contains(r#"include_str!("../../../fixtures/demo/b-error.json")"#));
        assert_eq!(g.contents.matches("#[tokio::test]").count(), 2);
    }

    #[test]
    fn check_fails_naming_a_stale_file_until_written() {
        let ws = workspace();
        let e = check(ws.path()).unwrap_err().to_string();
        assert!(e.contains("crates/console-demo/tests/fixtures.rs"), "{e}");
        assert_eq!(write(ws.path()).unwrap().len(), 1);
        assert_eq!(check(ws.path()).unwrap(), 1);
        // Writing again changes nothing.
        assert!(write(ws.path()).unwrap().is_empty());
        // A new fixture makes the file stale again.
        fs::write(ws.path().join("fixtures/demo/c.json"), fixture("seed.txt")).unwrap();
        assert!(check(ws.path()).is_err());
        // So does a hand edit.
        write(ws.path()).unwrap();
        let path = ws.path().join("crates/console-demo/tests/fixtures.rs");
        let edited = fs::read_to_string(&path).unwrap() + "\n// hand edit\n";
        fs::write(&path, edited).unwrap();
        assert!(check(ws.path())
            .unwrap_err()
            .to_string()
            .contains("fixtures.rs"));
    }

    #[test]
    fn a_fixture_without_its_source_is_refused_by_name() {
        let ws = workspace();
        fs::write(
            ws.path().join("fixtures/demo/nosource.json"),
            r#"{"description": "d"}"#,
        )
        .unwrap();
        let e = generate(ws.path()).unwrap_err().to_string();
        assert!(
            e.contains("nosource.json") && e.contains("source.document"),
            "{e}"
        );
        fs::write(ws.path().join("fixtures/demo/nosource.json"), "{not json").unwrap();
        let e = generate(ws.path()).unwrap_err().to_string();
        assert!(
            e.contains("nosource.json") && e.contains("not valid JSON"),
            "{e}"
        );
    }

    #[test]
    fn colliding_names_are_refused() {
        let ws = workspace();
        fs::write(ws.path().join("fixtures/demo/a-success.json"), fixture("s")).unwrap();
        let e = generate(ws.path()).unwrap_err().to_string();
        assert!(e.contains("collides"), "{e}");
    }

    #[test]
    fn a_fixture_dir_without_a_crate_is_refused() {
        let ws = workspace();
        fs::create_dir_all(ws.path().join("fixtures/nocrate")).unwrap();
        let e = generate(ws.path()).unwrap_err().to_string();
        assert!(e.contains("crates/console-nocrate"), "{e}");
    }
}
