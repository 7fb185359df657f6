//! Why a hit matched: its share of the score per query clause, field and
//! term, read from the plan the search ran. A word's terms are scored by
//! the bulk engine's own cursors ([`bulk::term_score`]), a phrase by
//! tantivy's phrase query (phrases are tantivy's scorers when searching
//! too).

use super::bulk;
use super::compile::phrase_query;
use super::execute::Scoring;
use super::plan::{ClauseLeaves, QueryPlan, TextPlan};
use super::query::Occur;
use super::results::ExplainPart;
use super::searcher::IndexSearcher;
use serde::Serialize;
use std::collections::HashMap;
use std::fmt;
use tantivy::query::EnableScoring;
use tantivy::schema::Field;
use tantivy::DocAddress;

/// How an index term matches the word the user typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MatchKind {
    /// The word as written (lower-cased): the exact field.
    Exact,
    /// The word's stem in one language: a stemmed field.
    Stem,
    /// The word without diacritics, transliterated: the folded field.
    Fold,
    /// A place's canonical name: the places field.
    Place,
    /// Another language's form of the word, guessed from its first letters.
    Cognate,
    /// A word a prefix (`robot*`) expands to.
    Prefix,
    /// A word one or two edits away (a typo).
    Typo,
    /// A phrase.
    Phrase,
}

impl MatchKind {
    /// Its name in explanations (`exact`, `typo`, ...).
    pub(crate) const fn name(self) -> &'static str {
        match self {
            MatchKind::Exact => "exact",
            MatchKind::Stem => "stem",
            MatchKind::Fold => "fold",
            MatchKind::Place => "place",
            MatchKind::Cognate => "cognate",
            MatchKind::Prefix => "prefix",
            MatchKind::Typo => "typo",
            MatchKind::Phrase => "phrase",
        }
    }
}

impl fmt::Display for MatchKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl IndexSearcher {
    /// Which fields and terms of the plan a passage matched, with scores
    /// (excluded clauses are not explained); each clause's best match is
    /// marked.
    pub(super) fn explain(
        &self,
        plan: &QueryPlan,
        (searcher, stats): Scoring<'_>,
        addr: DocAddress,
    ) -> Vec<ExplainPart> {
        let TextPlan::Clauses(clauses) = &plan.text else {
            return Vec::new();
        };
        let mut parts: Vec<ExplainPart> = Vec::new();
        let mut push = |clause: &str, field: Field, term: String, how, score: f32| {
            // a leaf that does not match the passage explains nothing
            if score > 0.0 {
                parts.push(ExplainPart {
                    clause: clause.to_string(),
                    field: self.fields.schema.get_field_name(field).to_string(),
                    term,
                    how,
                    score,
                    best: false,
                });
            }
        };
        for c in clauses.iter().filter(|c| c.occur != Occur::MustNot) {
            match &c.leaves {
                ClauseLeaves::Terms(terms) => {
                    for t in terms {
                        if let Ok(Some(s)) =
                            bulk::term_score_with(stats, searcher, &t.term(), t.boost, addr)
                        {
                            push(&c.label, t.field, t.text.clone(), t.how, s);
                        }
                    }
                }
                ClauseLeaves::Phrases(phrases) => {
                    for p in phrases {
                        let scoring =
                            EnableScoring::enabled_from_statistics_provider(stats, searcher);
                        let weight = phrase_query(p).weight(scoring);
                        let reader = searcher.segment_reader(addr.segment_ord);
                        if let Ok(e) = weight.and_then(|w| w.explain(reader, addr.doc_id)) {
                            let how = MatchKind::Phrase;
                            push(&c.label, p.field, p.words.join(" "), how, e.value());
                        }
                    }
                }
            }
        }
        mark_best(&mut parts);
        parts
    }
}

/// Marks the best part of each clause (the first of equal ones).
fn mark_best(parts: &mut [ExplainPart]) {
    let mut best: HashMap<String, usize> = HashMap::new();
    for (i, p) in parts.iter().enumerate() {
        let e = best.entry(p.clause.clone()).or_insert(i);
        if p.score > parts[*e].score {
            *e = i;
        }
    }
    for i in best.into_values() {
        parts[i].best = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn match_kinds_serialise_to_their_names() {
        for k in [
            MatchKind::Exact,
            MatchKind::Stem,
            MatchKind::Fold,
            MatchKind::Place,
            MatchKind::Cognate,
            MatchKind::Prefix,
            MatchKind::Typo,
            MatchKind::Phrase,
        ] {
            let json = serde_json::to_string(&k).unwrap();
            assert_eq!(json, format!("\"{}\"", k.name()));
            assert_eq!(k.to_string(), k.name());
        }
    }

    #[test]
    fn the_best_part_of_each_clause_is_marked() {
        let part = |clause: &str, score: f32| ExplainPart {
            clause: clause.to_string(),
            field: "exact".to_string(),
            term: "t".to_string(),
            how: MatchKind::Exact,
            score,
            best: false,
        };
        let mut parts = vec![
            part("a", 1.0),
            part("a", 2.0),
            part("b", 0.5),
            part("b", 0.5),
        ];
        mark_best(&mut parts);
        let best: Vec<bool> = parts.iter().map(|p| p.best).collect();
        assert_eq!(best, [false, true, true, false]);
    }
}
