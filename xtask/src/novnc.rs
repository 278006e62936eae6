//! `cargo xtask novnc [--check]`: the vendored noVNC (`crates/console-novnc/assets/novnc`) is
//! the npm package `@novnc/novnc` at console-novnc's pinned version, file for file. The
//! tarball comes from `npm pack`; its SHA-512 must be the pinned integrity before anything of
//! it is used. `--check` fails when a vendored file differs, is missing or is extra.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use base64::Engine;
use sha2::{Digest, Sha512};

fn assets(root: &Path) -> PathBuf {
    root.join("crates/console-novnc/assets/novnc")
}

/// Every file under `dir`, by path relative to it.
fn tree(dir: &Path) -> Result<BTreeMap<String, Vec<u8>>, String> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) -> Result<(), String> {
        let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        for entry in entries {
            let path = entry.map_err(|e| e.to_string())?.path();
            if path.is_dir() {
                walk(base, &path, out)?;
            } else {
                let rel = path
                    .strip_prefix(base)
                    .map_err(|e| e.to_string())?
                    .to_string_lossy()
                    .replace('\\', "/");
                let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
                out.insert(rel, bytes);
            }
        }
        Ok(())
    }
    let mut out = BTreeMap::new();
    if dir.exists() {
        walk(dir, dir, &mut out)?;
    }
    Ok(out)
}

/// The published package's vendored files, fetched with npm and verified.
fn published(scratch: &Path) -> Result<BTreeMap<String, Vec<u8>>, String> {
    let spec = format!("@novnc/novnc@{}", console_novnc::VERSION);
    let status = Command::new("npm")
        .args(["pack", &spec, "--silent", "--pack-destination"])
        .arg(scratch)
        .current_dir(scratch)
        .status()
        .map_err(|e| format!("cannot run npm (install Node.js and npm): {e}"))?;
    if !status.success() {
        return Err(format!("npm pack {spec} failed: {status}"));
    }
    let tarball = scratch.join(format!("novnc-novnc-{}.tgz", console_novnc::VERSION));
    let bytes = std::fs::read(&tarball).map_err(|e| format!("{}: {e}", tarball.display()))?;
    let integrity = format!(
        "sha512-{}",
        base64::engine::general_purpose::STANDARD.encode(Sha512::digest(&bytes))
    );
    if integrity != console_novnc::INTEGRITY {
        return Err(format!(
            "{spec}'s tarball has integrity {integrity}, not the pinned {}",
            console_novnc::INTEGRITY
        ));
    }
    let status = Command::new("tar")
        .arg("xzf")
        .arg(&tarball)
        .current_dir(scratch)
        .status()
        .map_err(|e| format!("cannot run tar: {e}"))?;
    if !status.success() {
        return Err(format!("tar could not unpack {}", tarball.display()));
    }
    Ok(tree(&scratch.join("package"))?
        .into_iter()
        .filter(|(path, _)| console_novnc::vendored(path))
        .collect())
}

fn scratch() -> Result<PathBuf, String> {
    let dir = std::env::temp_dir().join(format!("xtask-novnc-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    Ok(dir)
}

/// Rewrites the vendored copy from the published package.
pub(crate) fn write(root: &Path) -> Result<usize, String> {
    let scratch = scratch()?;
    let files = published(&scratch)?;
    let dest = assets(root);
    let _ = std::fs::remove_dir_all(&dest);
    for (path, bytes) in &files {
        let target = dest.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
        }
        std::fs::write(&target, bytes).map_err(|e| format!("{}: {e}", target.display()))?;
    }
    let _ = std::fs::remove_dir_all(&scratch);
    Ok(files.len())
}

/// Compares the vendored copy with the published package.
pub(crate) fn check(root: &Path) -> Result<usize, String> {
    let scratch = scratch()?;
    let want = published(&scratch)?;
    let _ = std::fs::remove_dir_all(&scratch);
    let have = tree(&assets(root))?;
    let mut wrong = Vec::new();
    for (path, bytes) in &want {
        match have.get(path) {
            None => wrong.push(format!("missing {path}")),
            Some(b) if b != bytes => wrong.push(format!("changed {path}")),
            Some(_) => {}
        }
    }
    for path in have.keys().filter(|p| !want.contains_key(*p)) {
        wrong.push(format!("not in the package: {path}"));
    }
    if wrong.is_empty() {
        Ok(want.len())
    } else {
        Err(format!(
            "the vendored noVNC is not @novnc/novnc@{} (run `cargo xtask novnc`): {}",
            console_novnc::VERSION,
            wrong.join("; ")
        ))
    }
}
