//! Errors: the user's (bad input, typed: what is wrong with which
//! parameter) apart from the index's (a damaged or old index, a failed
//! rebuild) and the machine's (I/O, tantivy, internal). A user error is
//! rendered at the edge: the command line names its flags (`--year`), the
//! HTTP API its query parameters (`year`). The binary prints any error as
//! one line and exits with code 2.

use std::fmt;
use std::path::PathBuf;

/// Every error of the library.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad input from the user; displayed as the command line words it.
    #[error("{0}")]
    User(UserError),
    /// An index that cannot be used as it is (a damaged file, an index of
    /// another version): not the user's input, but the message says how to
    /// rebuild it.
    #[error("{0}")]
    Damaged(String),
    /// A rebuild that failed and was rolled back.
    #[error(transparent)]
    RebuildFailed(Box<RebuildFailed>),
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
    /// A shard on another machine that did not answer, or answered an
    /// error: the message names it.
    #[error("{0}")]
    Unavailable(String),
    /// A shard no longer serves the generation a search was planned on (a
    /// rebuild was published meanwhile): the search is planned again.
    #[error("generation {0} is no longer served")]
    StaleGeneration(String),
}

/// A parameter of the library's requests, which the command line gives as a
/// flag and the HTTP API as a query parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Param {
    /// The query (the command line's words, the API's `q`).
    Query,
    /// Hits per page.
    Limit,
    /// Hits skipped before the page.
    Offset,
    /// Hits shown per document.
    PerDoc,
    /// Values listed per facet.
    FacetLimit,
    /// A year filter.
    Year,
    /// The first year of a range.
    From,
    /// The last year of a range.
    To,
    /// A country filter.
    Country,
    /// A city filter.
    City,
    /// A language filter.
    Lang,
}

impl Param {
    /// The parameter's name in the HTTP API (`facet_limit`).
    pub const fn api_name(self) -> &'static str {
        match self {
            Param::Query => "q",
            Param::Limit => "limit",
            Param::Offset => "offset",
            Param::PerDoc => "per_doc",
            Param::FacetLimit => "facet_limit",
            Param::Year => "year",
            Param::From => "from",
            Param::To => "to",
            Param::Country => "country",
            Param::City => "city",
            Param::Lang => "lang",
        }
    }

    /// The command line's flag (`--facet-limit`; the query is its words).
    pub const fn flag(self) -> &'static str {
        match self {
            Param::Query => "QUERY",
            Param::Limit => "--limit",
            Param::Offset => "--offset",
            Param::PerDoc => "--per-doc",
            Param::FacetLimit => "--facet-limit",
            Param::Year => "--year",
            Param::From => "--from",
            Param::To => "--to",
            Param::Country => "--country",
            Param::City => "--city",
            Param::Lang => "--lang",
        }
    }
}

/// Who shows an error, and so how it names parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Surface {
    /// The command line: flags (`--year 2018`).
    Cli,
    /// The HTTP API: query parameters (`year=2018`).
    Api,
}

impl Surface {
    fn name(self, p: Param) -> &'static str {
        match self {
            Surface::Cli => p.flag(),
            Surface::Api => p.api_name(),
        }
    }

    /// `--year 2018` or `year=2018`.
    fn example(self, p: Param, value: &str) -> String {
        match self {
            Surface::Cli => format!("{} {value}", p.flag()),
            Surface::Api => format!("{}={value}", p.api_name()),
        }
    }
}

/// Bad input from the user: what is wrong, typed, with the fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserError {
    /// A query the query language cannot read.
    BadQuery {
        /// Character position of the problem in the query (0-based).
        position: usize,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// A filter of the query that the engine refuses (an unknown country
    /// in `country:...`).
    InQuery {
        /// Character position of the filter in the query (0-based).
        position: usize,
        /// What is wrong with it.
        error: Box<UserError>,
    },
    /// A country or city the gazetteer does not know.
    UnknownValue {
        /// The filter ([`Param::Country`] or [`Param::City`]).
        name: Param,
        /// The name given, on one line.
        value: String,
        /// Close names the filter takes, best first (maybe none).
        suggestions: Vec<String>,
    },
    /// A number over its bound.
    OutOfRange {
        /// The parameter.
        name: Param,
        /// The value given.
        value: usize,
        /// The highest value accepted.
        max: usize,
    },
    /// A value that is not a year.
    NotAYear {
        /// The parameter.
        name: Param,
        /// The value given.
        value: String,
    },
    /// Bad input of the command line's own (a missing folder, an unreadable
    /// gold file, a busy address): only the command line meets these, and
    /// the message names its flags.
    Command(String),
}

impl UserError {
    /// The message as `surface` names the parameters.
    pub fn message(&self, surface: Surface) -> String {
        match self {
            UserError::BadQuery { position, message } => {
                format!("bad query: {message} (at character {})", position + 1)
            }
            UserError::InQuery { position, error } => format!(
                "bad query: {} (at character {})",
                error.message(surface),
                position + 1
            ),
            UserError::UnknownValue {
                name,
                value,
                suggestions,
            } => {
                let kind = name.api_name();
                if suggestions.is_empty() {
                    format!("unknown {kind} '{value}': give a name in English, Lithuanian or Russian, or an ISO code")
                } else {
                    format!(
                        "unknown {kind} '{value}': did you mean {}?",
                        suggestions.join(", ")
                    )
                }
            }
            UserError::OutOfRange { name, value, max } => format!(
                "{} {value} is out of range: give a number from 0 to {max}",
                surface.name(*name)
            ),
            UserError::NotAYear { name, value } => format!(
                "{} '{value}' is not a year: give four digits, e.g. {}",
                surface.name(*name),
                surface.example(*name, "2018")
            ),
            UserError::Command(m) => m.clone(),
        }
    }

