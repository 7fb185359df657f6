//! What the words around a mention say of it: the cues the city and country
//! rules ask about.

use super::{lowercase, Context};
use crate::extract::cues::{is_cue, starts_with_cue, CYRILLIC};
use crate::extract::inflect::Form;
use crate::extract::matcher::{Candidate, How};
use crate::extract::tokens::Token;
use crate::gazetteer::City;

impl Context<'_, '_> {
    /// Is the capitalised word also used in lower case in this text?
    pub(super) fn ordinary_word(&self, tok: &Token<'_>) -> bool {
        self.lower_words.contains(lowercase(tok.text).as_ref())
    }

    /// Is the word an ordinary word of the text's language (or of Russian,
    /// for a Cyrillic word)?
    pub(super) fn dictionary_word(&self, tok: &Token<'_>) -> bool {
        let lang = if tok.cyrillic {
            Some(CYRILLIC)
        } else {
            self.language.latin_words
        };
        lang.is_some_and(|l| crate::extract::common::is_common_word(tok.text, l))
    }

    /// Is the city's country named in the text (or one of its regions,
    /// where regions give context)?
    pub(super) fn in_context(&self, c: &City) -> bool {
        self.named.contains(&c.country)
            || (self.language.region_context && self.region_countries.contains(&c.country))
    }

    /// Is the span followed by ", <a region or the country of `c`>"
    /// (Wasilla, Alaska; Ilfracombe, Devon; Manchester, England)?
    pub(super) fn followed_by_own_region(&self, cand: &Candidate, c: &City) -> bool {
        let t = self.tokens;
        let Some(next) = t.get(cand.last) else {
            return false;
        };
        let between = &self.text[t[cand.last - 1].end..next.start];
        if between.trim() != "," || !next.capitalized {
            return false;
        }
        let g = crate::gazetteer::gazetteer();
        let mut buf = crate::gazetteer::KeyBuf::default();
        let mut spans = vec![next.text.to_string()];
        if let Some(n2) = t.get(cand.last + 1).filter(|_| next.joined_next) {
            spans.push(format!("{} {}", next.text, n2.text));
        }
        spans.iter().any(|s| {
            let (k, cyr) = (buf.key(s), crate::gazetteer::is_cyrillic(s));
            g.region_countries(k, cyr).any(|cc| cc == c.country)
                || g.countries_by_key(k, cyr).any(|k| k.code == c.country)
        })
    }

    /// The score of a city reading: its size, its country named, at home,
    /// how directly the words name it.
    pub(super) fn city_score(&self, c: &City, how: How, canonical: bool) -> f64 {
        let mut s = f64::from(c.population.max(1)).ln();
        if canonical {
            s += 1.0;
        }
        if self.named.contains(&c.country) {
            s += 3.0;
        } else if self.language.region_context && self.region_countries.contains(&c.country) {
            // A state or province of the country is named (Массачусетса,
            // Абхазии): a weaker hint than the country's own name.
            s += 1.0;
        }
        if self.home == Some(c.country) {
            s += 1.5;
        }
        s -= match how {
            How::Name(Form::Surface) | How::Initialism => 0.0,
            How::Name(Form::Inflected) => 0.3,
            How::Adjective => 0.5,
            How::Name(Form::Foreign) => 1.0,
        };
        s
    }

    /// An uninflected name followed by a noun for an institution, in a
    /// language that says so (`Tokai universitetas`; a city would be in the
    /// genitive, `Vilniaus universitetas`).
    pub(super) fn institution_name(&self, cand: &Candidate, how: How) -> bool {
        let cues = &self.language.cues;
        if how == How::Adjective {
            return false;
        }
        let Some(next) = self.tokens.get(cand.last) else {
            return false;
        };
        let word = self.tokens[cand.last - 1].text.to_lowercase();
        if cues.genitive_endings.iter().any(|e| word.ends_with(e)) {
            return false;
        }
        !next.capitalized
            && cues
                .institutions_after
                .iter()
                .any(|p| next.text.to_lowercase().starts_with(p))
    }

    /// Is a Latin-script span next to another capitalised Latin word (New
    /// York Times, The Washington Post, Time Out Melbourne)?
    pub(super) fn latin_neighbour(&self, cand: &Candidate) -> bool {
        let t = self.tokens;
        let latin_cap = |k: usize| t[k].capitalized && !t[k].cyrillic;
        let next = cand.last < t.len() && t[cand.last - 1].joined_next && latin_cap(cand.last);
        let prev = cand
            .first
            .checked_sub(1)
            .is_some_and(|p| t[p].joined_next && latin_cap(p));
        next || prev
    }

