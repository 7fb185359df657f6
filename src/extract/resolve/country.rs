//! Country readings: decided first, as a named country is context for the
//! towns of the whole text. Like the city rules, the country rules are an
//! ordered table of named rules ([`COUNTRY_RULES`]); a country rule may also
//! accept a reading outright (an initialism, an attributive adjective).

use super::{Context, Decision, Reject, CITY_STATE, COUNTRY};
use crate::extract::cues::{is_cue, starts_with_cue};
use crate::extract::inflect::Form;
use crate::extract::matcher::{Candidate, Hit, How, Target};
use crate::extract::tokens::Token;

/// The best country reading of a candidate, if any.
pub(super) fn best_country(hits: &[Hit]) -> Option<(Target, How)> {
    hits.iter()
        .filter(|h| matches!(h.target, Target::Country(_)))
        .min_by_key(|h| h.how)
        .map(|h| (h.target, h.how))
}

/// Decides the best country reading of every candidate (and keeps the city
/// of a city-state named so), noting the countries named in `ctx`. Which
/// candidates are countries, by index.
pub(super) fn keep_countries(
    ctx: &mut Context<'_, '_>,
    cands: &[Candidate],
    out: &mut Vec<Decision>,
) -> Vec<bool> {
    let mut is_country = vec![false; cands.len()];
    for (i, cand) in cands.iter().enumerate() {
        let Some((target, how)) = best_country(&cand.hits) else {
            continue;
        };
        let (rule, verdict) = CountryReading::new(ctx, cand, how).decide();
        if let Verdict::Reject(why) = verdict {
            out.push(Decision {
                candidate: i,
                target,
                rule,
                reject: Some(why),
            });
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
                out.push(Decision::kept(i, Target::City(city), CITY_STATE));
            }
        }
        is_country[i] = true;
        out.push(Decision::kept(i, target, rule));
    }
    is_country
}

/// What a country rule says of a reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    /// Keep the reading; later rules are not asked.
    Accept,
    /// Turn the reading down, for this reason.
    Reject(Reject),
    /// Ask the next rule.
    NoOpinion,
}

/// The country reading of a candidate, with what the rules ask of it.
struct CountryReading<'r> {
    ctx: &'r Context<'r, 'r>,
    cand: &'r Candidate,
    how: How,
    first: &'r Token<'r>,
    single: bool,
    /// The word before, with a single space between.
    prev: Option<&'r Token<'r>>,
    /// The word after, with a single space between.
    next: Option<&'r Token<'r>>,
}

/// A named country rule.
struct CountryRule {
    name: &'static str,
    check: fn(&CountryReading<'_>) -> Verdict,
}

/// The country rules, in the order they are asked; a reading none decides
/// is kept (by the step [`COUNTRY`]).
#[rustfmt::skip]
static COUNTRY_RULES: &[CountryRule] = &[
    CountryRule { name: "initialism", check: initialism },
    CountryRule { name: "sentence_start_lower_case", check: sentence_start_lower_case },
    CountryRule { name: "continent_qualifier", check: continent_qualifier },
    CountryRule { name: "adjective_without_noun", check: adjective_without_noun },
    CountryRule { name: "nationality_of_person", check: nationality_of_person },
    CountryRule { name: "attributive_adjective", check: attributive_adjective },
    CountryRule { name: "person_beside", check: person_beside },
];

impl<'r> CountryReading<'r> {
    fn new(ctx: &'r Context<'r, 'r>, cand: &'r Candidate, how: How) -> Self {
        let t = ctx.tokens;
        CountryReading {
            ctx,
            cand,
            how,
            first: &t[cand.first],
            single: cand.last == cand.first + 1,
            prev: cand
                .first
                .checked_sub(1)
                .map(|p| &t[p])
                .filter(|p| p.joined_next),
            next: t.get(cand.last).filter(|_| t[cand.last - 1].joined_next),
        }
    }

    /// Walks the rules in order: the name of the rule that decided and its
    /// verdict (accepted by [`COUNTRY`] when none decided).
    fn decide(&self) -> (&'static str, Verdict) {
        COUNTRY_RULES
            .iter()
            .map(|r| (r.name, (r.check)(self)))
            .find(|(_, v)| *v != Verdict::NoOpinion)
            .unwrap_or((COUNTRY, Verdict::Accept))
    }
}

/// Rejects for `reason` when `cond` holds, else has no opinion.
fn reject_if(cond: bool, reason: Reject) -> Verdict {
    if cond {
        Verdict::Reject(reason)
    } else {
        Verdict::NoOpinion
    }
}

/// Accepts when `cond` holds, else has no opinion.
fn accept_if(cond: bool) -> Verdict {
    if cond {
        Verdict::Accept
    } else {
        Verdict::NoOpinion
    }
}

/// An initialism (РФ, USA, U.S.) names its country.
fn initialism(r: &CountryReading<'_>) -> Verdict {
    accept_if(r.how == How::Initialism)
}

/// A name alone at a sentence start that the text writes in lower case
/// elsewhere is an ordinary word.
fn sentence_start_lower_case(r: &CountryReading<'_>) -> Verdict {
    let cond = r.how != How::Adjective
        && r.single
        && r.first.sentence_start
        && r.ctx.ordinary_word(r.first);
    reject_if(cond, Reject::UsedInLowerCase)
}

/// Latin America, Южная Америка, Pietų Amerika are not the USA.
fn continent_qualifier(r: &CountryReading<'_>) -> Verdict {
    let cond = r
        .prev
        .is_some_and(|p| starts_with_cue(&p.text.to_lowercase(), |c| c.continent_qualifiers));
    reject_if(cond, Reject::Continent)
}

/// An attributive adjective comes before a noun: «владеть английским.»,
/// "studying French and", «mandarinų arba japonų.» name languages, and
/// "Indian Ocean" an ocean, not countries.
fn adjective_without_noun(r: &CountryReading<'_>) -> Verdict {
    let cond = r.how == How::Adjective
        && r.next.is_none_or(|n| {
            let w = n.text.to_lowercase();
            is_cue(&w, |c| c.stop_after_adjective) || starts_with_cue(&w, |c| c.language_words)
        });
    reject_if(cond, Reject::NoNoun)
}

/// A nationality of a person (американский кинорежиссёр Дэвид Линч) is not
/// a mention of the country.
fn nationality_of_person(r: &CountryReading<'_>) -> Verdict {
    let cond = r.how == How::Adjective && !r.first.capitalized && r.ctx.person_follows(r.cand.last);
    reject_if(cond, Reject::PersonName)
}

/// Any other adjective before its noun names the country.
fn attributive_adjective(r: &CountryReading<'_>) -> Verdict {
    accept_if(r.how == How::Adjective)
}

/// A first name or surname next to a country name (Мартин Куба, Сальвадора
/// Дали, Jordan Spieth); only a name in its dictionary form can be a first
/// name («канцлером Германии Ангелой Меркель», but Ливия Клаусова).
fn person_beside(r: &CountryReading<'_>) -> Verdict {
    let ctx = r.ctx;
    let person_prev = r.prev.is_some_and(|p| {
        p.capitalized && !p.all_caps && !p.sentence_start && ctx.outside(r.cand.first - 1)
    });
    let person_next = r.how == How::Name(Form::Surface)
        && r.next.is_some_and(|n| {
            n.capitalized
                && !n.all_caps
                && n.cyrillic == r.first.cyrillic
                && ctx.outside(r.cand.last)
        });
    reject_if(r.single && (person_prev || person_next), Reject::PersonName)
}
