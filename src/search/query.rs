//! The query language: words, "phrases" (with slop `"a b"~2`), +required,
//! -excluded, AND, OR, NOT, prefixes `robot*` and field filters `lang:lt`,
//! `country:Japan`, `city:Shenyang`, `year:2018`, `year:2015..2020`.
//!
//! Parsing is separate from execution: it yields a [`ParsedQuery`] (clauses
//! and filters), and a malformed query is a [`QueryError`] with the character
//! position of the problem. [`parse_plain`] takes text as plain words (for
//! pasted titles): it has no operators and fails only on empty input.

use crate::facets::Year;
use crate::lang::Language;
use std::fmt;

/// Fewest letters before `*` in a prefix query (`rob*`).
pub const MIN_PREFIX_CHARS: usize = 3;
/// Largest phrase slop accepted (`"a b"~100`).
pub const MAX_SLOP: u32 = 100;

/// How a clause takes part in the query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
pub enum FilterField {
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
    pub const ALL: [FilterField; 4] = [
        FilterField::Lang,
        FilterField::Country,
        FilterField::City,
        FilterField::Year,
    ];

    /// The name written before the colon.
    pub const fn name(self) -> &'static str {
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
pub enum FilterValue {
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
    pub value: FilterValue,
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
    pub fn new(message: impl Into<String>, position: usize) -> QueryError {
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

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(String, usize),
    Phrase(String, usize, u32),
    Field(FieldFilter),
    And(usize),
    Or(usize),
    Not(usize),
    Plus(usize),
    Minus(usize),
}

fn is_open_quote(c: char) -> bool {
    matches!(c, '"' | '“' | '„' | '”')
}

fn is_close_quote(c: char) -> bool {
    matches!(c, '"' | '“' | '”')
}

/// Reads a quoted text starting at `chars[start]` (an opening quote); returns
/// the text and the index just past the closing quote.
fn quoted(chars: &[char], start: usize) -> Result<(String, usize), QueryError> {
    let mut i = start + 1;
    while i < chars.len() && !is_close_quote(chars[i]) {
        i += 1;
    }
    if i >= chars.len() {
        return Err(QueryError::new(
            "unbalanced quote: close the phrase with \" or remove the quote",
            start,
        ));
    }
    Ok((chars[start + 1..i].iter().collect(), i + 1))
}

/// The filter field named at `chars[i..]` (`name:`), if any.
fn field_at(chars: &[char], i: usize) -> Option<FilterField> {
    FilterField::ALL.into_iter().find(|f| {
        let n = f.name();
        let len = n.chars().count();
        chars.len() > i + len
            && chars[i + len] == ':'
            && chars[i..i + len]
                .iter()
                .zip(n.chars())
                .all(|(a, b)| a.to_ascii_lowercase() == b)
    })
}

fn parse_year(s: &str, position: usize, field: FilterField) -> Result<Year, QueryError> {
    s.parse::<Year>()
        .ok()
        .filter(|y| (1000..=2999).contains(y) && s.len() == 4)
        .ok_or_else(|| {
            QueryError::new(
                format!(
                    "'{s}' is not a year: give four digits, e.g. {}",
                    field.example()
                ),
                position,
            )
        })
}

fn filter_value(
    field: FilterField,
    value: &str,
    position: usize,
) -> Result<FilterValue, QueryError> {
    // runs of white space (new lines in a quoted value) are one space
    let value = value.split_whitespace().collect::<Vec<_>>().join(" ");
    let value = value.as_str();
    if value.is_empty() {
        return Err(QueryError::new(
            format!("{}: needs a value, e.g. {}", field.name(), field.example()),
            position,
        ));
    }
    Ok(match field {
        FilterField::Lang => match Language::from_code(value) {
            Some(l) => FilterValue::Lang(l),
            None => {
                return Err(QueryError::new(
                    format!(
                        "unknown language '{value}': give an ISO 639-1 code such as lt, ru or en"
                    ),
                    position,
                ))
            }
        },
        FilterField::Country => FilterValue::Country(value.to_string()),
        FilterField::City => FilterValue::City(value.to_string()),
        FilterField::Year => match value.find("..") {
            None => {
                let y = parse_year(value, position, field)?;
                FilterValue::Years {
                    from: Some(y),
                    to: Some(y),
                }
            }
            Some(dots) => {
                let (a, b) = (&value[..dots], &value[dots + 2..]);
                if a.is_empty() && b.is_empty() {
                    return Err(QueryError::new(
                        "year:.. needs at least one end, e.g. year:2015..2020 or year:..2020",
                        position,
                    ));
                }
                let from = (!a.is_empty())
                    .then(|| parse_year(a, position, field))
                    .transpose()?;
                let to = (!b.is_empty())
                    .then(|| parse_year(b, position + a.chars().count() + 2, field))
                    .transpose()?;
                if let (Some(f), Some(t)) = (from, to) {
                    if f > t {
                        return Err(QueryError::new(
                            format!("empty year range {f}..{t}: put the earlier year first"),
                            position,
                        ));
                    }
                }
                FilterValue::Years { from, to }
            }
        },
    })
}

fn lex(q: &str) -> Result<Vec<Tok>, QueryError> {
    let chars: Vec<char> = q.chars().collect();
    let mut toks = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if is_open_quote(c) {
            let start = i;
            let (text, next) = quoted(&chars, start)?;
            i = next;
            let mut slop = 0;
            if chars.get(i) == Some(&'~') {
                let tilde = i;
                i += 1;
                let digits_start = i;
                while i < chars.len() && chars[i].is_ascii_digit() {
                    i += 1;
                }
                let digits: String = chars[digits_start..i].iter().collect();
                slop = digits
                    .parse::<u32>()
                    .ok()
                    .filter(|s| *s <= MAX_SLOP)
                    .ok_or_else(|| {
                        QueryError::new(
                            format!(
                                "give the number of words the phrase may stretch by after ~ (0 to {MAX_SLOP}), e.g. \"a b\"~2"
                            ),
                            tilde,
                        )
                    })?;
            }
            toks.push(Tok::Phrase(text, start, slop));
        } else if (c == '+' || c == '-') && chars.get(i + 1).is_some_and(|n| !n.is_whitespace()) {
            toks.push(if c == '+' {
                Tok::Plus(i)
            } else {
                Tok::Minus(i)
            });
            i += 1;
        } else if let Some(field) = field_at(&chars, i) {
            i += field.name().chars().count() + 1;
            let value_pos = i;
            let value = if chars.get(i).is_some_and(|&c| is_open_quote(c)) {
                let (text, next) = quoted(&chars, i)?;
                i = next;
                text
            } else {
                while i < chars.len() && !chars[i].is_whitespace() && !is_open_quote(chars[i]) {
                    i += 1;
                }
                chars[value_pos..i].iter().collect()
            };
            let value = filter_value(field, &value, value_pos.min(chars.len()))?;
            toks.push(Tok::Field(FieldFilter {
                value,
                position: value_pos,
            }));
        } else {
            let start = i;
            while i < chars.len() && !chars[i].is_whitespace() && chars[i] != '"' {
                i += 1;
            }
            let w: String = chars[start..i].iter().collect();
            toks.push(match w.as_str() {
                "AND" | "&&" => Tok::And(start),
                "OR" | "||" => Tok::Or(start),
                "NOT" => Tok::Not(start),
                _ => Tok::Word(w, start),
            });
        }
    }
    Ok(toks)
}

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
    let toks = lex(q)?;
    let mut out = ParsedQuery::default();
    let mut pending: Option<(Occur, usize)> = None;
    // AND (true) or OR (false) waiting for its right-hand side
    let mut joiner: Option<(bool, usize)> = None;
    let mut last: Option<Last> = None;
    for t in toks {
        match t {
            Tok::Plus(p) | Tok::Minus(p) | Tok::Not(p) => {
                if pending.is_some() {
                    return Err(QueryError::new("two operators in a row: remove one", p));
                }
                let occur = if matches!(t, Tok::Plus(_)) {
                    Occur::Must
                } else {
                    Occur::MustNot
                };
                pending = Some((occur, p));
            }
            Tok::And(p) | Tok::Or(p) => {
                let and = matches!(t, Tok::And(_));
                let name = if and { "AND" } else { "OR" };
                if last.is_none() {
                    return Err(QueryError::new(
                        format!(
                            "{name} without a word before it: put a word on both sides of {name}"
                        ),
                        p,
                    ));
                }
                if pending.is_some() || joiner.is_some() {
                    return Err(QueryError::new("two operators in a row: remove one", p));
                }
                if !and && last == Some(Last::Filter) {
                    return Err(or_filter(p));
                }
                if and && last == Some(Last::Clause) {
                    if let Some(c) = out.clauses.last_mut() {
                        if c.occur == Occur::Should {
                            c.occur = Occur::Must;
                        }
                    }
                }
                joiner = Some((and, p));
            }
            Tok::Field(f) => {
                if let Some((Occur::MustNot, p)) = pending {
                    return Err(QueryError::new(
                        "a field filter cannot be excluded: remove the - or NOT (keep the filter, or use other values)",
                        p,
                    ));
                }
                if let Some((false, p)) = joiner {
                    return Err(or_filter(p));
                }
                pending = None;
                joiner = None;
                out.filters.push(f);
                last = Some(Last::Filter);
            }
            Tok::Word(w, p) => {
                let occur = match (pending, joiner) {
                    (Some((o, _)), _) => o,
                    (None, Some((true, _))) => Occur::Must,
                    _ => Occur::Should,
                };
                let Some(c) = word_clause(&w, p, occur)? else {
                    continue; // punctuation: operators wait for the next word
                };
                pending = None;
                joiner = None;
                out.clauses.push(c);
                last = Some(Last::Clause);
            }
            Tok::Phrase(text, p, slop) => {
                let words = split_words(&text);
                if words.is_empty() {
                    return Err(QueryError::new(
                        "empty phrase: put words between the quotes",
                        p,
                    ));
                }
                let occur = match (pending.take(), joiner.take()) {
                    (Some((o, _)), _) => o,
                    (None, Some((true, _))) => Occur::Must,
                    _ => Occur::Should,
                };
                let mut c = Clause::new(occur, words);
                c.quoted = true;
                c.slop = slop;
                out.clauses.push(c);
                last = Some(Last::Clause);
            }
        }
    }
    if let Some((_, p)) = pending {
        return Err(QueryError::new(
            "operator at the end of the query: add a word after it",
            p,
        ));
    }
    if let Some((and, p)) = joiner {
        let name = if and { "AND" } else { "OR" };
        return Err(QueryError::new(
            format!("{name} at the end of the query: add a word after it"),
            p,
        ));
    }
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
