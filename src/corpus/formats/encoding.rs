//! Detecting the character encoding of text bytes, and decoding them.
//!
//! Order: a byte-order mark (UTF-8, UTF-16 LE/BE); binary content (NUL or
//! many control bytes) unless it reads as UTF-16 without a mark; valid UTF-8;
//! else chardetng's guess, refined for the Baltic and KOI8 families.

use super::SkipReason;
use encoding_rs::{
    Encoding, ISO_8859_13, ISO_8859_15, ISO_8859_16, ISO_8859_2, ISO_8859_4, KOI8_R, KOI8_U,
    UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1250, WINDOWS_1252, WINDOWS_1254, WINDOWS_1257,
};

/// How many bytes of a file [`detect`] needs to look at.
pub(super) const SAMPLE_BYTES: usize = 1024 * 1024;

/// An encoding detected, and the length of the byte-order mark to skip.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Detected {
    /// The encoding.
    pub encoding: &'static Encoding,
    /// Bytes of byte-order mark at the start (0 if none).
    pub bom_len: usize,
}

/// Detects the encoding of `sample`, the first bytes of a text (the whole of
/// it if `complete`).
pub(super) fn detect(sample: &[u8], complete: bool) -> Result<Detected, SkipReason> {
    if let Some((encoding, bom_len)) = Encoding::for_bom(sample) {
        return Ok(Detected { encoding, bom_len });
    }
    let plain = |encoding| {
        Ok(Detected {
            encoding,
            bom_len: 0,
        })
    };
    if looks_binary(sample) {
        return match utf16_without_bom(sample) {
            Some(encoding) => plain(encoding),
            None => Err(SkipReason::Binary),
        };
    }
    if is_utf8(sample, complete) {
        return plain(UTF_8);
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(sample, complete);
    let guess = detector.guess(None, chardetng::Utf8Detection::Allow);
    plain(refine(guess, sample))
}

/// Decodes a whole text, skipping its byte-order mark. Fails if a large part
/// of it doesn't decode.
pub(super) fn decode(bytes: &[u8], detected: Detected) -> Result<String, SkipReason> {
    let body = bytes.get(detected.bom_len..).unwrap_or_default();
    let (text, had_errors) = detected.encoding.decode_without_bom_handling(body);
    if had_errors {
        let bad = text.chars().filter(|&c| c == '\u{FFFD}').count();
        if bad * 20 > text.chars().count() {
            return Err(SkipReason::Undecodable(format!(
                "{bad} bytes are not {}",
                detected.encoding.name()
            )));
        }
    }
    Ok(text.into_owned())
}

/// Whether `bytes` are valid UTF-8, allowing a cut character at the end of a
/// sample that is not the whole text.
fn is_utf8(bytes: &[u8], complete: bool) -> bool {
    match std::str::from_utf8(bytes) {
        Ok(_) => true,
        Err(e) => !complete && e.error_len().is_none(),
    }
}

/// NUL bytes, or more than one byte in twenty a C0 control other than
/// tab, line feed, form feed, carriage return and escape.
fn looks_binary(sample: &[u8]) -> bool {
    let controls = sample
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | 0x0C | b'\r' | 0x1B))
        .count();
    sample.contains(&0) || controls * 20 > sample.len()
}

/// UTF-16 without a byte-order mark: zero bytes mostly on one side of the
/// byte pairs, none on the other, and text without control characters once
/// decoded.
fn utf16_without_bom(sample: &[u8]) -> Option<&'static Encoding> {
    let pairs = sample.len() / 2;
    if pairs < 4 {
        return None;
    }
    let zeros = |side: usize| sample.chunks_exact(2).filter(|p| p[side] == 0).count();
    let (even, odd) = (zeros(0), zeros(1));
    let encoding = if odd * 10 >= pairs && even == 0 {
        UTF_16LE
    } else if even * 10 >= pairs && odd == 0 {
        UTF_16BE
    } else {
        return None;
    };
    // 8-bit text with stray NUL bytes ("nul\0bytes\0here…") has zeros on one
    // side too, but its other pairs are two ASCII text bytes (U+2020…U+7E7E
    // read as UTF-16, mostly CJK); real UTF-16 of the corpus languages has
    // a high byte outside ASCII text (0x00, 0x01, 0x04…) in those pairs
    let text_byte = |b: u8| matches!(b, b'\t' | b'\n' | b'\r' | 0x20..=0x7E);
    let (mixed, ascii_pairs) = sample
        .chunks_exact(2)
        .filter(|p| p[0] != 0 && p[1] != 0)
        .fold((0, 0), |(n, a), p| {
            (n + 1, a + usize::from(text_byte(p[0]) && text_byte(p[1])))
        });
    if ascii_pairs * 2 > mixed {
        return None;
    }
    let body = sample.get(..pairs * 2)?;
    let (text, had_errors) = encoding.decode_without_bom_handling(body);
    let controls = text
        .chars()
        .filter(|&c| c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{0C}'))
        .count();
    (!had_errors && controls == 0).then_some(encoding)
}

