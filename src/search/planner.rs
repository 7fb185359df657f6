//! Planning one clause: the index terms a word, a prefix or a phrase
//! stands for in every field kind, with their weights (see the module
//! documentation of [`super`] for the rules).

use super::highlight::MatchTerms;
use super::plan::{clause_label, ClauseLeaves, ClausePlan, PhraseLeaf, TermLeaf};
use super::query::{Clause, Occur};
use super::stats::{Expand, PlanStats};
use super::*;
use crate::analysis::{fold_query_terms, word_terms, FieldKind};
use crate::error::Result;
use crate::lang::Language;
use crate::schema::Fields;
use tantivy::schema::Field;
use tantivy::Term;

/// Plans the clauses of one query.
pub(super) struct Planner<'a> {
    fields: &'a Fields,
    /// Languages with passages in the index: a word is looked up in the
    /// stemmed field of each.
    languages: &'a [Language],
    /// The index's term statistics and dictionaries.
    stats: &'a dyn PlanStats,
    /// Recording the questions ([`super::stats::Recorder`]): every word may
    /// get typo tolerance, whatever the words before it were.
    recording: bool,
    /// Terms to highlight, gathered clause by clause.
    terms: MatchTerms,
    /// Words that may still get typo tolerance ([`MAX_FUZZY_WORDS`]).
    fuzzy_words_left: usize,
}

