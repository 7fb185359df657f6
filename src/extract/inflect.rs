//! Candidate dictionary forms of an inflected word (Lithuanian, Russian,
//! English), by rules on endings.
//!
//! `Panevėžio` gives `panevėžys`, `panevėžis`, ...; `Hiracukos` gives
//! `hiracuka`; `Tojohašio` gives `tojohaši` (a foreign name ending in -i takes
//! -is in Lithuanian); `Аньшане` gives `аньшань`, `аньшан`; `России` gives
//! `россия`. The candidates are looked up in the gazetteer: most are not
//! words at all, which costs one hash probe each.

/// How a candidate form was obtained: lower is more trustworthy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Form {
    /// The word as written.
    Surface,
    /// A regular case ending replaced by a nominative ending.
    Inflected,
    /// An ending stripped from a foreign name (`Londone` → `london`).
    Foreign,
}

/// Lithuanian case endings and the nominative endings they can come from.
const LT_ENDINGS: &[(&str, &[&str])] = &[
    // masculine -as, -is, -ys, -us, -ius
    ("o", &["as", ""]),
    ("ui", &["as", "us", ""]),
    ("ą", &["as", "a", ""]),
    ("u", &["as", "us"]),
    ("e", &["as", "ė", ""]),
    ("io", &["is", "ys", "ius", "i", "ia", "ias"]),
    ("iui", &["is", "ys", "ius", "i"]),
    ("į", &["is", "ys", "i"]),
    ("iu", &["is", "ys", "ius"]),
    ("yje", &["is", "ys", "i"]),
    ("aus", &["us"]),
    ("iaus", &["ius"]),
    ("uje", &["us"]),
    ("iuje", &["ius"]),
    // feminine -a, -ia, -ė
    ("os", &["a", "as", "o", ""]),
    ("ai", &["a", "ai"]),
    ("oje", &["a", "as", "o", ""]),
    ("ijos", &["ija"]),
    ("ijoje", &["ija"]),
    ("iją", &["ija"]),
    ("ijai", &["ija"]),
    ("ija", &["ija"]),
    ("ės", &["ė", "e"]),
    ("ei", &["ė", "e"]),
    ("ę", &["ė", "e"]),
    ("ėje", &["ė", "e"]),
    // plural -ai, -iai, -os, -ės
    ("ų", &["ai", "os", "ės", "a", "as", "us", "i", ""]),
    ("ių", &["iai", "ės", "is", "ys", "i"]),
    ("ams", &["ai"]),
    ("iams", &["iai"]),
    ("us", &["ai"]),
    ("ius", &["iai"]),
    ("uose", &["ai"]),
    ("iuose", &["iai"]),
    ("ose", &["os", "a"]),
    ("ėse", &["ės"]),
    ("ais", &["ai"]),
    ("omis", &["os"]),
    ("ėmis", &["ės"]),
];

/// Russian noun and adjective case endings and the nominative endings they
/// can come from (for names: Москвы → Москва, Лондоне → Лондон, Китая →
/// Китай, России → Россия, Нидерландах → Нидерланды, Саудовской → Саудовская).
const RU_ENDINGS: &[(&str, &[&str])] = &[
    ("а", &["", "ь", "о"]),
    ("я", &["ь", "й", "я"]),
    ("у", &["", "а", "о"]),
    ("ю", &["ь", "й", "я"]),
    ("ом", &["", "о"]),
    ("ем", &["ь", "й", "е"]),
    ("е", &["", "а", "ь", "й", "я", "о", "е"]),
    ("ы", &["а", ""]),
    ("и", &["а", "я", "ь", "и", "й"]),
    ("ой", &["а", "ая", "ой", "ый", "ий"]),
    ("ей", &["я", "ь", "ая", "яя", "ий"]),
    ("ью", &["ь"]),
    ("ию", &["ия"]),
    ("ии", &["ия", "ий"]),
    ("ией", &["ия"]),
    ("ах", &["ы", "и", "а"]),
    ("ях", &["и", "я"]),
    ("ам", &["ы", "и"]),
    ("ами", &["ы", "и"]),
    ("ов", &["ы", "", "о"]),
    ("ев", &["и", "ы"]),
    // adjectives (Южной Кореи, Нижнем Новгороде, Соединённых Штатах)
    ("ого", &["ий", "ый", "ой", "ое"]),
    ("его", &["ий", "ее"]),
    ("ому", &["ий", "ый", "ой"]),
    ("ему", &["ий"]),
    ("ым", &["ый", "ые"]),
    ("им", &["ий", "ие"]),
    ("ую", &["ая"]),
    ("юю", &["яя"]),
    ("ых", &["ые", "ый"]),
    ("их", &["ие", "ий"]),
    ("ыми", &["ые"]),
    ("ими", &["ие"]),
];

/// English: possessive `'s` only.
fn english(word: &str, out: &mut Vec<(String, Form)>) {
    for suffix in ["'s", "’s", "s'"] {
        if let Some(stem) = word.strip_suffix(suffix) {
            if stem.chars().count() >= 2 {
                out.push((stem.to_string(), Form::Inflected));
            }
        }
    }
}

