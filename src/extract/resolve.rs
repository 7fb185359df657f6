//! Choosing among the readings of candidate mentions with the document's
//! context: countries named in it, the language's home country, population,
//! capitalisation and the words around the mention.
//!
//! [`resolve`] goes in steps: the country readings first, through the
//! ordered table of country rules (`country::COUNTRY_RULES`; a named
//! country is context for its towns), then each candidate's city readings, best
//! scored first, through the ordered table of city rules
//! ([`rules::CITY_RULES`]); then one sense per text, for people (a name read
//! as a person's somewhere is a person's wherever nothing marks it as a
//! place) and for places (a mention turned down takes a reading accepted
//! elsewhere). Every decision names the rule or step that made it.

mod context;
mod country;
mod persons;
mod rules;

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use rustc_hash::FxHashSet;

use super::cues::PlaceLanguage;
use super::matcher::{Candidate, Hit, How, Target};
use super::tokens::Token;
use crate::gazetteer::{City, CountryCode};
use crate::lang::Language;
use rules::Reading;
pub(crate) use rules::Reject;

/// What was decided on one reading of a candidate, and by which rule.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Decision {
    /// Index into the candidate list.
    pub candidate: usize,
    /// The place read: the one kept, or the best-scored reading turned down.
    pub target: Target,
    /// The name of the rule or step that decided (a city rule's name when
    /// one turned the reading down).
    pub rule: &'static str,
    /// Why the reading was turned down; `None` when it is kept.
    pub reject: Option<Reject>,
}

impl Decision {
    fn kept(candidate: usize, target: Target, rule: &'static str) -> Decision {
        Decision {
            candidate,
            target,
            rule,
            reject: None,
        }
    }
}

/// A country reading no country rule decided: kept.
const COUNTRY: &str = "country";
/// The step that keeps the city of a city-state (Singapore, Monaco).
const CITY_STATE: &str = "city_state";
/// A city reading no city rule turned down.
const NO_RULE_REJECTS: &str = "no_rule_rejects";
/// The step that turns down a town's name read as a person's elsewhere.
const PERSON_ELSEWHERE: &str = "person_elsewhere";
/// The step that gives a mention turned down a reading accepted elsewhere.
const ONE_SENSE: &str = "one_sense_per_text";

/// `str::to_lowercase`, borrowed when that changes nothing.
fn lowercase(s: &str) -> Cow<'_, str> {
    if crate::chars::is_lowercase(s) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.to_lowercase())
    }
}

/// What the rules know of the text.
struct Context<'a, 't> {
    text: &'t str,
    region_countries: &'a [CountryCode],
    /// What the extractor knows of the text's language.
    language: &'static PlaceLanguage,
    in_candidate: Vec<bool>,
    tokens: &'a [Token<'t>],
    /// The words of the text written in lower case.
    lower_words: FxHashSet<Cow<'t, str>>,
    named: HashSet<CountryCode>,
    home: Option<CountryCode>,
    person_stems: HashSet<String>,
}

impl<'a, 't> Context<'a, 't> {
    fn new(
        text: &'t str,
        tokens: &'a [Token<'t>],
        cands: &[Candidate],
        region_countries: &'a [CountryCode],
        lang: Option<Language>,
    ) -> Self {
        let language = super::cues::place_language(lang);
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
        Context {
            text,
            region_countries,
            language,
            in_candidate,
            tokens,
            lower_words,
            named: HashSet::new(),
            home: language.home.and_then(CountryCode::new),
            person_stems: persons::person_stems(tokens, cands, language),
        }
    }
}

