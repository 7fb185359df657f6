//! `repsearch search`.

use super::output::{self, ColorChoice};
use super::Outcome;
use repsearch::search::{highlight, SearchRequest, SearchResults, Searcher};
use repsearch::{Language, Result};
use std::fmt::Write as _;
use std::path::PathBuf;

/// Arguments of `repsearch search`.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Query syntax: words (any form, any language); \"a phrase\"; +word (required); \
-word or NOT word (excluded); a AND b; a OR b (the default).\n\
Exit status: 0 hits found, 1 no hits, 2 error."
)]
pub struct Args {
    /// The query (several arguments are joined with spaces).
    #[arg(required = true, num_args = 1..)]
    query: Vec<String>,
    /// Index folder.
    #[arg(long, default_value = "index")]
    index: PathBuf,
    /// Number of passages to show.
    #[arg(long, short = 'n', default_value_t = 10)]
    limit: usize,
    /// Passages to skip (for paging).
    #[arg(long, default_value_t = 0)]
    offset: usize,
    /// Only passages in this language (ISO 639-1 code; repeatable).
    #[arg(long = "lang", value_name = "L")]
    langs: Vec<Language>,
    /// Print one JSON object instead of text.
    #[arg(long)]
    json: bool,
    /// Colour the matches.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
}

/// Runs `repsearch search`.
pub fn run(a: Args) -> Result<Outcome> {
    let searcher = Searcher::open(&a.index)?;
    let req = SearchRequest {
        query: a.query.join(" "),
        limit: a.limit,
        offset: a.offset,
        langs: a.langs,
    };
    let results = searcher.search(&req)?;
    let text = if a.json {
        let mut s = serde_json::to_string(&results)
            .map_err(|e| repsearch::Error::Internal(e.to_string()))?;
        s.push('\n');
        s
    } else {
        render(&results, a.color.enabled())
    };
    output::print(&text)?;
    Ok(if results.hits.is_empty() {
        Outcome::Partial
    } else {
        Outcome::Success
    })
}

fn render(r: &SearchResults, color: bool) -> String {
    let mut out = String::new();
    if r.hits.is_empty() {
        let _ = writeln!(out, "No passages match \"{}\".", r.query);
        return out;
    }
    for h in &r.hits {
        let head = format!(
            "{}  #{}  [{}]  score {:.2}",
            h.doc, h.passage, h.lang, h.score
        );
        if color {
            let _ = writeln!(out, "\x1b[1;35m{head}\x1b[0m");
        } else {
            let _ = writeln!(out, "{head}");
        }
        if !h.title.is_empty() && !h.text.starts_with(&h.title) {
            let _ = writeln!(out, "  {}", h.title);
        }
        let body = if color {
            highlight::to_ansi(&h.text, &h.spans)
        } else {
            h.text.clone()
        };
        for line in body.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let _ = writeln!(out, "    {line}");
        }
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "{} of {} matching passages shown.",
        r.hits.len(),
        r.total_hits
    );
    out
}
