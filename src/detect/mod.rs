//! Language identification of texts of any length, from one word to a whole
//! document, among [`Language::ALL`].
//!
//! ```
//! use repsearch::detect::{detect, detect_scored};
//! use repsearch::lang::Language;
//!
//! assert_eq!(detect("Vilniaus universiteto biblioteka"), Some(Language::Lithuanian));
//! let (lang, confidence) = detect_scored("Отчёт о проделанной работе").unwrap();
//! assert_eq!(lang, Language::Russian);
//! assert!(confidence > 0.5);
//! assert_eq!(detect("12:30, 2024-01-01"), None);
//! ```
//!
//! How it works:
//!
//! 1. The text is cut into lower-cased words (runs of letters, combining marks
//!    and inner apostrophes); the script with the most letters (Latin,
//!    Cyrillic, Greek, ...) keeps only the languages written in it, and
//!    words of other scripts are ignored.
//! 2. A script used by one engine language decides alone (Greek → el).
//! 3. Otherwise every candidate language scores each word with a naive-Bayes
//!    cost: `-ln(f(word) + w · P_char(word))`, where `f` is the word's
//!    frequency in the language (wordfreq lists) and `P_char` a character
//!    4-gram model with back-off (derived from the same lists; for be, et and
//!    eo, which wordfreq lacks, from whatlang's trigram profiles). Letters
//!    a language does not use (ў, ї, ł, ą, ß, ...) are therefore very costly
//!    there. A word costs at most a fixed amount more than in its best
//!    language, so one foreign name cannot outvote a sentence.
//! 4. The costs are summed with a small prior that favours the product's main
//!    languages (lt, ru, en) for short, ambiguous input; the cheapest language
//!    wins, and the confidence is its posterior probability among the
//!    candidates.
//!
//! Very long texts are scored on an evenly spread sample of their words.

mod model;
mod script;

use std::sync::LazyLock;

use crate::lang::Language;
use model::{Params, Scorer, Tables};
use script::CharClass;
pub use script::Script;

/// The generated tables (see `data/langid/README.md`).
static TABLE_BYTES: &[u8] = include_bytes!("../../data/langid/langid.bin");

static TABLES: LazyLock<Tables> = LazyLock::new(|| {
    Tables::parse(TABLE_BYTES).unwrap_or_else(|e| panic!("built-in langid table is broken: {e}"))
});

/// Most words of a text that are scored; longer texts are sampled evenly.
const MAX_WORDS: usize = 400;

/// Prior cost (nats) of the languages the product is mostly used for.
const MAIN_LANGUAGES: [(Language, f32); 3] = [
    (Language::Lithuanian, 0.0),
    (Language::Russian, 0.0),
    (Language::English, 0.0),
];

/// Prior cost (nats) of every other language.
const OTHER_PRIOR: f32 = 1.0;

static PARAMS: LazyLock<Params> = LazyLock::new(|| default_params(&TABLES));

fn default_params(tables: &Tables) -> Params {
    let prior = tables
        .langs
        .iter()
        .map(|m| {
            MAIN_LANGUAGES
                .iter()
                .find(|(l, _)| *l == m.lang)
                .map_or(OTHER_PRIOR, |&(_, p)| p)
        })
        .collect();
    Params {
        oov_weight: 0.1,
        word_cap: 20.0,
        charonly_penalty: 0.0,
        prior,
    }
}

/// The most likely language of `text`, among [`Language::ALL`].
///
/// Returns `None` only when the text has no letters. A text whose letters
/// are all in scripts no engine language uses (Chinese, Thai, ...) gets
/// English, with confidence 0 from [`detect_scored`].
pub fn detect(text: &str) -> Option<Language> {
    detect_scored(text).map(|(lang, _)| lang)
}

/// Like [`detect`], with a confidence in `[0, 1]`: the posterior
/// probability of the chosen language among the candidates of the text's
/// script. One or two ambiguous words get a low confidence; a sentence
/// usually gets more than 0.99.
pub fn detect_scored(text: &str) -> Option<(Language, f64)> {
    detect_with(&TABLES, &PARAMS, text)
}

/// A text cut into lower-cased words.
struct Words {
    chars: Vec<char>,
    /// (start, end) in `chars` and the script index of each word.
    spans: Vec<(usize, usize, Option<Script>)>,
    /// Letters per script, indexed like [`Script::ALL`].
    letters: [usize; Script::ALL.len()],
    /// Letters of scripts no engine language uses.
    other_letters: usize,
}

fn split_words(text: &str) -> Words {
    let mut w = Words {
        chars: Vec::with_capacity(text.len()),
        spans: Vec::new(),
        letters: [0; Script::ALL.len()],
        other_letters: 0,
    };
    let mut start = None;
    let mut script = None;
    let mut iter = text.chars().peekable();
    while let Some(ch) = iter.next() {
        let ch = match ch {
            '\u{2019}' | '\u{02BC}' | '`' => '\'',
            c => c,
        };
        let s = match script::classify(ch) {
            CharClass::Letter(s) => {
                w.letters[s.index()] += 1;
                Some(s)
            }
            CharClass::OtherLetter => {
                w.other_letters += 1;
                None
            }
            CharClass::NotLetter => {
                // An apostrophe between two letters stays inside the word (п'ять, don't).
                let inner = ch == '\''
                    && start.is_some()
                    && w.chars.last() != Some(&'\'')
                    && iter.peek().is_some_and(|&c| script::is_word_char(c));
                if inner {
                    w.chars.push('\'');
                } else if let Some(s) = start.take() {
                    w.spans.push((s, w.chars.len(), script));
                }
                continue;
            }
        };
        if start.is_none() {
            start = Some(w.chars.len());
            script = s;
        }
        script::push_lower(&mut w.chars, ch);
    }
    if let Some(s) = start {
        w.spans.push((s, w.chars.len(), script));
    }
    w
}

