//! Diacritic folding for the language-independent field: Lithuanian ą č ę ė į
//! š ų ū ž become a c e e i s u u z, and likewise every other Latin letter with
//! a diacritic (ł, ø, ß, é ...). Cyrillic and other scripts are left for
//! [`super::translit`].

/// Folds Latin diacritics of an already lower-cased word.
pub(crate) fn fold_diacritics(word: &str) -> String {
    if word.is_ascii() {
        return word.to_string();
    }
    let mut out = String::with_capacity(word.len());
    for c in word.chars() {
        if is_latin_extended(c) {
            // deunicode knows every Latin letter with a diacritic, ligature
            // and special letter (ß to ss, ł to l, ø to o).
            match deunicode::deunicode_char(c) {
                Some(s) if !s.is_empty() => out.push_str(&s.to_lowercase()),
                _ => out.push(c),
            }
        } else if unicode_normalization::char::is_combining_mark(c) {
            // a stray combining mark left after NFKC (no precomposed form)
        } else {
            out.push(c);
        }
    }
    out
}

fn is_latin_extended(c: char) -> bool {
    matches!(c, '\u{00C0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_lithuanian_letters() {
        assert_eq!(fold_diacritics("ąčęėįšųūž"), "aceeisuuz");
        assert_eq!(fold_diacritics("panevėžio"), "panevezio");
    }

    #[test]
    fn folds_other_latin_and_keeps_cyrillic() {
        assert_eq!(fold_diacritics("łódź"), "lodz");
        assert_eq!(fold_diacritics("straße"), "strasse");
        assert_eq!(fold_diacritics("липецк"), "липецк");
    }
}
