//! Telling a town from a person named like it: initials, first names and
//! surnames beside the name, verbs of saying, and one sense per text.

use std::collections::{HashMap, HashSet};

use super::{CityPass, Context};
use crate::extract::cues::{is_cue, starts_with_cue, surname_like, PlaceLanguage, NAME_ARTICLES};
use crate::extract::matcher::{Candidate, Target};
use crate::extract::tier;
use crate::extract::tokens::Token;

impl Context<'_, '_> {
    /// Is the span preceded by an initial (`А.И. Позднякова`, `J. Smith`)?
    pub(super) fn after_initial(&self, first: usize) -> bool {
        let Some(prev) = first.checked_sub(1).map(|p| &self.tokens[p]) else {
            return false;
        };
        let letters = prev.letters;
        let gap = &self.text[prev.end..self.tokens[first].start];
        // «В Москве» is a preposition; «А. Москвин», «А.И. Позднякова» an initial.
        letters <= 2
            && prev.text.chars().all(|c| c.is_uppercase() || c == '.')
            && (prev.text.ends_with('.') || gap.starts_with('.'))
            && gap.chars().count() <= 2
    }

    /// Is the span next to a capitalised word that is not part of it (a
    /// person's first name or surname, an organisation)? A following word
    /// counts only after a name in its dictionary form: «в Москве Сергей
    /// Собянин» is a place and a person, «Манчестер Юнайтед» a club.
    pub(super) fn capitalised_neighbour(
        &self,
        cand: &Candidate,
        pop: u32,
        taken: &HashSet<usize>,
    ) -> bool {
        // (Small English places named like first names: Justin, Graham.)
        let small_ok = pop >= tier::CITY;
        let t = self.tokens;
        // (Not an institution's noun: Университета Мемфиса names the town.)
        let prev = cand.first.checked_sub(1).filter(|&p| {
            t[p].joined_next
                && t[p].capitalized
                && !t[p].sentence_start
                && !taken.contains(&p)
                && !institution_noun(t[p].text)
        });
        // A following capitalised word does not count when it starts a
        // person's name of its own: «уроженец Сочи Олег Топалов»,
        // «Калининграда С.Разыграев».
        let next = (cand.last < t.len()
            && t[cand.last - 1].joined_next
            && t[cand.last].capitalized
            && !t[cand.last].all_caps
            && t[cand.last].text.chars().count() > 1
            && !self.two_names_at(cand.last)
            && !taken.contains(&cand.last))
        .then_some(cand.last);
        // In English a place name before a capitalised word is mostly a
        // newspaper, team or company named after it (The Washington Post,
        // Los Angeles Lakers), which counts as a mention of the place; so
        // in a Latin-script name inside a Russian text.
        let english = !t[cand.first].cyrillic && !self.language.inflects_names;
        // «Лос-Анджелес Доджерс», «Реал Мадрид»: a team or company named
        // after a city, which counts as a mention of it.
        let opens_quote = small_ok
            && matches!(
                self.text[..t[cand.first].start].trim_end_matches(['«', '"', '“', '„']).len(),
                n if n < t[cand.first].start
            );
        let closes_quote = small_ok
            && matches!(
                self.text[t[cand.last - 1].end..].chars().next(),
                Some('»' | '"' | '”' | '“')
            );
        if opens_quote || (closes_quote && prev.is_some()) {
            return false;
        }
        (prev.is_some() || next.is_some()) && !(english && small_ok)
    }

    /// Does a Russian first name and surname (Олег Топалов, Сергея
    /// Кузнецова) start at token `i`?
    fn two_names_at(&self, i: usize) -> bool {
        let t = self.tokens;
        t.get(i + 1).is_some_and(|n| {
            t[i].joined_next
                && t[i].cyrillic
                && n.cyrillic
                && n.capitalized
                && !n.all_caps
                && surname_like(&n.lower())
        })
    }

    /// Do two capitalised words (a person's name) follow within four words,
    /// in the same sentence?
    pub(super) fn person_follows(&self, from: usize) -> bool {
        let t = self.tokens;
        let end = (from + 4).min(t.len());
        (from..end.saturating_sub(1)).any(|k| {
            (from..=k).all(|j| !t[j].sentence_start || j == from)
                && t[k].capitalized
                && t[k + 1].capitalized
                && t[k].joined_next
                && !t[k].all_caps
                && t[k].cyrillic == t[k + 1].cyrillic
        })
    }

    /// Was this word (by its first letters) seen elsewhere in the text next
    /// to another capitalised word, as in a person's name (Дмитрий Медведев
    /// makes a later «Медведева» a person)?
    pub(super) fn person_like(&self, tok: &Token<'_>) -> bool {
        self.person_stems.contains(&stem_of(tok.text))
    }
}

