//! A short progress line on a terminal while a console is fetched (a login, a role, a retry
//! can take seconds); nothing when stderr is not a terminal or the output is JSON.

use std::io::{IsTerminal, Write};

/// The line shown while `provider` is asked.
pub(crate) fn line(provider: &str) -> String {
    format!("console-url: asking {provider} for a console…")
}

/// Shows the line until dropped, when stderr is a terminal and `quiet` is false.
pub(crate) struct Progress {
    shown: bool,
}

impl Progress {
    pub(crate) fn start(provider: &str, quiet: bool) -> Self {
        let shown = !quiet && std::io::stderr().is_terminal();
        if shown {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "{}", line(provider));
            let _ = err.flush();
        }
        Self { shown }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if self.shown {
            // Erase the line: carriage return, clear to its end.
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[2K");
            let _ = err.flush();
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_line_names_the_provider() {
        assert_eq!(
            super::line("tencent"),
            "console-url: asking tencent for a console…"
        );
    }
}
