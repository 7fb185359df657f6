//! Reading report files of several formats and encodings into plain text.
//!
//! One entry point per use:
//! - [`read_document`] reads a whole document of any [`Format`] (up to
//!   [`MAX_WHOLE_BYTES`]) into an [`Extracted`] text with its title and the
//!   encoding that was detected;
//! - [`stream_text`] reads a plain-text file of any size as [`TextChunk`]s cut
//!   at paragraph boundaries, so that memory stays bounded.
//!
//! Every failure is a [`SkipReason`]: a bad input is reported, never a panic.
//! Paragraphs in the extracted text are separated by blank lines, the
//! boundary the indexer splits passages on.

mod archive;
mod docx;
mod encoding;
mod html;
mod odt;
mod pdf;
mod text;

pub use text::{cut_point, stream_text, TextChunk, TextChunks};

use std::io::Read;
use std::path::Path;

/// Largest file read whole: bigger files of a format that can't stream are
/// skipped with [`SkipReason::TooLarge`]; bigger plain-text files go through
/// [`stream_text`].
pub(crate) const MAX_WHOLE_BYTES: u64 = 256 * 1024 * 1024;

/// Most text extracted from one file read whole: 64 MiB, about 30,000
/// dense pages, twice the longest report seen; a file with more text is
/// cut there, its [`Extracted::warning`] saying so. Every reader checks it
/// as it collects, so no reader holds much more than this.
pub(crate) const MAX_TEXT_BYTES: usize = 64 * 1024 * 1024;

/// Most bytes one zip part (docx, odt) may inflate to: 256 MiB. Parts are
/// read as a stream, so this bounds time, not memory: 256 MiB of XML is
/// about four times [`MAX_TEXT_BYTES`] of text once the markup is dropped.
/// A part over it is read up to there, and the file is cut with a warning.
pub(crate) const MAX_PART_BYTES: u64 = 256 * 1024 * 1024;

/// Most bytes one PDF stream may inflate to: 64 MiB. The PDF reader holds
/// a page's decoded content whole and parses it into operations taking
/// about ten times its size, so this keeps one page under a GiB; real
/// content streams are kilobytes to a few MB, and images, which the text
/// layer never decodes, are not limited. A stream over it is left out with
/// a warning (the rest of the document is read).
pub(crate) const MAX_PDF_STREAM_BYTES: u64 = 64 * 1024 * 1024;

/// The document formats read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Format {
    /// Plain text (`.txt`), in any supported encoding.
    Text,
    /// Markdown (`.md`), read as plain text.
    Markdown,
    /// HTML (`.html`, `.htm`): visible text only.
    Html,
    /// Word (`.docx`).
    Docx,
    /// OpenDocument text (`.odt`).
    Odt,
    /// PDF (`.pdf`): its text layer.
    Pdf,
}

impl Format {
    /// Every format, in a fixed order.
    pub(crate) const ALL: [Format; 6] = [
        Format::Text,
        Format::Markdown,
        Format::Html,
        Format::Docx,
        Format::Odt,
        Format::Pdf,
    ];

    /// The format of a path, by its extension (case-insensitive).
    pub(crate) fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Format::ALL
            .into_iter()
            .find(|f| f.extensions().contains(&ext.as_str()))
    }

    /// The file extensions of this format, lower case, without the dot.
    pub(crate) fn extensions(self) -> &'static [&'static str] {
        match self {
            Format::Text => &["txt"],
            Format::Markdown => &["md"],
            Format::Html => &["html", "htm"],
            Format::Docx => &["docx"],
            Format::Odt => &["odt"],
            Format::Pdf => &["pdf"],
        }
    }

    /// Whether [`stream_text`] can read files of this format.
    pub(crate) fn can_stream(self) -> bool {
        matches!(self, Format::Text | Format::Markdown)
    }
}

/// The text of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extracted {
    /// Its text; paragraphs are separated by blank lines.
    pub text: String,
    /// Its title from the format's own metadata (HTML `<title>`, docx/odt
    /// `dc:title`, PDF Info `Title`), if it has a non-empty one.
    pub title: Option<String>,
    /// The character encoding detected (an encoding_rs name such as
    /// `"windows-1257"`), for plain text and HTML; `None` for formats whose
    /// encoding is fixed.
    pub encoding: Option<&'static str>,
    /// Why the text is not the whole document, when it isn't: cut at
    /// [`MAX_TEXT_BYTES`], a part over [`MAX_PART_BYTES`], a PDF stream over
    /// [`MAX_PDF_STREAM_BYTES`] left out. For the summary's warnings.
    pub warning: Option<String>,
}

