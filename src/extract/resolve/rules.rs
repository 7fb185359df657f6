//! The city rules: an ordered table of named rules, each turning a city
//! reading down for one reason. A reading is decided by the first rule that
//! turns it down; one that no rule turns down is accepted. The rules ask for
//! a bigger town (see [`tier`]) the weaker the evidence for a place.

use std::collections::HashSet;

use super::Context;
use crate::extract::cues::{starts_with_cue, surname_like};
use crate::extract::inflect::Form;
use crate::extract::matcher::{Candidate, Hit, How};
use crate::extract::tier;
use crate::extract::tokens::Token;
use crate::gazetteer::City;

/// Why a city or country reading was turned down.
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
    /// A Latin word in a text whose Latin words are foreign names.
    LatinWord,
    /// An inflected word of a language whose common nouns inflect like
    /// names, read as a foreign town.
    InflectedCommonNoun,
    /// An ordinary word of the language.
    OrdinaryWord,
    /// An adjective not before its noun (or before a word for time, a
    /// language, an ocean).
    NoNoun,
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
    /// A country's name qualified as a continent (Latin America).
    Continent,
}

/// One city reading of a candidate, with what the rules ask of it.
pub(super) struct Reading<'r> {
    ctx: &'r Context<'r, 'r>,
    cand: &'r Candidate,
    city: &'r City,
    hit: &'r Hit,
    taken: &'r HashSet<usize>,
    how: How,
    /// The first word of the span.
    first: &'r Token<'r>,
    /// The span is one word.
    single: bool,
    /// The city's country (or its region, after the name) is in the text.
    in_context: bool,
    /// The city is in the home country of the text's language.
    home: bool,
    pop: u32,
}

/// A named rule: `applies` to a reading it turns down for `reason`.
pub(super) struct CityRule {
    /// The rule's name, as an explanation shows it.
    pub(super) name: &'static str,
    /// Why a reading it applies to is turned down.
    reason: Reject,
    /// Does the rule turn the reading down?
    applies: fn(&Reading<'_>) -> bool,
}

const fn rule(name: &'static str, reason: Reject, applies: fn(&Reading<'_>) -> bool) -> CityRule {
    CityRule {
        name,
        reason,
        applies,
    }
}

/// The city rules, in the order they are asked.
#[rustfmt::skip]
pub(super) static CITY_RULES: &[CityRule] = &[
    rule("too_small", Reject::TooSmall, too_small),
    rule("region_name", Reject::Region, region_name),
    rule("alternate_name", Reject::AlternateName, alternate_name),
    rule("region_word_follows", Reject::RegionWordFollows, region_word_follows),
    rule("feature_before", Reject::Feature, feature_before),
    rule("quoted", Reject::Quoted, quoted),
    rule("latin_word", Reject::LatinWord, latin_word),
    rule("inflected_common_noun", Reject::InflectedCommonNoun, inflected_common_noun),
    rule("ordinary_word", Reject::OrdinaryWord, ordinary_word),
    rule("ordinary_word_at_home", Reject::OrdinaryWord, ordinary_word_at_home),
    rule("adjective_without_noun", Reject::NoNoun, adjective_without_noun),
    rule("inflected_ordinary_word", Reject::OrdinaryWord, inflected_ordinary_word),
    rule("too_short", Reject::TooShort, too_short),
    rule("adjective_shaped", Reject::AdjectiveShaped, adjective_shaped),
    rule("used_in_lower_case", Reject::UsedInLowerCase, used_in_lower_case),
    rule("after_kinsman", Reject::PersonName, after_kinsman),
    rule("sentence_start_lower_case", Reject::UsedInLowerCase, sentence_start_lower_case),
    rule("sentence_start", Reject::SentenceStart, sentence_start),
    rule("surname_shaped", Reject::Surname, surname_shaped),
    rule("person_seen", Reject::PersonName, person_seen),
    rule("given_name", Reject::PersonName, given_name),
    rule("month_name", Reject::Month, month_name),
    rule("region_adjective", Reject::RegionAdjective, region_adjective),
    rule("after_initial", Reject::AfterInitial, after_initial),
    rule("capitalised_neighbour", Reject::CapitalisedNeighbour, capitalised_neighbour),
    rule("institution_name", Reject::InstitutionName, institution_name),
];

