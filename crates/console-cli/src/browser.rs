//! `--open`: the system browser on the console's viewer URL, at once (Tencent's and Alibaba's
//! URLs die in 15 seconds). `CONSOLE_URL_OPENER` names a program to run with the URL instead,
//! so that tests (and headless hosts) inject their own.

use std::process::Command;

use console_core::{Console, Error};

/// The variable naming a program that opens URLs instead of the system browser.
pub(crate) const ENV_OPENER: &str = "CONSOLE_URL_OPENER";

/// The URL a browser can open: the viewer page. A console with only a websocket URL (SmartX)
/// has none.
pub(crate) fn page(console: &Console) -> Result<&str, Error> {
    console.viewer_url().ok_or_else(|| {
        Error::invalid_input(
            "open",
            "this console has only a websocket URL, which a browser cannot open by itself; \
             give it to a VNC viewer such as noVNC",
        )
    })
}

/// Opens `url` with the injected program, else the system browser.
pub(crate) fn open(url: &str) -> Result<(), Error> {
    match std::env::var_os(ENV_OPENER).filter(|v| !v.is_empty()) {
        Some(program) => {
            let status = Command::new(&program)
                .arg(url)
                .status()
                .map_err(|e| Error::transport("cannot run CONSOLE_URL_OPENER", e))?;
            if status.success() {
                Ok(())
            } else {
                Err(Error::transport(
                    "CONSOLE_URL_OPENER failed",
                    format!("it exited with {status}"),
                ))
            }
        }
        None => webbrowser::open(url)
            .map_err(|e| Error::transport("cannot launch the system browser", e)),
    }
}
