//! The one [`Language`] enum of the engine.
//!
//! Everything that depends on a language — its ISO code, its whatlang
//! counterpart, its Snowball stemmer, the name of its stemmed index field and
//! of its tantivy analyzer — is derived here from a single table, so adding a
//! language is one line.
//!
//! What the place extractor knows of a language (its cue words, its home
//! country, how it inflects names) is data keyed by this enum in
//! `extract::cues`, one file per language.

use std::fmt;
use std::str::FromStr;

macro_rules! languages {
    ($( $variant:ident => $code:literal, $name:literal, $whatlang:ident, $stemmer:expr; )*) => {
        /// A language the engine analyses.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        pub enum Language {
            $(
                #[doc = $name]
                $variant,
            )*
        }

        impl Language {
            /// Every analysed language, in a fixed order.
            pub const ALL: &'static [Language] = &[$(Language::$variant),*];

            /// ISO 639-1 code (`lt`, `ru`, `en`, ...).
            pub const fn code(self) -> &'static str {
                match self { $(Language::$variant => $code),* }
            }

            /// English name of the language.
            pub const fn name(self) -> &'static str {
                match self { $(Language::$variant => $name),* }
            }

            /// The whatlang language that this language corresponds to.
            pub const fn whatlang(self) -> whatlang::Lang {
                match self { $(Language::$variant => whatlang::Lang::$whatlang),* }
            }

            /// The language for a whatlang result, if the engine analyses it.
            pub fn from_whatlang(lang: whatlang::Lang) -> Option<Language> {
                match lang {
                    $(whatlang::Lang::$whatlang => Some(Language::$variant),)*
                    _ => None,
                }
            }

            /// The Snowball algorithm used to stem this language, if Snowball has one.
            pub fn stemmer_algorithm(self) -> Option<frostem::Algorithm> {
                match self { $(Language::$variant => $stemmer),* }
            }
        }
    };
}

use frostem::Algorithm as A;

languages! {
    Lithuanian => "lt", "Lithuanian", Lit, Some(A::Lithuanian);
    Russian => "ru", "Russian", Rus, Some(A::Russian);
    English => "en", "English", Eng, Some(A::English);
    Latvian => "lv", "Latvian", Lav, None;
    Polish => "pl", "Polish", Pol, Some(A::Polish);
    Ukrainian => "uk", "Ukrainian", Ukr, Some(A::Ukrainian);
    Belarusian => "be", "Belarusian", Bel, None;
    German => "de", "German", Deu, Some(A::German);
    French => "fr", "French", Fra, Some(A::French);
    Spanish => "es", "Spanish", Spa, Some(A::Spanish);
    Italian => "it", "Italian", Ita, Some(A::Italian);
    Portuguese => "pt", "Portuguese", Por, Some(A::Portuguese);
    Dutch => "nl", "Dutch", Nld, Some(A::Dutch);
    Swedish => "sv", "Swedish", Swe, Some(A::Swedish);
    Danish => "da", "Danish", Dan, Some(A::Danish);
    Norwegian => "nb", "Norwegian Bokmål", Nob, Some(A::Norwegian);
    Finnish => "fi", "Finnish", Fin, Some(A::Finnish);
    Estonian => "et", "Estonian", Est, Some(A::Estonian);
    Hungarian => "hu", "Hungarian", Hun, Some(A::Hungarian);
    Romanian => "ro", "Romanian", Ron, Some(A::Romanian);
    Czech => "cs", "Czech", Ces, Some(A::Czech);
    Serbian => "sr", "Serbian", Srp, Some(A::Serbian);
    Greek => "el", "Greek", Ell, Some(A::Greek);
    Turkish => "tr", "Turkish", Tur, Some(A::Turkish);
    Catalan => "ca", "Catalan", Cat, Some(A::Catalan);
    Indonesian => "id", "Indonesian", Ind, Some(A::Indonesian);
    Esperanto => "eo", "Esperanto", Epo, Some(A::Esperanto);
    Armenian => "hy", "Armenian", Hye, Some(A::Armenian);
    Arabic => "ar", "Arabic", Ara, Some(A::Arabic);
    Persian => "fa", "Persian", Pes, Some(A::Persian);
    Hindi => "hi", "Hindi", Hin, Some(A::Hindi);
    Nepali => "ne", "Nepali", Nep, Some(A::Nepali);
    Tamil => "ta", "Tamil", Tam, Some(A::Tamil);
    Yiddish => "yi", "Yiddish", Yid, Some(A::Yiddish);
}

impl Language {
    /// Name of the stemmed index field of this language (`stem_lt`).
    pub fn stem_field(self) -> String {
        format!("stem_{}", self.code())
    }

    /// Name of the tantivy analyzer registered for this language's stemmed field.
    pub fn stem_analyzer(self) -> String {
        format!("repsearch_stem_{}", self.code())
    }

    /// The Snowball stemmer of this language, if there is one.
    pub fn stemmer(self) -> Option<frostem::Stemmer> {
        self.stemmer_algorithm().map(frostem::Stemmer::new)
    }

    /// Looks a language up by ISO 639-1 code or English name, case-insensitively.
    pub fn from_code(code: &str) -> Option<Language> {
        let code = code.trim();
        Language::ALL
            .iter()
            .copied()
            .find(|l| l.code().eq_ignore_ascii_case(code) || l.name().eq_ignore_ascii_case(code))
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Error for an unknown language code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownLanguage(pub String);

impl fmt::Display for UnknownLanguage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let codes: Vec<&str> = Language::ALL.iter().map(|l| l.code()).collect();
        write!(
            f,
            "unknown language '{}': use an ISO 639-1 code, one of {}",
            self.0,
            codes.join(", ")
        )
    }
}

impl std::error::Error for UnknownLanguage {}

impl FromStr for Language {
    type Err = UnknownLanguage;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Language::from_code(s).ok_or_else(|| UnknownLanguage(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_round_trip() {
        let mut seen = std::collections::HashSet::new();
        for &l in Language::ALL {
            assert!(seen.insert(l.code()), "duplicate code {}", l.code());
            assert_eq!(Language::from_code(l.code()), Some(l));
            assert_eq!(Language::from_whatlang(l.whatlang()), Some(l));
        }
    }

    #[test]
    fn core_languages_have_stemmers() {
        for l in [Language::Lithuanian, Language::Russian, Language::English] {
            assert!(l.stemmer().is_some(), "{l} must be stemmed");
        }
        let lt = Language::Lithuanian.stemmer().unwrap();
        assert_eq!(lt.stem("robotikos"), lt.stem("robotika"));
    }

    #[test]
    fn unknown_code_is_an_error() {
        assert!("xx".parse::<Language>().is_err());
        assert_eq!("LT".parse::<Language>(), Ok(Language::Lithuanian));
    }
}
