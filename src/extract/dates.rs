//! The report's year, from dates written in Lithuanian, Russian or English.
//!
//! Recognised: `2018 m. spalio 18 d.`, `2017 m. vasario mėn. 22 dieną`,
//! `18.09.2023`, `2023-09-18`, `15 сентября 2023 г.`, `September 18, 2023`,
//! `18 September 2023`; then month and year (`сентябрь 2023`), then a bare
//! year marked as one (`2015 m.`, `в 2015 году`, `in 2015`). A full date wins
//! over a month and year, which wins over a bare year; among full dates the
//! latest wins (a report is dated after what it reports). Years in ranges
//! (`2009–2014 m.`) and birth dates are ignored.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::Serialize;

use super::cues::{is_cue, Cues};
use crate::chars::{is_alphabetic, is_lowercase};

/// A calendar year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Year(pub u16);

impl std::fmt::Display for Year {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Month names (lower case) of the CLDR table, all languages together.
static MONTHS: LazyLock<HashMap<String, u8>> = LazyLock::new(|| {
    let mut m = HashMap::new();
    for line in crate::gazetteer::MONTHS_TSV.lines().skip(1) {
        let mut f = line.split('\t');
        let (Some(_lang), Some(num), Some(names)) = (f.next(), f.next(), f.next()) else {
            continue;
        };
        let Ok(num) = num.parse::<u8>() else { continue };
        for n in names.split('|') {
            let n = n.to_lowercase();
            if n.chars().count() >= 3 {
                m.insert(n, num);
            }
        }
    }
    for (n, num) in [("sept", 9u8), ("сентябре", 9), ("мае", 5)] {
        m.entry(n.to_string()).or_insert(num);
    }
    m
});

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(String),
    Num(u32, usize),
    Punct(char),
}

fn lex(text: &str) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        if c.is_ascii_digit() {
            let mut v: u32 = 0;
            let mut len = 0;
            while let Some(&(_, d)) = chars.peek() {
                let Some(dv) = d.to_digit(10) else { break };
                if !d.is_ascii_digit() {
                    break;
                }
                v = v.saturating_mul(10).saturating_add(dv);
                len += 1;
                chars.next();
            }
            out.push(Tok::Num(v, len));
        } else if is_alphabetic(c) {
            let mut end = text.len();
            while let Some(&(i, d)) = chars.peek() {
                if !is_alphabetic(d) {
                    end = i;
                    break;
                }
                chars.next();
            }
            out.push(Tok::Word(lower_word(&text[start..end])));
        } else {
            if !c.is_whitespace() {
                out.push(Tok::Punct(c));
            }
            chars.next();
        }
    }
    out
}

/// A word in lower case, letter by letter (as `char::to_lowercase`).
fn lower_word(w: &str) -> String {
    if is_lowercase(w) {
        w.to_string()
    } else {
        w.chars().flat_map(char::to_lowercase).collect()
    }
}

fn year_of(t: Option<&Tok>) -> Option<u16> {
    match t {
        Some(Tok::Num(v, 4)) if (1900..=2100).contains(v) => u16::try_from(*v).ok(),
        _ => None,
    }
}

fn day_of(t: Option<&Tok>) -> Option<u32> {
    match t {
        Some(Tok::Num(v, 1..=2)) if (1..=31).contains(v) => Some(*v),
        _ => None,
    }
}

fn month_of(t: Option<&Tok>) -> Option<u8> {
    match t {
        Some(Tok::Word(w)) => MONTHS.get(w.as_str()).copied(),
        Some(Tok::Num(v, 1..=2)) if (1..=12).contains(v) => u8::try_from(*v).ok(),
        _ => None,
    }
}

fn is_word(t: Option<&Tok>, words: &[&str]) -> bool {
    matches!(t, Some(Tok::Word(w)) if words.contains(&w.as_str()))
}

fn is_punct(t: Option<&Tok>, set: &[char]) -> bool {
    matches!(t, Some(Tok::Punct(p)) if set.contains(p))
}

fn is_month_word(t: Option<&Tok>) -> bool {
    matches!(t, Some(Tok::Word(w)) if MONTHS.contains_key(w.as_str()))
}

/// Strength of a dated expression: full date > month and year > marked year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Strength {
    Year,
    MonthYear,
    Full,
}

/// Is the word (any case) a month's name (March, May, Kovas, Март)?
pub(crate) fn is_month_name(word: &str) -> bool {
    MONTHS.contains_key(word.to_lowercase().as_str())
}

