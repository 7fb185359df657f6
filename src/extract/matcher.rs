//! Finding candidate place mentions: word n-grams and their inflected
//! variants looked up in the gazetteer's key index, plus place adjectives.

use super::adjectives;
use super::inflect::{self, Form, Rules};
use super::tokens::Token;
use crate::gazetteer::{self, City, Country, CountryCode, Gazetteer};
use crate::lang::Language;

/// Longest multi-word name tried, in words.
const MAX_WORDS: usize = 4;

/// What a candidate span may refer to.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Target {
    /// A city of the gazetteer.
    City(&'static City),
    /// A country.
    Country(&'static Country),
}

/// How the span was recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum How {
    /// A name, possibly inflected.
    Name(Form),
    /// An adjective or people's name derived from a place name.
    Adjective,
    /// An initialism (РФ, USA).
    Initialism,
}

/// One reading of a candidate span.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Hit {
    /// The place.
    pub target: Target,
    /// How the words name it.
    pub how: How,
    /// The words match the place's canonical name (not only an alternate).
    pub canonical: bool,
}

/// A span of tokens that names a place under at least one reading.
#[derive(Debug, Clone)]
pub(crate) struct Candidate {
    /// First token.
    pub first: usize,
    /// Token after the last.
    pub last: usize,
    /// Possible readings.
    pub hits: Vec<Hit>,
    /// Countries having a region (state, province) named by the words or a
    /// form of them (Nevada, Калифорния).
    pub region: Vec<CountryCode>,
}

/// Small words allowed inside multi-word names (Ростов-на-Дону is one
/// token; these are for spaced names such as "Rio de Janeiro").
const CONNECTORS: &[&str] = &[
    "de", "da", "do", "del", "la", "le", "les", "los", "las", "upon", "on", "am", "im", "an",
    "der", "di", "el", "of", "and", "и", "на",
];

fn rules_for(tok: &Token<'_>, lang: Option<Language>) -> Rules {
    if tok.cyrillic {
        return Rules::Russian;
    }
    match lang {
        Some(Language::Lithuanian) => Rules::Lithuanian,
        Some(Language::Russian) => Rules::Russian,
        _ => Rules::English,
    }
}

struct Lookup<'g> {
    g: &'g Gazetteer,
    keybuf: gazetteer::KeyBuf,
    canon: gazetteer::KeyBuf,
    region: Vec<CountryCode>,
    /// Countries of every region named anywhere in the text.
    regions_named: Vec<CountryCode>,
}

impl Lookup<'static> {
    fn names(&mut self, name: &str, form: Form, hits: &mut Vec<Hit>) {
        let key = self.keybuf.key(name);
        if key.len() < 3 {
            return;
        }
        let h = gazetteer::name_hash(name, key);
        for c in self.g.countries_by_key_hash(h) {
            push(hits, Target::Country(c), How::Name(form), true);
        }
        for c in self.g.cities_by_key_hash(h) {
            let canonical = self.canon.key(c.name) == key;
            push(hits, Target::City(c), How::Name(form), canonical);
        }
        if form != Form::Foreign {
            for cc in self.g.region_countries(h) {
                if !self.region.contains(&cc) {
                    self.region.push(cc);
                }
                if !self.regions_named.contains(&cc) {
                    self.regions_named.push(cc);
                }
            }
        }
    }

    /// Cities named `name` (a lower-case form derived from an adjective);
    /// a hit is `canonical` when one of the city's own names is spelt
    /// exactly so (каннский → Канны), not only sharing its key.
    fn cities(&mut self, name: &str, how: How, hits: &mut Vec<Hit>) {
        let key = self.keybuf.key(name);
        if key.len() < 3 {
            return;
        }
        let h = gazetteer::name_hash(name, key);
        for c in self.g.cities_by_key_hash(h) {
            let exact = c
                .names()
                .any(|n| n.chars().flat_map(char::to_lowercase).eq(name.chars()));
            push(hits, Target::City(c), how, exact);
        }
    }

    fn countries(&mut self, name: &str, how: How, hits: &mut Vec<Hit>) {
        let key = self.keybuf.key(name);
        if key.len() < 3 {
            return;
        }
        let h = gazetteer::name_hash(name, key);
        for c in self.g.countries_by_key_hash(h) {
            push(hits, Target::Country(c), how, true);
        }
    }

    fn code(&self, code: &str, how: How, hits: &mut Vec<Hit>) {
        if let Some(c) = CountryCode::new(code).and_then(|c| self.g.country(c)) {
            push(hits, Target::Country(c), how, true);
        }
    }
}

fn push(hits: &mut Vec<Hit>, target: Target, how: How, canonical: bool) {
    let same = |h: &Hit| match (h.target, target) {
        (Target::City(a), Target::City(b)) => a.geonameid == b.geonameid,
        (Target::Country(a), Target::Country(b)) => a.code == b.code,
        _ => false,
    };
    if let Some(h) = hits.iter_mut().find(|h| same(h)) {
        if how < h.how {
            h.how = how;
        }
        h.canonical |= canonical;
    } else {
        hits.push(Hit {
            target,
            how,
            canonical,
        });
    }
}

