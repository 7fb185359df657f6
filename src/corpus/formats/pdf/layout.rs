//! Turning the characters a PDF page draws into lines and paragraphs.
//!
//! A new line starts where the baseline moves by more than half the font
//! size; a space goes where a character starts clearly after the previous
//! one ends. Lines become paragraphs by their spacing: a gap clearly wider
//! than the page's usual line pitch, a change of font size, or a move up the
//! page (a new column) starts a new paragraph, and so does a new page.

use super::super::MAX_TEXT_BYTES;
use pdf_extract::{MediaBox, OutputDev, OutputError, Transform};

/// One line of text on a page.
struct Line {
    /// Baseline, growing down the page.
    y: f64,
    /// Font size, in page units.
    size: f64,
    text: String,
}

/// An [`OutputDev`] collecting paragraphs.
#[derive(Default)]
pub(super) struct Lines {
    page: Vec<Line>,
    paragraphs: Vec<String>,
    last_end: f64,
    /// Bytes of text taken; characters past [`MAX_TEXT_BYTES`] are dropped.
    held: usize,
}

impl Lines {
    /// Whether text was dropped for reaching [`MAX_TEXT_BYTES`].
    pub(super) fn cut(&self) -> bool {
        self.held > MAX_TEXT_BYTES
    }

    /// The paragraphs of every page output so far.
    pub(super) fn into_paragraphs(mut self) -> Vec<String> {
        self.flush_page();
        self.paragraphs
    }

    fn flush_page(&mut self) {
        let lines = std::mem::take(&mut self.page);
        let pitch = line_pitch(&lines);
        let mut paragraph = String::new();
        let mut previous: Option<&Line> = None;
        for line in &lines {
            if let Some(prev) = previous {
                if starts_paragraph(prev, line, pitch) {
                    self.paragraphs.push(std::mem::take(&mut paragraph));
                } else {
                    paragraph.push('\n');
                }
            }
            paragraph.push_str(line.text.trim());
            previous = Some(line);
        }
        self.paragraphs.push(paragraph);
    }
}

/// The page's usual distance between lines: the lower quartile of the
/// downward gaps.
fn line_pitch(lines: &[Line]) -> Option<f64> {
    let mut gaps: Vec<f64> = lines
        .windows(2)
        .map(|w| w[1].y - w[0].y)
        .filter(|g| *g > 0.0)
        .collect();
    gaps.sort_by(f64::total_cmp);
    gaps.get(gaps.len() / 4).copied()
}

fn starts_paragraph(prev: &Line, line: &Line, pitch: Option<f64>) -> bool {
    let gap = line.y - prev.y;
    let size = prev.size.max(line.size);
    let size_change = (prev.size - line.size).abs() > 0.2 * size;
    let wide = pitch.is_some_and(|p| gap > 1.3 * p) || gap > 2.2 * size;
    gap <= 0.0 || wide || size_change
}

impl OutputDev for Lines {
    fn begin_page(
        &mut self,
        _page_num: u32,
        _media_box: &MediaBox,
        _art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        self.flush_page();
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        text: &str,
    ) -> Result<(), OutputError> {
        if self.cut() {
            return Ok(());
        }
        self.held += text.len() + 1;
        let (x, y) = (trm.m31, -trm.m32);
        let scaled = (font_size * (trm.m11 + trm.m21) * font_size * (trm.m12 + trm.m22))
            .abs()
            .sqrt();
        let size = if scaled.is_finite() && scaled > 0.0 {
            scaled
        } else {
            font_size.abs().max(1.0)
        };
        let same_line = self
            .page
            .last()
            .is_some_and(|line| (y - line.y).abs() <= 0.5 * size);
        if !same_line {
            self.page.push(Line {
                y,
                size,
                text: String::new(),
            });
        }
        if let Some(line) = self.page.last_mut() {
            let gap = x > self.last_end + 0.1 * size || x < self.last_end - 3.0 * size;
            let blank = line.text.is_empty()
                || line.text.ends_with(char::is_whitespace)
                || text.starts_with(char::is_whitespace);
            if same_line && gap && !blank {
                line.text.push(' ');
            }
            line.text.push_str(text);
        }
        self.last_end = x + width * size;
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
}
