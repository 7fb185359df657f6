//! Language identification of texts of any length, from one word to a whole
//! document, among [`Language::ALL`].
//!
//! ```
//! use repsearch::detect::{detect, detect_scored};
//! use repsearch::Language;
//!
//! assert_eq!(detect("Vilniaus universiteto biblioteka"), Some(Language::Lithuanian));
//! let (lang, confidence) = detect_scored("Отчёт о проделанной работе").unwrap();
//! assert_eq!(lang, Language::Russian);
//! assert!(confidence > 0.5);
//! assert_eq!(detect("12:30, 2024-01-01"), None);
//! ```
//!
//! How it works (tables: `data/langid/README.md`):
//!
//! 1. The text is cut into lower-cased words (runs of letters, combining marks
//!    and inner apostrophes; web and mail addresses are skipped). The script
//!    with the most letters (Latin, Cyrillic, Greek, ...; non-Latin letters
//!    count double, since Latin brand names are common inside Cyrillic text)
//!    keeps only the languages written in it; words of other scripts are
//!    ignored.
//! 2. A script used by one engine language decides alone (Greek → el).
//! 3. Otherwise every candidate language scores each word with a naive-Bayes
//!    cost `-ln(f(word) + (1 - coverage) · P_char(word))`: `f` is the word's
//!    frequency in the language (wordfreq lists; stop-word lists for be, ne,
//!    et, eo), `coverage` the share of running text its word table covers, and
//!    `P_char` a character 4-gram model with back-off, derived from the same
//!    lists (for Belarusian, which wordfreq lacks, from Russian words respelt
//!    by Belarusian spelling rules, mixed with whatlang's trigram profile).
//!    Words with a letter outside a language's alphabet were dropped from its
//!    lists, so such letters (ў, ї, ł, ą, ß, ...) are very costly there. A
//!    word costs at most 20 nats (`WORD_CAP`) more than in its best language,
//!    so one foreign name cannot outvote a sentence.
//! 4. The costs are summed with a prior that favours the product's main
//!    languages (lt, ru, en) for short, ambiguous input; the cheapest language
//!    wins. The confidence is its posterior probability among the candidates,
//!    tempered (costs halved) because naive Bayes over-counts evidence.
//!
//! Very long texts are scored on an evenly spread sample of their words.

mod model;
mod script;

use std::sync::LazyLock;

use crate::lang::Language;
use crate::scratch::Memo;
use crate::words::{Flags, Word};
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

/// Most nats a word may cost above its cost in its best language.
const WORD_CAP: f32 = 20.0;

/// Naive Bayes over-counts evidence (words are not independent); the
/// confidence is the posterior with costs divided by this, which makes it
/// better calibrated on one or two words.
const CONFIDENCE_TEMPERATURE: f64 = 2.0;

/// Scoring stops early once the best language leads the second by this many
/// nats of cost: the posterior of the others is then below e^-20 (each),
/// and more words would not change the answer, only cost time.
const EARLY_STOP_MARGIN: f32 = 40.0;
/// ... but never before this many words.
const EARLY_STOP_WORDS: usize = 8;

/// Prior cost (nats) of the languages the product is mostly used for.
const MAIN_LANGUAGES: [(Language, f32); 3] = [
    (Language::Lithuanian, 0.0),
    (Language::Russian, 0.0),
    (Language::English, 0.0),
];

/// Prior cost (nats) of every other language.
const OTHER_PRIOR: f32 = 2.0;

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
        word_cap: WORD_CAP,
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

/// A text cut into lower-cased words: the letters of the engine's words
/// ([`crate::words`]), a word continuing across an apostrophe between two
/// letters (`п'ять`, `don't`); digits, marks of other scripts and invisible
/// characters end a word, since they say nothing about the language.
struct Words {
    chars: Vec<char>,
    /// (start, end) in `chars` and the script index of each word.
    spans: Vec<(usize, usize, Option<Script>)>,
    /// Letters per script, indexed like [`Script::ALL`].
    letters: [usize; Script::ALL.len()],
    /// Letters of scripts no engine language uses.
    other_letters: usize,
    /// The word being built: its start in `chars` and its script.
    open: Option<(usize, Option<Script>)>,
}

/// Whether a whitespace-separated chunk is a web or mail address, whose
/// letters say nothing about the language of the text around it.
fn is_address(chunk: &str) -> bool {
    chunk.contains("://") || chunk.contains('@') || chunk.starts_with("www.")
}

fn split_words(text: &str) -> Words {
    let mut w = Words {
        chars: Vec::with_capacity(text.len()),
        spans: Vec::new(),
        letters: [0; Script::ALL.len()],
        other_letters: 0,
        open: None,
    };
    for chunk in text.split_whitespace().filter(|c| !is_address(c)) {
        w.push_chunk(chunk);
    }
    if w.spans.is_empty() {
        // Only addresses: better their letters than nothing.
        for chunk in text.split_whitespace() {
            w.push_chunk(chunk);
        }
    }
    w
}

