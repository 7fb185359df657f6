//! Footnote digits glued into words by copy-paste from PDFs and word
//! processors: "m1echanizmo", "kompeten4cijas", "Viešinimo2". The word is
//! indexed both as written and with the stray digits removed, so neither
//! reading is lost ("covid19" still finds "covid19").

/// The word without its glued footnote digits, if it looks like one.
///
/// A word qualifies when it mixes letters and at most two digits, the digits
/// stand next to letters, and at least five letters remain: short codes such
/// as "mp3", "b2b" or "h2o" keep their digits only.
pub(crate) fn strip_footnote_digits(word: &str) -> Option<String> {
    let digits = word.chars().filter(|c| c.is_ascii_digit()).count();
    if digits == 0 || digits > 2 {
        return None;
    }
    let letters = word
        .chars()
        .filter(|c| crate::chars::is_alphabetic(*c))
        .count();
    if letters < 5 || letters + digits != word.chars().count() {
        return None;
    }
    // digits must not open the word ("2018m" is a date, not a footnote)
    if word.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        return None;
    }
    Some(word.chars().filter(|c| !c.is_ascii_digit()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_glued_footnotes() {
        assert_eq!(
            strip_footnote_digits("m1echanizmo").as_deref(),
            Some("mechanizmo")
        );
        assert_eq!(
            strip_footnote_digits("kompeten4cijas").as_deref(),
            Some("kompetencijas")
        );
        assert_eq!(
            strip_footnote_digits("viešinimo2").as_deref(),
            Some("viešinimo")
        );
    }

    #[test]
    fn keeps_codes_numbers_and_plain_words() {
        for w in [
            "mp3",
            "b2b",
            "h2o",
            "2018",
            "2018m",
            "robotika",
            "nor12345lt",
        ] {
            assert_eq!(strip_footnote_digits(w), None, "{w}");
        }
    }
}