    /// Is an adjective followed, across a list of other adjectives and
    /// numbers (Самарской (88), Свердловской (80) и Новосибирской
    /// областях; Ленинградском военном округе), by a noun for a region?
    pub(super) fn region_noun_ahead(&self, cand: &Candidate) -> bool {
        let t = self.tokens;
        for tok in t.iter().skip(cand.last).take(8) {
            if tok.sentence_start {
                return false;
            }
            let w = tok.lower();
            if starts_with_cue(&w, |c| c.region_nouns) || is_cue(&w, |c| c.region_noun_forms) {
                return true;
            }
            let skip = w.chars().all(|c| c.is_ascii_digit())
                || is_cue(&w, |c| c.list_words)
                || (tok.cyrillic && crate::extract::adjectives::ru_adjective_form(&w));
            if !skip {
                return false;
            }
        }
        false
    }

    /// Is the span preceded by a word for a town (селе Бокино, the town of
    /// Tornillo)?
    pub(super) fn after_town_word(&self, first: usize) -> bool {
        let t = self.tokens;
        let Some(p) = first.checked_sub(1) else {
            return false;
        };
        let w = t[p].text.to_lowercase();
        if is_cue(&w, |c| c.town_words) {
            return true;
        }
        w == "of"
            && p.checked_sub(1)
                .is_some_and(|q| is_cue(&t[q].text.to_lowercase(), |c| c.town_words_of))
    }

    /// Is token `i` outside every candidate span?
    pub(super) fn outside(&self, i: usize) -> bool {
        !self.in_candidate.get(i).copied().unwrap_or(false)
    }

    /// Is the span in quotation marks on its own («Пересвет», "Metro"): the
    /// name of a company, a team, a film?
    pub(super) fn quoted(&self, cand: &Candidate) -> bool {
        let t = self.tokens;
        let (first, last) = (&t[cand.first], &t[cand.last - 1]);
        let before = self.text[..first.start].chars().next_back();
        let after = self.text[last.end..].chars().next();
        matches!(before, Some('«' | '"' | '“' | '„'))
            && matches!(after, Some('»' | '"' | '”' | '“'))
    }

    /// Is the span followed by a word for a region (Московской области,
    /// Пермский край, Vilniaus apskritis, Orange County), or preceded by
    /// one (штат Вирджиния)?
    pub(super) fn region_follows(&self, cand: &Candidate) -> bool {
        let t = self.tokens;
        let next = t.get(cand.last).map(|n| n.text.to_lowercase());
        let prev = cand.first.checked_sub(1).map(|p| t[p].text.to_lowercase());
        next.is_some_and(|w| {
            starts_with_cue(&w, |c| c.region_words) || starts_with_cue(&w, |c| c.street_words)
        }) || prev.is_some_and(|w| starts_with_cue(&w, |c| c.region_before))
    }

    /// Is the span preceded by a word for a natural feature (реки Печоры),
    /// or, for a name in its dictionary form, for a stadium or an estate
    /// (стадионе Калининград)?
    pub(super) fn feature_before(&self, first: usize, how: How) -> bool {
        first.checked_sub(1).is_some_and(|p| {
            let w = self.tokens[p].text.to_lowercase();
            is_cue(&w, |c| c.feature_before)
                || (how == How::Name(Form::Surface) && is_cue(&w, |c| c.building_before))
        })
    }

    /// Is the span preceded by a word for a kinsman (отец, дочери, wife)?
    pub(super) fn after_person_word(&self, first: usize) -> bool {
        first.checked_sub(1).is_some_and(|p| {
            let w = self.tokens[p].text.to_lowercase();
            is_cue(&w, |c| c.person_before)
        })
    }

    /// Does a preposition of place, a word for a town or the town's own
    /// region vouch for the span as a place?
    pub(super) fn place_cue(&self, cand: &Candidate, c: &City) -> bool {
        self.after_place_word(cand.first)
            || self.after_town_word(cand.first)
            || self.followed_by_own_region(cand, c)
    }

    /// Is the span preceded by a preposition of place or a word for a town?
    pub(super) fn after_place_word(&self, first: usize) -> bool {
        first.checked_sub(1).is_some_and(|p| {
            let w = self.tokens[p].text.to_lowercase();
            is_cue(&w, |c| c.place_words)
        })
    }
}
