//! Writing to stdout without panicking on a closed pipe.

use repsearch::Error;
use std::io::{self, IsTerminal, Write};

/// Writes text to stdout; a closed pipe comes back as an I/O error that
/// [`is_broken_pipe`] recognises.
pub fn print(s: &str) -> Result<(), Error> {
    let mut out = io::stdout().lock();
    out.write_all(s.as_bytes())
        .and_then(|_| out.flush())
        .map_err(|e| Error::io("<stdout>", e))
}

/// True if the error is a closed stdout pipe.
pub fn is_broken_pipe(e: &Error) -> bool {
    matches!(e, Error::Io { source, .. } if source.kind() == io::ErrorKind::BrokenPipe)
}

/// When to colour the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// When stdout is a terminal.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

impl ColorChoice {
    /// Whether to colour now.
    pub fn enabled(self) -> bool {
        match self {
            ColorChoice::Auto => {
                io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
            }
            ColorChoice::Always => true,
            ColorChoice::Never => false,
        }
    }
}