    /// The parameter at fault, if one is (the query for a bad query).
    pub fn param(&self) -> Option<Param> {
        match self {
            UserError::BadQuery { .. } | UserError::InQuery { .. } => Some(Param::Query),
            UserError::UnknownValue { name, .. }
            | UserError::OutOfRange { name, .. }
            | UserError::NotAYear { name, .. } => Some(*name),
            UserError::Command(_) => None,
        }
    }

    /// True when the input names something that does not exist (an unknown
    /// country or city, also in a filter of the query), rather than being
    /// malformed.
    pub fn is_not_found(&self) -> bool {
        match self {
            UserError::UnknownValue { .. } => true,
            UserError::InQuery { error, .. } => error.is_not_found(),
            _ => false,
        }
    }
}

/// As the command line words it.
impl fmt::Display for UserError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Surface::Cli))
    }
}

impl std::error::Error for UserError {}

impl From<UserError> for Error {
    fn from(e: UserError) -> Self {
        Error::User(e)
    }
}

/// A rebuild that failed: its unfinished generation was removed.
#[derive(Debug, thiserror::Error)]
#[error("{}", self.message())]
pub struct RebuildFailed {
    /// The index folder.
    pub index: PathBuf,
    /// True when a previous live index still answers searches.
    pub live_kept: bool,
    /// True when the disk (or the quota) was full.
    pub disk_full: bool,
    /// What went wrong.
    #[source]
    pub cause: Error,
}

impl RebuildFailed {
    fn message(&self) -> String {
        let live = if self.live_kept {
            "the previous index is unchanged and still answers searches"
        } else {
            "no index was published"
        };
        let e = &self.cause;
        if self.disk_full {
            format!(
                "the disk holding '{}' is full (no space left on device): the rebuild failed and was rolled back ({live}); free some space there or pass --index DIR on another disk ({e})",
                self.index.display()
            )
        } else {
            format!("the rebuild failed and was rolled back ({live}): {e}")
        }
    }
}

impl Error {
    /// A user error of the command line's own (see [`UserError::Command`]).
    pub fn command(msg: impl Into<String>) -> Self {
        Error::User(UserError::Command(msg.into()))
    }

    /// An I/O error on a path.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// The error of a filter of the query (`country:Japn`), placed at the
    /// filter's position: a user error becomes [`UserError::InQuery`],
    /// others stay as they are.
    pub fn in_query(self, position: usize) -> Error {
        match self {
            Error::User(u) => Error::User(UserError::InQuery {
                position,
                error: Box::new(u),
            }),
            other => other,
        }
    }

    /// True when a shard no longer serves the generation asked for.
    pub fn is_stale_generation(&self) -> bool {
        matches!(self, Error::StaleGeneration(_))
    }

    /// True for errors caused by the user's input.
    pub fn is_user(&self) -> bool {
        matches!(self, Error::User(_))
    }

    /// The user error, if this is one.
    pub fn as_user(&self) -> Option<&UserError> {
        match self {
            Error::User(u) => Some(u),
            _ => None,
        }
    }
}

impl From<tantivy::directory::error::OpenDirectoryError> for Error {
    fn from(e: tantivy::directory::error::OpenDirectoryError) -> Self {
        Error::Index(e.into())
    }
}

/// Result with the library's error.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_year_names_the_flag_or_the_parameter() {
        let e = UserError::NotAYear {
            name: Param::Year,
            value: "20x8".into(),
        };
        assert_eq!(
            e.to_string(),
            "--year '20x8' is not a year: give four digits, e.g. --year 2018"
        );
        assert_eq!(
            e.message(Surface::Api),
            "year '20x8' is not a year: give four digits, e.g. year=2018"
        );
        assert_eq!(e.param(), Some(Param::Year));
    }

    #[test]
    fn a_bound_names_the_flag_or_the_parameter() {
        let e = UserError::OutOfRange {
            name: Param::FacetLimit,
            value: 500,
            max: 100,
        };
        assert!(e.to_string().starts_with("--facet-limit 500 "));
        assert!(e.message(Surface::Api).starts_with("facet_limit 500 "));
    }

    #[test]
    fn a_filter_in_the_query_blames_the_query_at_its_position() {
        let e = UserError::InQuery {
            position: 4,
            error: Box::new(UserError::UnknownValue {
                name: Param::Country,
                value: "Japn".into(),
                suggestions: vec!["Japan".into()],
            }),
        };
        assert_eq!(
            e.to_string(),
            "bad query: unknown country 'Japn': did you mean Japan? (at character 5)"
        );
        assert_eq!(e.param(), Some(Param::Query));
        assert!(e.is_not_found());
    }

    #[test]
    fn damage_and_failed_rebuilds_are_not_the_users() {
        let damaged = Error::Damaged("x is damaged".into());
        assert!(!damaged.is_user());
        let failed = Error::RebuildFailed(Box::new(RebuildFailed {
            index: "/idx".into(),
            live_kept: true,
            disk_full: false,
            cause: Error::Internal("boom".into()),
        }));
        assert!(!failed.is_user());
        assert_eq!(
            failed.to_string(),
            "the rebuild failed and was rolled back (the previous index is unchanged and still answers searches): internal error: boom"
        );
    }
}