/// The year of the report, if the text dates it.
pub fn find_year(text: &str) -> Option<Year> {
    YearEvidence::of(text).year()
}

/// The dated expressions of a text that decide its year, kept small (at
/// most one entry per year) so that the parts of a long text read one
/// after the other can be added up: [`YearEvidence::merge`] of the parts,
/// in text order, decides as [`find_year`] on the whole text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct YearEvidence {
    /// The strongest kind of expression seen.
    best: Option<Strength>,
    /// The years of that strength: their counts, in order of first
    /// appearance.
    years: Vec<(u16, usize)>,
}

impl YearEvidence {
    /// The evidence of one text.
    pub(crate) fn of(text: &str) -> YearEvidence {
        let mut e = YearEvidence::default();
        for (s, y) in dated_years(text) {
            e.add(s, y, 1);
        }
        e
    }

    fn add(&mut self, s: Strength, y: u16, n: usize) {
        if self.best.is_some_and(|b| b > s) {
            return;
        }
        if self.best != Some(s) {
            self.best = Some(s);
            self.years.clear();
        }
        match self.years.iter_mut().find(|(x, _)| *x == y) {
            Some((_, c)) => *c += n,
            None => self.years.push((y, n)),
        }
    }

    /// Adds the evidence of the text that follows.
    pub(crate) fn merge(&mut self, next: &YearEvidence) {
        if let Some(s) = next.best {
            for &(y, n) in &next.years {
                self.add(s, y, n);
            }
        }
    }

    /// The year decided: among full dates the latest; else the most
    /// frequent, ties going to the one written first (a report states its
    /// own year before the years it looks back or ahead to).
    pub(crate) fn year(&self) -> Option<Year> {
        let year = if self.best? == Strength::Full {
            self.years.iter().map(|&(y, _)| y).max()
        } else {
            let mut best: Option<(usize, u16)> = None;
            for &(y, n) in &self.years {
                if best.is_none_or(|(bn, _)| n > bn) {
                    best = Some((n, y));
                }
            }
            best.map(|(_, y)| y)
        };
        year.map(Year)
    }
}

/// Every dated expression of a text: its strength and year, in text order.
/// Years in ranges (2009–2014) and full dates of birth are left out.
fn dated_years(text: &str) -> Vec<(Strength, u16)> {
    let toks = lex(text);
    let mut found: Vec<(Strength, u16)> = Vec::new();
    for i in 0..toks.len() {
        let Some(y) = year_of(at(&toks, i)) else {
            continue;
        };
        if in_range(&toks, i) {
            continue;
        }
        let Some(s) = strength(&toks, i) else {
            continue;
        };
        let birth = (1..=4).any(|k| is_cue_word(before(&toks, i, k), |c| c.birth_words));
        if birth && s == Strength::Full {
            continue;
        }
        found.push((s, y));
    }
    found
}

/// Token `i`.
fn at(toks: &[Tok], i: usize) -> Option<&Tok> {
    toks.get(i)
}

/// The token `k` places before token `i`.
fn before(toks: &[Tok], i: usize, k: usize) -> Option<&Tok> {
    i.checked_sub(k).and_then(|j| toks.get(j))
}

