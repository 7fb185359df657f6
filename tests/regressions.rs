//! One test per failure found by attacking the rebuild and the server
//! (issue 15), each named after what it checks. Every test here failed on
//! the code before the fix.
//!
//! The sections follow the numbering; keep new tests in their section.

#![allow(unused_imports)]

use crate::util;

// ---------------------------------------------------------------------------
// 1. Memory bounded for files read whole; one file never stops the batch.
// 11. HTML parsing linear in the input.
// 5. Streamed files: the whole document's facets; places stored once.
// (section: bounds)
// (sub-section: formats)

/// Hostile inputs for the formats' caps, each in a corpus with one normal
/// file beside it.
mod formats_bounds {
    use crate::util;
    use std::io::Write;
    use std::os::unix::process::CommandExt;
    use std::path::Path;
    use std::process::{Command, Output};

    const MIB: usize = 1 << 20;

    /// A corpus folder holding `normal.txt` (searchable as `normalfilemarker`).
    pub fn corpus_with_normal_file(dir: &Path) -> std::path::PathBuf {
        let corpus = dir.join("c");
        std::fs::create_dir_all(&corpus).unwrap();
        std::fs::write(
            corpus.join("normal.txt"),
            "Annual report of the Kaunas council.\n\nThe council approved the normalfilemarker budget.\n",
        )
        .unwrap();
        corpus
    }

    /// `repsearch index --threads 2` with the address space and CPU time of
    /// the process limited, as a memory-limited batch host would run it.
    pub fn index_limited(corpus: &Path, idx: &Path, address_space: u64, cpu_secs: u64) -> Output {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_repsearch"));
        cmd.args(["index", "--threads", "2", "--corpus"])
            .arg(corpus)
            .arg("--index")
            .arg(idx)
            .env("NO_COLOR", "1");
        // SAFETY: only async-signal-safe calls between fork and exec.
        unsafe {
            cmd.pre_exec(move || {
                for (resource, limit) in [
                    (libc::RLIMIT_AS, address_space),
                    (libc::RLIMIT_CPU, cpu_secs),
                ] {
                    let lim = libc::rlimit {
                        rlim_cur: limit,
                        rlim_max: limit,
                    };
                    libc::setrlimit(resource, &lim);
                }
                Ok(())
            });
        }
        cmd.output().expect("run repsearch")
    }

    /// A docx whose body holds `head`, then `filler_mib` MiB of empty
    /// paragraphs (markup without text), then `tail`.
    pub fn docx_with_filler(head: &str, filler_mib: usize, tail: &str) -> Vec<u8> {
        let para = |t: &str| format!("<w:p><w:r><w:t>{t}</w:t></w:r></w:p>");
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default().large_file(true);
        zip.start_file("[Content_Types].xml", options).unwrap();
        zip.write_all(b"<Types/>").unwrap();
        zip.start_file("word/document.xml", options).unwrap();
        zip.write_all(
            b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<w:document \
              xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>",
        )
        .unwrap();
        zip.write_all(para(head).as_bytes()).unwrap();
        let filler = "<w:p/>".repeat(MIB / 6);
        for _ in 0..filler_mib {
            zip.write_all(filler.as_bytes()).unwrap();
        }
        zip.write_all(para(tail).as_bytes()).unwrap();
        zip.write_all(b"</w:body></w:document>").unwrap();
        zip.finish().unwrap().into_inner()
    }