/// Corrects chardetng's answer where it can't tell encodings apart.
///
/// Short Lithuanian texts may be guessed as another Latin encoding
/// (ė š ž read as ë ð þ in windows-1252): when the high bytes are nearly all
/// Lithuanian letters of windows-1257 and include one that Western languages
/// hardly use, the text is taken as Baltic.
///
/// chardetng doesn't reliably separate windows-1257 from ISO-8859-13: they
/// share the Lithuanian letters and differ in the quotes („ “ are 0x84/0x93
/// in windows-1257, 0xA5/0xB4 in ISO-8859-13) and in 0x80–0x9F, which are
/// controls in ISO-8859-13. KOI8-U is reported as KOI8-R when none of the
/// Ukrainian letters' bytes occur.
fn refine(guess: &'static Encoding, sample: &[u8]) -> &'static Encoding {
    let guess = if OTHER_LATIN.contains(&guess) && looks_baltic(sample) {
        WINDOWS_1257
    } else {
        guess
    };
    if guess == WINDOWS_1257 || guess == ISO_8859_13 {
        let c1 = count(sample, |b| (0x80..=0x9F).contains(&b));
        let iso_quotes = count(sample, |b| matches!(b, 0xA1 | 0xA5 | 0xB4));
        return if c1 == 0 && iso_quotes > 0 {
            ISO_8859_13
        } else if c1 > 0 {
            WINDOWS_1257
        } else {
            guess
        };
    }
    if guess == KOI8_U {
        const UKRAINIAN: [u8; 8] = [0xA4, 0xA6, 0xA7, 0xAD, 0xB4, 0xB6, 0xB7, 0xBD];
        if !sample.iter().any(|b| UKRAINIAN.contains(b)) {
            return KOI8_R;
        }
    }
    guess
}

/// Latin encodings chardetng may pick for short Lithuanian text.
const OTHER_LATIN: [&Encoding; 7] = [
    WINDOWS_1252,
    WINDOWS_1250,
    WINDOWS_1254,
    ISO_8859_2,
    ISO_8859_4,
    ISO_8859_15,
    ISO_8859_16,
];

/// Whether the high bytes read as Lithuanian in windows-1257/ISO-8859-13.
fn looks_baltic(sample: &[u8]) -> bool {
    // ą č ę ė į š ų ū ž and their capitals, at the same bytes in both.
    const LETTERS: [u8; 18] = [
        0xE0, 0xE8, 0xE6, 0xEB, 0xE1, 0xF0, 0xF8, 0xFB, 0xFE, 0xC0, 0xC8, 0xC6, 0xCB, 0xC1, 0xD0,
        0xD8, 0xDB, 0xDE,
    ];
    // ė š ų ž Ė Š Ų Ž: ë ð ø þ Ë Ð Ø Þ in windows-1252, rare in Western text.
    const DISTINCT: [u8; 8] = [0xEB, 0xF0, 0xF8, 0xFE, 0xCB, 0xD0, 0xD8, 0xDE];
    // Quotes, dashes, no-break space, section and degree signs, in either.
    const PUNCT: [u8; 13] = [
        0x84, 0x93, 0x94, 0x96, 0x97, 0xA0, 0xA1, 0xA5, 0xA7, 0xAB, 0xB0, 0xB4, 0xBB,
    ];
    let letters = count(sample, |b| LETTERS.contains(&b));
    let distinct = count(sample, |b| DISTINCT.contains(&b));
    let others = count(sample, |b| {
        b >= 0x80 && !LETTERS.contains(&b) && !PUNCT.contains(&b)
    });
    let iso_quotes = count(sample, |b| b == 0xA5) > 0 && count(sample, |b| b == 0xB4) > 0;
    (distinct > 0 && others * 10 <= letters) || (iso_quotes && others == 0)
}

fn count(sample: &[u8], pred: impl Fn(u8) -> bool) -> usize {
    sample.iter().filter(|&&b| pred(b)).count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::WINDOWS_1251;

    const LITHUANIAN: &str = "Ataskaita apie „Žalgirio“ stadioną: \
        Vilniaus miesto savivaldybė pranešė, kad rekonstrukcijos darbai \
        užtruks ilgiau. Šių metų pabaigoje bus įrengtos naujos žiūrovų \
        vietos ir apšvietimas. Kaunas, Klaipėda ir Šiauliai taip pat \
        planuoja panašius projektus.\n";
    const RUSSIAN: &str = "Отчёт о работе комиссии: в Москве и \
        Санкт-Петербурге прошли совещания, посвящённые строительству новых \
        школ. Решение будет принято в следующем году, сообщил председатель \
        комитета по образованию.\n";

    fn detect_all(bytes: &[u8]) -> &'static Encoding {
        detect(bytes, true).unwrap().encoding
    }

    fn round_trip(text: &str, encoding: &'static Encoding) {
        let (bytes, _, unmappable) = encoding.encode(text);
        assert!(!unmappable, "{} can't hold the text", encoding.name());
        let detected = detect(&bytes, true).unwrap();
        assert_eq!(
            detected.encoding,
            encoding,
            "detected {}",
            detected.encoding.name()
        );
        assert_eq!(decode(&bytes, detected).unwrap(), text);
    }

    #[test]
    fn lithuanian_in_windows_1257() {
        round_trip(LITHUANIAN, WINDOWS_1257);
    }

    #[test]
    fn lithuanian_in_iso_8859_13() {
        round_trip(LITHUANIAN, ISO_8859_13);
    }

    #[test]
    fn short_lithuanian_is_not_taken_for_western() {
        for text in [
            "Kaunas ir Klaipėda.",
            "Lietuvos Respublikos Seimas priėmė įstatymą dėl švietimo.",
        ] {
            round_trip(text, WINDOWS_1257);
        }
        round_trip("Ataskaita: „Lietuvos energija“ 2024 m.", ISO_8859_13);
    }

    #[test]
    fn russian_in_windows_1251() {
        round_trip(RUSSIAN, WINDOWS_1251);
    }

    #[test]
    fn russian_in_koi8_r() {
        round_trip(RUSSIAN, KOI8_R);
    }

    #[test]
    fn plain_english_and_valid_utf8_are_utf8() {
        assert_eq!(detect_all(b"Annual report 2024.\n"), UTF_8);
        assert_eq!(detect_all(LITHUANIAN.as_bytes()), UTF_8);
        assert_eq!(detect_all(RUSSIAN.as_bytes()), UTF_8);
    }

    #[test]
    fn a_sample_may_end_inside_a_character() {
        let bytes = RUSSIAN.as_bytes();
        let cut = &bytes[..bytes.len() - 3];
        assert!(std::str::from_utf8(cut).is_err());
        assert_eq!(detect(cut, false).unwrap().encoding, UTF_8);
    }

    #[test]
    fn byte_order_marks() {
        let mut le = vec![0xFF, 0xFE];
        le.extend(RUSSIAN.encode_utf16().flat_map(u16::to_le_bytes));
        let d = detect(&le, true).unwrap();
        assert_eq!((d.encoding, d.bom_len), (UTF_16LE, 2));
        assert_eq!(decode(&le, d).unwrap(), RUSSIAN);

        let mut be = vec![0xFE, 0xFF];
        be.extend(LITHUANIAN.encode_utf16().flat_map(u16::to_be_bytes));
        let d = detect(&be, true).unwrap();
        assert_eq!((d.encoding, d.bom_len), (UTF_16BE, 2));
        assert_eq!(decode(&be, d).unwrap(), LITHUANIAN);

        let utf8 = [&[0xEF, 0xBB, 0xBF][..], b"Hello"].concat();
        let d = detect(&utf8, true).unwrap();
        assert_eq!((d.encoding, d.bom_len), (UTF_8, 3));
        assert_eq!(decode(&utf8, d).unwrap(), "Hello");
    }

    #[test]
    fn utf16_without_a_mark() {
        let le: Vec<u8> = "Annual report\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(detect_all(&le), UTF_16LE);
        let be: Vec<u8> = "Annual report\n"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        assert_eq!(detect_all(&be), UTF_16BE);
    }

    #[test]
    fn ascii_with_stray_nul_bytes_is_not_utf16() {
        assert_eq!(
            detect(b"nul\0bytes\0here kaunas\n", true),
            Err(SkipReason::Binary)
        );
        let ru: Vec<u8> = "Отчёт о поездке в Москву, 2019 год.\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(detect_all(&ru), UTF_16LE);
    }

    #[test]
    fn nul_and_control_bytes_are_binary() {
        assert_eq!(
            detect(b"abc\0\x01\x02\xFF\xFE\x00def", true),
            Err(SkipReason::Binary)
        );
        assert_eq!(
            detect(&[0x01, 0x02, 0x03, 0x04, b'a'], true),
            Err(SkipReason::Binary)
        );
        let exe: Vec<u8> = (0u8..=255).cycle().take(4096).collect();
        assert_eq!(detect(&exe, true), Err(SkipReason::Binary));
    }

    #[test]
    fn western_text_stays_western() {
        let (bytes, _, _) = WINDOWS_1252.encode("Café crème brûlée à la française, très élégant.");
        let d = detect(&bytes, true).unwrap();
        assert_ne!(d.encoding, UTF_8);
        assert!(decode(&bytes, d).unwrap().contains("crème"));
    }
}
