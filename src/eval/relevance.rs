//! Ranked retrieval against a relevance file (`relevance-dev.jsonl`), with
//! the protocol of `shared/eval/README.md`: only the query text goes to the
//! engine; documents are ranked by the first appearance of each among the
//! returned passages; judged documents outside the query's scope are
//! dropped; MRR@10, nDCG@10 and Recall@100 per query kind and language (and,
//! for cross-language queries, per direction).
//!
//! The same figures are computed for a baseline: tantivy with its default
//! tokenizer, one document per file, the query's words OR-ed (what a user
//! of plain tantivy gets), on the same files.

use crate::error::{Error, Result};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

/// Passages (or baseline documents) fetched per query.
pub(crate) const DEPTH: usize = 1000;

/// One gold query.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldQuery {
    /// Query id.
    pub qid: String,
    /// The query text (the only thing the engine sees).
    pub query: String,
    /// Language of the query.
    pub lang: String,
    /// lemma, xling or mono-title.
    pub kind: String,
    /// Relevant documents (paths relative to the corpus folder).
    pub relevant: Vec<String>,
    /// Path prefixes a ranked document must have to be scored.
    #[serde(default)]
    pub scope: Vec<String>,
    /// Cross-language queries: the relevant documents per target language.
    #[serde(default)]
    pub relevant_by_lang: BTreeMap<String, Vec<String>>,
}

/// Reads a relevance file.
pub fn load(path: &Path) -> Result<Vec<GoldQuery>> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l).map_err(|e| {
                Error::command(format!(
                    "{}:{}: not a relevance query line: {e}",
                    path.display(),
                    i + 1
                ))
            })
        })
        .collect()
}

/// Documents in the order of their first appearance.
pub(crate) fn first_appearance<'a>(docs: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    docs.into_iter()
        .filter(|d| seen.insert(*d))
        .map(String::from)
        .collect()
}

/// The three measures of one query.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Scores {
    /// 1/rank of the first relevant document in the top 10.
    pub mrr10: f64,
    /// nDCG over the top 10, binary relevance.
    pub ndcg10: f64,
    /// Share of the relevant documents in the top 100.
    pub recall100: f64,
}

/// Scores one ranking (already restricted to the scope) against its relevant set.
pub(crate) fn score(ranking: &[String], relevant: &[String]) -> Scores {
    if relevant.is_empty() {
        return Scores::default();
    }
    let is_rel = |d: &String| relevant.contains(d);
    let mrr10 = ranking
        .iter()
        .take(10)
        .position(is_rel)
        .map(|i| 1.0 / (i as f64 + 1.0))
        .unwrap_or(0.0);
    let dcg: f64 = ranking
        .iter()
        .take(10)
        .enumerate()
        .filter(|(_, d)| is_rel(d))
        .map(|(i, _)| 1.0 / (i as f64 + 2.0).log2())
        .sum();
    let ideal: f64 = (0..relevant.len().min(10))
        .map(|i| 1.0 / (i as f64 + 2.0).log2())
        .sum();
    let found = ranking.iter().take(100).filter(|d| is_rel(d)).count();
    Scores {
        mrr10,
        ndcg10: dcg / ideal,
        recall100: found as f64 / relevant.len() as f64,
    }
}

/// Averages of the measures over a group of queries.
#[derive(Debug, Clone, Copy, Default)]
pub struct Mean {
    sum: [f64; 3],
    /// Queries in the group.
    pub n: usize,
}

impl Mean {
    fn add(&mut self, s: Scores) {
        self.sum[0] += s.mrr10;
        self.sum[1] += s.ndcg10;
        self.sum[2] += s.recall100;
        self.n += 1;
    }

    /// Mean scores.
    pub(crate) fn get(&self) -> Scores {
        let d = self.n.max(1) as f64;
        Scores {
            mrr10: self.sum[0] / d,
            ndcg10: self.sum[1] / d,
            recall100: self.sum[2] / d,
        }
    }
}