fn by_table(
    word: &str,
    table: &[(&str, &[&str])],
    foreign: &[&str],
    out: &mut Vec<(String, Form)>,
) {
    for (ending, noms) in table {
        let Some(stem) = word.strip_suffix(ending) else {
            continue;
        };
        if stem.chars().count() < 3 {
            continue;
        }
        for nom in *noms {
            // Russian neuter names in -о decline like -ов/-ев/-ин/-ын
            // surnames (Иваново: Иванова, Иванове); elsewhere -а is not -о.
            if *nom == "о"
                && !["ов", "ев", "ин", "ын", "ёв"]
                    .iter()
                    .any(|s| stem.ends_with(s))
            {
                continue;
            }
            out.push((format!("{stem}{nom}"), Form::Inflected));
        }
        for f in foreign {
            let cand = format!("{stem}{f}");
            if !out.iter().any(|(c, _)| *c == cand) {
                out.push((cand, Form::Foreign));
            }
        }
    }
}

/// The languages whose rules apply to a word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Rules {
    /// Lithuanian endings.
    Lithuanian,
    /// Russian endings.
    Russian,
    /// English possessive only.
    English,
}

impl Rules {
    /// Every set of rules, in [`Rules::index`] order.
    pub(super) const ALL: [Rules; 3] = [Rules::Lithuanian, Rules::Russian, Rules::English];

    /// Position in [`Rules::ALL`].
    pub(super) fn index(self) -> usize {
        self as usize
    }
}

/// Candidate dictionary forms of one lower-case word (the word itself first).
pub(crate) fn variants(word: &str, rules: Rules) -> Vec<(String, Form)> {
    let mut out = vec![(word.to_string(), Form::Surface)];
    match rules {
        Rules::Lithuanian => {
            // Foreign names get Lithuanian endings added: Londone, Tokijo,
            // Hiracukos; their stem alone or with a final vowel is the name.
            by_table(word, LT_ENDINGS, &["", "a", "o", "i", "e", "u"], &mut out);
            for nom in ["as", "is", "ys", "us", "a", "ė", "ai"] {
                if let Some(stem) = word.strip_suffix(nom) {
                    if stem.chars().count() >= 3 && !out.iter().any(|(c, _)| c == stem) {
                        out.push((stem.to_string(), Form::Foreign));
                    }
                }
            }
        }
        Rules::Russian => by_table(word, RU_ENDINGS, &[], &mut out),
        Rules::English => english(word, &mut out),
    }
    out
}

/// Variants of a hyphenated word: each of its first and last parts
/// inflected while the others stay (`Ростове-на-Дону`, `Нью-Йорке`).
pub(crate) fn hyphenated_variants(word: &str, rules: Rules) -> Vec<(String, Form)> {
    let parts: Vec<&str> = word.split(['-', '‑']).collect();
    if parts.len() < 2 {
        return variants(word, rules);
    }
    let mut out = vec![(word.to_string(), Form::Surface)];
    let last = parts.len() - 1;
    for (v, f) in variants(parts[last], rules).into_iter().skip(1) {
        let mut s = parts[..last].join("-");
        s.push('-');
        s.push_str(&v);
        out.push((s, f));
    }
    for (v, f) in variants(parts[0], rules).into_iter().skip(1) {
        let s = format!("{v}-{}", parts[1..].join("-"));
        out.push((s, f));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn has(word: &str, rules: Rules, want: &str) -> bool {
        hyphenated_variants(word, rules)
            .iter()
            .any(|(v, _)| v == want)
    }

    #[test]
    fn lithuanian_cases() {
        assert!(has("panevėžio", Rules::Lithuanian, "panevėžys"));
        assert!(has("panevėžiui", Rules::Lithuanian, "panevėžys"));
        assert!(has("panevėžį", Rules::Lithuanian, "panevėžys"));
        assert!(has("tojohašio", Rules::Lithuanian, "tojohaši"));
        assert!(has("hiracukos", Rules::Lithuanian, "hiracuka"));
        assert!(has("japonijoje", Rules::Lithuanian, "japonija"));
        assert!(has("druskininkų", Rules::Lithuanian, "druskininkai"));
        assert!(has("utenos", Rules::Lithuanian, "utena"));
        assert!(has("londone", Rules::Lithuanian, "london"));
    }

    #[test]
    fn russian_cases() {
        assert!(has("аньшане", Rules::Russian, "аньшань"));
        assert!(has("москвы", Rules::Russian, "москва"));
        assert!(has("китая", Rules::Russian, "китай"));
        assert!(has("россией", Rules::Russian, "россия"));
        assert!(has("нью-йорке", Rules::Russian, "нью-йорк"));
        assert!(has("ростове-на-дону", Rules::Russian, "ростов-на-дону"));
        assert!(has("нидерландах", Rules::Russian, "нидерланды"));
    }
}