impl Words {
    /// Adds the words of a chunk of text without white space.
    fn push_chunk(&mut self, chunk: &str) {
        let mut prev: Option<Word<'_>> = None;
        for w in crate::words::words(chunk) {
            // Words that touch (Han characters) continue one another.
            if let Some(p) = prev.filter(|p| p.end != w.start) {
                let joined = p
                    .joiner()
                    .intersects(Flags::APOSTROPHE_NEXT | Flags::BACKTICK_NEXT);
                if joined && self.inner_apostrophe(w.text.chars().next()) {
                    self.chars.push('\'');
                } else {
                    self.close();
                }
            }
            self.push_letters(&chunk[w.start..], w.text.len());
            prev = Some(w);
        }
        self.close();
    }

    /// Whether an apostrophe before `next` stays inside the word being built.
    fn inner_apostrophe(&self, next: Option<char>) -> bool {
        self.open.is_some()
            && self.chars.last() != Some(&'\'')
            && next.is_some_and(script::is_word_char)
    }

    /// Ends the word being built, if any.
    fn close(&mut self) {
        if let Some((start, script)) = self.open.take() {
            self.spans.push((start, self.chars.len(), script));
        }
    }

    /// Adds the letters of one word: the first `len` bytes of `rest` (the
    /// character after them decides a final apostrophe).
    fn push_letters(&mut self, rest: &str, len: usize) {
        let mut iter = rest.char_indices().peekable();
        while let Some((_, ch)) = iter.next().filter(|&(i, _)| i < len) {
            // the modifier letter apostrophe (Mikeʼas) is an apostrophe
            let ch = if ch == '\u{02BC}' { '\'' } else { ch };
            let s = match script::classify(ch) {
                CharClass::Letter(s) => {
                    self.letters[s.index()] += 1;
                    Some(s)
                }
                CharClass::OtherLetter => {
                    self.other_letters += 1;
                    None
                }
                CharClass::NotLetter => {
                    if ch == '\'' && self.inner_apostrophe(iter.peek().map(|&(_, c)| c)) {
                        self.chars.push('\'');
                    } else {
                        self.close();
                    }
                    continue;
                }
            };
            if self.open.is_none() {
                self.open = Some((self.chars.len(), s));
            }
            script::push_lower(&mut self.chars, ch);
        }
    }

    /// The script of the text: the one with the most letters, non-Latin
    /// letters counting double (Latin brand names and terms are common inside
    /// Cyrillic or Greek text, the reverse is rare).
    fn main_script(&self) -> Option<Script> {
        let weight = |s: Script| if s == Script::Latin { 1 } else { 2 };
        Script::ALL
            .iter()
            .map(|&s| (self.letters[s.index()] * weight(s), s))
            .filter(|&(n, _)| n > 0)
            .max_by_key(|&(n, s)| (n, std::cmp::Reverse(s.index())))
            .map(|(_, s)| s)
    }
}

/// Words whose costs a thread keeps per script (then it starts afresh): the
/// words of running text repeat, and a word costs a dozen n-gram look-ups.
const WORD_COST_WORDS: usize = 1 << 16;

thread_local! {
    /// Costs of lower-cased words in the languages of each script, by slot,
    /// from the built-in tables (the only ones [`detect_with`] is given).
    static WORD_COSTS: [Memo<Vec<char>, Box<[f32]>>; Script::ALL.len()] =
        std::array::from_fn(|_| Memo::new(WORD_COST_WORDS));
}

/// Adds the cost of one lower-cased word to every language of the scorer's
/// group, through the thread's cache of word costs.
fn add_word_cached(scorer: &mut Scorer<'_>, script: Script, word: &[char]) {
    let cost = WORD_COSTS.with(|memos| {
        memos[script.index()].get_or_insert_with(word, || scorer.word_cost(word).into())
    });
    scorer.add_cost(&cost);
}

fn detect_with(tables: &Tables, params: &Params, text: &str) -> Option<(Language, f64)> {
    let words = split_words(text);
    let Some(script) = words.main_script() else {
        return (words.other_letters > 0).then_some((Language::English, 0.0));
    };
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
    for (n, &(a, b)) in in_script.iter().step_by(step).enumerate() {
        add_word_cached(&mut scorer, script, &words.chars[a..b]);
        if n >= EARLY_STOP_WORDS && n % 4 == 0 && scorer.margin() >= EARLY_STOP_MARGIN {
            break;
        }
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
        .map(|&c| (f64::from(best_cost - c) / CONFIDENCE_TEMPERATURE).exp())
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
            (
                "El informe resume los resultados del año pasado.",
                L::Spanish,
            ),
            (
                "Het verslag vat de resultaten van vorig jaar samen.",
                L::Dutch,
            ),
            ("Raportti kokoaa viime vuoden tulokset yhteen.", L::Finnish),
            ("Zpráva shrnuje loňské výsledky společnosti.", L::Czech),
            ("Rapor geçen yılın sonuçlarını özetliyor.", L::Turkish),
            ("Извештај сумира прошлогодишње резултате.", L::Serbian),
            ("التقرير يلخص نتائج العام الماضي.", L::Arabic),
            ("नेपाल सरकारले नयाँ बजेट सार्वजनिक गरेको छ।", L::Nepali),
            ("भारत सरकार ने नया बजट जारी किया है।", L::Hindi),
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
            ("гэта праца", L::Belarusian),
            ("это работа", L::Russian),
            ("ця робота", L::Ukrainian),
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
    fn long_text_is_sampled() {
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