impl<'r> Reading<'r> {
    pub(super) fn new(
        ctx: &'r Context<'r, 'r>,
        cand: &'r Candidate,
        city: &'r City,
        hit: &'r Hit,
        taken: &'r HashSet<usize>,
    ) -> Self {
        Reading {
            ctx,
            cand,
            city,
            hit,
            taken,
            how: hit.how,
            first: &ctx.tokens[cand.first],
            single: cand.last == cand.first + 1,
            in_context: ctx.in_context(city) || ctx.followed_by_own_region(cand, city),
            home: ctx.home == Some(city.country),
            pop: city.population,
        }
    }

    /// Walks the rules in order: the name and reason of the first that
    /// turns the reading down.
    pub(super) fn decide(&self) -> Result<(), (&'static str, Reject)> {
        match CITY_RULES.iter().find(|r| (r.applies)(self)) {
            Some(r) => Err((r.name, r.reason)),
            None => Ok(()),
        }
    }

    /// A single word read as a name (not an adjective).
    fn single_name(&self) -> bool {
        self.how != How::Adjective && self.single
    }

    fn cyrillic(&self) -> bool {
        self.first.cyrillic
    }

    /// The least population the words ask for by themselves.
    fn least_population(&self) -> u32 {
        let lang = self.ctx.language;
        match self.how {
            How::Name(Form::Surface | Form::Inflected) | How::Initialism => {
                if self.in_context {
                    tier::VILLAGE
                } else if self.home {
                    lang.home_town_min
                } else {
                    tier::REGIONAL_CITY
                }
            }
            How::Name(Form::Foreign) => {
                if self.in_context {
                    tier::SMALL_TOWN
                } else {
                    tier::CITY
                }
            }
            How::Adjective => {
                if !self.first.capitalized {
                    tier::BIG_CITY
                } else if self.home {
                    lang.home_adjective_min
                } else if self.in_context {
                    tier::CITY
                } else {
                    tier::MAJOR_CITY
                }
            }
        }
    }
}

/// Too few people for the evidence. A word for a town before the name (в
/// селе Бокино, the town of Tornillo) vouches for any populated place; a
/// preposition of place (в Гренобле) for a middle-sized one.
fn too_small(r: &Reading<'_>) -> bool {
    let min = r.least_population();
    if r.pop >= min {
        return false;
    }
    if r.how != How::Adjective && r.ctx.after_town_word(r.cand.first) {
        return r.pop < tier::HAMLET;
    }
    if matches!(r.how, How::Name(Form::Surface | Form::Inflected))
        && r.cyrillic()
        && r.ctx.after_place_word(r.cand.first)
    {
        return r.pop < min.min(tier::LARGE_TOWN);
    }
    true
}

/// The words name a state or province (Nevada, Калифорния); a city named
/// after its state under another name (Oklahoma City for «Оклахома») only
/// when it is a big one.
fn region_name(r: &Reading<'_>) -> bool {
    !r.cand.region.is_empty()
        && (r.pop < tier::MAJOR_CITY
            || (!r.hit.canonical && !r.cyrillic() && r.pop < tier::MILLION_CITY))
}

/// An alternate Latin name (not the canonical one) is often a word of some
/// language: it asks for more people, as the language says, and is never
/// an ordinary word, unless the language inflects names (its forms live
/// among the alternates: Vašingtonas).
fn alternate_name(r: &Reading<'_>) -> bool {
    if r.hit.canonical || r.cyrillic() || r.how == How::Adjective {
        return false;
    }
    let lang = r.ctx.language;
    let min = lang.alternate_min[usize::from(!r.in_context)];
    r.pop < min || (r.single && !lang.inflects_names && r.ctx.dictionary_word(r.first))
}

/// Followed by a word for a region or a street (Московской области, Orange
/// County), or after one (штат Вирджиния).
fn region_word_follows(r: &Reading<'_>) -> bool {
    r.how != How::Adjective && r.ctx.region_follows(r.cand)
}

/// After a word for a river, an island or, for a name in its dictionary
/// form, a stadium (реки Печоры, стадионе Калининград).
fn feature_before(r: &Reading<'_>) -> bool {
    r.how != How::Adjective && r.ctx.feature_before(r.cand.first, r.how)
}

