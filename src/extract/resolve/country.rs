//! Country readings: kept first, as a named country is context for the
//! towns of the whole text.

use super::{Context, Decision, CITY_STATE, COUNTRY};
use crate::extract::cues::{is_cue, starts_with_cue};
use crate::extract::inflect::Form;
use crate::extract::matcher::{Candidate, Hit, How, Target};

/// The best country reading of a candidate, if any.
pub(super) fn best_country(hits: &[Hit]) -> Option<(Target, How)> {
    hits.iter()
        .filter(|h| matches!(h.target, Target::Country(_)))
        .min_by_key(|h| h.how)
        .map(|h| (h.target, h.how))
}

/// Keeps the country readings that stand (and the city of a city-state
/// named so), noting the countries named in `ctx`. Which candidates are
/// countries, by index.
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
                out.push(Decision::kept(i, Target::City(city), CITY_STATE));
            }
        }
        is_country[i] = true;
        out.push(Decision::kept(i, target, COUNTRY));
    }
    is_country
}

impl Context<'_, '_> {
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
        if prev.is_some_and(|p| starts_with_cue(&p.text.to_lowercase(), |c| c.continent_qualifiers))
        {
            return false;
        }
        if how == How::Adjective {
            return self.attributive_adjective(cand, next);
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

    /// Is a country adjective attributive, before the noun `next`, and not
    /// a person's nationality?
    fn attributive_adjective(
        &self,
        cand: &Candidate,
        next: Option<&crate::extract::tokens::Token<'_>>,
    ) -> bool {
        // An attributive adjective comes before a noun: «владеть
        // английским.», "studying French and", «mandarinų arba japonų.»
        // name languages, not countries.
        let Some(n) = next else { return false };
        let w = n.text.to_lowercase();
        if is_cue(&w, |c| c.stop_after_adjective) || starts_with_cue(&w, |c| c.language_words) {
            return false;
        }
        // A nationality of a person (американский кинорежиссёр Дэвид
        // Линч) is not a mention of the country.
        self.tokens[cand.first].capitalized || !self.person_follows(cand.last)
    }
}