/// Why a file was not read. Its `Display` is the reason the summary prints.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SkipReason {
    /// The file has no text (zero bytes, or only white space).
    #[error("empty file")]
    Empty,
    /// The bytes are not text (NUL or other control bytes).
    #[error("binary content")]
    Binary,
    /// The bytes don't decode in the encoding detected.
    #[error("undecodable text: {0}")]
    Undecodable(String),
    /// A docx/odt that is not a readable zip archive of the expected parts.
    #[error("broken archive: {0}")]
    BrokenArchive(String),
    /// A PDF whose text layer could not be read.
    #[error("unreadable PDF: {0}")]
    UnreadablePdf(String),
    /// The file may not be read.
    #[error("permission denied")]
    PermissionDenied,
    /// The extension is not one of a known [`Format`].
    #[error("unsupported format")]
    Unsupported,
    /// The file is larger than a format that can't stream may read.
    #[error("too large: {size} bytes (limit {limit} bytes)")]
    TooLarge {
        /// Size of the file, in bytes.
        size: u64,
        /// The limit, in bytes.
        limit: u64,
    },
    /// Any other input/output error.
    #[error("read error: {0}")]
    Io(String),
}

impl From<std::io::Error> for SkipReason {
    fn from(e: std::io::Error) -> Self {
        match e.kind() {
            std::io::ErrorKind::PermissionDenied => SkipReason::PermissionDenied,
            _ => SkipReason::Io(e.to_string()),
        }
    }
}

/// Reads a whole document, choosing the reader by the file's extension.
///
/// Files larger than [`MAX_WHOLE_BYTES`] are skipped (plain text that large
/// should go through [`stream_text`]).
pub fn read_document(path: &Path) -> Result<Extracted, SkipReason> {
    let format = Format::from_path(path).ok_or(SkipReason::Unsupported)?;
    let bytes = read_capped(path, MAX_WHOLE_BYTES)?;
    read_bytes(format, &bytes)
}

/// Reads a document already in memory, as the given format.
pub(crate) fn read_bytes(format: Format, bytes: &[u8]) -> Result<Extracted, SkipReason> {
    if bytes.is_empty() {
        return Err(SkipReason::Empty);
    }
    let mut extracted = match format {
        Format::Text | Format::Markdown => text::read(bytes)?,
        Format::Html => html::read(bytes)?,
        Format::Docx => docx::read(bytes)?,
        Format::Odt => odt::read(bytes)?,
        Format::Pdf => pdf::read(bytes)?,
    };
    // Readers stop near the cap; this cuts what is left over exactly.
    if cut_text(&mut extracted.text, MAX_TEXT_BYTES) {
        extracted.warning.get_or_insert_with(text_cut_warning);
    }
    if extracted.text.trim().is_empty() {
        return Err(SkipReason::Empty);
    }
    Ok(extracted)
}

/// Cuts `text` to at most `max` bytes, at a character boundary; whether it
/// was longer.
fn cut_text(text: &mut String, max: usize) -> bool {
    if text.len() <= max {
        return false;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.truncate(end);
    true
}

/// The warning of a text cut at [`MAX_TEXT_BYTES`].
fn text_cut_warning() -> String {
    format!(
        "text cut at {} MiB (the most read from one file)",
        MAX_TEXT_BYTES >> 20
    )
}

/// Opens a file for reading only if it is a regular file. The walk passes
/// over FIFOs, but a file may be replaced by one after the walk, and
/// opening a FIFO blocks until a writer comes: the file is opened without
/// blocking and refused unless regular (`O_NONBLOCK` has no effect on
/// reading a regular file).
pub(crate) fn open_regular(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    if !file.metadata()?.is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    Ok(file)
}

/// Reads a file into memory if it is at most `limit` bytes long.
fn read_capped(path: &Path, limit: u64) -> Result<Vec<u8>, SkipReason> {
    let file = open_regular(path)?;
    let size = file.metadata()?.len();
    if size > limit {
        return Err(SkipReason::TooLarge { size, limit });
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    // The file may grow while read: never take more than the limit.
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    let read = bytes.len() as u64;
    if read > limit {
        return Err(SkipReason::TooLarge { size: read, limit });
    }
    Ok(bytes)
}

/// Joins paragraphs with blank lines, trimming each and dropping empty ones.
fn join_paragraphs<I, S>(paragraphs: I) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut out = String::new();
    for p in paragraphs {
        let p = p.as_ref().trim();
        if p.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(p);
    }
    out
}

/// A title as metadata gives it: white space collapsed, `None` if empty.
fn clean_title(raw: &str) -> Option<String> {
    let title = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    (!title.is_empty()).then_some(title)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn format_from_extension_ignores_case() {
        assert_eq!(Format::from_path(Path::new("a/B.DOCX")), Some(Format::Docx));
        assert_eq!(Format::from_path(Path::new("x.Htm")), Some(Format::Html));
        assert_eq!(Format::from_path(Path::new("x.md")), Some(Format::Markdown));
        assert_eq!(Format::from_path(Path::new("x.doc")), None);
        assert_eq!(Format::from_path(Path::new("README")), None);
    }

    #[test]
    fn reasons_read_well() {
        assert_eq!(SkipReason::Empty.to_string(), "empty file");
        assert_eq!(SkipReason::Binary.to_string(), "binary content");
        assert_eq!(SkipReason::Unsupported.to_string(), "unsupported format");
        assert_eq!(
            SkipReason::BrokenArchive("x".into()).to_string(),
            "broken archive: x"
        );
    }

    #[test]
    fn unknown_extension_and_missing_file_are_reasons() {
        let dir = tempfile::tempdir().unwrap();
        let odd = dir.path().join("a.xyz");
        std::fs::write(&odd, "text").unwrap();
        assert_eq!(read_document(&odd), Err(SkipReason::Unsupported));
        let missing: PathBuf = dir.path().join("missing.txt");
        assert!(matches!(read_document(&missing), Err(SkipReason::Io(_))));
    }

    #[test]
    fn empty_and_blank_files_are_empty() {
        for format in Format::ALL {
            assert_eq!(read_bytes(format, b""), Err(SkipReason::Empty));
        }
        assert_eq!(read_bytes(Format::Text, b"  \n\n "), Err(SkipReason::Empty));
    }

    #[test]
    fn io_errors_map_to_reasons() {
        let denied = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        assert_eq!(SkipReason::from(denied), SkipReason::PermissionDenied);
        let other = std::io::Error::other("disk on fire");
        assert_eq!(
            SkipReason::from(other).to_string(),
            "read error: disk on fire"
        );
    }

    #[cfg(unix)]
    #[test]
    fn permission_denied_is_a_reason() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("secret.txt");
        std::fs::write(&path, "text").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
        // Root reads anything: then there is nothing to check.
        if std::fs::read(&path).is_err() {
            assert_eq!(read_document(&path), Err(SkipReason::PermissionDenied));
            assert!(matches!(
                stream_text(&path, 1024).err(),
                Some(SkipReason::PermissionDenied)
            ));
        }
    }
}

