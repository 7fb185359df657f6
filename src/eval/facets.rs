//! Scoring place and year facets against a gold file (`facets-dev.jsonl`).
//!
//! Per document the engine's city set (by GeoNames id), country set (ISO
//! alpha-2) and year are compared with the gold ones and the counts summed
//! (micro average), per source and language and overall, as described in
//! `shared/eval/facets-README.md`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::extract::extract;
use crate::lang::Language;

/// True and false positives and false negatives of a set comparison.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub(crate) struct Counts {
    /// Predicted and in gold.
    pub tp: usize,
    /// Predicted, not in gold.
    pub fp: usize,
    /// In gold, not predicted (null-id gold cities count here).
    pub fn_: usize,
}

impl Counts {
    /// Precision (1 when nothing was predicted).
    pub(crate) fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }

    /// Recall (1 when gold is empty).
    pub(crate) fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }

    /// Harmonic mean of precision and recall.
    pub(crate) fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }

    fn add(&mut self, o: Counts) {
        self.tp += o.tp;
        self.fp += o.fp;
        self.fn_ += o.fn_;
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

/// Scores of one group of documents.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub(crate) struct GroupScore {
    /// Documents scored.
    pub docs: usize,
    /// Cities by GeoNames id.
    pub cities: Counts,
    /// Countries by ISO code.
    pub countries: Counts,
    /// Documents with a gold year.
    pub year_docs: usize,
    /// Of those, documents whose predicted year is the gold one.
    pub year_correct: usize,
    /// Documents without a gold year that got a year.
    pub year_spurious: usize,
}

impl GroupScore {
    /// Year accuracy over the documents with a gold year.
    pub(crate) fn year_accuracy(&self) -> f64 {
        ratio(self.year_correct, self.year_docs)
    }

    fn add(&mut self, o: &GroupScore) {
        self.docs += o.docs;
        self.cities.add(o.cities);
        self.countries.add(o.countries);
        self.year_docs += o.year_docs;
        self.year_correct += o.year_correct;
        self.year_spurious += o.year_spurious;
    }
}

/// The result of [`evaluate`]: scores per `source/lang`, per source, per
/// language and overall.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FacetsReport {
    /// Keyed by group name (`nerel/ru`, `ntrex128`, `lang lt`, `all`).
    pub(crate) groups: BTreeMap<String, GroupScore>,
    /// Gold documents whose file was not found (skipped).
    pub missing: Vec<String>,
}

#[derive(serde::Deserialize)]
struct GoldCity {
    geonameid: Option<u32>,
}

#[derive(serde::Deserialize)]
struct GoldDoc {
    doc: String,
    lang: String,
    source: String,
    #[serde(default)]
    cities: Vec<GoldCity>,
    #[serde(default)]
    countries: Vec<String>,
    year: Option<u16>,
}

/// Where a gold `doc` path lives: corpus documents under `corpus_root`
/// (`shared/corpora`), seeds (`seeds/...`) under its parent (`shared`).
fn resolve_doc(doc: &str, corpus_root: &Path) -> PathBuf {
    let direct = corpus_root.join(doc);
    if doc.starts_with("seeds/") && !direct.exists() {
        if let Some(parent) = corpus_root.parent() {
            return parent.join(doc);
        }
    }
    direct
}

fn compare<T: Ord>(gold: &BTreeSet<T>, pred: &BTreeSet<T>, extra_fn: usize) -> Counts {
    let tp = gold.intersection(pred).count();
    Counts {
        tp,
        fp: pred.len() - tp,
        fn_: gold.len() - tp + extra_fn,
    }
}

/// Scores the extraction of every gold document against the gold labels.
pub fn evaluate(gold: &Path, corpus_root: &Path) -> Result<FacetsReport, String> {
    let text = std::fs::read_to_string(gold)
        .map_err(|e| format!("cannot read gold file {}: {e}", gold.display()))?;
    let mut report = FacetsReport::default();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let g: GoldDoc = serde_json::from_str(line)
            .map_err(|e| format!("{}:{}: bad gold line: {e}", gold.display(), n + 1))?;
        let path = resolve_doc(&g.doc, corpus_root);
        let Ok(doc) = std::fs::read_to_string(&path) else {
            report.missing.push(g.doc);
            continue;
        };
        let lang = Language::from_code(&g.lang);
        let e = extract(&doc, lang);
        let gold_cities: BTreeSet<u32> = g.cities.iter().filter_map(|c| c.geonameid).collect();
        let null_cities = g.cities.iter().filter(|c| c.geonameid.is_none()).count();
        let pred_cities: BTreeSet<u32> = e.cities.iter().map(|c| c.geonameid).collect();
        let gold_countries: BTreeSet<String> =
            g.countries.iter().map(|c| c.to_uppercase()).collect();
        let pred_countries: BTreeSet<String> =
            e.countries.iter().map(|c| c.code.to_string()).collect();
        let score = GroupScore {
            docs: 1,
            cities: compare(&gold_cities, &pred_cities, null_cities),
            countries: compare(&gold_countries, &pred_countries, 0),
            year_docs: usize::from(g.year.is_some()),
            year_correct: usize::from(g.year.is_some() && e.year.map(|y| y.0) == g.year),
            year_spurious: usize::from(g.year.is_none() && e.year.is_some()),
        };
        for key in [
            format!("{}/{}", g.source, g.lang),
            g.source.clone(),
            format!("lang {}", g.lang),
            "all".to_string(),
        ] {
            report.groups.entry(key).or_default().add(&score);
        }
    }
    Ok(report)
}

impl fmt::Display for FacetsReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{:<14} {:>5}  {:>6} {:>6} {:>6}  {:>6} {:>6} {:>6}  {:>9} {:>6}",
            "group",
            "docs",
            "city P",
            "city R",
            "city F",
            "ctry P",
            "ctry R",
            "ctry F",
            "year n",
            "year A"
        )?;
        for (name, g) in &self.groups {
            writeln!(
                f,
                "{:<14} {:>5}  {:>6.3} {:>6.3} {:>6.3}  {:>6.3} {:>6.3} {:>6.3}  {:>9} {:>6.3}",
                name,
                g.docs,
                g.cities.precision(),
                g.cities.recall(),
                g.cities.f1(),
                g.countries.precision(),
                g.countries.recall(),
                g.countries.f1(),
                format!("{}/{}", g.year_correct, g.year_docs),
                g.year_accuracy(),
            )?;
        }
        if !self.missing.is_empty() {
            writeln!(
                f,
                "{} gold documents not found (skipped)",
                self.missing.len()
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_f1() {
        let gold: BTreeSet<u32> = [1, 2, 3].into();
        let pred: BTreeSet<u32> = [2, 3, 4].into();
        let c = compare(&gold, &pred, 1);
        assert_eq!(
            c,
            Counts {
                tp: 2,
                fp: 1,
                fn_: 2
            }
        );
        assert!((c.precision() - 2.0 / 3.0).abs() < 1e-9);
        assert!((c.recall() - 0.5).abs() < 1e-9);
    }

    #[test]
    fn seeds_resolve_against_the_parent() {
        let p = resolve_doc("seeds/x.txt", Path::new("/nonexistent/shared/corpora"));
        assert_eq!(p, Path::new("/nonexistent/shared/seeds/x.txt"));
    }
}