/// Is the token a word of the cue list `list` of any language?
fn is_cue_word(t: Option<&Tok>, list: fn(&'static Cues) -> &'static [&'static str]) -> bool {
    matches!(t, Some(Tok::Word(w)) if is_cue(w, list))
}

/// Is the year at token `i` one end of a range (2009–2014, 2009-2014 m.)?
fn in_range(toks: &[Tok], i: usize) -> bool {
    const DASHES: &[char] = &['-', '–', '—'];
    (is_punct(at(toks, i + 1), DASHES) && year_of(at(toks, i + 2)).is_some())
        || (is_punct(before(toks, i, 1), DASHES) && year_of(before(toks, i, 2)).is_some())
}

/// How strongly the words around the year at token `i` date the text.
fn strength(toks: &[Tok], i: usize) -> Option<Strength> {
    numeric_date(toks, i)
        .or_else(|| written_date(toks, i))
        .or_else(|| lithuanian_date(toks, i))
        .or_else(|| marked_year(toks, i))
}

/// dd.mm.yyyy, dd/mm/yyyy, yyyy-mm-dd.
fn numeric_date(toks: &[Tok], i: usize) -> Option<Strength> {
    let b = |k| before(toks, i, k);
    let a = |k| at(toks, i + k);
    let dotted = is_punct(b(1), &['.', '/'])
        && month_of(b(2)).is_some()
        && matches!(b(2), Some(Tok::Num(..)))
        && is_punct(b(3), &['.', '/'])
        && day_of(b(4)).is_some();
    let iso = is_punct(a(1), &['-'])
        && matches!(a(2), Some(Tok::Num(1..=12, 2)))
        && is_punct(a(3), &['-'])
        && day_of(a(4)).is_some();
    (dotted || iso).then_some(Strength::Full)
}

/// 15 сентября 2023, 18 September 2023, September 18, 2023; сентябрь 2023.
fn written_date(toks: &[Tok], i: usize) -> Option<Strength> {
    let b = |k| before(toks, i, k);
    if is_month_word(b(1)) {
        return Some(if day_of(b(2)).is_some() {
            Strength::Full
        } else {
            Strength::MonthYear
        });
    }
    let month_day = (is_punct(b(1), &[',']) && day_of(b(2)).is_some() && is_month_word(b(3)))
        || (day_of(b(1)).is_some() && is_month_word(b(2)));
    month_day.then_some(Strength::Full)
}

/// 2018 m. spalio 18 d.; 2017 m. vasario mėn. 22 dieną; 2018 m. spalio mėn.; 2015 m.
fn lithuanian_date(toks: &[Tok], i: usize) -> Option<Strength> {
    if !is_word(at(toks, i + 1), &["m"]) {
        return None;
    }
    let mut j = i + 2;
    if is_punct(at(toks, j), &['.']) {
        j += 1;
    }
    if !is_month_word(at(toks, j)) {
        return Some(Strength::Year);
    }
    j += 1;
    if is_word(at(toks, j), &["mėn"]) {
        j += 1;
        if is_punct(at(toks, j), &['.']) {
            j += 1;
        }
    }
    Some(if day_of(at(toks, j)).is_some() {
        Strength::Full
    } else {
        Strength::MonthYear
    })
}

/// 2015 г., в 2015 году, 2015 metais, in 2015.
fn marked_year(toks: &[Tok], i: usize) -> Option<Strength> {
    (is_cue_word(at(toks, i + 1), |c| c.year_words_after)
        || is_cue_word(before(toks, i, 1), |c| c.year_words_before))
    .then_some(Strength::Year)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn y(s: &str) -> Option<u16> {
        find_year(s).map(|y| y.0)
    }

    #[test]
    fn formats() {
        assert_eq!(y("2018 m. spalio 18– 24 d."), Some(2018));
        assert_eq!(
            y("2017 m. vasario mėn. 22 dieną vyks, 2009–2014 m. ir 2015 m."),
            Some(2017)
        );
        assert_eq!(
            y("18.09.2023 00:22 С 11 по 15 сентября, с 2020 года"),
            Some(2023)
        );
        assert_eq!(y("15 сентября 2023 г."), Some(2023));
        assert_eq!(y("September 18, 2023"), Some(2023));
        assert_eq!(y("on 18 September 2023"), Some(2023));
        assert_eq!(y("2023-09-18"), Some(2023));
        assert_eq!(y("в 2015 году и в 2015 году, в 2012 году"), Some(2015));
        assert_eq!(
            y("ir 2018 metais, žvelgiant į 2020 metų ateitį"),
            Some(2018)
        );
        assert_eq!(y("2009–2014 m."), None);
        assert_eq!(y("нет даты"), None);
    }

    #[test]
    fn evidence_of_parts_adds_up_to_the_whole() {
        let parts = [
            "в 2015 году. ",
            "2018 m. ir 2018 metais, 2015 m. ",
            "in 2016. 2016 m. ",
            "18 September 2021, ",
            "2017 m. spalio 18 d. ",
            "",
        ];
        for n in 1..=parts.len() {
            let whole: String = parts[..n].concat();
            let mut e = YearEvidence::default();
            for p in &parts[..n] {
                e.merge(&YearEvidence::of(p));
            }
            assert_eq!(e.year(), find_year(&whole), "{whole}");
        }
    }

    #[test]
    fn birth_dates_are_skipped() {
        assert_eq!(y("родился 5 мая 1950 года. 3 марта 2016 года"), Some(2016));
    }
}
