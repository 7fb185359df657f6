//! `repsearch analyze`: the terms each field makes of a text.

use super::{output, Outcome};
use repsearch::analysis::{analyze, FieldKind};
use repsearch::{detect, Error, Language, Result};
use serde::Serialize;
use std::fmt::Write as _;

/// Arguments of `repsearch analyze`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Language of the text (ISO 639-1); detected when not given.
    #[arg(long)]
    lang: Option<Language>,
    /// Print JSON.
    #[arg(long)]
    json: bool,
    /// The text (several arguments are joined with spaces).
    #[arg(required = true, num_args = 1..)]
    text: Vec<String>,
}

#[derive(Serialize)]
struct FieldTerms {
    field: String,
    terms: Vec<TermOut>,
}

#[derive(Serialize)]
struct TermOut {
    term: String,
    position: usize,
    start: usize,
    end: usize,
    word: String,
}

/// Runs `repsearch analyze`.
pub fn run(a: Args) -> Result<Outcome> {
    let text = a.text.join(" ");
    if text.trim().is_empty() {
        return Err(Error::command(
            "nothing to analyze: give a text, e.g. repsearch analyze --lang lt \"Panevėžio\"",
        ));
    }
    let (lang, how) = match a.lang {
        Some(l) => (Some(l), "given"),
        None => (detect::detect(&text), "detected"),
    };
    let mut fields = vec![("exact".to_string(), FieldKind::Exact)];
    if let Some(l) = lang {
        fields.push((l.stem_field(), FieldKind::Stem(l)));
    }
    fields.push(("fold".to_string(), FieldKind::Fold(lang)));
    fields.push(("cognate".to_string(), FieldKind::Cognate));
    let out: Vec<FieldTerms> = fields
        .into_iter()
        .map(|(field, kind)| FieldTerms {
            field,
            terms: analyze(&text, kind)
                .into_iter()
                .map(|t| TermOut {
                    word: text[t.start..t.end].to_string(),
                    term: t.text,
                    position: t.position,
                    start: t.start,
                    end: t.end,
                })
                .collect(),
        })
        .collect();
    let code = lang.map(|l| l.code()).unwrap_or("und");
    let s = if a.json {
        let v = serde_json::json!({"lang": code, "fields": out});
        format!("{v}\n")
    } else {
        let mut s = format!("language: {code} ({how})\n");
        for f in &out {
            let terms: Vec<String> = f.terms.iter().map(|t| t.term.clone()).collect();
            let _ = writeln!(s, "{:<8} {}", format!("{}:", f.field), terms.join(" "));
        }
        s
    };
    output::print(&s)?;
    Ok(Outcome::Success)
}
