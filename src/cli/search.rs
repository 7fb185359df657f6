//! `repsearch search` and `repsearch facets`.

use super::output::{self, ColorChoice};
use super::Outcome;
use repsearch::error::Param;
use repsearch::facets::{parse_year, Facet, FacetCounts, Filters};
use repsearch::search::{
    highlight, json, ExplainPart, MatchKind, SearchRequest, SearchResults, Searcher, TIE_BREAKER,
};
use repsearch::{Language, Result};
use std::fmt::Write as _;
use std::path::PathBuf;

/// Facet filters shared by `search` and `facets`.
#[derive(clap::Args, Debug)]
pub struct FilterArgs {
    /// Only passages in this language (ISO 639-1 code; repeatable).
    #[arg(long = "lang", value_name = "L")]
    langs: Vec<Language>,
    /// Only reports about this country: any name in English, Lithuanian or Russian, or ISO code (repeatable).
    #[arg(long = "country", value_name = "NAME")]
    countries: Vec<String>,
    /// Only reports about this city, by any of its names (repeatable).
    #[arg(long = "city", value_name = "NAME")]
    cities: Vec<String>,
    /// Only reports of this year (repeatable).
    #[arg(long = "year", value_name = "YEAR")]
    years: Vec<String>,
    /// Only reports of this year or later.
    #[arg(long, value_name = "YEAR")]
    from: Option<String>,
    /// Only reports of this year or earlier.
    #[arg(long, value_name = "YEAR")]
    to: Option<String>,
    /// Index folder.
    #[arg(long, default_value = "index")]
    index: PathBuf,
}

impl FilterArgs {
    fn filters(&self) -> Result<Filters> {
        let mut f = Filters::default();
        for c in &self.countries {
            f.add_country(c)?;
        }
        for c in &self.cities {
            f.add_city(c)?;
        }
        for y in &self.years {
            f.add_year(y)?;
        }
        f.from = self
            .from
            .as_deref()
            .map(|y| parse_year(y, Param::From))
            .transpose()?;
        f.to = self
            .to
            .as_deref()
            .map(|y| parse_year(y, Param::To))
            .transpose()?;
        Ok(f)
    }
}

/// Arguments of `repsearch search`.
#[derive(clap::Args, Debug)]
#[command(
    long_about = "Search the index: the best passages first, the matching words highlighted.",
    after_help = "Query syntax:\n  \
robotikos             a word, in any form (inflections, no diacritics, other script)\n  \
robotcs               words of 5+ letters also match one typo away (8+: two); --exact: no typos\n  \
\"Tojohašio miesto\"    a phrase: the words side by side, in this order, any form\n  \
\"robotikos srityje\"~2 a phrase whose words may move up to 2 positions\n  \
robot*                words starting with robot (3+ letters before *)\n  \
+word  -word  NOT word  required / excluded\n  \
a AND b   a OR b      both / either (OR is the default between words)\n  \
lang:ru  country:Japonija  city:Shenyang  city:\"Nizhny Novgorod\"\n  \
year:2018  year:2015..2020  year:..2020  year:2015..\n                        \
filters, like --lang/--country/--city/--year/--from/--to and combined with them:\n                        \
values of one facet are alternatives, different facets must all hold\n\
A word with a colon that is not one of these fields (10:30, http://...) is searched as words.\n\
--plain takes the query as plain words (pasted titles): no operators, quotes, prefixes or filters.\n\
A malformed query is an error naming the character position.\n\
Exit status: 0 passages match (even if the page shows none), 1 none match, 2 error."
)]
pub struct Args {
    /// The query (several arguments are joined with spaces).
    #[arg(required = true, num_args = 1..)]
    query: Vec<String>,
    #[command(flatten)]
    filter: FilterArgs,
    /// Number of passages to show (0 to 10,000).
    #[arg(long, short = 'n', default_value_t = 10)]
    limit: usize,
    /// Passages to skip, for paging (0 to 10,000).
    #[arg(long, default_value_t = 0)]
    offset: usize,
    /// Values shown per facet.
    #[arg(long, default_value_t = 10)]
    facet_limit: usize,
    /// Print one JSON object instead of text.
    #[arg(long)]
    json: bool,
    /// Colour the matches.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// Take the query as plain words: no operators, quotes, prefixes or filters.
    #[arg(long)]
    plain: bool,
    /// No typo tolerance (inflections, diacritics and scripts still match).
    #[arg(long)]
    exact: bool,
    /// At most N passages per document (0: no limit); the rest are counted as more_in_doc.
    #[arg(long, value_name = "N", default_value_t = repsearch::search::DEFAULT_PER_DOC)]
    per_doc: usize,
    /// Show which fields and terms each hit matched, with their scores.
    #[arg(long)]
    explain: bool,
}