fn detect_with(tables: &Tables, params: &Params, text: &str) -> Option<(Language, f64)> {
    let words = split_words(text);
    let (best_script, &count) = words
        .letters
        .iter()
        .enumerate()
        .max_by_key(|&(i, &n)| (n, std::cmp::Reverse(i)))?;
    if count == 0 {
        return (words.other_letters > 0).then_some((Language::English, 0.0));
    }
    let script = Script::ALL[best_script];
    let Some(group) = tables.groups[script.index()].as_ref() else {
        return Some((Language::English, 0.0));
    };
    if let [only] = group.members.as_slice() {
        return Some((tables.langs[*only].lang, 1.0));
    }
    let mut scorer = Scorer::new(tables, group, params);
    let in_script: Vec<(usize, usize)> = words
        .spans
        .iter()
        .filter(|(_, _, s)| *s == Some(script))
        .map(|&(a, b, _)| (a, b))
        .collect();
    let step = in_script.len().div_ceil(MAX_WORDS).max(1);
    for &(a, b) in in_script.iter().step_by(step) {
        scorer.add_word(&words.chars[a..b]);
    }
    let (best, best_cost) = scorer
        .totals
        .iter()
        .copied()
        .enumerate()
        .min_by(|a, b| a.1.total_cmp(&b.1))?;
    let norm: f64 = scorer
        .totals
        .iter()
        .map(|&c| f64::from(best_cost - c).exp())
        .sum();
    let lang = tables.langs[group.members[best]].lang;
    Some((lang, (1.0 / norm).clamp(0.0, 1.0)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use Language as L;

    #[test]
    fn table_covers_every_language_in_its_script() {
        for &lang in Language::ALL {
            let m = TABLES.langs.iter().find(|m| m.lang == lang);
            let m = m.unwrap_or_else(|| panic!("{lang} missing from the table"));
            assert_eq!(m.script, Script::of_language(lang), "{lang}");
        }
    }

    #[test]
    fn no_letters_no_language() {
        assert_eq!(detect(""), None);
        assert_eq!(detect("  123 + 45 = 168; -- !!"), None);
        assert_eq!(detect_scored("中文").map(|(_, c)| c), Some(0.0));
    }

    #[test]
    fn sentences() {
        let cases = [
            (
                "Ataskaitoje aprašomi metiniai įmonės veiklos rezultatai.",
                L::Lithuanian,
            ),
            (
                "В докладе описаны годовые результаты работы компании.",
                L::Russian,
            ),
            (
                "The report describes the company's annual results.",
                L::English,
            ),
            (
                "Ziņojumā aprakstīti uzņēmuma gada darbības rezultāti.",
                L::Latvian,
            ),
            (
                "Raport opisuje roczne wyniki działalności firmy.",
                L::Polish,
            ),
            (
                "У звіті описано річні результати діяльності компанії.",
                L::Ukrainian,
            ),
            (
                "У справаздачы апісаны гадавыя вынікі дзейнасці кампаніі.",
                L::Belarusian,
            ),
            (
                "Der Bericht beschreibt die Jahresergebnisse des Unternehmens.",
                L::German,
            ),
            (
                "Le rapport décrit les résultats annuels de l'entreprise.",
                L::French,
            ),
            ("Η έκθεση περιγράφει τα ετήσια αποτελέσματα.", L::Greek),
        ];
        for (text, lang) in cases {
            assert_eq!(detect(text), Some(lang), "{text}");
        }
    }

    #[test]
    fn short_input() {
        let cases = [
            ("mokslinis tyrimas", L::Lithuanian),
            ("научное исследование", L::Russian),
            ("research paper", L::English),
            ("naukowe badanie", L::Polish),
            ("наукове дослідження", L::Ukrainian),
            ("навуковае даследаванне", L::Belarusian),
            ("zinātniskais pētījums", L::Latvian),
        ];
        for (text, lang) in cases {
            assert_eq!(detect(text), Some(lang), "{text}");
        }
    }

    #[test]
    fn confidence_grows_with_evidence() {
        let (_, short) = detect_scored("darbas").unwrap();
        let (_, long) =
            detect_scored("Darbas buvo atliktas laiku, o visi rezultatai pateikti ataskaitoje.")
                .unwrap();
        assert!((0.0..=1.0).contains(&short));
        assert!(long > 0.99 && long >= short, "{short} {long}");
    }

    #[test]
    fn mixed_scripts_follow_the_majority() {
        assert_eq!(
            detect("Отчёт компании Microsoft за 2023 год"),
            Some(L::Russian)
        );
        assert_eq!(
            detect("Ataskaita apie Москва ir Vilnius"),
            Some(L::Lithuanian)
        );
    }

    #[test]
    fn apostrophes_stay_in_words() {
        let w = split_words("п'ять don\u{2019}t 'quoted'");
        let words: Vec<String> = w
            .spans
            .iter()
            .map(|&(a, b, _)| w.chars[a..b].iter().collect())
            .collect();
        assert_eq!(words, ["п'ять", "don't", "quoted"]);
    }

    #[test]
    fn long_text_is_sampled_and_fast_enough() {
        let text = "Metinėje ataskaitoje pateikiami duomenys apie projektus. ".repeat(500);
        assert_eq!(detect(&text), Some(L::Lithuanian));
    }

    #[test]
    fn odd_input_does_not_panic() {
        for text in [
            "'",
            "''a''",
            "a'",
            "\u{301}",
            "ǅ",
            "\u{10400}",
            "a\u{0}b",
            "ß'ẞ",
        ] {
            let _ = detect_scored(text);
        }
    }
}
