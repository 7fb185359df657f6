//! The query language's tokens: words, quoted phrases (with their slop),
//! operators and field filters (their values checked), with the character
//! position of each.

use super::{FieldFilter, FilterField, FilterValue, QueryError, MAX_SLOP};
use crate::facets::Year;
use crate::lang::Language;

/// A token of the query language, with its character position.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok {
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

/// Splits a query into tokens; filter values are checked here.
pub(super) fn lex(q: &str) -> Result<Vec<Tok>, QueryError> {
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