/// Decides every candidate's reading: the kept ones, and for a candidate
/// whose city readings were all turned down, its best reading with the rule
/// that turned it down. In candidate order.
pub(crate) fn resolve<'t>(
    text: &'t str,
    tokens: &[Token<'t>],
    cands: &[Candidate],
    region_countries: &[CountryCode],
    lang: Option<Language>,
) -> Vec<Decision> {
    let mut ctx = Context::new(text, tokens, cands, region_countries, lang);
    let mut out = Vec::new();
    let is_country = country::keep_countries(&mut ctx, cands, &mut out);
    let taken: HashSet<usize> = cands
        .iter()
        .zip(&is_country)
        .filter(|(_, &country)| country)
        .flat_map(|(c, _)| c.first..c.last)
        .collect();
    let mut pass = CityPass::default();
    for (i, cand) in cands.iter().enumerate() {
        // A name that can be a country is not read as a city when the
        // country reading was turned down (Мартин Куба).
        if is_country[i]
            || country::best_country(&cand.hits).is_some_and(|(_, h)| h != How::Adjective)
        {
            continue;
        }
        pass.decide_city(&ctx, cands, i, &taken, &mut out);
    }
    // One sense per text, for people: a name read as a person's somewhere
    // (Уоррен Баффет, Уитни Хьюстон) is a person's wherever nothing marks
    // it as a place (в Хьюстоне, the town of Warren).
    for k in persons::person_mentions(&ctx, cands, &pass) {
        out[k].rule = PERSON_ELSEWHERE;
        out[k].reject = Some(Reject::PersonName);
    }
    one_sense(cands, &pass.rejected, &mut out);
    out.sort_by_key(|r| r.candidate);
    out
}

/// What the city readings of the candidates left for the later steps.
#[derive(Default)]
struct CityPass {
    /// Candidates whose best reading was turned down, not as a person's.
    rejected: Vec<usize>,
    /// Towns whose name was read as a person's somewhere in the text.
    person_names: HashSet<u32>,
    /// How often a town's name stood next to another capitalised word.
    beside_names: HashMap<u32, usize>,
    /// Accepted city mentions: (index in the output, candidate, city).
    city_mentions: Vec<(usize, usize, City)>,
}

impl CityPass {
    /// Decides the city readings of candidate `i`: the best-scored one that
    /// no city rule turns down, else notes why the best one was turned down.
    fn decide_city(
        &mut self,
        ctx: &Context<'_, '_>,
        cands: &[Candidate],
        i: usize,
        taken: &HashSet<usize>,
        out: &mut Vec<Decision>,
    ) {
        let cand = &cands[i];
        let readings = city_readings(ctx, cand);
        let mut best_rejection = None;
        for (city, hit, _) in &readings {
            match Reading::new(ctx, cand, city, hit, taken).decide() {
                Ok(()) => {
                    self.city_mentions.push((out.len(), i, *city));
                    out.push(Decision::kept(i, Target::City(*city), NO_RULE_REJECTS));
                    return;
                }
                Err(rejection) => {
                    best_rejection.get_or_insert((*city, rejection));
                }
            }
        }
        let Some((top, (rule, why))) = best_rejection else {
            return;
        };
        out.push(Decision {
            candidate: i,
            target: Target::City(top),
            rule,
            reject: Some(why),
        });
        // A name rejected as a person's stays rejected everywhere.
        match why {
            Reject::CapitalisedNeighbour => {
                *self.beside_names.entry(top.geonameid).or_default() += 1;
            }
            Reject::PersonName | Reject::AfterInitial | Reject::Surname => {
                self.person_names.insert(top.geonameid);
            }
            _ => self.rejected.push(i),
        }
    }
}

/// The city readings of a candidate with their scores, best first.
fn city_readings<'h>(ctx: &Context<'_, '_>, cand: &'h Candidate) -> Vec<(City, &'h Hit, f64)> {
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
    let exact_only = ctx.tokens[cand.first].cyrillic;
    if exact_only
        || readings
            .iter()
            .any(|(_, h, _)| h.how == How::Adjective && h.canonical)
    {
        readings.retain(|(_, h, _)| h.how != How::Adjective || h.canonical);
    }
    readings.sort_by(|a, b| b.2.total_cmp(&a.2));
    readings
}

/// One sense per text, for places: a mention turned down (`rejected`) that
/// can read as a city kept elsewhere takes that reading.
fn one_sense(cands: &[Candidate], rejected: &[usize], out: &mut Vec<Decision>) {
    let accepted: HashSet<u32> = out
        .iter()
        .filter(|d| d.reject.is_none())
        .filter_map(|d| match d.target {
            Target::City(c) => Some(c.geonameid),
            Target::Country(_) => None,
        })
        .collect();
    for &i in rejected {
        let again = cands[i].hits.iter().find_map(|h| match h.target {
            Target::City(c) if accepted.contains(&c.geonameid) && h.how != How::Adjective => {
                Some(c)
            }
            _ => None,
        });
        if let Some(city) = again {
            out.push(Decision::kept(i, Target::City(city), ONE_SENSE));
        }
    }
}

#[cfg(test)]
mod tests;
