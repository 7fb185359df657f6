//! Bounding what a PDF's streams inflate to before the text layer is read.
//!
//! The PDF reader inflates a stream whole, without limit, when it needs it
//! (object streams while loading, page contents while extracting): a 2 MB
//! file can ask for 2 GiB. Every stream is first inflated here as a stream,
//! counting bytes and keeping none, and one that would inflate to more than
//! [`MAX_PDF_STREAM_BYTES`] is emptied and marked before the reader sees it.

use super::super::MAX_PDF_STREAM_BYTES;
use pdf_extract::{Document, Object, ObjectId, Stream};
use std::io::{self, Write};

/// The key marking a stream that was emptied for inflating beyond the cap.
const OVER_CAP: &[u8] = b"RepsearchOverCap";

/// The load filter ([`pdf_extract::LoadOptions::filter`]): empties and marks
/// a stream over the cap. (The loader uses the returned object only for
/// objects inside object streams, which are never streams themselves.)
pub(super) fn on_load(id: ObjectId, object: &mut Object) -> Option<(ObjectId, Object)> {
    match object {
        Object::Stream(stream) => {
            bound(stream);
            Some((id, Object::Null))
        }
        other => Some((id, other.clone())),
    }
}

/// The number of streams of a loaded document left out for inflating
/// beyond the cap. With `recheck`, bounds every stream first (for those the
/// load filter could not see, as in a decrypted document).
pub(super) fn left_out(doc: &mut Document, recheck: bool) -> usize {
    let mut over = 0;
    for object in doc.objects.values_mut() {
        if let Object::Stream(stream) = object {
            if recheck {
                bound(stream);
            }
            over += usize::from(stream.dict.has(OVER_CAP));
        }
    }
    over
}

/// Empties a stream that inflates beyond the cap, and marks it.
fn bound(stream: &mut Stream) {
    if stream.dict.has(OVER_CAP) || !over_cap(stream, MAX_PDF_STREAM_BYTES) {
        return;
    }
    stream.dict.remove(b"Filter");
    stream.dict.remove(b"DecodeParms");
    stream.dict.set(OVER_CAP, true);
    // One space, not nothing: the loader re-reads an empty stream from the file.
    stream.set_content(b" ".to_vec());
}

/// Whether a stream the text layer may decode is larger than `cap` once
/// decoded. Images are never decoded for text, and are not limited.
fn over_cap(stream: &Stream, cap: u64) -> bool {
    let image = stream
        .dict
        .get(b"Subtype")
        .and_then(Object::as_name)
        .is_ok_and(|n| n == b"Image");
    if image {
        return false;
    }
    let filters = stream.filters().unwrap_or_default();
    let mut data = std::borrow::Cow::Borrowed(stream.content.as_slice());
    for (i, filter) in filters.iter().enumerate() {
        let keep = i + 1 < filters.len();
        let decoded = match *filter {
            b"FlateDecode" => inflate(&data, cap, keep),
            b"LZWDecode" => unlzw(&data, cap, keep),
            // ASCII85 and the rest shrink or are not decoded at all.
            _ => return false,
        };
        match decoded {
            Decoded::Over => return true,
            Decoded::Within(Some(bytes)) => data = bytes.into(),
            Decoded::Within(None) => return false,
        }
    }
    data.len() as u64 > cap
}

/// What a bounded decoding found.
enum Decoded {
    /// More than the cap.
    Over,
    /// Within it; the bytes, if asked to keep them.
    Within(Option<Vec<u8>>),
}

/// Inflates zlib data (or, as the PDF reader falls back to, raw deflate
/// after the two header bytes) up to `cap` bytes.
fn inflate(input: &[u8], cap: u64, keep: bool) -> Decoded {
    let mut out = Counter::new(cap, keep);
    let zlib = io::copy(&mut flate2::read::ZlibDecoder::new(input), &mut out);
    if out.over {
        return Decoded::Over;
    }
    if zlib.is_err() && out.written == 0 && input.len() > 2 {
        let _ = io::copy(
            &mut flate2::read::DeflateDecoder::new(&input[2..]),
            &mut out,
        );
    }
    out.finish()
}

/// Decodes LZW data as the PDF reader does (early change), up to `cap`.
fn unlzw(input: &[u8], cap: u64, keep: bool) -> Decoded {
    let mut out = Counter::new(cap, keep);
    let mut decoder = weezl::decode::Decoder::with_tiff_size_switch(weezl::BitOrder::Msb, 8);
    let _ = decoder.into_stream(&mut out).decode_all(input);
    out.finish()
}

/// A writer counting bytes up to a cap, keeping them if asked, failing
/// past the cap.
struct Counter {
    cap: u64,
    written: u64,
    over: bool,
    kept: Option<Vec<u8>>,
}

impl Counter {
    fn new(cap: u64, keep: bool) -> Self {
        Counter {
            cap,
            written: 0,
            over: false,
            kept: keep.then(Vec::new),
        }
    }

    fn finish(self) -> Decoded {
        if self.over {
            Decoded::Over
        } else {
            Decoded::Within(self.kept)
        }
    }
}

impl Write for Counter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.written += buf.len() as u64;
        if self.written > self.cap {
            self.over = true;
            return Err(io::Error::other("over the cap"));
        }
        if let Some(kept) = &mut self.kept {
            kept.extend_from_slice(buf);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pdf_extract::Dictionary;

    fn flate(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    fn stream(content: Vec<u8>, filter: Option<&str>) -> Stream {
        let mut dict = Dictionary::new();
        if let Some(f) = filter {
            dict.set("Filter", Object::Name(f.as_bytes().to_vec()));
        }
        Stream::new(dict, content)
    }

    #[test]
    fn streams_over_the_cap_are_found() {
        let big = vec![b' '; 10_000];
        assert!(over_cap(&stream(flate(&big), Some("FlateDecode")), 9_999));
        assert!(!over_cap(&stream(flate(&big), Some("FlateDecode")), 10_000));
        assert!(over_cap(&stream(big.clone(), None), 9_999));
        assert!(!over_cap(
            &stream(b"garbage".to_vec(), Some("FlateDecode")),
            10
        ));
        let mut image = stream(flate(&big), Some("FlateDecode"));
        image.dict.set("Subtype", Object::Name(b"Image".to_vec()));
        assert!(!over_cap(&image, 10));
    }

    #[test]
    fn a_stream_over_the_cap_is_emptied_and_marked() {
        let big = vec![0u8; (MAX_PDF_STREAM_BYTES + 1) as usize];
        let mut s = stream(flate(&big), Some("FlateDecode"));
        bound(&mut s);
        assert_eq!(s.content, b" ");
        assert!(s.dict.has(OVER_CAP));
        assert!(!s.dict.has(b"Filter"));
        let mut small = stream(flate(b"BT ET"), Some("FlateDecode"));
        bound(&mut small);
        assert_eq!(small.decompressed_content().unwrap(), b"BT ET");
    }
}
