//! Choosing among the readings of candidate mentions with the document's
//! context: countries named in it, the language's home country, population,
//! capitalisation and the words around the mention.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use rustc_hash::FxHashSet;

use super::cues::{
    surname_like, BUILDING_BEFORE, CONTINENT_QUALIFIERS, EN_TOWN_WORDS, FEATURE_BEFORE,
    INSTITUTION_NOUNS, KRAI_FORMS, LANGUAGE_WORDS, LT_GENITIVE, LT_INSTITUTIONS, NAME_ARTICLES,
    PERSON_BEFORE, PLACE_WORDS, REGION_BEFORE, REGION_NOUNS, REGION_WORDS, SPEECH_VERBS,
    STOP_AFTER_ADJECTIVE, STREET_WORDS, TOWN_WORDS,
};
use super::inflect::Form;
use super::matcher::{Candidate, Hit, How, Target};
use super::tokens::Token;
use crate::gazetteer::{City, CountryCode};
use crate::lang::Language;

/// Why a city reading was turned down (kept for debugging and tests).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reject {
    /// Too few people for the evidence.
    TooSmall,
    /// The words name a state or province.
    Region,
    /// Matched only an alternate Latin name.
    AlternateName,
    /// Followed by a word for a region (области, County).
    RegionWordFollows,
    /// In quotation marks: a company, team or title.
    Quoted,
    /// A Latin word in a Russian text.
    LatinInRussian,
    /// A Lithuanian inflected word read as a foreign town.
    LithuanianCommonNoun,
    /// An ordinary word of the language.
    OrdinaryWord,
    /// Too short a word.
    TooShort,
    /// A Russian word shaped like an adjective.
    AdjectiveShaped,
    /// The word is used in lower case in the same text.
    UsedInLowerCase,
    /// First word of a sentence without enough evidence.
    SentenceStart,
    /// Seen as part of a person's name.
    PersonName,
    /// An adjective before a word for a region.
    RegionAdjective,
    /// After an initial (А.И. Позднякова).
    AfterInitial,
    /// Next to a capitalised word.
    CapitalisedNeighbour,
    /// Part of an institution's name (Tokai universitetas).
    InstitutionName,
    /// Shaped like a Russian surname.
    Surname,
    /// The name of a month (March, May).
    Month,
    /// After a word for a river, an island, a stadium (реки Печоры).
    Feature,
}

/// A candidate with its chosen reading.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Resolved {
    /// Index into the candidate list.
    pub candidate: usize,
    /// The place it names.
    pub target: Target,
}

/// `str::to_lowercase`, borrowed when that changes nothing.
fn lowercase(s: &str) -> Cow<'_, str> {
    if crate::chars::is_lowercase(s) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.to_lowercase())
    }
}

fn home(lang: Option<Language>) -> Option<&'static str> {
    match lang {
        Some(Language::Lithuanian) => Some("LT"),
        Some(Language::Russian) => Some("RU"),
        _ => None,
    }
}

struct Context<'a, 't> {
    text: &'t str,
    region_countries: &'a [CountryCode],
    /// Do named regions give context? In Russian text (Аляски, Нью-Джерси),
    /// where region names are written in full; English and Lithuanian
    /// region names are too often also persons' or teams' names.
    region_context: bool,
    in_candidate: Vec<bool>,
    tokens: &'a [Token<'t>],
    /// The words of the text written in lower case.
    lower_words: FxHashSet<Cow<'t, str>>,
    lang: Option<Language>,
    named: HashSet<CountryCode>,
    home: Option<CountryCode>,
    person_stems: HashSet<String>,
}

impl Context<'_, '_> {
    /// Is the capitalised word also used in lower case in this text?
    fn ordinary_word(&self, tok: &Token<'_>) -> bool {
        self.lower_words.contains(lowercase(tok.text).as_ref())
    }