impl<'a> Planner<'a> {
    /// A planner over an index's fields, languages and statistics.
    pub(super) fn new(
        fields: &'a Fields,
        languages: &'a [Language],
        stats: &'a dyn PlanStats,
        recording: bool,
    ) -> Planner<'a> {
        Planner {
            fields,
            languages,
            stats,
            recording,
            terms: MatchTerms::default(),
            fuzzy_words_left: MAX_FUZZY_WORDS,
        }
    }

    /// The terms to highlight of every clause planned.
    pub(super) fn into_terms(self) -> MatchTerms {
        self.terms
    }

    /// Plans a clause; `typos` allows typo tolerance and cognates.
    pub(super) fn clause(&mut self, c: &Clause, typos: bool) -> Result<ClausePlan> {
        let leaves = if c.occur == Occur::MustNot {
            // excluded words are neither highlighted nor typo-corrected
            let terms = std::mem::take(&mut self.terms);
            let leaves = self.leaves(c, false);
            self.terms = terms;
            leaves?
        } else {
            self.leaves(c, typos && !c.quoted)?
        };
        Ok(ClausePlan {
            occur: c.occur,
            label: clause_label(c),
            leaves,
        })
    }

    fn leaves(&mut self, c: &Clause, typos: bool) -> Result<ClauseLeaves> {
        Ok(if c.prefix {
            ClauseLeaves::Terms(self.prefix(&c.words[0])?)
        } else if c.words.len() == 1 {
            ClauseLeaves::Terms(self.word(&c.words[0], typos)?)
        } else {
            ClauseLeaves::Phrases(self.phrase(&c.words, c.slop))
        })
    }

    /// Adds a term to a word's leaves, unless no passage has it: its weight
    /// and scorer would cost dictionary look-ups in every segment (a word
    /// is looked up in the stemmed field of every language).
    fn term(
        &self,
        leaves: &mut Vec<TermLeaf>,
        field: Field,
        text: &str,
        boost: f32,
        how: MatchKind,
    ) {
        let term = Term::from_field_text(field, text);
        if self.stats.doc_freq(&term).is_ok_and(|n| n == 0) {
            return;
        }
        leaves.push(TermLeaf {
            field,
            text: text.to_string(),
            boost,
            how,
        });
    }

    /// The index terms of a field that a prefix or a misspelt word stands
    /// for: the `cap` most frequent.
    fn expand(&self, field: Field, what: &Expand, cap: usize) -> Result<Vec<String>> {
        let mut v = self.stats.expand(field, what)?;
        v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        v.truncate(cap);
        Ok(v.into_iter().map(|(t, _)| t).collect())
    }

    /// True when a word occurs as written (or folded) in at least
    /// [`KNOWN_WORD_PASSAGES`] passages: it is taken as spelt right.
    fn known(&self, exact: &[String], folded: &[String]) -> Result<bool> {
        let mut n = 0;
        for (field, terms) in [(self.fields.exact, exact), (self.fields.fold, folded)] {
            for t in terms {
                n += self.stats.doc_freq(&Term::from_field_text(field, t))?;
            }
        }
        Ok(n >= KNOWN_WORD_PASSAGES)
    }

    /// Remembers a typo or prefix expansion to highlight.
    fn highlight_expansion(&mut self, field: Field, t: String) {
        if field == self.fields.exact {
            self.terms.exact.insert(t);
        } else {
            self.terms.fold.insert(t);
        }
    }

    /// A word's terms: exact, stemmed in every language, folded, place and
    /// (with `typos`) cognate keys and words one or two edits away.
    fn word(&mut self, word: &str, typos: bool) -> Result<Vec<TermLeaf>> {
        let (fields, languages) = (self.fields, self.languages);
        let mut leaves: Vec<TermLeaf> = Vec::new();
        let exact = word_terms(word, FieldKind::Exact);
        for t in &exact {
            self.term(&mut leaves, fields.exact, t, EXACT_BOOST, MatchKind::Exact);
            self.terms.exact.insert(t.clone());
        }
        for &l in languages {
            for t in word_terms(word, FieldKind::Stem(l)) {
                self.term(&mut leaves, fields.stem(l), &t, STEM_BOOST, MatchKind::Stem);
                self.terms.stems.entry(l).or_default().insert(t);
            }
        }
        let fold = fold_query_terms(word, languages);
        for t in &fold {
            self.term(&mut leaves, fields.fold, t, FOLD_BOOST, MatchKind::Fold);
            self.term(&mut leaves, fields.places, t, PLACE_BOOST, MatchKind::Place);
            self.terms.places.insert(t.clone());
            self.terms.fold.insert(t.clone());
        }
        // cognate keys are a guess, like typos: off for quoted and excluded
        // words and with --exact
        let cognates = if typos {
            word_terms(word, FieldKind::Cognate)
        } else {
            Vec::new()
        };
        for t in cognates {
            let boost = if t.len() >= crate::normalize::cognate::LONG_KEY_CHARS {
                COGNATE_LONG_BOOST
            } else {
                COGNATE_BOOST
            };
            self.term(&mut leaves, fields.cognate, &t, boost, MatchKind::Cognate);
            self.terms.cognate.insert(t);
        }
        let folded = word_terms(word, FieldKind::Fold(None));
        if typos && self.fuzzy_words_left > 0 && !self.known(&exact, &folded)? {
            self.typos(&mut leaves, &exact, &folded, &fold)?;
        }
        Ok(leaves)
    }

    /// Adds the index words one edit (or, failing those, two) away from a
    /// word's exact and folded forms, other than its own forms (`fold`).
    fn typos(
        &mut self,
        leaves: &mut Vec<TermLeaf>,
        exact: &[String],
        folded: &[String],
        fold: &[String],
    ) -> Result<()> {
        let fields = self.fields;
        let mut any = false;
        // a word in plain Latin letters is its own folded form, and the
        // folded field holds the folded form of every word: walk that one
        let exact_src: Vec<String> = exact
            .iter()
            .filter(|t| !folded.contains(t))
            .cloned()
            .collect();
        for (field, sources, known) in [
            (fields.exact, exact_src.as_slice(), exact),
            (fields.fold, folded, fold),
        ] {
            for src in sources {
                let n = src.chars().count();
                let max_d = match n {
                    _ if n >= FUZZY2_MIN_CHARS => 2,
                    _ if n >= FUZZY_MIN_CHARS => 1,
                    _ => continue,
                };
                any = true;
                // one edit first; two only when one finds nothing
                let mut found = Vec::new();
                for d in 1..=max_d {
                    found =
                        self.expand(field, &Expand::Fuzzy(src.clone(), d), MAX_TYPO_EXPANSIONS)?;
                    found.retain(|t| !known.contains(t));
                    if !found.is_empty() {
                        break;
                    }
                }
                for t in found {
                    self.term(leaves, field, &t, FUZZY_BOOST, MatchKind::Typo);
                    self.highlight_expansion(field, t);
                }
            }
        }
        if any && !self.recording {
            self.fuzzy_words_left -= 1;
        }
        Ok(())
    }

    /// A prefix's terms: the index words it begins, in the exact and the
    /// folded field.
    fn prefix(&mut self, prefix: &str) -> Result<Vec<TermLeaf>> {
        let fields = self.fields;
        let mut leaves: Vec<TermLeaf> = Vec::new();
        for (field, kind, boost) in [
            (fields.exact, FieldKind::Exact, PREFIX_BOOST),
            (fields.fold, FieldKind::Fold(None), FOLD_BOOST),
        ] {
            for p in word_terms(prefix, kind) {
                for t in self.expand(field, &Expand::Prefix(p.clone()), MAX_EXPANSIONS)? {
                    self.term(&mut leaves, field, &t, boost, MatchKind::Prefix);
                    self.highlight_expansion(field, t);
                }
            }
        }
        Ok(leaves)
    }

    /// A phrase in the exact field and each stemmed field that has all its
    /// words.
    fn phrase(&mut self, words: &[String], slop: u32) -> Vec<PhraseLeaf> {
        let fields = self.fields;
        let mut leaves = Vec::new();
        let mut kinds = vec![(FieldKind::Exact, fields.exact, EXACT_BOOST)];
        kinds.extend(
            self.languages
                .iter()
                .map(|&l| (FieldKind::Stem(l), fields.stem(l), STEM_BOOST)),
        );
        for (kind, field, boost) in kinds {
            let phrase: Vec<String> = words
                .iter()
                .filter_map(|w| word_terms(w, kind).into_iter().next())
                .collect();
            // a phrase with a word no passage of the field has cannot match
            let absent = |t: &String| {
                let term = Term::from_field_text(field, t);
                self.stats.doc_freq(&term).is_ok_and(|n| n == 0)
            };
            // (every word asked: a recording planner learns them all)
            if phrase.len() != words.len() || phrase.iter().filter(|t| absent(t)).count() > 0 {
                continue;
            }
            for t in &phrase {
                match kind {
                    FieldKind::Stem(l) => {
                        self.terms.stems.entry(l).or_default().insert(t.clone());
                    }
                    _ => {
                        self.terms.exact.insert(t.clone());
                    }
                }
            }
            leaves.push(PhraseLeaf {
                field,
                words: phrase,
                slop,
                boost,
            });
        }
        leaves
    }
}
