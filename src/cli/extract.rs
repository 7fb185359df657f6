//! `repsearch extract`: what the indexer extracts from documents.

use super::{output, Outcome};
use repsearch::corpus::formats;
use repsearch::extract::{explain, extract, MentionKind, PlaceDecision};
use repsearch::{detect, Error, Result};
use serde_json::json;
use std::fmt::Write as _;
use std::path::PathBuf;

/// Arguments of `repsearch extract`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Documents to read (any supported format).
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// One JSON object per document and line.
    #[arg(long)]
    json: bool,
    /// Also list every candidate mention, the place it was read as, whether
    /// it was kept, and the rule that decided (`decisions` in JSON).
    #[arg(long)]
    explain: bool,
}

/// Runs `repsearch extract`. A file that cannot be read is reported on
/// stderr and the others still go through (exit 1 then).
pub fn run(a: Args) -> Result<Outcome> {
    let mut out = String::new();
    let mut failed = false;
    for path in &a.files {
        let doc = match formats::read_document(path) {
            Ok(d) => d,
            Err(reason) => {
                repsearch::log_line!("repsearch: {}: {reason}", path.display());
                failed = true;
                continue;
            }
        };
        let text = doc.text;
        let lang = detect::detect(&text.chars().take(4000).collect::<String>());
        let x = extract(&text, lang);
        if a.json {
            let mentions: Vec<serde_json::Value> = x
                .mentions
                .iter()
                .map(|m| match m.kind {
                    MentionKind::City => json!({"start": m.start, "end": m.end, "text": m.text, "kind": "city", "geonameid": m.geonameid}),
                    MentionKind::Country => json!({"start": m.start, "end": m.end, "text": m.text, "kind": "country", "code": m.country.map(|c| c.to_string())}),
                })
                .collect();
            let mut v = json!({
                "doc": path.display().to_string(),
                "lang": lang.map(|l| l.code()),
                "year": x.year.map(|y| y.0),
                "cities": x.cities.iter().map(|c| json!({"geonameid": c.geonameid, "name": c.name, "country": c.country.to_string()})).collect::<Vec<_>>(),
                "countries": x.countries.iter().map(|c| json!({"code": c.code.to_string(), "name": c.name()})).collect::<Vec<_>>(),
                "mentions": mentions,
            });
            if a.explain {
                v["decisions"] = json!(explain(&text, lang));
            }
            let _ = writeln!(out, "{v}");
        } else {
            let _ = writeln!(
                out,
                "{}  [{}]",
                path.display(),
                lang.map(|l| l.code()).unwrap_or("und")
            );
            let _ = writeln!(
                out,
                "  year:      {}",
                x.year
                    .map(|y| y.0.to_string())
                    .unwrap_or_else(|| "-".into())
            );
            let cities: Vec<String> = x
                .cities
                .iter()
                .map(|c| format!("{} ({}, {})", c.name, c.country, c.geonameid))
                .collect();
            let _ = writeln!(out, "  cities:    {}", cities.join(", "));
            let countries: Vec<String> = x
                .countries
                .iter()
                .map(|c| format!("{} ({})", c.name(), c.code))
                .collect();
            let _ = writeln!(out, "  countries: {}", countries.join(", "));
            let mentions: Vec<&str> = x.mentions.iter().map(|m| m.text.as_str()).collect();
            let _ = writeln!(out, "  mentions:  {}", mentions.join(", "));
            if a.explain {
                write_decisions(&mut out, &explain(&text, lang));
            }
        }
    }
    output::print(&out)?;
    if failed && out.is_empty() {
        return Err(Error::command("no file could be read"));
    }
    Ok(if failed {
        Outcome::Partial
    } else {
        Outcome::Success
    })
}

/// One line per decision: where, the words, the place read, kept or not,
/// and the rule that decided.
fn write_decisions(out: &mut String, decisions: &[PlaceDecision]) {
    let _ = writeln!(out, "  decisions:");
    for d in decisions {
        let m = &d.mention;
        let place = match (m.kind, m.geonameid, m.country) {
            (MentionKind::City, Some(id), Some(cc)) => format!("city {id} ({cc})"),
            (_, _, Some(cc)) => format!("country {cc}"),
            _ => "?".to_string(),
        };
        let verdict = if d.kept { "kept" } else { "turned down" };
        let _ = writeln!(
            out,
            "    {}-{} {:?} as {place}: {verdict} ({})",
            m.start, m.end, m.text, d.rule
        );
    }
}