#[cfg(test)]
mod fixture_tests {
    //! The committed samples of `tests/fixtures/formats/` read as expected.
    use super::*;
    use std::path::PathBuf;

    fn fixture(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/formats")
            .join(name)
    }

    const LT: &str = "„Žalgirio“ stadiono rekonstrukcija";
    const RU: &str = "Комиссия в Москве обсудила";

    #[test]
    fn good_samples() {
        let cases: &[(&str, Option<&str>, &[&str])] = &[
            ("report.docx", None, &[LT, RU, "Miestas"]),
            ("report.odt", None, &[LT, RU, "Miestas"]),
            ("report.html", Some("UTF-8"), &[LT, RU, "Miestas Metai"]),
            (
                "report.pdf",
                None,
                &["Vilniaus regiono ataskaita", "Žalgirio", "Москве"],
            ),
            ("report-lt.windows-1257.txt", Some("windows-1257"), &[LT]),
            ("report-lt.iso-8859-13.txt", Some("ISO-8859-13"), &[LT]),
            ("report-ru.windows-1251.txt", Some("windows-1251"), &[RU]),
            ("report-ru.koi8-r.txt", Some("KOI8-R"), &[RU]),
            ("report.utf-16le.txt", Some("UTF-16LE"), &[LT, RU]),
            ("report.utf-8.md", Some("UTF-8"), &[LT, RU]),
        ];
        for (name, encoding, needles) in cases {
            let doc = read_document(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(doc.encoding, *encoding, "{name}");
            for needle in *needles {
                assert!(
                    doc.text.contains(needle),
                    "{name} lacks {needle:?}:\n{}",
                    doc.text
                );
            }
            let titled = ["report.docx", "report.odt", "report.html", "report.pdf"];
            let title = titled.contains(name).then_some("Metinė ataskaita 2024");
            assert_eq!(doc.title.as_deref(), title, "{name}");
        }
    }

    #[test]
    fn bad_samples() {
        assert_eq!(read_document(&fixture("empty.txt")), Err(SkipReason::Empty));
        assert_eq!(
            read_document(&fixture("binary.txt")),
            Err(SkipReason::Binary)
        );
        assert!(matches!(
            read_document(&fixture("broken.docx")),
            Err(SkipReason::BrokenArchive(_))
        ));
        assert!(matches!(
            read_document(&fixture("broken.pdf")),
            Err(SkipReason::UnreadablePdf(_))
        ));
    }

    #[test]
    fn samples_stream_like_they_read() {
        for name in [
            "report-ru.koi8-r.txt",
            "report.utf-16le.txt",
            "report.utf-8.md",
        ] {
            let whole = read_document(&fixture(name)).unwrap().text;
            let streamed: String = stream_text(&fixture(name), 64)
                .unwrap()
                .map(|c| c.unwrap().text)
                .collect();
            assert_eq!(streamed, whole, "{name}");
        }
    }
}