/// Group key: kind, then query language ("all" for every language), then
/// direction ("" or e.g. "en→lt").
pub(crate) type GroupKey = (String, String, String);

/// Mean scores per group, for one system.
pub(crate) type Table = BTreeMap<GroupKey, Mean>;

/// Scores a system (a function from query text to ranked document paths).
pub fn evaluate(gold: &[GoldQuery], mut system: impl FnMut(&str) -> Vec<String>) -> Table {
    let mut table = Table::new();
    for g in gold {
        let ranking = system(&g.query);
        let in_scope = |prefixes: &[String]| -> Vec<String> {
            ranking
                .iter()
                .filter(|d| prefixes.is_empty() || prefixes.iter().any(|p| d.starts_with(p)))
                .cloned()
                .collect()
        };
        let s = score(&in_scope(&g.scope), &g.relevant);
        for lang in [g.lang.as_str(), "all"] {
            table
                .entry((g.kind.clone(), lang.to_string(), String::new()))
                .or_default()
                .add(s);
        }
        for (target, rel) in &g.relevant_by_lang {
            // the ranking restricted to the target language's folder of the same source
            let prefixes: Vec<String> = g
                .scope
                .iter()
                .filter(|p| p.trim_end_matches('/').ends_with(&format!("/{target}")))
                .cloned()
                .collect();
            let s = score(&in_scope(&prefixes), rel);
            table
                .entry((
                    g.kind.clone(),
                    g.lang.clone(),
                    format!("{}→{target}", g.lang),
                ))
                .or_default()
                .add(s);
        }
    }
    table
}

/// The report: repsearch beside the baseline.
pub struct Report {
    /// Scores of repsearch.
    pub engine: Table,
    /// Scores of the baseline, if it was run.
    pub baseline: Option<Table>,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let both = self.baseline.is_some();
        write!(
            f,
            "{:<11} {:<5} {:<7} {:>5}  {:>7} {:>7} {:>7}",
            "kind", "lang", "dir", "n", "MRR@10", "nDCG@10", "R@100"
        )?;
        if both {
            write!(
                f,
                "   | baseline {:>7} {:>7} {:>7}",
                "MRR@10", "nDCG@10", "R@100"
            )?;
        }
        writeln!(f)?;
        for (key, mean) in &self.engine {
            let (kind, lang, dir) = key;
            let s = mean.get();
            write!(
                f,
                "{kind:<11} {lang:<5} {dir:<7} {:>5}  {:>7.3} {:>7.3} {:>7.3}",
                mean.n, s.mrr10, s.ndcg10, s.recall100
            )?;
            if let Some(b) = self.baseline.as_ref().and_then(|b| b.get(key)) {
                let b = b.get();
                write!(
                    f,
                    "   |          {:>7.3} {:>7.3} {:>7.3}",
                    b.mrr10, b.ndcg10, b.recall100
                )?;
            }
            writeln!(f)?;
        }
        Ok(())
    }
}

/// The baseline engine: tantivy's default tokenizer over whole files.
pub mod baseline {
    use super::DEPTH;
    use crate::error::Result;
    use std::path::Path;
    use tantivy::collector::TopDocs;
    use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
    use tantivy::schema::{IndexRecordOption, Schema, Value, STORED, STRING, TEXT};
    use tantivy::tokenizer::TokenStream;
    use tantivy::{Index, TantivyDocument, Term};

    /// A built baseline index.
    pub struct Baseline {
        index: Index,
        reader: tantivy::IndexReader,
        path: tantivy::schema::Field,
        body: tantivy::schema::Field,
    }

