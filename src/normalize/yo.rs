//! Russian ё written as е, as most Russian text does.

use super::Normalizer;

/// Maps ё to е (after lower-casing).
pub(crate) struct YoToYe;

impl Normalizer for YoToYe {
    fn apply(&self, word: &mut String) {
        if word.contains(['ё', 'Ё']) {
            *word = word.replace('ё', "е").replace('Ё', "Е");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_yo() {
        let mut w = "всё".to_string();
        YoToYe.apply(&mut w);
        assert_eq!(w, "все");
    }
}