/// Does the word begin an institution's name (Университета, University)?
fn institution_noun(word: &str) -> bool {
    starts_with_cue(&word.to_lowercase(), |c| c.institution_nouns)
}

/// The first letters of a word, standing for all its inflected forms.
fn stem_of(word: &str) -> String {
    let lower = word.to_lowercase();
    let n = lower.chars().count();
    let keep = n.saturating_sub(2).max(4).min(n);
    lower.chars().take(keep).collect()
}

/// For each token: is it in a candidate span, in a span of several words,
/// in a span that can read as a big place?
fn span_marks(tokens: &[Token<'_>], cands: &[Candidate]) -> [Vec<bool>; 3] {
    let mut in_cand = vec![false; tokens.len()];
    let mut multi = vec![false; tokens.len()];
    let mut big_place = vec![false; tokens.len()];
    for c in cands {
        let big = c.hits.iter().any(|h| match h.target {
            Target::City(city) => city.population >= tier::GREAT_CITY,
            Target::Country(_) => true,
        });
        for k in c.first..c.last {
            in_cand[k] = true;
            multi[k] = c.last > c.first + 1;
            big_place[k] = big;
        }
    }
    [in_cand, multi, big_place]
}

/// Stems of capitalised words written next to another capitalised word
/// (not at a sentence start), or before a verb of saying: candidates for
/// people's names.
pub(super) fn person_stems(
    tokens: &[Token<'_>],
    cands: &[Candidate],
    language: &PlaceLanguage,
) -> HashSet<String> {
    let [in_cand, multi, big_place] = span_marks(tokens, cands);
    let mut out = HashSet::new();
    for (i, t) in tokens.iter().enumerate() {
        // The subject of a verb of saying (Rowlett said, Сэнфорд заявил).
        if t.capitalized
            && !t.all_caps
            && t.joined_next
            && in_cand[i]
            && !multi[i]
            && !big_place[i]
            && tokens
                .get(i + 1)
                .is_some_and(|n| is_cue(&n.text.to_lowercase(), |c| c.speech_verbs))
        {
            out.insert(stem_of(t.text));
        }
    }
    for i in 1..tokens.len() {
        let (a, b) = (&tokens[i - 1], &tokens[i]);
        if a.joined_next
            && a.capitalized
            && b.capitalized
            && !a.all_caps
            && !b.all_caps
            && !a.sentence_start
            && !multi[i - 1]
            && !multi[i]
            // An inflecting language puts place names side by side in
            // different cases (Panevėžiui Tojohašio): not a name and surname.
            && (a.cyrillic || !language.inflects_names || !in_cand[i - 1])
            // Nor is a list of cities (Новосибирск Хабаровск Владивосток).
            && !big_place[i - 1]
            && a.cyrillic == b.cyrillic
            // (The Washington Post, Университета Питтсбурга: not a first name.)
            && !NAME_ARTICLES.contains(&a.text.to_lowercase().as_str())
            && !institution_noun(a.text)
        {
            // First name, then surname: the second word is the family name
            // that may come back alone (Барак Обама … Обамы). A place
            // followed by a capitalised word is more often an organisation.
            out.insert(stem_of(b.text));
        }
    }
    out
}

/// Which accepted city mentions (indices into the output) name a town read
/// as a person elsewhere in the text, with no preposition of place or word
/// for a town to vouch for them. `pass.person_names` were rejected as a
/// person's (a first name, an initial, a surname); `pass.beside_names`
/// counts the mentions rejected for standing beside another capitalised
/// word, which is an organisation's name as often as a person's (Манчестер
/// Юнайтед), so it counts only when that is the name's most frequent use.
pub(super) fn person_mentions(
    ctx: &Context<'_, '_>,
    cands: &[Candidate],
    pass: &CityPass,
) -> Vec<usize> {
    let mut plain: HashMap<u32, usize> = HashMap::new();
    for (_, i, c) in &pass.city_mentions {
        if !ctx.place_cue(&cands[*i], c) {
            *plain.entry(c.geonameid).or_default() += 1;
        }
    }
    let mut person_names = pass.person_names.clone();
    for (&id, &n) in &pass.beside_names {
        if n > plain.get(&id).copied().unwrap_or(0) {
            person_names.insert(id);
        }
    }
    pass.city_mentions
        .iter()
        .filter(|(_, i, c)| person_names.contains(&c.geonameid) && !ctx.place_cue(&cands[*i], c))
        .map(|(k, _, _)| *k)
        .collect()
}