    /// A two-page PDF: page one shows `line`, page two's content stream
    /// inflates to `bomb_mib` MiB of zero bytes (PDF white space).
    pub fn pdf_with_bomb(line: &str, bomb_mib: usize) -> Vec<u8> {
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        let zeros = vec![0u8; MIB];
        for _ in 0..bomb_mib {
            z.write_all(&zeros).unwrap();
        }
        let bomb = z.finish().unwrap();
        let text = format!("BT /F1 12 Tf 72 720 Td ({line}) Tj ET");
        let page = |contents: u32| {
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {contents} 0 R \
                 /Resources << /Font << /F1 7 0 R >> >> >>"
            )
            .into_bytes()
        };
        let mut bomb_obj = format!(
            "<< /Length {} /Filter /FlateDecode >>\nstream\n",
            bomb.len()
        )
        .into_bytes();
        bomb_obj.extend_from_slice(&bomb);
        bomb_obj.extend_from_slice(b"\nendstream");
        let objects: Vec<Vec<u8>> = vec![
            b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
            b"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>".to_vec(),
            page(5),
            page(6),
            format!("<< /Length {} >>\nstream\n{text}\nendstream", text.len()).into_bytes(),
            bomb_obj,
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
                .to_vec(),
        ];
        let mut pdf = b"%PDF-1.4\n".to_vec();
        let mut offsets = Vec::new();
        for (i, body) in objects.iter().enumerate() {
            offsets.push(pdf.len());
            pdf.extend(format!("{} 0 obj\n", i + 1).bytes());
            pdf.extend_from_slice(body);
            pdf.extend(b"\nendobj\n");
        }
        let xref = pdf.len();
        pdf.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).bytes());
        for o in offsets {
            pdf.extend(format!("{o:010} 00000 n \n").bytes());
        }
        pdf.extend(
            format!(
                "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
                objects.len() + 1
            )
            .bytes(),
        );
        pdf
    }

    /// The summary and error output, for assertion messages.
    pub fn outputs(out: &Output) -> String {
        format!(
            "{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    }

    pub use util::docs_for;
}

#[test]
fn a_docx_whose_body_inflates_beyond_the_part_cap_is_indexed_up_to_the_cap() {
    use formats_bounds::*;
    let dir = tempfile::tempdir().unwrap();
    let corpus = corpus_with_normal_file(dir.path());
    // 300 MiB of markup (about 1 MB zipped): more than the 256 MiB read
    // from one part. It was skipped whole as "too large".
    let docx = docx_with_filler("docxheadmarker report", 300, "docxtailmarker");
    assert!(docx.len() < 4 << 20, "{} bytes", docx.len());
    std::fs::write(corpus.join("big.docx"), docx).unwrap();
    let idx = dir.path().join("i");
    let summary = util::index(&corpus, &idx, &["--threads", "2"]);
    assert_eq!(docs_for(&idx, "docxheadmarker"), ["big.docx"], "{summary}");
    assert!(docs_for(&idx, "docxtailmarker").is_empty(), "{summary}");
    assert_eq!(docs_for(&idx, "normalfilemarker"), ["normal.txt"]);
}

#[test]
fn a_pdf_stream_inflating_to_2_gib_does_not_abort_the_batch_under_a_memory_limit() {
    use formats_bounds::*;
    let dir = tempfile::tempdir().unwrap();
    let corpus = corpus_with_normal_file(dir.path());
    // ~2 MB on disk; its second page inflates to 2 GiB. Under a 3 GiB
    // address-space limit the indexer aborted ("memory allocation of
    // 2147483705 bytes failed", exit 134), losing the whole batch.
    let pdf = pdf_with_bomb("pdfheadmarker text on the first page", 2048);
    assert!(pdf.len() < 3 << 20, "{} bytes", pdf.len());
    std::fs::write(corpus.join("bomb.pdf"), pdf).unwrap();
    let idx = dir.path().join("i");
    let out = index_limited(&corpus, &idx, 3 << 30, 300);
    assert!(out.status.success(), "{}", outputs(&out));
    assert_eq!(docs_for(&idx, "normalfilemarker"), ["normal.txt"]);
    assert_eq!(
        docs_for(&idx, "pdfheadmarker"),
        ["bomb.pdf"],
        "{}",
        outputs(&out)
    );
}

#[test]
fn deeply_nested_html_is_indexed_with_its_text() {
    use formats_bounds::*;
    let dir = tempfile::tempdir().unwrap();
    let corpus = corpus_with_normal_file(dir.path());
    // 5 MB of nested <div>s. Building the tree was quadratic in the depth
    // (1.1 MB took 30 s, this would take about 10 minutes); the CPU limit
    // only turns such a hang into a failure.
    let depth = 5_000_000 / 11;
    let page = format!(
        "<html><body>{}nestedmarker deep inside{}</body></html>",
        "<div>".repeat(depth),
        "</div>".repeat(depth)
    );
    std::fs::write(corpus.join("nested.html"), page).unwrap();
    let idx = dir.path().join("i");
    let out = index_limited(&corpus, &idx, u64::MAX, 120);
    assert!(out.status.success(), "{}", outputs(&out));
    assert_eq!(docs_for(&idx, "nestedmarker"), ["nested.html"]);
    assert_eq!(docs_for(&idx, "normalfilemarker"), ["normal.txt"]);
}

// end of sub-section: formats

// end of section: bounds
// ---------------------------------------------------------------------------

// ---------------------------------------------------------------------------
// 3. `--update` equals a rebuild.
// 4. Bad metadata is reported.
// 6. File names kept losslessly.
// 15. Orphan metadata and FIFOs listed; one spelling of "permission denied".
// (section: update)

// end of section: update
// ---------------------------------------------------------------------------

// ---------------------------------------------------------------------------
// 7. The index folder is repsearch's.
// 8. An empty or unreadable corpus never replaces a live index.
// 9. A lock that cannot race and dies with its holder.
// 10. A search during a rebuild never fails.
// 15. A disk-full rebuild says so.
// (section: store)

// end of section: store
// ---------------------------------------------------------------------------

// ---------------------------------------------------------------------------
// 2. `--offset` bounded.
// 14. Deterministic tie-break.
// 15. `--limit 0`.
// (section: search)

// end of section: search
// ---------------------------------------------------------------------------

// ---------------------------------------------------------------------------
// 12. Server timeouts and connection cap.
// 13. The OpenAPI description states the server's constraints.
// (section: server)

// end of section: server
// ---------------------------------------------------------------------------