    /// Is the word an ordinary word of the text's language (or of Russian,
    /// for a Cyrillic word)?
    fn dictionary_word(&self, tok: &Token<'_>) -> bool {
        let lang = if tok.cyrillic {
            Language::Russian
        } else {
            match self.lang {
                Some(Language::Lithuanian) => Language::Lithuanian,
                Some(Language::Russian) | None => Language::English,
                Some(l) => l,
            }
        };
        super::common::is_common_word(tok.text, lang)
    }

    fn in_context(&self, c: &City) -> bool {
        self.named.contains(&c.country)
            || (self.region_context && self.region_countries.contains(&c.country))
    }

    /// Is the span followed by ", <a region or the country of `c`>"
    /// (Wasilla, Alaska; Ilfracombe, Devon; Manchester, England)?
    fn followed_by_own_region(&self, cand: &Candidate, c: &City) -> bool {
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

    fn city_score(&self, c: &City, how: How, canonical: bool) -> f64 {
        let mut s = f64::from(c.population.max(1)).ln();
        if canonical {
            s += 1.0;
        }
        if self.named.contains(&c.country) {
            s += 3.0;
        } else if self.region_context && self.region_countries.contains(&c.country) {
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

    /// Is the span preceded by an initial (`А.И. Позднякова`, `J. Smith`)?
    fn after_initial(&self, first: usize) -> bool {
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
    fn capitalised_neighbour(
        &self,
        cand: &Candidate,
        how: How,
        pop: u32,
        taken: &HashSet<usize>,
    ) -> bool {
        // (Small English places named like first names: Justin, Graham.)
        let small_ok = pop >= 100_000;
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
        let _ = how;
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
        let english = !t[cand.first].cyrillic && !matches!(self.lang, Some(Language::Lithuanian));
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

    /// Lithuanian: an uninflected name followed by an institution noun
    /// (`Tokai universitetas`; a city would be in the genitive, `Vilniaus
    /// universitetas`).
    fn lt_institution_name(&self, cand: &Candidate, how: How) -> bool {
        if self.lang != Some(Language::Lithuanian) || how == How::Adjective {
            return false;
        }
        let Some(next) = self.tokens.get(cand.last) else {
            return false;
        };
        let word = self.tokens[cand.last - 1].text.to_lowercase();
        if LT_GENITIVE.iter().any(|e| word.ends_with(e)) {
            return false;
        }
        !next.capitalized
            && LT_INSTITUTIONS
                .iter()
                .any(|p| next.text.to_lowercase().starts_with(p))
    }

    fn accept_city(
        &self,
        cand: &Candidate,
        c: &City,
        hit: &Hit,
        taken: &HashSet<usize>,
    ) -> Result<(), Reject> {
        let how = hit.how;
        let first = &self.tokens[cand.first];
        let single = cand.last == cand.first + 1;
        let ctx = self.in_context(c) || self.followed_by_own_region(cand, c);
        let home = self.home == Some(c.country);
        let pop = c.population;
        let min = match how {
            How::Name(Form::Surface | Form::Inflected) | How::Initialism => {
                if ctx {
                    5_000
                } else if home {
                    // Lithuania's towns are small: Prienai has 9,000 people.
                    if self.lang == Some(Language::Lithuanian) {
                        5_000
                    } else {
                        15_000
                    }
                } else {
                    200_000
                }
            }
            How::Name(Form::Foreign) => {
                if ctx {
                    10_000
                } else {
                    100_000
                }
            }
            How::Adjective => {
                if !first.capitalized {
                    400_000
                } else if home && self.lang == Some(Language::Russian) {
                    // Russian towns' adjectives are often ordinary words
                    // (Королевский — royal, not of Korolyov).
                    150_000
                } else if ctx || home {
                    100_000
                } else {
                    300_000
                }
            }
        };
        // A word for a town before the name (в селе Бокино, the town of
        // Tornillo) vouches for any populated place; a preposition of place
        // (в Гренобле) for a middle-sized one.
        let min = if pop >= min {
            min
        } else if how != How::Adjective && self.after_town_word(cand.first) {
            1_000
        } else if matches!(how, How::Name(Form::Surface | Form::Inflected))
            && first.cyrillic
            && self.after_place_word(cand.first)
        {
            min.min(20_000)
        } else {
            min
        };
        if pop < min {
            return Err(Reject::TooSmall);
        }
        // States and provinces are not cities (Nevada, Калифорния).
        // ... and a city named after its state under another name
        // (Oklahoma City for «Оклахома») only when it is a big one.
        if !cand.region.is_empty()
            && (pop < 300_000 || (!hit.canonical && !first.cyrillic && pop < 1_000_000))
        {
            return Err(Reject::Region);
        }
        // An alternate Latin name (not the canonical one) is often a word
        // of some language: ask for more.
        if !hit.canonical && !first.cyrillic && how != How::Adjective {
            // Lithuanian forms live among the alternates (Vašingtonas);
            // English ones are mostly canonical, so an English alternate is
            // most often a translation or a nickname (White House).
            let alt_min = match (self.lang, ctx) {
                (Some(Language::Lithuanian), true) => 50_000,
                (Some(Language::Lithuanian), false) => 100_000,
                (Some(Language::Russian), true) => 50_000,
                (_, true) => 1_000_000,
                _ => 5_000_000,
            };
            if pop < alt_min
                || (single
                    && self.lang != Some(Language::Lithuanian)
                    && self.dictionary_word(first))
            {
                return Err(Reject::AlternateName);
            }
        }
        if how != How::Adjective && self.region_follows(cand) {
            return Err(Reject::RegionWordFollows);
        }
        if how != How::Adjective && self.feature_before(cand.first, how) {
            return Err(Reject::Feature);
        }
        // («Пересвет», «Метро»: Russian news quote company names; English and
        // Lithuanian texts quote teams named after their town, which count.)
        if first.cyrillic && self.quoted(cand) && pop < 2_000_000 {
            return Err(Reject::Quoted);
        }
        // A Latin word in a Russian text (Google, Monsanto) is a name of
        // something else more often than a town's alternate name.
        // (But a big city in a newspaper's or an event's name, The
        // Washington Post, New York Times, counts.)
        let latin_ok =
            (hit.canonical && pop >= 100_000) || (pop >= 1_000_000 && self.latin_neighbour(cand));
        if self.lang == Some(Language::Russian) && !first.cyrillic && !latin_ok {
            return Err(Reject::LatinInRussian);
        }
        // Lithuanian common nouns inflect like names (Tarybų → Táriba): a
        // foreign town out of context needs its own form or more people.
        if self.lang == Some(Language::Lithuanian)
            && !ctx
            && !home
            && how != How::Name(Form::Surface)
            && pop < 300_000
        {
            return Err(Reject::LithuanianCommonNoun);
        }
        // An ordinary word (Думы, Tarybų, Church) names a town only in
        // the context of its country, or a city big enough to be meant.
        if how != How::Adjective
            && single
            && !(ctx && (pop >= 100_000 || (hit.canonical && pop >= 20_000)))
            && !home
            && (first.sentence_start || pop < 300_000 || !(hit.canonical || first.cyrillic))
            && self.dictionary_word(first)
        {
            return Err(Reject::OrdinaryWord);
        }
        // A Russian town named by an ordinary word (Игра, Буй, Суда) needs a
        // preposition of place or many people, even at home.
        if how != How::Adjective
            && single
            && home
            && first.cyrillic
            && pop < 300_000
            && !self.after_place_word(cand.first)
            && !self.after_town_word(cand.first)
            && self.dictionary_word(first)
        {
            return Err(Reject::OrdinaryWord);
        }
        // A lower-case adjective names a town's thing only before its noun,
        // and not in «по московскому времени» (a time zone).
        if how == How::Adjective && !first.capitalized && first.cyrillic {
            // (A quoted name may come between: тульским «Арсеналом».)
            let noun = self.tokens.get(cand.last).filter(|n| {
                self.text[self.tokens[cand.last - 1].end..n.start]
                    .chars()
                    .all(|c| c.is_whitespace() || matches!(c, '«' | '"' | '„' | '“'))
            });
            if noun.is_none_or(|n| n.lower().starts_with("врем")) {
                return Err(Reject::RegionAdjective);
            }
        }
        // An ordinary word with its ending changed to fit a name (kito →
        // Kita) even less.
        if single
            && !home
            && !first.cyrillic
            && (how == How::Name(Form::Foreign)
                || (how == How::Name(Form::Inflected) && pop < 1_000_000))
            && self.dictionary_word(first)
        {
            return Err(Reject::OrdinaryWord);
        }
        if how != How::Adjective && single {
            let letters = first.text.chars().count();
            if letters < 3
                || (letters == 3
                    && (first.sentence_start
                        || !(hit.canonical || first.cyrillic)
                        || !(ctx || pop >= 1_000_000)))
            {
                return Err(Reject::TooShort);
            }
            // A Russian word with an adjective's ending names a small town
            // only by accident (Новый, Советский, Центрального).
            if first.cyrillic
                && pop < 300_000
                && super::adjectives::ru_adjective_form(&first.lower())
            {
                return Err(Reject::AdjectiveShaped);
            }
            // «Года милосердия»: a capitalised ordinary word written in
            // lower case elsewhere in the text.
            if !first.sentence_start && !ctx && pop < 1_000_000 && self.ordinary_word(first) {
                return Err(Reject::UsedInLowerCase);
            }
            // отец Уэйн, дочери Челси: a kinsman's name.
            if pop < 6_000_000 && self.after_person_word(cand.first) {
                return Err(Reject::PersonName);
            }
            if first.sentence_start {
                if self.ordinary_word(first) {
                    return Err(Reject::UsedInLowerCase);
                }
                // A sentence's first word needs a big city in its
                // dictionary form; a Lithuanian text inflects and
                // transcribes even the big cities (Londone, Niujorke).
                let big = pop >= 1_000_000
                    && if self.lang == Some(Language::Lithuanian) {
                        how != How::Name(Form::Foreign)
                    } else {
                        how == How::Name(Form::Surface) && (hit.canonical || first.cyrillic)
                    };
                if !(big || (ctx && pop >= 50_000 && hit.canonical)) {
                    return Err(Reject::SentenceStart);
                }
            }
            // Towns named after people (Данилов, Чехов, Михайлов) are read
            // as surnames unless a word for "in"/"from"/"town" comes first.
            if first.cyrillic
                && pop < 200_000
                && surname_like(&first.lower())
                && !self.after_place_word(cand.first)
            {
                return Err(Reject::Surname);
            }
            if self.person_like(first) && pop < 1_000_000 {
                return Err(Reject::PersonName);
            }
            // A town named like a Russian given name (Владимир, Наталья)
            // needs a preposition of place or a word for a town before it.
            if first.cyrillic
                && pop < 1_000_000
                && super::common::is_person_name(first.text)
                && !self.after_place_word(cand.first)
                && !self.after_town_word(cand.first)
                && !self.followed_by_own_region(cand, c)
            {
                return Err(Reject::PersonName);
            }
            // «end of March», "29 May": a month, not the town.
            if super::dates::is_month_name(first.text) && !self.followed_by_own_region(cand, c) {
                return Err(Reject::Month);
            }
        }
        if how == How::Adjective
            && (self.region_noun_ahead(cand) || (pop < 1_000_000 && self.region_follows(cand)))
        {
            return Err(Reject::RegionAdjective);
        }
        if self.after_initial(cand.first) {
            return Err(Reject::AfterInitial);
        }
        if how != How::Adjective
            && self.capitalised_neighbour(cand, how, pop, taken)
            && pop < 6_000_000
        {
            return Err(Reject::CapitalisedNeighbour);
        }
        if self.lt_institution_name(cand, how) {
            return Err(Reject::InstitutionName);
        }
        Ok(())
    }

    /// Should a country reading of the span be kept?
    fn accept_country(&self, cand: &Candidate, how: How) -> bool {
        let t = self.tokens;
        let first = &t[cand.first];
        let single = cand.last == cand.first + 1;
        let prev = cand
            .first
            .checked_sub(1)
            .map(|p| &t[p])
            .filter(|p| p.joined_next);
        let next = t.get(cand.last).filter(|_| t[cand.last - 1].joined_next);
        if how == How::Initialism {
            return true;
        }
        if how != How::Adjective && single && first.sentence_start && self.ordinary_word(first) {
            return false;
        }
        // Latin America, Южная Америка, Pietų Amerika are not the USA.
        if let Some(p) = prev {
            let w = p.text.to_lowercase();
            if CONTINENT_QUALIFIERS.iter().any(|q| w.starts_with(q)) {
                return false;
            }
        }
        if how == How::Adjective {
            // An attributive adjective comes before a noun: «владеть
            // английским.», "studying French and", «mandarinų arba japonų.»
            // name languages, not countries.
            let Some(n) = next else { return false };
            let w = n.text.to_lowercase();
            if STOP_AFTER_ADJECTIVE.contains(&w.as_str())
                || LANGUAGE_WORDS.iter().any(|l| w.starts_with(l))
            {
                return false;
            }
            // A nationality of a person (американский кинорежиссёр Дэвид
            // Линч) is not a mention of the country.
            if !first.capitalized && self.person_follows(cand.last) {
                return false;
            }
            return true;
        }
        // A first name or surname next to a country name (Мартин Куба,
        // Сальвадора Дали, Jordan Spieth).
        if single {
            let person_prev = prev.is_some_and(|p| {
                p.capitalized && !p.all_caps && !p.sentence_start && self.outside(cand.first - 1)
            });
            // «канцлером Германии Ангелой Меркель»: only a name in its
            // dictionary form can be a first name (Ливия Клаусова).
            let person_next = how == How::Name(Form::Surface)
                && next.is_some_and(|n| {
                    n.capitalized
                        && !n.all_caps
                        && n.cyrillic == first.cyrillic
                        && self.outside(cand.last)
                });
            if person_prev || person_next {
                return false;
            }
        }
        true
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

    /// Is a Latin-script span next to another capitalised Latin word (New
    /// York Times, The Washington Post, Time Out Melbourne)?
    fn latin_neighbour(&self, cand: &Candidate) -> bool {
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
    fn region_noun_ahead(&self, cand: &Candidate) -> bool {
        let t = self.tokens;
        for tok in t.iter().skip(cand.last).take(8) {
            if tok.sentence_start {
                return false;
            }
            let w = tok.lower();
            if REGION_NOUNS.iter().any(|r| w.starts_with(r)) || KRAI_FORMS.contains(&w.as_str()) {
                return true;
            }
            let skip = w.chars().all(|c| c.is_ascii_digit())
                || matches!(w.as_str(), "и" | "или" | "ir" | "and")
                || (tok.cyrillic && super::adjectives::ru_adjective_form(&w));
            if !skip {
                return false;
            }
        }
        false
    }

    /// Is the span preceded by a word for a town (селе Бокино, the town of
    /// Tornillo)?
    fn after_town_word(&self, first: usize) -> bool {
        let t = self.tokens;
        let Some(p) = first.checked_sub(1) else {
            return false;
        };
        let w = t[p].text.to_lowercase();
        if TOWN_WORDS.contains(&w.as_str()) {
            return true;
        }
        w == "of"
            && p.checked_sub(1)
                .is_some_and(|q| EN_TOWN_WORDS.contains(&t[q].text.to_lowercase().as_str()))
    }

    /// Is token `i` outside every candidate span?
    fn outside(&self, i: usize) -> bool {
        !self.in_candidate.get(i).copied().unwrap_or(false)
    }

    /// Do two capitalised words (a person's name) follow within four words,
    /// in the same sentence?
    fn person_follows(&self, from: usize) -> bool {
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

    /// Is the span in quotation marks on its own («Пересвет», "Metro"): the
    /// name of a company, a team, a film?
    fn quoted(&self, cand: &Candidate) -> bool {
        let t = self.tokens;
        let (first, last) = (&t[cand.first], &t[cand.last - 1]);
        let before = self.text[..first.start].chars().next_back();
        let after = self.text[last.end..].chars().next();
        matches!(before, Some('«' | '"' | '“' | '„'))
            && matches!(after, Some('»' | '"' | '”' | '“'))
    }

    /// Is the span followed by a word for a region (Московской области,
    /// Пермский край, Vilniaus apskritis, Orange County)?
    fn region_follows(&self, cand: &Candidate) -> bool {
        let t = self.tokens;
        let next = t.get(cand.last).map(|n| n.text.to_lowercase());
        let prev = cand.first.checked_sub(1).map(|p| t[p].text.to_lowercase());
        next.is_some_and(|w| {
            REGION_WORDS
                .iter()
                .chain(STREET_WORDS)
                .any(|p| w.starts_with(p))
        }) || prev.is_some_and(|w| REGION_BEFORE.iter().any(|p| w.starts_with(p)))
    }

    /// Is the span preceded by a word for a natural feature (реки Печоры),
    /// or, for a name in its dictionary form, for a stadium or an estate
    /// (стадионе Калининград)?
    fn feature_before(&self, first: usize, how: How) -> bool {
        first.checked_sub(1).is_some_and(|p| {
            let w = self.tokens[p].text.to_lowercase();
            FEATURE_BEFORE.contains(&w.as_str())
                || (how == How::Name(Form::Surface) && BUILDING_BEFORE.contains(&w.as_str()))
        })
    }

    /// Is the span preceded by a word for a kinsman (отец, дочери, wife)?
    fn after_person_word(&self, first: usize) -> bool {
        first.checked_sub(1).is_some_and(|p| {
            let w = self.tokens[p].text.to_lowercase();
            PERSON_BEFORE.contains(&w.as_str())
        })
    }

    /// Does a preposition of place, a word for a town or the town's own
    /// region vouch for the span as a place?
    fn place_cue(&self, cand: &Candidate, c: &City) -> bool {
        self.after_place_word(cand.first)
            || self.after_town_word(cand.first)
            || self.followed_by_own_region(cand, c)
    }

    /// Is the span preceded by a preposition of place or a word for a town?
    fn after_place_word(&self, first: usize) -> bool {
        first.checked_sub(1).is_some_and(|p| {
            let w = self.tokens[p].text.to_lowercase();
            PLACE_WORDS.contains(&w.as_str())
        })
    }

    /// Was this word (by its first letters) seen elsewhere in the text next
    /// to another capitalised word, as in a person's name (Дмитрий Медведев
    /// makes a later «Медведева» a person)?
    fn person_like(&self, tok: &Token<'_>) -> bool {
        self.person_stems.contains(&stem_of(tok.text))
    }
}

/// Does the word begin an institution's name (Университета, University)?
fn institution_noun(word: &str) -> bool {
    let lower = word.to_lowercase();
    INSTITUTION_NOUNS.iter().any(|w| lower.starts_with(w))
}

/// The first letters of a word, standing for all its inflected forms.
fn stem_of(word: &str) -> String {
    let lower = word.to_lowercase();
    let n = lower.chars().count();
    let keep = n.saturating_sub(2).max(4).min(n);
    lower.chars().take(keep).collect()
}

/// Stems of capitalised words written next to another capitalised word
/// (not at a sentence start): candidates for people's names.
fn person_stems(
    tokens: &[Token<'_>],
    cands: &[Candidate],
    lang: Option<Language>,
) -> HashSet<String> {
    let mut in_cand = vec![false; tokens.len()];
    let mut multi = vec![false; tokens.len()];
    let mut big_place = vec![false; tokens.len()];
    for c in cands {
        let big = c.hits.iter().any(|h| match h.target {
            Target::City(city) => city.population >= 500_000,
            Target::Country(_) => true,
        });
        for k in c.first..c.last {
            in_cand[k] = true;
            multi[k] = c.last > c.first + 1;
            big_place[k] = big;
        }
    }
    let mut out = HashSet::new();
    let lithuanian = lang == Some(Language::Lithuanian);
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
                .is_some_and(|n| SPEECH_VERBS.contains(&n.text.to_lowercase().as_str()))
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
            // Lithuanian puts place names side by side in different cases
            // (Panevėžiui Tojohašio): not a name and surname.
            && (a.cyrillic || !lithuanian || !in_cand[i - 1])
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

fn best_country(hits: &[Hit]) -> Option<(Target, How)> {
    hits.iter()
        .filter(|h| matches!(h.target, Target::Country(_)))
        .min_by_key(|h| h.how)
        .map(|h| (h.target, h.how))
}

/// Which accepted city mentions (indices into the output, from
/// `city_mentions`: output index, candidate, city) name a town read as a
/// person elsewhere in the text, with no preposition of place or word for a
/// town to vouch for them. `person_names` were rejected as a person's (a
/// first name, an initial, a surname); `beside_names` counts the mentions
/// rejected for standing beside another capitalised word, which is an
/// organisation's name as often as a person's (Манчестер Юнайтед), so it
/// counts only when that is the name's most frequent use.
fn person_mentions(
    ctx: &Context<'_, '_>,
    cands: &[Candidate],
    city_mentions: &[(usize, usize, City)],
    mut person_names: HashSet<u32>,
    beside_names: HashMap<u32, usize>,
) -> HashSet<usize> {
    let mut plain: HashMap<u32, usize> = HashMap::new();
    for (_, i, c) in city_mentions {
        if !ctx.place_cue(&cands[*i], c) {
            *plain.entry(c.geonameid).or_default() += 1;
        }
    }
    for (id, n) in beside_names {
        if n > plain.get(&id).copied().unwrap_or(0) {
            person_names.insert(id);
        }
    }
    city_mentions
        .iter()
        .filter(|(_, i, c)| person_names.contains(&c.geonameid) && !ctx.place_cue(&cands[*i], c))
        .map(|(k, _, _)| *k)
        .collect()
}

/// Chooses a reading for each candidate, or none.
pub(crate) fn resolve<'t>(
    text: &'t str,
    tokens: &[Token<'t>],
    cands: &[Candidate],
    region_countries: &[CountryCode],
    lang: Option<Language>,
) -> Vec<Resolved> {
    let lower_words = tokens
        .iter()
        .filter(|t| !t.capitalized)
        .map(|t| lowercase(t.text))
        .collect();
    let mut in_candidate = vec![false; tokens.len()];
    for c in cands {
        for f in &mut in_candidate[c.first..c.last] {
            *f = true;
        }
    }
    let mut ctx = Context {
        text,
        region_countries,
        region_context: lang == Some(Language::Russian),
        in_candidate,
        tokens,
        lower_words,
        lang,
        named: HashSet::new(),
        home: home(lang).and_then(CountryCode::new),
        person_stems: person_stems(tokens, cands, lang),
    };
    let mut out = Vec::new();
    let mut is_country = vec![false; cands.len()];
    for (i, cand) in cands.iter().enumerate() {
        let Some((target, how)) = best_country(&cand.hits) else {
            continue;
        };
        if !ctx.accept_country(cand, how) {
            continue;
        }
        if let Target::Country(c) = target {
            ctx.named.insert(c.code);
            // City-states: Singapore, Monaco name a city as well.
            let city_state = cand.hits.iter().find_map(|h| match h.target {
                Target::City(city)
                    if city.country == c.code && u64::from(city.population) * 2 >= c.population =>
                {
                    Some(city)
                }
                _ => None,
            });
            if let Some(city) = city_state {
                out.push(Resolved {
                    candidate: i,
                    target: Target::City(city),
                });
            }
        }
        is_country[i] = true;
        out.push(Resolved {
            candidate: i,
            target,
        });
    }
    let taken: HashSet<usize> = cands
        .iter()
        .zip(&is_country)
        .filter(|(_, &country)| country)
        .flat_map(|(c, _)| c.first..c.last)
        .collect();
    let mut accepted: HashSet<u32> = HashSet::new();
    let mut rejected = Vec::new();
    // Towns whose name was read as a person's somewhere in the text.
    let mut person_names: HashSet<u32> = HashSet::new();
    // How often a town's name stood next to another capitalised word.
    let mut beside_names: HashMap<u32, usize> = HashMap::new();
    // Accepted city mentions: (index in `out`, candidate, city).
    let mut city_mentions: Vec<(usize, usize, City)> = Vec::new();
    for (i, cand) in cands.iter().enumerate() {
        // A name that can be a country is not read as a city when the
        // country reading was turned down (Мартин Куба).
        if is_country[i] || best_country(&cand.hits).is_some_and(|(_, h)| h != How::Adjective) {
            continue;
        }
        let mut readings: Vec<(City, &Hit, f64)> = cand
            .hits
            .iter()
            .filter_map(|h| match h.target {
                Target::City(c) => Some((c, h, ctx.city_score(&c, h.how, h.canonical))),
                Target::Country(_) => None,
            })
            .collect();
        // An adjective that gives a town's own name (каннский → Канны) wins
        // over ones that meet other towns' names only by their keys.
        // A Russian adjective must spell one of the town's own names
        // (Цурская is not Курская, though their keys meet).
        let exact_only = tokens[cand.first].cyrillic;
        if exact_only
            || readings
                .iter()
                .any(|(_, h, _)| h.how == How::Adjective && h.canonical)
        {
            readings.retain(|(_, h, _)| h.how != How::Adjective || h.canonical);
        }
        readings.sort_by(|a, b| b.2.total_cmp(&a.2));
        let chosen = readings
            .iter()
            .find(|(city, hit, _)| ctx.accept_city(cand, city, hit, &taken).is_ok());
        if let Some(&(city, _, _)) = chosen {
            accepted.insert(city.geonameid);
            city_mentions.push((out.len(), i, city));
            out.push(Resolved {
                candidate: i,
                target: Target::City(city),
            });
        } else if let Some((city, hit, _)) = readings.first() {
            // A name rejected as a person's stays rejected everywhere.
            let why = ctx.accept_city(cand, city, hit, &taken).err();
            if matches!(
                why,
                Some(
                    Reject::PersonName
                        | Reject::CapitalisedNeighbour
                        | Reject::AfterInitial
                        | Reject::Surname
                )
            ) {
                if let Some((top, _, _)) = readings.first() {
                    if why == Some(Reject::CapitalisedNeighbour) {
                        *beside_names.entry(top.geonameid).or_default() += 1;
                    } else {
                        person_names.insert(top.geonameid);
                    }
                }
            } else {
                rejected.push(i);
            }
        }
    }
    // One sense per text, for people: a name read as a person's somewhere
    // (Уоррен Баффет, Уитни Хьюстон) is a person's wherever nothing marks
    // it as a place (в Хьюстоне, the town of Warren).
    let drop = person_mentions(&ctx, cands, &city_mentions, person_names, beside_names);
    let mut k = 0;
    out.retain(|_| {
        k += 1;
        !drop.contains(&(k - 1))
    });
    accepted = out
        .iter()
        .filter_map(|r| match r.target {
            Target::City(c) => Some(c.geonameid),
            Target::Country(_) => None,
        })
        .collect();
    // One sense per text: a rejected mention that can read as a city
    // accepted elsewhere takes that reading.
    for i in rejected {
        let again = cands[i].hits.iter().find_map(|h| match h.target {
            Target::City(c) if accepted.contains(&c.geonameid) && h.how != How::Adjective => {
                Some(c)
            }
            _ => None,
        });
        if let Some(city) = again {
            out.push(Resolved {
                candidate: i,
                target: Target::City(city),
            });
        }
    }
    out.sort_by_key(|r| r.candidate);
    out
}