    impl Baseline {
        /// Indexes every document file under `corpus` (the same files the
        /// engine's walk finds, read the same way) into `dir`.
        pub fn build(corpus: &Path, dir: &Path) -> Result<Baseline> {
            use rayon::prelude::*;
            let mut b = Schema::builder();
            let path = b.add_text_field("path", STRING | STORED);
            let body = b.add_text_field("body", TEXT);
            let _ = std::fs::remove_dir_all(dir);
            std::fs::create_dir_all(dir).map_err(|e| crate::Error::io(dir, e))?;
            let index = Index::create_in_dir(dir, b.build())?;
            let mut writer: tantivy::IndexWriter = index.writer(256 << 20)?;
            let (files, _) = crate::corpus::walk(corpus)?;
            files.par_iter().for_each(|f| {
                if let Ok(doc) = crate::corpus::read(f) {
                    let _ = writer
                        .add_document(tantivy::doc!(path => f.rel.as_str(), body => doc.text));
                }
            });
            writer.commit()?;
            writer.wait_merging_threads()?;
            let reader = index.reader()?;
            Ok(Baseline {
                index,
                reader,
                path,
                body,
            })
        }

        /// The files for a query, best first: its words OR-ed, BM25.
        pub fn search(&self, query: &str) -> Result<Vec<String>> {
            let mut tokenizer = self
                .index
                .tokenizers()
                .get("default")
                .expect("tantivy registers its default tokenizer");
            let mut stream = tokenizer.token_stream(query);
            let mut subs: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            while let Some(t) = stream.next() {
                let term = Term::from_field_text(self.body, &t.text);
                subs.push((
                    Occur::Should,
                    Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)),
                ));
            }
            let searcher = self.reader.searcher();
            let top = searcher.search(
                &BooleanQuery::new(subs),
                &TopDocs::with_limit(DEPTH).order_by_score(),
            )?;
            top.into_iter()
                .map(|(_, addr)| {
                    let d: TantivyDocument = searcher.doc(addr)?;
                    Ok(d.get_first(self.path)
                        .and_then(|v| v.as_str())
                        .unwrap_or("")
                        .to_string())
                })
                .collect()
        }
    }
}

/// Documents (first appearance) the engine returns for a query.
pub fn engine_ranking(searcher: &crate::search::Searcher, query: &str) -> Vec<String> {
    // the query text as plain words (titles hold quotes, colons, AND ...),
    // everything else as `repsearch search` does by default
    let mut req = crate::search::SearchRequest::new(query);
    req.plain = true;
    req.limit = DEPTH;
    req.facet_limit = 0;
    match searcher.search(&req) {
        Ok(r) => first_appearance(r.hits.iter().map(|h| h.doc.as_str())),
        Err(_) => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(xs: &[&str]) -> Vec<String> {
        xs.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn measures_follow_the_protocol() {
        let s = score(&v(&["a", "x", "b"]), &v(&["b", "c"]));
        assert_eq!(s.mrr10, 1.0 / 3.0);
        let ideal = 1.0 + 1.0 / 3f64.log2();
        assert!((s.ndcg10 - (1.0 / 4f64.log2()) / ideal).abs() < 1e-12);
        assert_eq!(s.recall100, 0.5);
        assert_eq!(score(&v(&["x"]), &v(&["b"])), Scores::default());
    }

    #[test]
    fn documents_rank_by_first_passage() {
        assert_eq!(
            first_appearance(["a", "b", "a", "c", "b"]),
            v(&["a", "b", "c"])
        );
    }

    #[test]
    fn directions_restrict_the_ranking_to_the_target_folder() {
        let gold = vec![GoldQuery {
            qid: "q".into(),
            query: "q".into(),
            lang: "en".into(),
            kind: "xling".into(),
            relevant: v(&["s/lt/1", "s/ru/1"]),
            scope: v(&["s/lt/", "s/ru/"]),
            relevant_by_lang: [
                ("lt".to_string(), v(&["s/lt/1"])),
                ("ru".into(), v(&["s/ru/1"])),
            ]
            .into_iter()
            .collect(),
        }];
        let t = evaluate(&gold, |_| v(&["s/en/1", "s/ru/2", "s/ru/1", "s/lt/1"]));
        let get = |dir: &str| t[&("xling".into(), "en".into(), dir.into())].get().mrr10;
        assert_eq!(get(""), 0.5); // s/en/1 out of scope; s/ru/1 second
        assert_eq!(get("en→ru"), 0.5);
        assert_eq!(get("en→lt"), 1.0);
    }
}
