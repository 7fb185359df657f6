//! Language identification (placeholder: whatlang restricted to the analysed languages).

use crate::lang::Language;
use std::sync::LazyLock;

static DETECTOR: LazyLock<whatlang::Detector> = LazyLock::new(|| {
    whatlang::Detector::with_allowlist(Language::ALL.iter().map(|l| l.whatlang()).collect())
});

/// Best language for a text.
pub fn detect(text: &str) -> Option<Language> {
    detect_scored(text).map(|(l, _)| l)
}

/// Best language with a confidence in [0, 1].
pub fn detect_scored(text: &str) -> Option<(Language, f64)> {
    let info = DETECTOR.detect(text)?;
    Language::from_whatlang(info.lang()).map(|l| (l, info.confidence()))
}
