//! Errors: user errors (bad input, with the fix in the message) apart from
//! internal ones. The binary prints either as one line and exits with code 2.

use std::path::PathBuf;

/// Every error of the library.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad input from the user: the message names the problem and the fix.
    #[error("{0}")]
    User(String),
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// What went wrong.
        source: std::io::Error,
    },
    /// The index library failed.
    #[error("index error: {0}")]
    Index(#[from] tantivy::TantivyError),
    /// Something that should not happen.
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    /// A user error with its message.
    pub fn user(msg: impl Into<String>) -> Self {
        Error::User(msg.into())
    }

    /// An I/O error on a path.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// True for errors caused by the user's input.
    pub fn is_user(&self) -> bool {
        matches!(self, Error::User(_))
    }
}

impl From<tantivy::directory::error::OpenDirectoryError> for Error {
    fn from(e: tantivy::directory::error::OpenDirectoryError) -> Self {
        Error::Index(e.into())
    }
}

/// Result with the library's error.
pub type Result<T, E = Error> = std::result::Result<T, E>;