/// A Cyrillic name in quotation marks («Пересвет», «Метро»): Russian news
/// quote company names (English and Lithuanian texts quote teams named
/// after their town, which count).
fn quoted(r: &Reading<'_>) -> bool {
    r.cyrillic() && r.ctx.quoted(r.cand) && r.pop < tier::METROPOLIS
}

/// A Latin word in a text whose Latin words are foreign names (Google,
/// Monsanto in a Russian text), unless canonical and a city, or a big city
/// in a newspaper's or an event's name (The Washington Post).
fn latin_word(r: &Reading<'_>) -> bool {
    let latin_ok = (r.hit.canonical && r.pop >= tier::CITY)
        || (r.pop >= tier::MILLION_CITY && r.ctx.latin_neighbour(r.cand));
    r.ctx.language.latin_is_foreign && !r.cyrillic() && !latin_ok
}

/// Where common nouns inflect like names (Lithuanian Tarybų → Táriba), a
/// foreign town out of context needs its own form or more people.
fn inflected_common_noun(r: &Reading<'_>) -> bool {
    r.ctx.language.inflects_names
        && !r.in_context
        && !r.home
        && r.how != How::Name(Form::Surface)
        && r.pop < tier::MAJOR_CITY
}

/// An ordinary word (Думы, Tarybų, Church) names a town only in the
/// context of its country, or a city big enough to be meant.
fn ordinary_word(r: &Reading<'_>) -> bool {
    let context_ok =
        r.in_context && (r.pop >= tier::CITY || (r.hit.canonical && r.pop >= tier::LARGE_TOWN));
    r.single_name()
        && !context_ok
        && !r.home
        && (r.first.sentence_start
            || r.pop < tier::MAJOR_CITY
            || !(r.hit.canonical || r.cyrillic()))
        && r.ctx.dictionary_word(r.first)
}

/// A home town named by an ordinary Cyrillic word (Игра, Буй, Суда) needs
/// a preposition of place or many people.
fn ordinary_word_at_home(r: &Reading<'_>) -> bool {
    r.single_name()
        && r.home
        && r.cyrillic()
        && r.pop < tier::MAJOR_CITY
        && !r.ctx.after_place_word(r.cand.first)
        && !r.ctx.after_town_word(r.cand.first)
        && r.ctx.dictionary_word(r.first)
}

/// A lower-case Cyrillic adjective names a town's thing only before its
/// noun (a quoted name may come between: тульским «Арсеналом»), and not in
/// «по московскому времени» (a time zone).
fn adjective_without_noun(r: &Reading<'_>) -> bool {
    if r.how != How::Adjective || r.first.capitalized || !r.cyrillic() {
        return false;
    }
    let (t, last) = (r.ctx.tokens, r.cand.last);
    let noun = t.get(last).filter(|n| {
        r.ctx.text[t[last - 1].end..n.start]
            .chars()
            .all(|c| c.is_whitespace() || matches!(c, '«' | '"' | '„' | '“'))
    });
    noun.is_none_or(|n| starts_with_cue(&n.lower(), |c| c.time_words))
}

/// An ordinary Latin word with its ending changed to fit a name (kito →
/// Kita) names a town even less.
fn inflected_ordinary_word(r: &Reading<'_>) -> bool {
    r.single
        && !r.home
        && !r.cyrillic()
        && (r.how == How::Name(Form::Foreign)
            || (r.how == How::Name(Form::Inflected) && r.pop < tier::MILLION_CITY))
        && r.ctx.dictionary_word(r.first)
}

/// Fewer than three letters; three only for a canonical name of a city of
/// a million or in context, not at a sentence start.
fn too_short(r: &Reading<'_>) -> bool {
    let letters = r.first.text.chars().count();
    r.single_name()
        && (letters < 3
            || (letters == 3
                && (r.first.sentence_start
                    || !(r.hit.canonical || r.cyrillic())
                    || !(r.in_context || r.pop >= tier::MILLION_CITY))))
}

/// A Russian word with an adjective's ending names a small town only by
/// accident (Новый, Советский, Центрального).
fn adjective_shaped(r: &Reading<'_>) -> bool {
    r.single_name()
        && r.cyrillic()
        && r.pop < tier::MAJOR_CITY
        && crate::extract::adjectives::ru_adjective_form(&r.first.lower())
}

