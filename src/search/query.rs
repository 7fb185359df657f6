//! The query language: words, "phrases", +required, -excluded, AND, OR, NOT.
//!
//! Parsing is separate from execution: it yields [`Clause`]s, and a malformed
//! query is a [`QueryError`] with the character position of the problem.

use std::fmt;

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
}

/// A malformed query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError {
    /// What is wrong and how to fix it.
    pub message: String,
    /// Character position in the query (0-based).
    pub position: usize,
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
    Phrase(String, usize),
    And(usize),
    Or(usize),
    Not(usize),
    Plus(usize),
    Minus(usize),
}

fn lex(q: &str) -> Result<Vec<Tok>, QueryError> {
    let chars: Vec<char> = q.chars().collect();
    let mut toks = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '"' || c == '“' || c == '„' || c == '”' {
            let start = i;
            i += 1;
            let body_start = i;
            while i < chars.len() && !matches!(chars[i], '"' | '“' | '”') {
                i += 1;
            }
            if i >= chars.len() {
                return Err(QueryError {
                    message: "unbalanced quote: close the phrase with \" or remove the quote"
                        .into(),
                    position: start,
                });
            }
            toks.push(Tok::Phrase(chars[body_start..i].iter().collect(), start));
            i += 1;
        } else if (c == '+' || c == '-') && chars.get(i + 1).is_some_and(|n| !n.is_whitespace()) {
            toks.push(if c == '+' {
                Tok::Plus(i)
            } else {
                Tok::Minus(i)
            });
            i += 1;
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

/// Parses a query. An empty query is an error.
pub fn parse(q: &str) -> Result<Vec<Clause>, QueryError> {
    if q.trim().is_empty() {
        return Err(QueryError {
            message: "empty query: give at least one word to search for".into(),
            position: 0,
        });
    }
    let toks = lex(q)?;
    let mut clauses: Vec<Clause> = Vec::new();
    let mut pending: Option<(Occur, usize)> = None;
    let mut and_next = false;
    let mut last_pos = 0;
    for t in toks {
        let quoted = matches!(t, Tok::Phrase(..));
        match t {
            Tok::Plus(p) | Tok::Minus(p) | Tok::Not(p) => {
                if pending.is_some() {
                    return Err(QueryError {
                        message: "two operators in a row: remove one".into(),
                        position: p,
                    });
                }
                let occur = if matches!(t, Tok::Plus(_)) {
                    Occur::Must
                } else {
                    Occur::MustNot
                };
                pending = Some((occur, p));
                last_pos = p;
            }
            Tok::And(p) | Tok::Or(p) => {
                if clauses.is_empty() || pending.is_some() || and_next {
                    return Err(QueryError {
                        message:
                            "operator without a word before it: put a word on both sides of AND/OR"
                                .into(),
                        position: p,
                    });
                }
                if matches!(t, Tok::And(_)) {
                    and_next = true;
                    if let Some(last) = clauses.last_mut() {
                        if last.occur == Occur::Should {
                            last.occur = Occur::Must;
                        }
                    }
                }
                last_pos = p;
            }
            Tok::Word(w, p) | Tok::Phrase(w, p) => {
                let words = split_words(&w);
                let occur = match pending.take() {
                    Some((o, _)) => o,
                    None if and_next => Occur::Must,
                    None => Occur::Should,
                };
                and_next = false;
                last_pos = p;
                if words.is_empty() {
                    if quoted {
                        return Err(QueryError {
                            message: "empty phrase: put words between the quotes".into(),
                            position: p,
                        });
                    }
                    continue;
                }
                clauses.push(Clause {
                    occur,
                    words,
                    quoted,
                });
            }
        }
    }
    if let Some((_, p)) = pending {
        return Err(QueryError {
            message: "operator at the end of the query: add a word after it".into(),
            position: p,
        });
    }
    if and_next {
        return Err(QueryError {
            message: "AND at the end of the query: add a word after it".into(),
            position: last_pos,
        });
    }
    if clauses.is_empty() {
        return Err(QueryError {
            message: "the query has no words to search for (only punctuation)".into(),
            position: 0,
        });
    }
    if clauses.iter().all(|c| c.occur == Occur::MustNot) {
        return Err(QueryError {
            message: "the query only excludes words: add a word to search for".into(),
            position: 0,
        });
    }
    Ok(clauses)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_phrases_and_operators() {
        let c = parse("robotikos \"Tojohašio miesto\" -sporto +Japonijoje").unwrap();
        assert_eq!(c.len(), 4);
        assert_eq!(c[0].occur, Occur::Should);
        assert_eq!(c[1].words, ["Tojohašio", "miesto"]);
        assert!(c[1].quoted);
        assert_eq!(c[2].occur, Occur::MustNot);
        assert_eq!(c[3].occur, Occur::Must);
    }

    #[test]
    fn and_makes_both_sides_required() {
        let c = parse("robotika AND Japonija").unwrap();
        assert!(c.iter().all(|c| c.occur == Occur::Must));
    }

    #[test]
    fn malformed_queries_point_at_the_problem() {
        assert_eq!(parse("robotika \"miesto").unwrap_err().position, 9);
        assert!(parse("").is_err());
        assert!(parse("   ").is_err());
        assert!(parse("AND robotika").is_err());
        assert!(parse("robotika AND").is_err());
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
        ] {
            let _ = parse(q);
        }
    }
}