/// Arguments of `repsearch facets`.
#[derive(clap::Args, Debug)]
pub struct FacetArgs {
    /// Count only passages matching this query (all passages when absent).
    query: Vec<String>,
    #[command(flatten)]
    filter: FilterArgs,
    /// Values shown per facet.
    #[arg(long, default_value_t = 20)]
    facet_limit: usize,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// Runs `repsearch search`.
pub fn run(a: Args) -> Result<Outcome> {
    let filters = a.filter.filters()?;
    let query = a.query.join(" ");
    if query.trim().is_empty() {
        return Err(repsearch::Error::command(
            "empty query: give at least one word to search for",
        ));
    }
    let req = SearchRequest {
        query,
        limit: a.limit,
        offset: a.offset,
        langs: a.filter.langs,
        filters,
        facet_limit: a.facet_limit,
        plain: a.plain,
        exact: a.exact,
        per_doc: a.per_doc,
        explain: a.explain,
    };
    req.check()?;
    let searcher = Searcher::open(&a.filter.index)?;
    let results = searcher.search(&req)?;
    let text = if a.json {
        json::search_json(&results)?
    } else {
        render(&results, a.color.enabled())
    };
    // passages matched, even when the page shows none (--limit 0, an
    // offset past the last hit): the total and the facets are the answer
    let outcome = if results.total_hits == 0 {
        Outcome::Partial
    } else {
        Outcome::Success
    };
    // a closed pipe (`| head`) is not an error, and leaves the outcome
    match output::print(&text) {
        Err(e) if output::is_broken_pipe(&e) => {}
        r => r?,
    }
    Ok(outcome)
}

/// Runs `repsearch facets`.
pub fn run_facets(a: FacetArgs) -> Result<Outcome> {
    let filters = a.filter.filters()?;
    let mut req = SearchRequest::new(a.query.join(" "));
    req.limit = 0;
    req.langs = a.filter.langs;
    req.filters = filters;
    req.facet_limit = a.facet_limit;
    req.check()?;
    req.facet_limit = req.facet_limit.max(1);
    let searcher = Searcher::open(&a.filter.index)?;
    let r = searcher.search(&req)?;
    let text = if a.json {
        json::facets_json(&r)?
    } else {
        let mut s = format!("{} passages\n", r.total_hits);
        s.push_str(&render_facets(&r.facets));
        s
    };
    output::print(&text)?;
    Ok(Outcome::Success)
}

fn render_facets(f: &FacetCounts) -> String {
    let mut out = String::new();
    for facet in Facet::ALL {
        let values: Vec<String> = f
            .get(facet)
            .iter()
            .map(|v| format!("{} ({})", v.value, v.count))
            .collect();
        if !values.is_empty() {
            let _ = writeln!(
                out,
                "{:<8} {}",
                format!("{}:", facet.field_name()),
                values.join(", ")
            );
        }
    }
    out
}

/// One line per query clause: its score share, then its matching fields and
/// terms, best first (`how` named when it is not the field's own kind).
fn render_explain(parts: &[ExplainPart]) -> String {
    let mut out = String::new();
    let mut clauses: Vec<&str> = Vec::new();
    for p in parts {
        if !clauses.contains(&p.clause.as_str()) {
            clauses.push(&p.clause);
        }
    }
    for c in clauses {
        let mut ps: Vec<&ExplainPart> = parts.iter().filter(|p| p.clause == c).collect();
        ps.sort_by(|a, b| b.best.cmp(&a.best).then(b.score.total_cmp(&a.score)));
        let share: f32 = ps
            .iter()
            .map(|p| {
                if p.best {
                    p.score
                } else {
                    TIE_BREAKER * p.score
                }
            })
            .sum();
        let list: Vec<String> = ps
            .iter()
            .map(|p| {
                let how = match p.how {
                    MatchKind::Typo | MatchKind::Prefix | MatchKind::Phrase | MatchKind::Place => {
                        format!(" ({})", p.how)
                    }
                    _ => String::new(),
                };
                format!("{}:{} {:.2}{how}", p.field, p.term, p.score)
            })
            .collect();
        let _ = writeln!(out, "  = {c} {share:.2}: {}", list.join(", "));
    }
    out
}

fn render(r: &SearchResults, color: bool) -> String {
    let mut out = String::new();
    if r.total_hits == 0 {
        let _ = writeln!(out, "No passages match \"{}\".", r.query);
        return out;
    }
    for h in &r.hits {
        let mut head = format!(
            "{}  #{}  [{}]  score {:.2}",
            h.doc, h.passage, h.lang, h.score
        );
        let mut places: Vec<String> = h.city.clone();
        places.extend(h.country.iter().cloned());
        if let Some(y) = h.year {
            places.push(y.to_string());
        }
        if !places.is_empty() {
            let _ = write!(head, "  ({})", places.join(", "));
        }
        if h.more_in_doc > 0 {
            let _ = write!(head, "  +{} more in this document", h.more_in_doc);
        }
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
        if let Some(parts) = &h.explain {
            out.push_str(&render_explain(parts));
        }
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "{} of {} matching passages shown.",
        r.hits.len(),
        r.total_hits
    );
    let facets = render_facets(&r.facets);
    if !facets.is_empty() {
        let _ = write!(out, "Facets over all matching passages:\n{facets}");
    }
    out
}