/// May token `k` continue a multi-word name?
fn continues(tokens: &[Token<'_>], k: usize) -> bool {
    let t = &tokens[k];
    (t.capitalized && t.text.chars().filter(|c| c.is_alphabetic()).count() >= 2)
        || CONNECTORS.contains(&t.text)
}

/// Candidate forms for the words `first..last`, joined by spaces.
fn span_variants(
    tokens: &[Token<'_>],
    first: usize,
    last: usize,
    lang: Option<Language>,
) -> Vec<(String, Form)> {
    let mut acc: Vec<(String, Form)> = vec![(String::new(), Form::Surface)];
    for (k, t) in tokens.iter().enumerate().take(last).skip(first) {
        let lower = t.lower();
        let vs = if CONNECTORS.contains(&t.text) {
            vec![(lower, Form::Surface)]
        } else {
            let mut vs = inflect::hyphenated_variants(&lower, rules_for(t, lang));
            if k + 1 < last {
                // Inside a multi-word name only regular inflection applies.
                vs.retain(|(_, f)| *f != Form::Foreign);
            }
            vs
        };
        let mut next = Vec::with_capacity(acc.len() * vs.len());
        for (a, fa) in &acc {
            for (v, fv) in &vs {
                let s = if a.is_empty() {
                    v.clone()
                } else {
                    format!("{a} {v}")
                };
                next.push((s, (*fa).max(*fv)));
            }
        }
        acc = next;
        if acc.len() > 400 {
            acc.truncate(400);
        }
    }
    acc
}

/// What the matcher found in a text.
pub(crate) struct Matches {
    /// Candidate mentions, left to right, not overlapping.
    pub candidates: Vec<Candidate>,
    /// Countries of the regions (states, provinces) named in the text
    /// (Аляска, Nevada): context for the towns of those countries.
    pub region_countries: Vec<CountryCode>,
}

/// All candidate mentions in the text, left to right, not overlapping.
pub(crate) fn candidates(tokens: &[Token<'_>], lang: Option<Language>) -> Matches {
    let g = gazetteer::gazetteer();
    let mut look = Lookup {
        g,
        keybuf: gazetteer::KeyBuf::default(),
        canon: gazetteer::KeyBuf::default(),
        region: Vec::new(),
        regions_named: Vec::new(),
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        let mut matched = None;
        let letters = t.text.chars().filter(|c| c.is_alphabetic()).count();
        // Initialisms: РФ, США, USA, U.S., UK.
        if t.all_caps && letters <= 6 {
            let mut hits = Vec::new();
            if let Some(c) = g.country_by_initialism(t.text) {
                push(&mut hits, Target::Country(c), How::Initialism, true);
            }
            if !hits.is_empty() {
                matched = Some((i + 1, hits));
            }
        }
        // Names: capitalised words, longest span first.
        if matched.is_none() && t.capitalized && (letters >= 2) && !(t.all_caps && letters <= 4) {
            let mut max_last = i + 1;
            while max_last < tokens.len()
                && max_last - i < MAX_WORDS
                && tokens[max_last - 1].joined_next
                && continues(tokens, max_last)
            {
                max_last += 1;
            }
            for last in (i + 1..=max_last).rev() {
                if last > i + 1 && !tokens[last - 1].capitalized {
                    continue;
                }
                let mut hits = Vec::new();
                look.region.clear();
                for (v, f) in span_variants(tokens, i, last, lang) {
                    look.names(&v, f, &mut hits);
                }
                if !hits.is_empty() {
                    matched = Some((last, hits));
                    break;
                }
            }
        }
        // Adjectives, any case; a single capitalised Russian word may be
        // both a name and an adjective (Московский).
        if letters >= 4 {
            match &mut matched {
                None => {
                    let hits = adjective_hits(&mut look, t, lang);
                    if !hits.is_empty() {
                        matched = Some((i + 1, hits));
                    }
                }
                Some((last, hits)) if *last == i + 1 => {
                    for h in adjective_hits(&mut look, t, lang) {
                        push(hits, h.target, h.how, h.canonical);
                    }
                }
                Some(_) => {}
            }
        }
        if let Some((last, hits)) = matched {
            out.push(Candidate {
                first: i,
                last,
                hits,
                region: std::mem::take(&mut look.region),
            });
            i = last;
        } else {
            i += 1;
        }
    }
    Matches {
        candidates: out,
        region_countries: look.regions_named,
    }
}

fn adjective_hits(look: &mut Lookup<'static>, t: &Token<'_>, lang: Option<Language>) -> Vec<Hit> {
    let mut hits = Vec::new();
    let lower = t.lower();
    if t.cyrillic {
        // The whole word first (нью-йоркском), then each part of a compound
        // (российско-китайский).
        let whole = std::iter::once(lower.as_str());
        // (Only a true compound: every part but the last ends in the
        // joining vowel, российско-, англо-; Цымбалюк-Романовская is a
        // double surname.)
        let pieces: Vec<&str> = lower.split(['-', '‑']).collect();
        let compound = pieces.len() > 1
            && pieces[..pieces.len() - 1]
                .iter()
                .all(|p| p.ends_with(['о', 'е']));
        let parts = pieces.into_iter().filter(|_| compound);
        for part in whole.chain(parts) {
            let Some(stem) = adjectives::ru_adjective_stem(part) else {
                continue;
            };
            if adjectives::ru_historical_adjective(stem) {
                continue;
            }
            if let Some(code) = adjectives::ru_country_adjective(stem) {
                look.code(code, How::Adjective, &mut hits);
                continue;
            }
            for cand in adjectives::ru_city_candidates(stem) {
                look.cities(&cand, How::Adjective, &mut hits);
            }
        }
        return hits;
    }
    match lang {
        Some(Language::Lithuanian) => {
            if let Some(code) = adjectives::lt_country_adjective(&lower) {
                look.code(code, How::Adjective, &mut hits);
            }
        }
        Some(Language::Russian) => {}
        _ => {
            if t.capitalized {
                if let Some(code) = adjectives::en_country_adjective(&lower) {
                    look.code(code, How::Adjective, &mut hits);
                } else {
                    for cand in adjectives::en_country_candidates(&lower) {
                        look.countries(&cand, How::Adjective, &mut hits);
                    }
                }
            }
        }
    }
    hits
}
