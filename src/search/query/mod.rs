//! The query language: words, "phrases" (with slop `"a b"~2`), +required,
//! -excluded, AND, OR, NOT, prefixes `robot*` and field filters `lang:lt`,
//! `country:Japan`, `city:Shenyang`, `year:2018`, `year:2015..2020`.
//!
//! Parsing is separate from execution: it yields a [`ParsedQuery`] (clauses
//! and filters), and a malformed query is a [`QueryError`] with the character
//! position of the problem. [`parse_plain`] takes text as plain words (for
//! pasted titles): it has no operators and fails only on empty input.

mod lex;

use crate::facets::Year;
use crate::lang::Language;
use lex::{lex, Tok};
use std::fmt;

/// Fewest letters before `*` in a prefix query (`rob*`).
pub(crate) const MIN_PREFIX_CHARS: usize = 3;
/// Largest phrase slop accepted (`"a b"~100`).
pub(crate) const MAX_SLOP: u32 = 100;

/// How a clause takes part in the query.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Occur {
    /// Adds to the score; at least one optional clause must match when there
    /// is no required clause.
    Should,
    /// Must match.
    Must,
    /// Must not match.
    MustNot,
}

/// One clause of a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clause {
    /// Required, optional or excluded.
    pub occur: Occur,
    /// The words as typed; more than one means a phrase.
    pub words: Vec<String>,
    /// True when the clause was written in quotes.
    pub quoted: bool,
    /// For a phrase: how many positions its words may move (`"a b"~N`); 0
    /// means the words in this order, side by side.
    pub slop: u32,
    /// True for `robot*`: the one word is a prefix of the words to find.
    pub prefix: bool,
}

impl Clause {
    fn new(occur: Occur, words: Vec<String>) -> Clause {
        Clause {
            occur,
            words,
            quoted: false,
            slop: 0,
            prefix: false,
        }
    }
}

/// The fields a query can filter on (`name:value`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FilterField {
    /// `lang:lt`: the passage's language (like `--lang`).
    Lang,
    /// `country:Japonija`: any country name or ISO code (like `--country`).
    Country,
    /// `city:Shenyang`: any name of a city (like `--city`).
    City,
    /// `year:2018`, `year:2015..2020`, `year:..2020`, `year:2015..`.
    Year,
}

impl FilterField {
    /// Every filter field.
    pub(crate) const ALL: [FilterField; 4] = [
        FilterField::Lang,
        FilterField::Country,
        FilterField::City,
        FilterField::Year,
    ];

    /// The name written before the colon.
    pub(crate) const fn name(self) -> &'static str {
        match self {
            FilterField::Lang => "lang",
            FilterField::Country => "country",
            FilterField::City => "city",
            FilterField::Year => "year",
        }
    }

    fn example(self) -> &'static str {
        match self {
            FilterField::Lang => "lang:lt",
            FilterField::Country => "country:Japan",
            FilterField::City => "city:Shenyang",
            FilterField::Year => "year:2018 or year:2015..2020",
        }
    }
}

/// The value of a field filter, checked for syntax (names are resolved
/// against the gazetteer when the query runs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum FilterValue {
    /// A language.
    Lang(Language),
    /// A country name or code, as written.
    Country(String),
    /// A city name, as written.
    City(String),
    /// A year (`from == to`) or a range with optional ends, inclusive.
    Years {
        /// First year, if bounded.
        from: Option<Year>,
        /// Last year, if bounded.
        to: Option<Year>,
    },
}

/// A field filter written in the query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldFilter {
    /// What to keep.
    pub(crate) value: FilterValue,
    /// Character position of the value in the query (0-based).
    pub position: usize,
}

/// A parsed query: clauses to match and filters to apply.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedQuery {
    /// Word, phrase and prefix clauses; empty when the query only filters.
    pub clauses: Vec<Clause>,
    /// Field filters, in the order written.
    pub filters: Vec<FieldFilter>,
}

/// A malformed query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError {
    /// What is wrong and how to fix it.
    pub message: String,
    /// Character position in the query (0-based).
    pub position: usize,
}

impl QueryError {
    /// An error at a character position.
    pub(crate) fn new(message: impl Into<String>, position: usize) -> QueryError {
        QueryError {
            message: message.into(),
            position,
        }
    }
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at character {})", self.message, self.position + 1)
    }
}

