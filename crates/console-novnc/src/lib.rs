//! noVNC for local viewers: the `@novnc/novnc` npm package at a pinned version, vendored under
//! `assets/novnc/` with its licence files (MPL-2.0 for the library, pako's MIT), embedded in the
//! binary, and a viewer page ([`VIEWER_PAGE`]) that connects it to a console's websocket URL.
//!
//! `cargo xtask novnc --check` verifies the vendored files are the published package's
//! (its npm integrity hash is [`INTEGRITY`]); `cargo xtask novnc` refreshes them.
//!
//! ```
//! let page = console_novnc::asset("/").unwrap();
//! assert_eq!(page.content_type, "text/html; charset=utf-8");
//! let rfb = console_novnc::asset("/novnc/core/rfb.js").unwrap();
//! assert_eq!(rfb.content_type, "text/javascript; charset=utf-8");
//! assert!(console_novnc::asset("/novnc/../Cargo.toml").is_none());
//! ```

use include_dir::{include_dir, Dir};

/// The npm package's version.
pub const VERSION: &str = "1.7.0";
/// The npm registry's integrity of that version's tarball (`npm view @novnc/novnc@1.7.0
/// dist.integrity`).
pub const INTEGRITY: &str =
    "sha512-ucEJOx4T2avIRCleodk7YobZj5O2Ga2AeLfQ69A/yjG9HHba2+PDgwSkN3FttrmG+70ZGx21sElNFouK13RzyA==";
/// Whether a file of the package (a path inside its `package/`) is vendored: the library
/// (`core/`, `vendor/`), its licences and authors, and `package.json`; not the documentation.
pub fn vendored(path: &str) -> bool {
    matches!(path, "AUTHORS" | "LICENSE.txt" | "package.json")
        || path.starts_with("core/")
        || path.starts_with("vendor/")
        || path.starts_with("docs/LICENSE")
}

static NOVNC: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/assets/novnc");

/// The viewer page: noVNC's RFB on a full-window canvas, connected to the websocket URL in the
/// page's fragment (`#url=...&password=...`; a fragment is never sent to a server), with a
/// status line that says why a connection ended.
pub const VIEWER_PAGE: &str = include_str!("viewer.html");

/// A file to serve.
#[derive(Debug, Clone, Copy)]
pub struct Asset {
    /// The bytes.
    pub bytes: &'static [u8],
    /// Its `Content-Type`.
    pub content_type: &'static str,
}

/// The file at `path`: `/` (or `/viewer.html`) is the viewer page, `/novnc/...` the package.
/// Paths with `..` or anything else are `None`.
pub fn asset(path: &str) -> Option<Asset> {
    match path {
        "/" | "/viewer.html" => Some(Asset {
            bytes: VIEWER_PAGE.as_bytes(),
            content_type: "text/html; charset=utf-8",
        }),
        _ => {
            // A lookup in the embedded files, not the file system: `..` has nowhere to go.
            let rest = path.strip_prefix("/novnc/")?;
            let file = NOVNC.get_file(rest)?;
            Some(Asset {
                bytes: file.contents(),
                content_type: content_type(rest),
            })
        }
    }
}

/// Every vendored file's path under `assets/novnc/` (for the freshness check).
pub fn files() -> Vec<String> {
    fn walk(dir: &Dir<'static>, out: &mut Vec<String>) {
        for f in dir.files() {
            out.push(f.path().display().to_string());
        }
        for d in dir.dirs() {
            walk(d, out);
        }
    }
    let mut out = Vec::new();
    walk(&NOVNC, &mut out);
    out.sort();
    out
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next() {
        Some("js") => "text/javascript; charset=utf-8",
        Some("json") => "application/json",
        Some("html") => "text/html; charset=utf-8",
        _ => "text/plain; charset=utf-8",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_package_and_its_licences_are_embedded() {
        let files = files();
        for f in [
            "LICENSE.txt",
            "docs/LICENSE.MPL-2.0",
            "vendor/pako/LICENSE",
            "core/rfb.js",
        ] {
            assert!(files.iter().any(|x| x == f), "{f} missing");
        }
        let pkg = std::str::from_utf8(asset("/novnc/package.json").unwrap().bytes).unwrap();
        assert!(pkg.contains(&format!("\"version\": \"{VERSION}\"")));
        assert_eq!(
            asset("/novnc/LICENSE.txt").unwrap().content_type,
            "text/plain; charset=utf-8"
        );
        for bad in [
            "/novnc/",
            "/novnc//core/rfb.js",
            "/novnc/./x",
            "/x",
            "/novnc/nope.js",
        ] {
            assert!(asset(bad).is_none(), "{bad}");
        }
        assert!(asset("/viewer.html").is_some());
        for (path, kind) in [
            ("core/rfb.js", "text/javascript; charset=utf-8"),
            ("package.json", "application/json"),
            ("viewer.html", "text/html; charset=utf-8"),
            ("AUTHORS", "text/plain; charset=utf-8"),
        ] {
            assert_eq!(content_type(path), kind, "{path}");
        }
        assert_eq!(
            asset("/novnc/core/rfb.js").unwrap().content_type,
            "text/javascript; charset=utf-8"
        );
        assert!(asset("/novnc/../Cargo.toml").is_none());
    }

    #[test]
    fn what_is_vendored() {
        for yes in [
            "AUTHORS",
            "core/rfb.js",
            "vendor/pako/LICENSE",
            "docs/LICENSE.MPL-2.0",
        ] {
            assert!(vendored(yes), "{yes}");
        }
        for no in ["README.md", "docs/API.md", "VERSION"] {
            assert!(!vendored(no), "{no}");
        }
        assert!(files().iter().all(|f| vendored(f)));
    }

    #[test]
    fn the_viewer_imports_the_embedded_rfb() {
        assert!(VIEWER_PAGE.contains("./novnc/core/rfb.js"));
        assert!(VIEWER_PAGE.contains("wsProtocols"));
    }
}
