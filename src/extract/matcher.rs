//! Finding candidate place mentions: word n-grams and their inflected
//! variants looked up in the gazetteer's key index, plus place adjectives.

use std::cell::OnceCell;
use std::rc::Rc;

use super::adjectives;
use super::cues::{place_language, LatinAdjectives};
use super::inflect::{self, Form, Rules};
use super::tokens::Token;
use crate::gazetteer::{self, City, Country, CountryCode, Gazetteer};
use crate::lang::Language;
use crate::scratch::Memo;

/// Longest multi-word name tried, in words.
const MAX_WORDS: usize = 4;

/// What a candidate span may refer to.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Target {
    /// A city of the gazetteer.
    City(City),
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
/// token; these are for spaced names such as "Rio de Janeiro"): particles
/// of names in many languages, which any text may quote, so not the text
/// language's cues.
const CONNECTORS: &[&str] = &[
    "de", "da", "do", "del", "la", "le", "les", "los", "las", "upon", "on", "am", "im", "an",
    "der", "di", "el", "of", "and", "и", "на",
];

/// The inflection rules of a word: the Russian ones for a Cyrillic word,
/// else those of the text's language.
fn rules_for(tok: &Token<'_>, lang: Option<Language>) -> Rules {
    if tok.cyrillic {
        return Rules::Russian;
    }
    place_language(lang).latin_rules
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
    /// Looks up a name given by its basic form (see [`KeyForm`]).
    fn names(&mut self, basic: &str, cyrillic: bool, form: Form, hits: &mut Vec<Hit>) {
        let key = self.keybuf.key_of_basic(basic);
        if key.len() < 3 {
            return;
        }
        for c in self.g.countries_by_key(key, cyrillic) {
            push(hits, Target::Country(c), How::Name(form), true);
        }
        for c in self.g.cities_by_key(key, cyrillic) {
            let canonical = self.canon.key(c.name) == key;
            push(hits, Target::City(c), How::Name(form), canonical);
        }
        if form != Form::Foreign {
            for cc in self.g.region_countries(key, cyrillic) {
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
        for c in self.g.cities_by_key(key, gazetteer::is_cyrillic(name)) {
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
        for c in self.g.countries_by_key(key, gazetteer::is_cyrillic(name)) {
            push(hits, Target::Country(c), how, true);
        }
    }

    /// Notes the regions of a span already looked up (as [`Lookup::names`] does).
    fn note_regions(&mut self, regions: &[CountryCode]) {
        for &cc in regions {
            if !self.region.contains(&cc) {
                self.region.push(cc);
            }
            if !self.regions_named.contains(&cc) {
                self.regions_named.push(cc);
            }
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
    (t.capitalized && t.letters >= 2) || CONNECTORS.contains(&t.text)
}

/// Most forms of a multi-word span looked up.
const MAX_SPAN_FORMS: usize = 400;

/// One form of a word as the key index sees it. The key of several words is
/// the key of their basic forms one after the other, so a span's key is had
/// without spelling the span out.
struct KeyForm {
    /// The form's basic spelling ([`gazetteer::basic_form`]).
    basic: String,
    /// The form is written in Cyrillic ([`gazetteer::is_cyrillic`]).
    cyrillic: bool,
    /// How the form was obtained.
    form: Form,
}

/// Calls `f` with the candidate forms of a span (basic spelling, Cyrillic,
/// how obtained), given each word's forms: every combination, the first
/// word varying slowest, the first [`MAX_SPAN_FORMS`] only. Inside a
/// multi-word name only regular inflection applies, so the words before the
/// last keep no [`Form::Foreign`] form.
fn for_each_span_form(words: &[&[KeyForm]], mut f: impl FnMut(&str, bool, Form)) {
    let Some(last) = words.len().checked_sub(1) else {
        return;
    };
    let forms: Vec<Vec<&KeyForm>> = words
        .iter()
        .enumerate()
        .map(|(k, vs)| {
            vs.iter()
                .filter(|v| k == last || v.form != Form::Foreign)
                .collect()
        })
        .collect();
    let mut pick = vec![0usize; forms.len()];
    let mut basic = String::new();
    for _ in 0..MAX_SPAN_FORMS {
        basic.clear();
        let mut cyrillic = false;
        let mut form = Form::Surface;
        for (vs, &p) in forms.iter().zip(&pick) {
            let v = vs[p];
            basic.push_str(&v.basic);
            cyrillic |= v.cyrillic;
            form = form.max(v.form);
        }
        f(&basic, cyrillic, form);
        // Next combination: the last word varies fastest.
        let mut k = forms.len();
        loop {
            if k == 0 {
                return;
            }
            k -= 1;
            pick[k] += 1;
            if pick[k] < forms[k].len() {
                break;
            }
            pick[k] = 0;
        }
    }
}

/// What one word gives the matcher whatever its neighbours: a pure function
/// of the word as written and the inflection rules, kept by each thread
/// (see [`WordCache`]) and worked out on first use.
struct WordReadings {
    /// The word in lower case.
    lower: String,
    /// The inflection rules that apply to it.
    rules: Rules,
    /// It is one of the [`CONNECTORS`].
    connector: bool,
    /// The forms it takes inside a name (a connector: only itself).
    forms: OnceCell<Vec<KeyForm>>,
    /// Readings of the word alone as a name, and the countries of the
    /// regions it names.
    name: OnceCell<(Vec<Hit>, Vec<CountryCode>)>,
    /// Readings of the word as a place adjective.
    adjective: OnceCell<Vec<Hit>>,
}

impl WordReadings {
    fn new(tok: &Token<'_>, rules: Rules) -> WordReadings {
        WordReadings {
            lower: tok.lower(),
            rules,
            connector: CONNECTORS.contains(&tok.text),
            forms: OnceCell::new(),
            name: OnceCell::new(),
            adjective: OnceCell::new(),
        }
    }

    /// The forms the word takes inside a name.
    fn forms(&self) -> &[KeyForm] {
        self.forms.get_or_init(|| {
            let variants = if self.connector {
                vec![(self.lower.clone(), Form::Surface)]
            } else {
                inflect::hyphenated_variants(&self.lower, self.rules)
            };
            variants
                .into_iter()
                .map(|(v, form)| KeyForm {
                    basic: gazetteer::basic_form(&v),
                    cyrillic: gazetteer::is_cyrillic(&v),
                    form,
                })
                .collect()
        })
    }
}

/// Words whose readings a thread keeps (then it starts afresh); capitalised
/// words and place adjectives recur across the passages of a corpus.
const WORD_CACHE_WORDS: usize = 1 << 16;

thread_local! {
    /// The thread's word readings, one memo per set of inflection rules.
    static WORD_CACHE: [Memo<String, WordReadings>; Rules::ALL.len()] =
        std::array::from_fn(|_| Memo::new(WORD_CACHE_WORDS));
}

/// The readings of the words of one text, from the thread's cache.
struct WordCache<'t> {
    tokens: &'t [Token<'t>],
    lang: Option<Language>,
    /// Readings of each token fetched so far.
    fetched: Vec<Option<Rc<WordReadings>>>,
}

impl<'t> WordCache<'t> {
    fn new(tokens: &'t [Token<'t>], lang: Option<Language>) -> Self {
        WordCache {
            tokens,
            lang,
            fetched: vec![None; tokens.len()],
        }
    }

    /// The readings of token `k`.
    fn get(&mut self, k: usize) -> Rc<WordReadings> {
        if let Some(r) = &self.fetched[k] {
            return Rc::clone(r);
        }
        let tok = &self.tokens[k];
        let rules = rules_for(tok, self.lang);
        let r = WORD_CACHE.with(|memos| {
            memos[rules.index()].get_or_insert_with(tok.text, || WordReadings::new(tok, rules))
        });
        self.fetched[k] = Some(Rc::clone(&r));
        r
    }
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
    let mut words = WordCache::new(tokens, lang);
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        let mut matched = None;
        let letters = t.letters;
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
            matched = name_hits(&mut look, &mut words, i);
        }
        // Adjectives, any case; a single capitalised Russian word may be
        // both a name and an adjective (Московский).
        if letters >= 4 {
            match &mut matched {
                None => {
                    let hits = adjective_hits(&mut look, &mut words, i);
                    if !hits.is_empty() {
                        matched = Some((i + 1, hits));
                    }
                }
                Some((last, hits)) if *last == i + 1 => {
                    for h in adjective_hits(&mut look, &mut words, i) {
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

/// The longest span of capitalised words from token `i` that names a place,
/// with its readings (and its regions in `look.region`).
fn name_hits(
    look: &mut Lookup<'static>,
    words: &mut WordCache<'_>,
    i: usize,
) -> Option<(usize, Vec<Hit>)> {
    let tokens = words.tokens;
    let mut max_last = i + 1;
    while max_last < tokens.len()
        && max_last - i < MAX_WORDS
        && tokens[max_last - 1].joined_next
        && continues(tokens, max_last)
    {
        max_last += 1;
    }
    for last in (i + 2..=max_last).rev() {
        if !tokens[last - 1].capitalized {
            continue;
        }
        let mut hits = Vec::new();
        look.region.clear();
        let span: Vec<Rc<WordReadings>> = (i..last).map(|k| words.get(k)).collect();
        let forms: Vec<&[KeyForm]> = span.iter().map(|w| w.forms()).collect();
        for_each_span_form(&forms, |basic, cyrillic, form| {
            look.names(basic, cyrillic, form, &mut hits);
        });
        if !hits.is_empty() {
            return Some((last, hits));
        }
    }
    // One word: its readings are the word's own, kept by the thread.
    look.region.clear();
    let word = words.get(i);
    let (hits, regions) = word.name.get_or_init(|| {
        let mut hits = Vec::new();
        for v in word.forms().iter().take(MAX_SPAN_FORMS) {
            look.names(&v.basic, v.cyrillic, v.form, &mut hits);
        }
        (hits, look.region.clone())
    });
    look.note_regions(regions);
    (!hits.is_empty()).then(|| (i + 1, hits.clone()))
}

/// The readings of token `i` as a place adjective (kept by the thread).
fn adjective_hits(look: &mut Lookup<'static>, words: &mut WordCache<'_>, i: usize) -> Vec<Hit> {
    let t = &words.tokens[i];
    let lang = words.lang;
    if !may_be_adjective(t, lang) {
        return Vec::new();
    }
    let word = words.get(i);
    word.adjective
        .get_or_init(|| word_adjective_hits(look, t, &word.lower, lang))
        .clone()
}

/// False when [`word_adjective_hits`] surely finds nothing: a Latin word of
/// a Russian text, or a lower-case Latin word where English rules apply.
fn may_be_adjective(t: &Token<'_>, lang: Option<Language>) -> bool {
    t.cyrillic
        || match place_language(lang).latin_adjectives {
            LatinAdjectives::Lithuanian => true,
            LatinAdjectives::None => false,
            LatinAdjectives::English => t.capitalized,
        }
}

/// The readings of a word (`lower`: in lower case) as a place adjective.
fn word_adjective_hits(
    look: &mut Lookup<'static>,
    t: &Token<'_>,
    lower: &str,
    lang: Option<Language>,
) -> Vec<Hit> {
    let mut hits = Vec::new();
    if t.cyrillic {
        // The whole word first (нью-йоркском), then each part of a compound
        // (российско-китайский).
        let whole = std::iter::once(lower);
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
    match place_language(lang).latin_adjectives {
        LatinAdjectives::Lithuanian => {
            if let Some(code) = adjectives::lt_country_adjective(lower) {
                look.code(code, How::Adjective, &mut hits);
            }
        }
        LatinAdjectives::None => {}
        LatinAdjectives::English => {
            if t.capitalized {
                if let Some(code) = adjectives::en_country_adjective(lower) {
                    look.code(code, How::Adjective, &mut hits);
                } else {
                    for cand in adjectives::en_country_candidates(lower) {
                        look.countries(&cand, How::Adjective, &mut hits);
                    }
                }
            }
        }
    }
    hits
}