impl std::error::Error for QueryError {}

/// Splits typed text into the words the analyzers see.
fn split_words(s: &str) -> Vec<String> {
    crate::analysis::words(s)
        .map(|w| w.text.to_string())
        .collect()
}

/// A word token as a clause: `robot*` is a prefix, anything else its words
/// (several words make a phrase). `None` for punctuation only.
fn word_clause(w: &str, p: usize, occur: Occur) -> Result<Option<Clause>, QueryError> {
    let body = w.trim_end_matches('*');
    let words = split_words(body);
    if words.is_empty() {
        return Ok(None);
    }
    if body.len() == w.len() {
        return Ok(Some(Clause::new(occur, words)));
    }
    if words.len() > 1 || !body.ends_with(words[0].as_str()) {
        return Err(QueryError::new(
            "a prefix is one word followed by *, e.g. robot*",
            p,
        ));
    }
    if words[0].chars().count() < MIN_PREFIX_CHARS {
        return Err(QueryError::new(
            format!(
                "prefix too short: give at least {MIN_PREFIX_CHARS} letters before *, e.g. rob*"
            ),
            p,
        ));
    }
    let mut c = Clause::new(occur, words);
    c.prefix = true;
    Ok(Some(c))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Last {
    Clause,
    Filter,
}

fn empty_query() -> QueryError {
    QueryError::new("empty query: give at least one word to search for", 0)
}

/// Parses a query. An empty query is an error.
pub fn parse(q: &str) -> Result<ParsedQuery, QueryError> {
    if q.trim().is_empty() {
        return Err(empty_query());
    }
    let mut parser = Parser::default();
    for t in lex(q)? {
        match t {
            Tok::Plus(p) => parser.operator(Occur::Must, p)?,
            Tok::Minus(p) | Tok::Not(p) => parser.operator(Occur::MustNot, p)?,
            Tok::And(p) => parser.joiner(true, p)?,
            Tok::Or(p) => parser.joiner(false, p)?,
            Tok::Field(f) => parser.filter(f)?,
            Tok::Word(w, p) => parser.word(&w, p)?,
            Tok::Phrase(text, p, slop) => parser.phrase(&text, p, slop)?,
        }
    }
    parser.finish(q)
}

/// The state of [`parse`] between tokens.
#[derive(Default)]
struct Parser {
    out: ParsedQuery,
    /// `+`, `-` or `NOT` waiting for its word, with its position.
    pending: Option<(Occur, usize)>,
    /// AND (true) or OR (false) waiting for its right-hand side.
    joiner: Option<(bool, usize)>,
    /// What the last token made.
    last: Option<Last>,
}

impl Parser {
    /// `+`, `-` or `NOT` at `p`.
    fn operator(&mut self, occur: Occur, p: usize) -> Result<(), QueryError> {
        if self.pending.is_some() {
            return Err(QueryError::new("two operators in a row: remove one", p));
        }
        self.pending = Some((occur, p));
        Ok(())
    }

    /// `AND` (`and`) or `OR` at `p`.
    fn joiner(&mut self, and: bool, p: usize) -> Result<(), QueryError> {
        let name = if and { "AND" } else { "OR" };
        if self.last.is_none() {
            return Err(QueryError::new(
                format!("{name} without a word before it: put a word on both sides of {name}"),
                p,
            ));
        }
        if self.pending.is_some() || self.joiner.is_some() {
            return Err(QueryError::new("two operators in a row: remove one", p));
        }
        if !and && self.last == Some(Last::Filter) {
            return Err(or_filter(p));
        }
        if and && self.last == Some(Last::Clause) {
            if let Some(c) = self.out.clauses.last_mut() {
                if c.occur == Occur::Should {
                    c.occur = Occur::Must;
                }
            }
        }
        self.joiner = Some((and, p));
        Ok(())
    }

    /// A field filter.
    fn filter(&mut self, f: FieldFilter) -> Result<(), QueryError> {
        if let Some((Occur::MustNot, p)) = self.pending {
            return Err(QueryError::new(
                "a field filter cannot be excluded: remove the - or NOT (keep the filter, or use other values)",
                p,
            ));
        }
        if let Some((false, p)) = self.joiner {
            return Err(or_filter(p));
        }
        self.pending = None;
        self.joiner = None;
        self.out.filters.push(f);
        self.last = Some(Last::Filter);
        Ok(())
    }

    /// How the next clause takes part: as its operator says, required
    /// after AND, optional otherwise.
    fn occur(&self) -> Occur {
        match (self.pending, self.joiner) {
            (Some((o, _)), _) => o,
            (None, Some((true, _))) => Occur::Must,
            _ => Occur::Should,
        }
    }

    /// A word (or a prefix) at `p`.
    fn word(&mut self, w: &str, p: usize) -> Result<(), QueryError> {
        let Some(c) = word_clause(w, p, self.occur())? else {
            return Ok(()); // punctuation: operators wait for the next word
        };
        self.push(c);
        Ok(())
    }

    /// A quoted phrase at `p`.
    fn phrase(&mut self, text: &str, p: usize, slop: u32) -> Result<(), QueryError> {
        let words = split_words(text);
        if words.is_empty() {
            return Err(QueryError::new(
                "empty phrase: put words between the quotes",
                p,
            ));
        }
        let mut c = Clause::new(self.occur(), words);
        c.quoted = true;
        c.slop = slop;
        self.push(c);
        Ok(())
    }

    fn push(&mut self, c: Clause) {
        self.pending = None;
        self.joiner = None;
        self.out.clauses.push(c);
        self.last = Some(Last::Clause);
    }

    /// The parsed query, once every token is read.
    fn finish(self, q: &str) -> Result<ParsedQuery, QueryError> {
        if let Some((_, p)) = self.pending {
            return Err(QueryError::new(
                "operator at the end of the query: add a word after it",
                p,
            ));
        }
        if let Some((and, p)) = self.joiner {
            let name = if and { "AND" } else { "OR" };
            return Err(QueryError::new(
                format!("{name} at the end of the query: add a word after it"),
                p,
            ));
        }
        let out = self.out;
        if out.clauses.is_empty() && out.filters.is_empty() {
            // words over MAX_WORD_BYTES are dropped by the word splitter
            let why = if q.chars().any(char::is_alphanumeric) {
                format!(
                    "the query has no words to search for (its words are over {} bytes, which are never indexed): shorten them",
                    crate::analysis::words::MAX_WORD_BYTES
                )
            } else {
                "the query has no words to search for (only punctuation)".to_string()
            };
            return Err(QueryError::new(why, 0));
        }
        if !out.clauses.is_empty() && out.clauses.iter().all(|c| c.occur == Occur::MustNot) {
            return Err(QueryError::new(
                "the query only excludes words: add a word to search for",
                0,
            ));
        }
        Ok(out)
    }
}

fn or_filter(p: usize) -> QueryError {
    QueryError::new(
        "OR cannot join a field filter: filters always apply; remove the OR",
        p,
    )
}

/// Takes the text as plain words, optional like words of a query: no
/// operators, quotes, prefixes or filters (for pasted titles). Fails only on
/// empty input; text without any word gives no clauses (matches nothing).
pub fn parse_plain(q: &str) -> Result<ParsedQuery, QueryError> {
    if q.trim().is_empty() {
        return Err(empty_query());
    }
    // like the full syntax, a chunk between spaces that holds several words
    // ("9.2.", "COVID-19", "e-mail") is a phrase of them
    Ok(ParsedQuery {
        clauses: q
            .split_whitespace()
            .map(split_words)
            .filter(|w| !w.is_empty())
            .map(|w| Clause::new(Occur::Should, w))
            .collect(),
        filters: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clauses(q: &str) -> Vec<Clause> {
        parse(q).unwrap().clauses
    }

    #[test]
    fn words_phrases_and_operators() {
        let c = clauses("robotikos \"Tojohašio miesto\" -sporto +Japonijoje");
        assert_eq!(c.len(), 4);
        assert_eq!(c[0].occur, Occur::Should);
        assert_eq!(c[1].words, ["Tojohašio", "miesto"]);
        assert!(c[1].quoted);
        assert_eq!(c[2].occur, Occur::MustNot);
        assert_eq!(c[3].occur, Occur::Must);
    }

    #[test]
    fn and_makes_both_sides_required() {
        let c = clauses("robotika AND Japonija");
        assert!(c.iter().all(|c| c.occur == Occur::Must));
    }

    #[test]
    fn phrase_slop() {
        let c = clauses("\"robotikos srityje\"~2 x");
        assert_eq!(c[0].slop, 2);
        assert_eq!(c[1].slop, 0);
        assert_eq!(parse("\"a b\"~").unwrap_err().position, 5);
        assert!(parse("\"a b\"~101").is_err());
        assert!(parse("\"a b\"~99999999999999").is_err());
    }

    #[test]
    fn prefixes() {
        let c = clauses("robot* -sport*");
        assert!(c[0].prefix && c[1].prefix);
        assert_eq!(c[0].words, ["robot"]);
        assert_eq!(parse("a ro*").unwrap_err().position, 2);
        assert!(parse("e-mail*").is_err());
        assert!(clauses("robot * x").iter().all(|c| !c.prefix));
    }

    #[test]
    fn field_filters() {
        let q =
            parse("lang:ru Country:Japonija city:\"Nizhny Novgorod\" year:2015..2020 x").unwrap();
        assert_eq!(q.clauses.len(), 1);
        assert_eq!(q.filters[0].value, FilterValue::Lang(Language::Russian));
        assert_eq!(q.filters[1].value, FilterValue::Country("Japonija".into()));
        assert_eq!(
            q.filters[2].value,
            FilterValue::City("Nizhny Novgorod".into())
        );
        assert_eq!(
            q.filters[3].value,
            FilterValue::Years {
                from: Some(2015),
                to: Some(2020)
            }
        );
        assert_eq!(
            parse("year:..2020").unwrap().filters[0].value,
            FilterValue::Years {
                from: None,
                to: Some(2020)
            }
        );
        assert!(parse("country:JP").unwrap().clauses.is_empty());
        // not a field: stays words
        assert_eq!(clauses("10:30 http://x.lt")[0].words, ["10", "30"]);
        assert_eq!(parse("x year:20x8").unwrap_err().position, 7);
        assert_eq!(parse("x year:2020..2015").unwrap_err().position, 7);
        assert!(parse("x lang:xx").is_err());
        assert!(parse("x country:").is_err());
        assert!(parse("x -country:JP").is_err());
        assert!(parse("x OR country:JP").is_err());
        assert!(parse("country:JP OR x").is_err());
        assert!(parse("x AND country:JP").is_ok());
    }

    #[test]
    fn plain_takes_everything_as_words() {
        let q = parse_plain("\"Robotika: AND -Japonija* year:20x\" OR").unwrap();
        assert!(q.filters.is_empty());
        let words: Vec<&str> = q
            .clauses
            .iter()
            .flat_map(|c| c.words.iter().map(String::as_str))
            .collect();
        assert_eq!(words, ["Robotika", "AND", "Japonija", "year", "20x", "OR"]);
        // a chunk with several words is a phrase of them, as in the full syntax
        assert_eq!(q.clauses[3].words, ["year", "20x"]);
        assert_eq!(
            parse_plain("9.2. Undo").unwrap().clauses[0].words,
            ["9", "2"]
        );
        assert!(q
            .clauses
            .iter()
            .all(|c| c.occur == Occur::Should && !c.prefix));
        assert!(parse_plain("  ").is_err());
        assert!(parse_plain("...").unwrap().clauses.is_empty());
    }

    #[test]
    fn malformed_queries_point_at_the_problem() {
        assert_eq!(parse("robotika \"miesto").unwrap_err().position, 9);
        assert!(parse("").is_err());
        assert!(parse("   ").is_err());
        assert!(parse("AND robotika").is_err());
        assert!(parse("robotika AND").is_err());
        assert!(parse("robotika OR").is_err());
        assert!(parse("a OR OR b").is_err());
        assert!(parse("robotika -").is_ok()); // a lone '-' is punctuation
        assert!(parse("-robotika").is_err());
        assert!(parse("\"\"").is_err());
        assert!(parse("...").is_err());
    }

    #[test]
    fn never_panics() {
        for q in [
            "\"",
            "+",
            "-",
            "+-a",
            "a OR OR b",
            "NOT",
            "“a”",
            "a\"b\"c",
            "ž\"",
            "OR",
            "year:",
            "year:..",
            "year:2015..",
            "city:\"",
            "\"a\"~",
            "*",
            "**",
            "ž*",
            "lang:",
        ] {
            let _ = parse(q);
            let _ = parse_plain(q);
        }
    }
}