/// A capitalised word written in lower case elsewhere in the text («Года
/// милосердия»), not at a sentence start.
fn used_in_lower_case(r: &Reading<'_>) -> bool {
    r.single_name()
        && !r.first.sentence_start
        && !r.in_context
        && r.pop < tier::MILLION_CITY
        && r.ctx.ordinary_word(r.first)
}

/// After a word for a kinsman (отец Уэйн, дочери Челси, his son Paris).
fn after_kinsman(r: &Reading<'_>) -> bool {
    r.single_name() && r.pop < tier::WORLD_CITY && r.ctx.after_person_word(r.cand.first)
}

/// The first word of a sentence, written in lower case elsewhere in the text.
fn sentence_start_lower_case(r: &Reading<'_>) -> bool {
    r.single_name() && r.first.sentence_start && r.ctx.ordinary_word(r.first)
}

/// A sentence's first word needs a big city in its dictionary form (where
/// names are inflected, even the big cities are: Londone, Niujorke), or a
/// canonical name of a small city in context.
fn sentence_start(r: &Reading<'_>) -> bool {
    if !r.single_name() || !r.first.sentence_start {
        return false;
    }
    let big = r.pop >= tier::MILLION_CITY
        && if r.ctx.language.inflects_names {
            r.how != How::Name(Form::Foreign)
        } else {
            r.how == How::Name(Form::Surface) && (r.hit.canonical || r.cyrillic())
        };
    !(big || (r.in_context && r.pop >= tier::SMALL_CITY && r.hit.canonical))
}

/// A town named after people (Данилов, Чехов, Михайлов) is read as a
/// surname unless a word for "in"/"from"/"town" comes first.
fn surname_shaped(r: &Reading<'_>) -> bool {
    r.single_name()
        && r.cyrillic()
        && r.pop < tier::REGIONAL_CITY
        && surname_like(&r.first.lower())
        && !r.ctx.after_place_word(r.cand.first)
}

/// The word was seen elsewhere in the text beside another capitalised word
/// or before a verb of saying, as a person's name is (Дмитрий Медведев
/// makes a later «Медведева» a person).
fn person_seen(r: &Reading<'_>) -> bool {
    r.single_name() && r.ctx.person_like(r.first) && r.pop < tier::MILLION_CITY
}

/// A town named like a Russian given name (Владимир, Наталья) needs a
/// preposition of place, a word for a town or its region beside it.
fn given_name(r: &Reading<'_>) -> bool {
    r.single_name()
        && r.cyrillic()
        && r.pop < tier::MILLION_CITY
        && crate::extract::common::is_person_name(r.first.text)
        && !r.ctx.after_place_word(r.cand.first)
        && !r.ctx.after_town_word(r.cand.first)
        && !r.ctx.followed_by_own_region(r.cand, r.city)
}

/// «end of March», "29 May": a month, not the town (unless its region follows).
fn month_name(r: &Reading<'_>) -> bool {
    r.single_name()
        && crate::extract::dates::is_month_name(r.first.text)
        && !r.ctx.followed_by_own_region(r.cand, r.city)
}

/// An adjective before a noun for a region (Тверской области, Пермского
/// края) names the region, not its town; before a word for a street or a
/// region, unless of a city of a million.
fn region_adjective(r: &Reading<'_>) -> bool {
    r.how == How::Adjective
        && (r.ctx.region_noun_ahead(r.cand)
            || (r.pop < tier::MILLION_CITY && r.ctx.region_follows(r.cand)))
}

/// After an initial (А.И. Позднякова, J. Smith): a surname.
fn after_initial(r: &Reading<'_>) -> bool {
    r.ctx.after_initial(r.cand.first)
}

/// Next to a capitalised word that is not part of it (a person's first
/// name or surname, an organisation), unless one of the world's largest cities.
fn capitalised_neighbour(r: &Reading<'_>) -> bool {
    r.how != How::Adjective
        && r.ctx.capitalised_neighbour(r.cand, r.pop, r.taken)
        && r.pop < tier::WORLD_CITY
}

/// An uninflected name before a noun for an institution (Tokai universitetas).
fn institution_name(r: &Reading<'_>) -> bool {
    r.ctx.institution_name(r.cand, r.how)
}
