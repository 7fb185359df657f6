//! One test per failure found by attacking the rebuild and the server
//! (issue 15), each named after what it checks. Every test here failed on
//! the code before the fix.
//!
//! The sections follow the issue's numbering; keep new tests in their section.

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
    // the cut is listed in the summary, with the file
    assert!(
        summary.contains("big.docx") && summary.contains("text cut"),
        "{summary}"
    );
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

/// Paragraphs of prose that name no place and no year.
fn placeless_paragraphs(bytes: usize) -> String {
    let mut out = String::new();
    let mut i = 0;
    while out.len() < bytes {
        out.push_str(&format!(
            "Section {i}. The committee discussed the budget of the project, the \
             schedule of the works and the reports of the working groups. The members \
             agreed to prepare the documents before the next meeting.\n\n"
        ));
        i += 1;
    }
    out
}

/// The passages a build put in the index, from its summary.
fn passages_in(summary: &str) -> u64 {
    summary
        .split(" passages in the index")
        .next()
        .and_then(|s| s.rsplit(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no passage count in {summary}"))
}

/// `search --json` on an index.
fn search_in(idx: &std::path::Path, query: &str, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["search", "--json", "--index", idx.to_str().unwrap()];
    args.extend_from_slice(extra);
    args.extend(["--", query]);
    let out = util::run(&args);
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&out.stderr)))
}

#[test]
fn a_streamed_document_has_the_city_and_year_named_at_its_end() {
    // ~2 MB naming its only city and year in its last line: read in 1 MB
    // chunks (--stream-mb 1) every passage must carry them, as read whole
    let dir = tempfile::tempdir().unwrap();
    let c = dir.path().join("c");
    std::fs::create_dir_all(&c).unwrap();
    let mut text = placeless_paragraphs(2 << 20);
    text.push_str("The report was signed in Kaunas on 18 September 2019.\n");
    std::fs::write(c.join("minutes.txt"), &text).unwrap();
    let mut totals = Vec::new();
    for stream_mb in ["1", "32"] {
        let idx = dir.path().join(format!("i{stream_mb}"));
        let summary = util::index(&c, &idx, &["--stream-mb", stream_mb]);
        let passages = passages_in(&summary);
        let v = search_in(&idx, "city:Kaunas", &["--per-doc", "0", "--limit", "50"]);
        assert_eq!(
            v["total_hits"].as_u64(),
            Some(passages),
            "--stream-mb {stream_mb}: every passage is in Kaunas"
        );
        for h in util::hits(&v) {
            assert_eq!(h["city"], serde_json::json!(["Kaunas"]), "{h}");
            assert_eq!(h["year"], serde_json::json!(2019), "{h}");
        }
        let v = search_in(&idx, "committee", &["--per-doc", "0", "year:2019"]);
        assert_eq!(v["total_hits"].as_u64(), Some(passages));
        totals.push(passages);
    }
    assert_eq!(totals[0], totals[1]);
}

/// Cities the extraction finds in English prose.
const MANY_CITIES: &[&str] = &[
    "Vilnius",
    "Kaunas",
    "Klaipėda",
    "Šiauliai",
    "Panevėžys",
    "Riga",
    "Tallinn",
    "Warsaw",
    "Berlin",
    "Paris",
    "London",
    "Madrid",
    "Rome",
    "Vienna",
    "Prague",
    "Budapest",
    "Stockholm",
    "Oslo",
    "Copenhagen",
    "Helsinki",
    "Amsterdam",
    "Brussels",
    "Lisbon",
    "Dublin",
    "Athens",
    "Bucharest",
    "Sofia",
    "Belgrade",
    "Zagreb",
    "Ljubljana",
    "Bratislava",
    "Minsk",
    "Kyiv",
    "Moscow",
    "Tokyo",
    "Osaka",
    "Kyoto",
    "Beijing",
    "Shanghai",
    "Seoul",
    "Bangkok",
    "Hanoi",
    "Jakarta",
    "Manila",
    "Singapore",
    "Delhi",
    "Mumbai",
    "Karachi",
    "Tehran",
    "Baghdad",
    "Cairo",
    "Nairobi",
    "Lagos",
    "Johannesburg",
    "Casablanca",
    "Toronto",
    "Montreal",
    "Chicago",
    "Boston",
    "Seattle",
    "Houston",
    "Denver",
    "Lima",
    "Bogotá",
    "Santiago",
    "Caracas",
    "Havana",
    "Melbourne",
    "Sydney",
    "Auckland",
    "Hamburg",
    "Munich",
    "Frankfurt",
    "Cologne",
    "Milan",
    "Naples",
    "Turin",
    "Barcelona",
    "Valencia",
    "Seville",
    "Porto",
    "Lyon",
    "Marseille",
    "Toulouse",
    "Rotterdam",
    "Antwerp",
    "Geneva",
    "Zurich",
    "Krakow",
    "Gdansk",
    "Tartu",
    "Daugavpils",
    "Odesa",
    "Kharkiv",
    "Istanbul",
    "Ankara",
    "Tbilisi",
    "Yerevan",
    "Baku",
    "Almaty",
    "Tashkent",
];

#[test]
fn a_document_naming_many_cities_stores_them_once() {
    // one document naming 90 cities (found in its text), in ~750
    // passages: each passage stored the whole list, which made the index
    // 2.3 times this 300 KB text (13 times a 300 MB file naming 657
    // cities); stored once per document, the index of this repetitive text
    // is about its size (0.9 times): 1.5 leaves room either way
    let dir = tempfile::tempdir().unwrap();
    let (c, idx) = (dir.path().join("c"), dir.path().join("i"));
    std::fs::create_dir_all(&c).unwrap();
    let mut text = String::from("Delegations of many cities\n\n");
    for chunk in MANY_CITIES.chunks(10) {
        text.push_str(&format!(
            "The delegations came from {}.\n\n",
            chunk.join(", ")
        ));
    }
    text.push_str(&placeless_paragraphs(300_000));
    std::fs::write(c.join("cities.txt"), &text).unwrap();
    let passages = passages_in(&util::index(&c, &idx, &[]));
    let v = search_in(&idx, "committee", &["--per-doc", "0", "--limit", "3"]);
    let cities = util::hits(&v)[0]["city"].as_array().unwrap().clone();
    assert!(cities.len() >= 80, "the hits show the cities: {cities:?}");
    assert!(cities.contains(&serde_json::json!("Vilnius")));
    for h in util::hits(&v) {
        assert_eq!(h["city"].as_array().unwrap(), &cities);
    }
    let v = search_in(&idx, "city:Tokyo", &["--per-doc", "0", "--limit", "1"]);
    assert_eq!(
        v["total_hits"].as_u64(),
        Some(passages),
        "filters still see every passage"
    );
    let live = idx.join("live");
    let bytes: u64 = std::fs::read_dir(&live)
        .unwrap()
        .map(|e| e.unwrap().metadata().unwrap().len())
        .sum();
    let ratio = bytes as f64 / text.len() as f64;
    assert!(ratio < 1.5, "the index is {ratio:.1} times the text");
}

/// Runs the binary and returns its peak resident memory in bytes (its
/// own, from `wait4`, not that of the other tests' children).
// the child is reaped by wait4, which std's `wait` cannot do with usage
#[allow(clippy::zombie_processes)]
fn peak_rss_of(args: &[&str]) -> u64 {
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_repsearch"))
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let pid = i32::try_from(child.id()).unwrap();
    let mut status = 0;
    // SAFETY: wait4 only writes the status and the struct it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let rc = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(rc, pid);
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "{status}"
    );
    // ru_maxrss is in kilobytes on Linux
    u64::try_from(usage.ru_maxrss).unwrap_or(0) * 1024
}

#[test]
fn a_large_text_read_whole_is_indexed_in_bounded_memory() {
    // 16 MB of reports in one .txt, under --stream-mb 20 so read whole:
    // analysed at once it peaked at 800 MB (50 times its size; 220 times
    // for a multilingual text); in chunks ~250 MB, whatever its size
    let dir = tempfile::tempdir().unwrap();
    let (c, idx) = (dir.path().join("c"), dir.path().join("i"));
    std::fs::create_dir_all(&c).unwrap();
    let seeds: Vec<String> = std::fs::read_dir(util::corpus())
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    let mut text = String::new();
    let mut i = 0;
    while text.len() < 16 << 20 {
        text.push_str(&format!("Ataskaita {i}\n\n{}\n\n", seeds[i % seeds.len()]));
        i += 1;
    }
    std::fs::write(c.join("archive.txt"), &text).unwrap();
    let (c, idx) = (c.to_str().unwrap(), idx.to_str().unwrap());
    let peak = peak_rss_of(&[
        "index",
        "--corpus",
        c,
        "--index",
        idx,
        "--stream-mb",
        "20",
        "--threads",
        "2",
    ]);
    assert!(
        peak < 500 << 20,
        "indexing 16 MB of text peaked at {} MB",
        peak >> 20
    );
    let v = search_in(std::path::Path::new(idx), "Panevėžio", &["--limit", "1"]);
    assert!(v["total_hits"].as_u64().unwrap() > 1000);
}

// end of section: bounds
// ---------------------------------------------------------------------------

// ---------------------------------------------------------------------------
// 3. `--update` equals a rebuild.
// 4. Bad metadata is reported.
// 6. File names kept losslessly.
// 15. Orphan metadata and FIFOs listed; one spelling of "permission denied".
// (section: update)

/// `repsearch search --json` with every matching passage (no collapsing):
/// (total, sorted (doc, passage) hits, facet counts).
fn everything(idx: &std::path::Path, q: &str) -> (u64, Vec<(String, u64)>, String) {
    let out = util::run(&[
        "search",
        "--json",
        "--limit",
        "10000",
        "--per-doc",
        "0",
        "--facet-limit",
        "1000",
        "--index",
        idx.to_str().unwrap(),
        "--",
        q,
    ]);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{q}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut hits: Vec<(String, u64)> = util::hits(&v)
        .iter()
        .map(|h| {
            let doc = h["doc"].as_str().unwrap().to_string();
            (doc, h["passage"].as_u64().unwrap())
        })
        .collect();
    hits.sort();
    let total = v["total_hits"].as_u64().unwrap();
    (total, hits, v["facets"].to_string())
}

/// Runs `repsearch index`; (exit code, stdout).
fn index_any(corpus: &std::path::Path, idx: &std::path::Path, extra: &[&str]) -> (i32, String) {
    let out = util::index_output(corpus, idx, extra);
    let code = out.status.code().unwrap_or(-1);
    assert!(
        code == 0 || code == 1,
        "index failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (code, String::from_utf8_lossy(&out.stdout).into_owned())
}

/// An index of `corpus` built with `--update` after `change`, and one
/// rebuilt from scratch: both must answer every query alike.
fn assert_update_equals_rebuild(
    corpus: &std::path::Path,
    change: impl FnOnce(&std::path::Path),
    queries: &[&str],
) {
    let work = tempfile::tempdir().unwrap();
    let (upd, reb) = (work.path().join("upd"), work.path().join("reb"));
    index_any(corpus, &upd, &[]);
    change(corpus);
    index_any(corpus, &upd, &["--update"]);
    index_any(corpus, &reb, &[]);
    for q in queries {
        let (a, b) = (everything(&upd, q), everything(&reb, q));
        assert_eq!(a, b, "{q}: --update (left) differs from a rebuild (right)");
    }
}

fn robotics_corpus() -> tempfile::TempDir {
    let c = tempfile::tempdir().unwrap();
    std::fs::write(c.path().join("a.txt"), "Report about robotics.\n").unwrap();
    std::fs::write(
        c.path().join("b.txt"),
        "Another report about robotics, from Oslo in 2011.\n",
    )
    .unwrap();
    c
}

#[test]
fn update_sees_a_new_metadata_file() {
    let c = robotics_corpus();
    assert_update_equals_rebuild(
        c.path(),
        |c| {
            std::fs::write(c.join("a.meta.json"), r#"{"city":"Kaunas","year":2019}"#).unwrap();
        },
        &["city:Kaunas", "year:2019", "robotics", "city:Oslo"],
    );
}

#[test]
fn update_sees_a_changed_metadata_file() {
    let c = robotics_corpus();
    std::fs::write(
        c.path().join("a.meta.json"),
        r#"{"city":"Kaunas","year":2019}"#,
    )
    .unwrap();
    assert_update_equals_rebuild(
        c.path(),
        |c| {
            // same size: only the content differs
            std::fs::write(c.join("a.meta.json"), r#"{"city":"Moscow","year":2018}"#).unwrap();
        },
        &[
            "city:Kaunas",
            "city:Moscow",
            "year:2019",
            "year:2018",
            "robotics",
        ],
    );
}

#[test]
fn update_sees_a_removed_metadata_file() {
    let c = robotics_corpus();
    std::fs::write(c.path().join("b.txt.meta.json"), r#"{"city":"Kaunas"}"#).unwrap();
    assert_update_equals_rebuild(
        c.path(),
        |c| std::fs::remove_file(c.join("b.txt.meta.json")).unwrap(),
        &["city:Kaunas", "city:Oslo", "robotics"],
    );
}

#[test]
fn update_sees_a_change_that_kept_the_modification_time() {
    let c = robotics_corpus();
    assert_update_equals_rebuild(
        c.path(),
        |c| {
            // as `cp -p` or `rsync -t` leave it: same size, same mtime
            let a = c.join("a.txt");
            let mtime = std::fs::metadata(&a).unwrap().modified().unwrap();
            std::fs::write(&a, "Report about turbines.\n").unwrap();
            let f = std::fs::File::options().write(true).open(&a).unwrap();
            f.set_modified(mtime).unwrap();
        },
        &["robotics", "turbines"],
    );
}

/// A corpus of `n` reports from the sample corpus's paragraphs, each naming
/// a city and a year; `meta` of them with a metadata file.
fn generated_corpus(dir: &std::path::Path, n: usize) {
    let paragraphs: Vec<String> = std::fs::read_dir(util::corpus())
        .unwrap()
        .flat_map(|e| {
            let text = std::fs::read_to_string(e.unwrap().path()).unwrap();
            text.split("\n\n")
                .map(str::trim)
                .filter(|p| p.len() > 40)
                .map(String::from)
                .collect::<Vec<_>>()
        })
        .collect();
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    for i in 0..n {
        std::fs::write(dir.join(report_name(i)), report(&paragraphs, i)).unwrap();
    }
}

fn report_name(i: usize) -> String {
    if i.is_multiple_of(3) {
        format!("sub/r{i:03}.txt")
    } else {
        format!("r{i:03}.txt")
    }
}

const CITIES: [&str; 6] = ["Tokyo", "Kaunas", "Vilnius", "Oslo", "Moscow", "Beijing"];

fn report(paragraphs: &[String], i: usize) -> String {
    let mut text = format!("Report number {i}\n\n");
    for k in 0..3 {
        text.push_str(&paragraphs[(i * 7 + k * 5) % paragraphs.len()]);
        text.push_str("\n\n");
    }
    let city = CITIES[i % CITIES.len()];
    text.push_str(&format!(
        "The report was written in {city} in {}.\n",
        2010 + i % 12
    ));
    text
}

#[test]
fn update_equals_a_rebuild_after_adds_changes_removals_renames_and_metadata() {
    let c = tempfile::tempdir().unwrap();
    generated_corpus(c.path(), 40);
    for i in [1, 2, 3, 4] {
        let meta = format!(
            r#"{{"city":"{}","year":{}}}"#,
            CITIES[(i + 2) % 6],
            2000 + i
        );
        let rel = report_name(i).replace(".txt", ".meta.json");
        std::fs::write(c.path().join(rel), meta).unwrap();
    }
    std::fs::write(c.path().join("empty.txt"), "").unwrap();
    let change = |c: &std::path::Path| {
        let p = |i: usize| c.join(report_name(i));
        let other: Vec<String> = (0..60).map(|i| format!("Added paragraph {i}.")).collect();
        for i in 40..46 {
            std::fs::write(p(i), report(&other, i + 1)).unwrap(); // added
        }
        for i in [5, 6, 7, 8] {
            std::fs::write(p(i), report(&other, i + 3)).unwrap(); // changed
        }
        for i in [9, 10, 11] {
            std::fs::remove_file(p(i)).unwrap(); // removed
        }
        for i in [12, 13, 14] {
            std::fs::rename(p(i), c.join(format!("renamed-{i}.txt"))).unwrap();
        }
        // metadata added, changed, removed; a document renamed away from its own
        for i in [15, 16] {
            let rel = report_name(i).replace(".txt", ".txt.meta.json");
            std::fs::write(c.join(rel), r#"{"city":"Tokyo","year":2016}"#).unwrap();
        }
        std::fs::write(c.join("r001.meta.json"), r#"{"city":"Oslo","year":2003}"#).unwrap();
        std::fs::remove_file(c.join("r002.meta.json")).unwrap();
        std::fs::rename(p(4), c.join("r004-moved.txt")).unwrap();
        // a skipped file becomes a document
        std::fs::write(c.join("empty.txt"), "Now a report about Tokyo in 2017.\n").unwrap();
    };
    let mut queries = vec![
        "report",
        "robotikos",
        "Added paragraph",
        "year:2015..2020",
        "year:..2012",
        "lang:en",
        "lang:lt",
        "country:Japan",
    ];
    let city_queries: Vec<String> = CITIES.iter().map(|c| format!("city:{c}")).collect();
    queries.extend(city_queries.iter().map(String::as_str));
    assert_update_equals_rebuild(c.path(), change, &queries);
}

/// The same comparison on ../shared/corpora (without ddtp/): files and
/// metadata added, changed, removed and renamed, 100 queries with filters.
/// Skips, saying so, when ../shared is absent.
#[test]
fn update_equals_a_rebuild_on_the_shared_corpora() {
    let shared = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora");
    if !shared.is_dir() {
        eprintln!("skipped: {} is absent", shared.display());
        return;
    }
    // two of the corpora (2 MB), to stay within a minute on two cores; the
    // whole of them: `cargo bench --bench scale -- update-check`
    let c = tempfile::tempdir().unwrap();
    for source in ["ntrex128", "udhr"] {
        copy_tree(&shared.join(source), &c.path().join(source));
    }
    let mut files = Vec::new();
    list_txt(c.path(), &mut files);
    files.sort();
    let words = query_words(&files);
    let change = |_: &std::path::Path| shuffle_corpus(&files);
    let mut queries: Vec<String> = Vec::new();
    for (i, w) in words.iter().enumerate() {
        queries.push(match i % 5 {
            0 => w.clone(),
            1 => format!("{w} country:{}", ["Lithuania", "Russia", "Japan"][i % 3]),
            2 => format!(
                "{w} city:{}",
                ["London", "Moscow", "Vilnius", "Kaunas"][i % 4]
            ),
            3 => format!("{w} year:{}..{}", 2000 + i % 10, 2015 + i % 10),
            _ => format!("{w} lang:{}", ["en", "lt", "ru"][i % 3]),
        });
    }
    queries.extend(
        [
            "city:Kaunas",
            "city:London",
            "year:2015..2020",
            "country:Russia",
        ]
        .map(String::from),
    );
    let queries: Vec<&str> = queries.iter().map(String::as_str).collect();
    assert_update_equals_rebuild(c.path(), change, &queries);
}

fn copy_tree(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dst = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_tree(&e.path(), &dst);
        } else {
            std::fs::copy(e.path(), dst).unwrap();
        }
    }
}

fn list_txt(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            list_txt(&p, out);
        } else if p.extension().is_some_and(|x| x == "txt") {
            out.push(p);
        }
    }
}

/// 96 words of the corpus, from every 7th file's title line.
fn query_words(files: &[std::path::PathBuf]) -> Vec<String> {
    let mut words = Vec::new();
    for f in files.iter().step_by(7) {
        let text = std::fs::read_to_string(f).unwrap_or_default();
        let first = text.lines().next().unwrap_or("");
        if let Some(w) = first
            .split(|c: char| !c.is_alphabetic())
            .filter(|w| w.chars().count() >= 5)
            .max_by_key(|w| w.len())
        {
            words.push(w.to_string());
        }
        if words.len() == 96 {
            break;
        }
    }
    words
}

/// Adds, changes, removes and renames about 5% of the files, and adds,
/// changes and removes metadata files.
fn shuffle_corpus(files: &[std::path::PathBuf]) {
    let metas = [
        r#"{"city":"Kaunas","year":2019}"#,
        r#"{"country":"Russia","year":2016}"#,
        r#"{"city":"London"}"#,
    ];
    for (i, f) in files.iter().enumerate() {
        match i % 40 {
            0 => {
                let text = std::fs::read_to_string(f).unwrap();
                std::fs::write(f, format!("{text}\nA paragraph added in Kaunas in 2018.\n"))
                    .unwrap();
            }
            1 => std::fs::remove_file(f).unwrap(),
            2 => std::fs::rename(f, f.with_extension("moved.txt")).unwrap(),
            3 => {
                let copy = f.with_file_name(format!("copy-{i}.txt"));
                std::fs::copy(f, copy).unwrap();
            }
            4 | 5 => {
                std::fs::write(f.with_extension("meta.json"), metas[i % 3]).unwrap();
            }
            _ => {}
        }
    }
}

#[test]
fn bad_metadata_files_are_listed_in_the_summary_with_exit_code_1() {
    let c = tempfile::tempdir().unwrap();
    let bad: [(&str, &[u8], &str); 4] = [
        ("garbage", b"this is not json", "not valid metadata"),
        ("unknown", br#"{"colour":"red"}"#, "colour"),
        ("badyear", br#"{"year":"soon"}"#, "year"),
        ("latin1", b"{\"title\":\"Ma\xefs\"}", "UTF-8"),
    ];
    for (name, meta, _) in bad {
        std::fs::write(
            c.path().join(format!("{name}.txt")),
            "Report about robotics.\n",
        )
        .unwrap();
        std::fs::write(c.path().join(format!("{name}.meta.json")), meta).unwrap();
    }
    let idx = tempfile::tempdir().unwrap();
    let idx = idx.path().join("i");
    for extra in [&[][..], &["--update"][..]] {
        let (code, summary) = index_any(c.path(), &idx, extra);
        assert_eq!(code, 1, "{summary}");
        assert!(!summary.contains("Skipped: none"), "{summary}");
        for (name, _, why) in bad {
            assert!(
                summary
                    .lines()
                    .any(|l| l.contains(&format!("{name}.meta.json")) && l.contains(why)),
                "{name}.meta.json not listed with '{why}' in\n{summary}"
            );
        }
        // the documents themselves are indexed
        assert!(summary.contains("4 documents"), "{summary}");
    }
}

#[cfg(unix)]
fn os_name(bytes: &[u8]) -> std::ffi::OsString {
    use std::os::unix::ffi::OsStrExt;
    std::ffi::OsStr::from_bytes(bytes).to_os_string()
}

#[test]
#[cfg(unix)]
fn file_names_differing_only_in_invalid_utf8_stay_two_documents() {
    let c = tempfile::tempdir().unwrap();
    util::copy_corpus(c.path());
    // ext4 and tmpfs take any bytes but '/' and NUL in a name
    for (b, word) in [(b"coll_\xff.txt", "alpha"), (b"coll_\xfe.txt", "omega")] {
        let path = c.path().join(os_name(b));
        std::fs::write(path, format!("A report about {word}.\n")).unwrap();
    }
    let idx = tempfile::tempdir().unwrap();
    let idx = idx.path().join("i");
    let summary = util::index(c.path(), &idx, &[]);
    assert!(summary.contains("5 documents"), "{summary}");
    assert_eq!(util::docs_for(&idx, "alpha"), ["coll_%FF.txt"]);
    assert_eq!(util::docs_for(&idx, "omega"), ["coll_%FE.txt"]);
    // the sample reports keep their ids
    let seed = util::seed("000");
    assert!(util::docs_for(&idx, "robotikos").contains(&seed));
}

#[test]
#[cfg(unix)]
fn update_keeps_both_files_whose_names_differ_only_in_invalid_utf8() {
    let c = tempfile::tempdir().unwrap();
    for (b, word) in [(b"coll_\xff.txt", "alpha"), (b"coll_\xfe.txt", "omega")] {
        let path = c.path().join(os_name(b));
        std::fs::write(path, format!("A report about {word}.\n")).unwrap();
    }
    let idx = tempfile::tempdir().unwrap();
    let idx = idx.path().join("i");
    util::index(c.path(), &idx, &[]);
    std::fs::write(c.path().join("new.txt"), "A new report.\n").unwrap();
    let summary = util::index(c.path(), &idx, &["--update"]);
    assert!(summary.contains("3 documents"), "{summary}");
    assert!(
        summary.contains("1 added, 0 changed, 0 removed"),
        "{summary}"
    );
    assert_eq!(util::docs_for(&idx, "alpha"), ["coll_%FF.txt"]);
    assert_eq!(util::docs_for(&idx, "omega"), ["coll_%FE.txt"]);
}

#[test]
#[cfg(unix)]
fn a_fifo_named_txt_is_listed_and_does_not_block() {
    let c = tempfile::tempdir().unwrap();
    util::copy_corpus(c.path());
    let fifo = c.path().join("pipe.txt");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("skipped: mkfifo is not available");
        return;
    }
    let idx = tempfile::tempdir().unwrap();
    let (code, summary) = index_any(c.path(), &idx.path().join("i"), &[]);
    assert_eq!(code, 1, "{summary}");
    assert!(
        summary
            .lines()
            .any(|l| l.contains("pipe.txt") && l.contains("not a regular file")),
        "{summary}"
    );
    assert!(summary.contains("3 documents"), "{summary}");
}

#[test]
fn an_orphan_metadata_file_is_listed() {
    let c = tempfile::tempdir().unwrap();
    util::copy_corpus(c.path());
    std::fs::write(c.path().join("gone.meta.json"), r#"{"city":"Kaunas"}"#).unwrap();
    let idx = tempfile::tempdir().unwrap();
    let (code, summary) = index_any(c.path(), &idx.path().join("i"), &[]);
    assert_eq!(code, 1, "{summary}");
    assert!(
        summary
            .lines()
            .any(|l| l.contains("gone.meta.json") && l.contains("without a document")),
        "{summary}"
    );
}

#[cfg(unix)]
fn chmod(p: &std::path::Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// `repsearch index` as an unprivileged user (root reads any file), on a
/// corpus and index inside `dir`, which it may enter.
#[cfg(unix)]
fn index_unprivileged(dir: &std::path::Path, extra: &[&str]) -> std::process::Output {
    crate::hostile::index_unprivileged(&dir.join("c"), &dir.join("i"), extra)
}

/// A corpus in `dir/c` readable by anyone, with a file and a folder that
/// no one may read.
#[cfg(unix)]
fn corpus_with_closed_parts(dir: &std::path::Path) -> std::path::PathBuf {
    let c = dir.join("c");
    util::copy_corpus(&c);
    std::fs::write(c.join("secret.txt"), "Slaptas pranešimas apie Kauną.").unwrap();
    std::fs::create_dir(c.join("closed")).unwrap();
    std::fs::write(c.join("closed/inside.txt"), "Vidinis pranešimas.").unwrap();
    chmod(dir, 0o777);
    chmod(&c, 0o777);
    for e in std::fs::read_dir(&c).unwrap() {
        chmod(&e.unwrap().path(), 0o666);
    }
    chmod(&c.join("secret.txt"), 0o000);
    chmod(&c.join("closed"), 0o000);
    c
}

#[test]
#[cfg(unix)]
fn permission_denied_is_spelt_one_way_in_the_summary() {
    let dir = tempfile::tempdir().unwrap();
    let c = corpus_with_closed_parts(dir.path());
    let out = index_unprivileged(dir.path(), &[]);
    chmod(&c.join("closed"), 0o755);
    let summary = String::from_utf8_lossy(&out.stdout);
    assert!(
        summary.contains("Skipped 2 files: permission denied 2"),
        "{summary}{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
#[cfg(unix)]
fn update_reads_again_a_file_that_became_readable() {
    let dir = tempfile::tempdir().unwrap();
    let c = corpus_with_closed_parts(dir.path());
    chmod(&c.join("closed"), 0o777);
    let out = index_unprivileged(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(1), "{:?}", out);
    // made readable: its content, size and modification time are unchanged
    chmod(&c.join("secret.txt"), 0o644);
    let out = index_unprivileged(dir.path(), &["--update"]);
    let summary = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{summary}");
    assert!(summary.contains("5 documents"), "{summary}");
    assert_eq!(
        util::docs_for(&dir.path().join("i"), "Slaptas"),
        ["secret.txt"]
    );
}

#[test]
#[cfg(unix)]
fn update_drops_a_file_that_became_unreadable() {
    let dir = tempfile::tempdir().unwrap();
    let c = corpus_with_closed_parts(dir.path());
    chmod(&c.join("closed"), 0o777);
    chmod(&c.join("secret.txt"), 0o644);
    let out = index_unprivileged(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(0), "{:?}", out);
    chmod(&c.join("secret.txt"), 0o000);
    let out = index_unprivileged(dir.path(), &["--update"]);
    let summary = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{summary}");
    assert!(summary.contains("4 documents"), "{summary}");
    assert!(util::docs_for(&dir.path().join("i"), "Slaptas").is_empty());
}

// end of section: update
// ---------------------------------------------------------------------------

// ---------------------------------------------------------------------------
// 7. The index folder is repsearch's.
// 8. An empty or unreadable corpus never replaces a live index.
// 9. A lock that cannot race and dies with its holder.
// 10. A search during a rebuild never fails.
// 15. A disk-full rebuild says so.
// (section: store)

// (in a module of their own: their imports cannot clash with other sections')
mod store {
    use crate::util;
    use std::os::unix::process::CommandExt;
    use std::path::{Path, PathBuf};
    use std::process::{Command, Output};

    /// `repsearch index --quiet --corpus C --index I` (plus `extra`),
    /// unprivileged when `unprivileged` and this process is root (root
    /// reads every folder).
    fn index_cmd(c: &Path, idx: &Path, extra: &[&str], unprivileged: bool) -> Output {
        let mut args = vec!["--quiet"];
        args.extend_from_slice(extra);
        if unprivileged {
            crate::hostile::index_unprivileged(c, idx, &args)
        } else {
            util::index_output(c, idx, &args)
        }
    }

    fn stderr(out: &Output) -> String {
        String::from_utf8_lossy(&out.stderr).into_owned()
    }

    /// One line on stderr, exit code 2.
    fn assert_refused(out: &Output, needles: &[&str]) {
        let err = stderr(out);
        assert_eq!(out.status.code(), Some(2), "exit 2 expected: {err}");
        assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
        for n in needles {
            assert!(err.contains(n), "'{n}' not in: {err}");
        }
    }

    fn live_target(idx: &Path) -> PathBuf {
        std::fs::read_link(idx.join("live")).expect("a live index")
    }

    #[test]
    fn index_refuses_a_folder_it_did_not_create() {
        let dir = tempfile::tempdir().unwrap();
        let userdir = dir.path().join("userdir");
        let plan = userdir.join("gen-2024-budget/plan.txt");
        std::fs::create_dir_all(plan.parent().unwrap()).unwrap();
        std::fs::write(&plan, "important\n").unwrap();
        let out = index_cmd(&util::corpus(), &userdir, &[], false);
        assert_refused(&out, &[userdir.to_str().unwrap(), "not made by repsearch"]);
        assert_eq!(std::fs::read_to_string(&plan).unwrap(), "important\n");
        let names: Vec<_> = std::fs::read_dir(&userdir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["gen-2024-budget"], "nothing written in the folder");

        // a folder repsearch made: a user's gen-* folder in it is never deleted
        let idx = dir.path().join("index");
        util::index(&util::corpus(), &idx, &["--quiet"]);
        let plan = idx.join("gen-2024-budget/plan.txt");
        std::fs::create_dir_all(plan.parent().unwrap()).unwrap();
        std::fs::write(&plan, "important\n").unwrap();
        for _ in 0..3 {
            util::index(&util::corpus(), &idx, &["--quiet"]);
        }
        assert_eq!(std::fs::read_to_string(&plan).unwrap(), "important\n");
    }

    #[test]
    fn an_empty_corpus_does_not_replace_a_live_index() {
        let dir = tempfile::tempdir().unwrap();
        let (c, idx) = (dir.path().join("c"), dir.path().join("i"));
        util::copy_corpus(&c);
        util::index(&c, &idx, &["--quiet"]);
        let live = live_target(&idx);
        // an unmounted share: an empty folder; or only files that are skipped
        let empty = dir.path().join("empty");
        std::fs::create_dir(&empty).unwrap();
        let skipped = dir.path().join("skipped");
        std::fs::create_dir(&skipped).unwrap();
        std::fs::write(skipped.join("blank.txt"), "").unwrap();
        std::fs::write(skipped.join("data.xyz"), "not a report").unwrap();
        for (corpus, mode) in [(&empty, None), (&skipped, None), (&empty, Some("--update"))] {
            let extra: Vec<&str> = mode.into_iter().collect();
            let out = index_cmd(corpus, &idx, &extra, false);
            assert_refused(&out, &[corpus.to_str().unwrap(), "--allow-empty"]);
            assert_eq!(live_target(&idx), live, "the live index is unchanged");
            assert!(!util::docs_for(&idx, "robotikos").is_empty());
        }
        // asked for: the index is emptied
        let out = index_cmd(&empty, &idx, &["--allow-empty"], false);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert!(util::docs_for(&idx, "robotikos").is_empty());
    }

    #[test]
    fn an_unreadable_corpus_root_changes_nothing() {
        use std::os::unix::fs::PermissionsExt;
        let chmod = |p: &Path, mode: u32| {
            std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap()
        };
        let dir = tempfile::tempdir().unwrap();
        let (c, idx) = (dir.path().join("c"), dir.path().join("i"));
        util::copy_corpus(&c);
        // the unprivileged child must reach the corpus and write the index
        chmod(dir.path(), 0o777);
        chmod(&c, 0o755);
        for e in std::fs::read_dir(&c).unwrap() {
            chmod(&e.unwrap().path(), 0o644);
        }
        let out = index_cmd(&c, &idx, &[], true);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let live = live_target(&idx);

        chmod(&c, 0o000);
        let out = index_cmd(&c, &idx, &[], true);
        chmod(&c, 0o755);
        assert_refused(&out, &[c.to_str().unwrap(), "cannot be read"]);
        let file = c.join(util::seed("000"));
        for corpus in [dir.path().join("gone"), file] {
            let out = index_cmd(&corpus, &idx, &[], true);
            assert_refused(&out, &[corpus.to_str().unwrap()]);
        }
        assert_eq!(live_target(&idx), live, "the live index is unchanged");
        assert!(!util::docs_for(&idx, "robotikos").is_empty());
    }

    #[test]
    fn a_lock_is_not_taken_over_while_its_holder_lives() {
        let dir = tempfile::tempdir().unwrap();
        let idx = dir.path().join("i");
        let c = util::corpus();
        util::index(&c, &idx, &["--quiet"]);
        // a rebuild that has just created the lock file, not yet written in it
        let lock = std::fs::File::create(idx.join("build.lock")).unwrap();
        lock.try_lock().unwrap();
        let out = index_cmd(&c, &idx, &[], false);
        assert_refused(&out, &["another rebuild", idx.to_str().unwrap()]);
        assert!(
            idx.join("build.lock").exists(),
            "the holder's lock file stays"
        );
        drop(lock);
        // two rebuilds started together: one runs, the other is refused
        for _ in 0..3 {
            let runs: Vec<_> = (0..2)
                .map(|_| {
                    let (c, idx) = (c.clone(), idx.clone());
                    std::thread::spawn(move || index_cmd(&c, &idx, &[], false))
                })
                .map(|t| t.join().unwrap())
                .collect();
            for out in &runs {
                let ok = out.status.code() == Some(0)
                    || (out.status.code() == Some(2) && stderr(out).contains("another rebuild"));
                assert!(ok, "{:?}: {}", out.status, stderr(out));
            }
            assert!(runs.iter().any(|o| o.status.success()), "one of them ran");
        }
        assert!(!util::docs_for(&idx, "robotikos").is_empty());
    }

    #[test]
    fn a_stale_lock_of_a_reused_pid_does_not_block() {
        let dir = tempfile::tempdir().unwrap();
        let idx = dir.path().join("i");
        util::index(&util::corpus(), &idx, &["--quiet"]);
        // a rebuild killed long ago; its process id now belongs to this test
        std::fs::write(idx.join("build.lock"), format!("{}\n", std::process::id())).unwrap();
        let out = index_cmd(&util::corpus(), &idx, &[], false);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    }

    #[test]
    fn searches_during_rebuilds_never_fail() {
        let dir = tempfile::tempdir().unwrap();
        let idx = dir.path().join("i");
        let c = util::corpus();
        util::index(&c, &idx, &["--quiet"]);
        // a search that read the `live` link just before a swap opens the
        // generation it found after the swap
        let found = idx.join(live_target(&idx));
        util::index(&c, &idx, &["--quiet"]);
        let out = util::run(&["search", "--index", found.to_str().unwrap(), "robotikos"]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let searches = {
            let (stop, idx) = (stop.clone(), idx.clone());
            std::thread::spawn(move || {
                let mut failed = Vec::new();
                let mut n = 0;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    let out = util::run(&["search", "--index", idx.to_str().unwrap(), "robotikos"]);
                    if out.status.code() != Some(0) {
                        failed.push(stderr(&out));
                    }
                    n += 1;
                }
                (n, failed)
            })
        };
        for _ in 0..10 {
            util::index(&c, &idx, &["--quiet"]);
        }
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        let (n, failed) = searches.join().unwrap();
        assert!(
            failed.is_empty(),
            "{} of {n} searches failed: {failed:?}",
            failed.len()
        );
    }

    #[test]
    fn a_full_disk_rebuild_says_the_disk_is_full() {
        let disk = crate::hostile::SmallDisk::new(3 << 20);
        if !disk.mounted {
            println!("skipped: needs a small tmpfs (root and mount) for a real 'no space left'");
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let (small, big) = (dir.path().join("small"), dir.path().join("big"));
        util::copy_corpus(&small);
        util::big_corpus(&big, 1000);
        let out = disk.index(&small);
        assert!(out.status.success(), "{}", stderr(&out));
        let out = disk.index(&big);
        let idx = disk.root.path().join("i");
        assert_refused(
            &out,
            &[
                "disk",
                "is full",
                idx.to_str().unwrap(),
                "previous index is unchanged",
            ],
        );
    }
}

/// The README's set-up command indexes into the repository's own `index/`
/// folder, which a fresh clone holds with only its committed files: the
/// folder check must take it as repsearch's (it refused it at first).
#[test]
fn the_committed_index_folder_of_a_fresh_clone_is_accepted() {
    let repo_index = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("index");
    let dir = tempfile::tempdir().unwrap();
    let idx = dir.path().join("index");
    std::fs::create_dir(&idx).unwrap();
    // what git checks out: the committed files of index/, nothing else
    for name in ["README.md", ".repsearch-index"] {
        std::fs::copy(repo_index.join(name), idx.join(name)).unwrap();
    }
    let summary = util::index(&util::corpus(), &idx, &["--quiet"]);
    assert!(summary.is_empty(), "{summary}");
    assert!(!util::docs_for(&idx, "robotikos").is_empty());
    // and the user's README beside the index is kept
    assert!(idx.join("README.md").is_file());
}

/// An index built by the previous version in the repository's `index/`
/// (README.md, `live`, `gen-*`, no folder mark) is still rebuilt: the
/// README beside it made the folder check refuse it.
#[test]
fn an_earlier_versions_index_with_a_readme_beside_it_is_adopted() {
    let dir = tempfile::tempdir().unwrap();
    let idx = dir.path().join("index");
    util::index(&util::corpus(), &idx, &["--quiet"]);
    std::fs::remove_file(idx.join(".repsearch-index")).unwrap();
    for entry in std::fs::read_dir(&idx).unwrap() {
        let gen = entry.unwrap().path().join(".repsearch-generation");
        let _ = std::fs::remove_file(gen);
    }
    std::fs::write(idx.join("README.md"), "notes").unwrap();
    util::index(&util::corpus(), &idx, &["--quiet"]);
    assert!(!util::docs_for(&idx, "robotikos").is_empty());
    assert_eq!(
        std::fs::read_to_string(idx.join("README.md")).unwrap(),
        "notes"
    );
}

// end of section: store
// ---------------------------------------------------------------------------

// ---------------------------------------------------------------------------
// 2. `--offset` bounded.
// 14. Deterministic tie-break.
// 15. `--limit 0`.
// (section: search)

/// The queries of tests/fixtures/queries/comparison.txt: (query, flags).
fn comparison_log() -> Vec<(String, Vec<String>)> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/queries/comparison.txt");
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (q, flags) = l.split_once('\t').unwrap_or((l, ""));
            let flags = flags.split_whitespace().map(String::from).collect();
            (q.to_string(), flags)
        })
        .collect()
}

/// The flags of a search that `facets` takes too (the filters).
fn filter_flags(flags: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let mut it = flags.iter();
    while let Some(f) = it.next() {
        if ["--lang", "--country", "--city", "--year", "--from", "--to"].contains(&f.as_str()) {
            out.push(f.clone());
            out.extend(it.next().cloned());
        }
    }
    out
}

const TIE_LT: &str = "Miesto delegacijos vizitas Tojohašio mieste: pasirašytas miestų \
bendradarbiavimo protokolas, aplankytas technologijos universitetas, kuris yra vienas \
stipriausių robotikos srityje Japonijoje, ir miesto meno muziejus.";
const TIE_RU: &str = "Делегация города посетила металлургический комбинат в Шэньяне: \
обсуждались вопросы металлургии, права человека и сотрудничества городов, каждый \
участник имеет право на свободу мнения, а делегация обсудила новые \
проекты металлургии.";
const TIE_EN: &str = "The city delegation visited the robotics university and the \
image processing laboratory: everyone has the right to freedom, and the layer of the \
image was shown in the network settings, with the brush size and the \
selection tools.";

/// A corpus with many equal scores: the seeds, the format fixtures, copies
/// of the seeds, documents with one text under many names (some with
/// metadata: equal facet counts), and documents repeating one passage.
fn tie_corpus(dst: &std::path::Path) {
    util::copy_corpus(dst);
    let formats = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/formats");
    let f = dst.join("formats");
    std::fs::create_dir_all(&f).unwrap();
    for e in std::fs::read_dir(formats).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), f.join(e.file_name())).unwrap();
    }
    util::big_corpus(&dst.join("copies"), 30);
    let same = dst.join("same");
    std::fs::create_dir_all(&same).unwrap();
    let cities = [
        "Kaunas",
        "Vilnius",
        "Panevėžys",
        "Toyohashi",
        "Moscow",
        "Shenyang",
    ];
    for i in 0..90 {
        let text = format!("{TIE_LT}\n\n{TIE_RU}\n\n{TIE_EN}\n");
        std::fs::write(same.join(format!("d{:03}.txt", (i * 37) % 90)), text).unwrap();
        if i % 3 == 0 {
            let meta = format!(
                r#"{{"city": "{}", "year": {}}}"#,
                cities[i % cities.len()],
                2015 + i % 4
            );
            std::fs::write(
                same.join(format!("d{:03}.txt.meta.json", (i * 37) % 90)),
                meta,
            )
            .unwrap();
        }
    }
    let rep = dst.join("repeats");
    std::fs::create_dir_all(&rep).unwrap();
    for i in 0..12 {
        let text = [TIE_LT, TIE_RU, TIE_EN, TIE_LT, TIE_RU, TIE_EN].join("\n\n");
        std::fs::write(rep.join(format!("r{i:02}.txt")), text).unwrap();
    }
}

/// Builds the tie corpus's index with extra flags; the index folder.
fn tie_index(
    dir: &std::path::Path,
    name: &str,
    corpus: &std::path::Path,
    extra: &[&str],
) -> String {
    let idx = dir.join(name);
    let mut args = vec!["index", "--quiet", "--corpus", corpus.to_str().unwrap()];
    args.extend(["--index", idx.to_str().unwrap()]);
    args.extend_from_slice(extra);
    let out = util::run(&args);
    // the format fixtures hold files that are skipped on purpose (exit 1)
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    idx.to_str().unwrap().to_string()
}

/// Runs `args` on the index; (exit code, stdout, stderr).
fn answer(idx: &str, args: &[String]) -> (Option<i32>, String, String) {
    // the index first: the query may follow a `--`
    let mut all: Vec<&str> = args[..1].iter().map(String::as_str).collect();
    all.extend(["--index", idx]);
    all.extend(args[1..].iter().map(String::as_str));
    let out = util::run(&all);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Every command of the comparison log: `search --json` with the line's
/// flags and `facets --json` with its filters.
fn comparison_commands() -> Vec<Vec<String>> {
    let mut cmds = Vec::new();
    for (q, flags) in comparison_log() {
        let mut s = vec!["search".to_string(), "--json".to_string()];
        s.extend(flags.iter().cloned());
        s.extend(["--".to_string(), q.clone()]);
        cmds.push(s);
        let mut f = vec!["facets".to_string(), "--json".to_string()];
        f.extend(filter_flags(&flags));
        f.extend(["--".to_string(), q]);
        // (lines differing only in paging share their facets)
        if !cmds.contains(&f) {
            cmds.push(f);
        }
    }
    cmds
}

#[test]
fn two_builds_with_1_and_2_threads_answer_every_comparison_query_identically() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    tie_corpus(&corpus);
    let one = tie_index(dir.path(), "one", &corpus, &["--threads", "1"]);
    let two = tie_index(
        dir.path(),
        "two",
        &corpus,
        &["--threads", "2", "--memory-mb", "16"],
    );
    let cmds = comparison_commands();
    assert!(cmds.len() >= 250, "{} commands", cmds.len());
    let differ: Vec<String> = std::thread::scope(|s| {
        let halves: Vec<_> = cmds
            .chunks(cmds.len().div_ceil(2))
            .map(|part| {
                let (one, two) = (&one, &two);
                s.spawn(move || {
                    part.iter()
                        .filter(|c| answer(one, c) != answer(two, c))
                        .map(|c| c.join(" "))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        halves.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    assert!(
        differ.is_empty(),
        "{} of {} answers differ between the builds:\n{}",
        differ.len(),
        cmds.len(),
        differ.join("\n")
    );
    // the log is not trivially equal: its queries find passages here
    let (code, out, _) = answer(&one, &["search".into(), "--json".into(), "miesto".into()]);
    assert_eq!(code, Some(0), "{out}");
}

#[test]
fn tied_hits_come_in_path_then_passage_order() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    tie_corpus(&corpus);
    let idx = tie_index(
        dir.path(),
        "two",
        &corpus,
        &["--threads", "2", "--memory-mb", "16"],
    );
    // (score, doc, passage) of the hits
    let search = |extra: &[&str]| {
        let mut args: Vec<String> = ["search", "--json", "--lang", "ru"]
            .map(String::from)
            .to_vec();
        args.extend(extra.iter().map(|s| s.to_string()));
        args.push("металлургия".into());
        let (code, out, err) = answer(&idx, &args);
        assert_eq!(code, Some(0), "{err}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        util::hits(&v)
            .iter()
            .map(|h| {
                let doc = h["doc"].as_str().unwrap().to_string();
                (
                    h["score"].as_f64().unwrap(),
                    doc,
                    h["passage"].as_u64().unwrap(),
                )
            })
            .collect::<Vec<_>>()
    };
    let in_order = |hits: &[(f64, String, u64)]| {
        hits.windows(2)
            .all(|w| w[0].0 > w[1].0 || (w[0].0 == w[1].0 && (&w[0].1, w[0].2) < (&w[1].1, w[1].2)))
    };
    // the 90 documents of one text tie: a page of one passage per document
    // is the first of them by path, the page boundary included
    let page = search(&["--per-doc", "1", "--limit", "5"]);
    assert!(in_order(&page), "{page:?}");
    let whole = search(&["--per-doc", "1", "--limit", "400"]);
    assert!(whole.len() > 90 && in_order(&whole), "{whole:?}");
    assert_eq!(page, whole[..5].to_vec());
    // every passage: equal scores by path, then passage (a document
    // repeating a passage); pages are slices of the whole list
    let all = search(&["--per-doc", "0", "--limit", "400"]);
    assert!(all.len() > 100 && in_order(&all), "{all:?}");
    let pages: Vec<_> = (0..8)
        .flat_map(|i| {
            let o = (i * 7).to_string();
            search(&["--per-doc", "0", "--limit", "7", "--offset", &o])
        })
        .collect();
    assert_eq!(pages, all[..pages.len()].to_vec());
}

#[test]
fn search_offset_of_u64_max_is_an_error_not_a_panic() {
    let idx = util::seed_index().join("index");
    for offset in ["18446744073709551615", "1000000000", "10001"] {
        let out = util::run(&[
            "search",
            "--offset",
            offset,
            "--index",
            idx.to_str().unwrap(),
            "robotikos",
        ]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "--offset {offset}: {err}");
        assert!(
            err.contains("--offset") && err.contains("10000") && err.lines().count() == 1,
            "{err}"
        );
    }
    // the bound itself is accepted
    let out = util::run(&[
        "search",
        "--offset",
        "10000",
        "--index",
        idx.to_str().unwrap(),
        "robotikos",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn search_limit_per_doc_and_facet_limit_out_of_range_name_their_flag() {
    let idx = util::seed_index().join("index");
    let idx = idx.to_str().unwrap();
    for (cmd, flag) in [
        ("search", "--limit"),
        ("search", "--per-doc"),
        ("search", "--facet-limit"),
        ("facets", "--facet-limit"),
    ] {
        let out = util::run(&[
            cmd,
            flag,
            "18446744073709551615",
            "--index",
            idx,
            "robotikos",
        ]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{cmd} {flag}: {err}");
        assert!(
            err.contains(flag) && err.contains("0 to 10000"),
            "{cmd} {flag}: {err}"
        );
    }
}

#[test]
fn library_search_refuses_an_offset_past_the_bound() {
    use repsearch::search::{Param, SearchRequest, Searcher, MAX_OFFSET};
    let searcher = Searcher::open(&util::seed_index().join("index")).unwrap();
    let mut req = SearchRequest::new("robotikos");
    req.offset = usize::MAX;
    let err = searcher.search(&req).expect_err("an error, not a page");
    assert!(err.is_user() && err.to_string().contains("offset"), "{err}");
    assert_eq!(req.check().unwrap_err().param, Param::Offset);
    req.offset = MAX_OFFSET;
    assert!(searcher.search(&req).unwrap().hits.is_empty());
}

#[test]
fn search_limit_0_exits_0_when_passages_match() {
    let idx = util::seed_index().join("index");
    let idx = idx.to_str().unwrap();
    let out = util::run(&[
        "search",
        "--json",
        "--limit",
        "0",
        "--index",
        idx,
        "robotikos",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["total_hits"].as_u64().unwrap() > 0 && util::hits(&v).is_empty());
    // the text says how many match, not that none do
    let out = util::run(&["search", "--limit", "0", "--index", idx, "robotikos"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        !text.contains("No passages match") && text.contains("0 of "),
        "{text}"
    );
    // nothing matching is still exit 1
    let out = util::run(&["search", "--limit", "0", "--index", idx, "qqqzzzxxx"]);
    assert_eq!(out.status.code(), Some(1));
}

// end of section: search
// ---------------------------------------------------------------------------

// ---------------------------------------------------------------------------
// 12. Server timeouts and connection cap.
// 13. The OpenAPI description states the server's constraints.
// (section: server)

mod server {
    use crate::http::{get, Response, Server};
    use crate::util;
    use std::io::{ErrorKind, Read, Write};
    use std::net::TcpStream;
    use std::time::{Duration, Instant};

    fn serve(extra: &[&str]) -> Server {
        Server::start(&util::seed_index().join("index"), extra)
    }

    /// True once the server has closed `c` (end of stream or reset),
    /// reading and discarding any answer; false when `wait` passes first.
    fn closed_within(c: &mut TcpStream, wait: Duration) -> bool {
        let start = Instant::now();
        let mut buf = [0u8; 4096];
        while start.elapsed() < wait {
            c.set_read_timeout(Some(Duration::from_millis(250)))
                .unwrap();
            match c.read(&mut buf) {
                Ok(0) => return true,
                Ok(_) => {}
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
                Err(_) => return true,
            }
        }
        false
    }

    /// One keep-alive `GET` on `c`; the status and the whole body read.
    fn keep_alive_get(c: &mut TcpStream, path: &str) -> u16 {
        c.write_all(format!("GET {path} HTTP/1.1\r\nHost: t\r\n\r\n").as_bytes())
            .unwrap();
        c.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        let mut got = Vec::new();
        let mut buf = [0u8; 4096];
        loop {
            let n = c.read(&mut buf).unwrap();
            assert!(n > 0, "closed before the answer");
            got.extend_from_slice(&buf[..n]);
            let text = String::from_utf8_lossy(&got).into_owned();
            if let Some(end) = text.find("\r\n\r\n") {
                let length: usize = text[..end]
                    .lines()
                    .find_map(|l| {
                        l.to_ascii_lowercase()
                            .strip_prefix("content-length:")
                            .map(|v| v.trim().parse().unwrap())
                    })
                    .expect("content-length");
                if got.len() >= end + 4 + length {
                    return text[9..12].parse().unwrap();
                }
            }
        }
    }

    /// `GET path` that gives up (None) when the connection is refused,
    /// closed or silent for 5 s, instead of panicking.
    fn try_get(addr: &str, path: &str) -> Option<u16> {
        let mut c = TcpStream::connect(addr).ok()?;
        c.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
        c.write_all(
            format!("GET {path} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n").as_bytes(),
        )
        .ok()?;
        let mut got = Vec::new();
        c.read_to_end(&mut got).ok()?;
        String::from_utf8_lossy(&got).get(9..12)?.parse().ok()
    }

    #[test]
    fn a_client_trickling_header_lines_is_closed_at_the_header_timeout() {
        // issue 15, 12: clients sending a header line every 5 s stayed
        // connected for ever
        let s = serve(&["--header-timeout", "2"]);
        let mut c = TcpStream::connect(&s.addr).unwrap();
        c.write_all(b"GET /api/health HTTP/1.1\r\nHost: t\r\n")
            .unwrap();
        let start = Instant::now();
        let mut closed = false;
        for i in 0..15 {
            if closed_within(&mut c, Duration::from_secs(1)) {
                closed = true;
                break;
            }
            if c.write_all(format!("X-Slow-{i}: 1\r\n").as_bytes())
                .is_err()
            {
                closed = true;
                break;
            }
        }
        assert!(closed, "still connected after {:?}", start.elapsed());
        // the header timeout is 2 s: closed well before the 15 s the client
        // would have gone on for
        assert!(
            start.elapsed() < Duration::from_secs(12),
            "{:?}",
            start.elapsed()
        );
    }

    #[test]
    fn idle_keep_alive_connections_are_closed_after_the_idle_timeout() {
        let s = serve(&["--idle-timeout", "1"]);
        let mut c = TcpStream::connect(&s.addr).unwrap();
        assert_eq!(keep_alive_get(&mut c, "/api/health"), 200);
        // the connection is kept alive for a second request...
        assert_eq!(keep_alive_get(&mut c, "/api/health"), 200);
        // ...and closed once idle
        assert!(
            closed_within(&mut c, Duration::from_secs(15)),
            "an idle keep-alive connection stayed open"
        );
        // a socket that never sends anything is closed too
        let mut silent = TcpStream::connect(&s.addr).unwrap();
        assert!(closed_within(&mut silent, Duration::from_secs(15)));
    }

    #[test]
    fn connections_beyond_the_cap_get_503_and_a_later_request_succeeds() {
        let s = serve(&["--max-connections", "3"]);
        // three connections take every slot (accepted in order, before the
        // fourth)
        let held: Vec<TcpStream> = (0..3)
            .map(|_| TcpStream::connect(&s.addr).unwrap())
            .collect();
        let r: Response = get(&s.addr, "/api/health");
        assert_eq!(r.status, 503, "{}", r.text());
        assert_eq!(r.header("retry-after"), Some("1"));
        let e = r.json();
        assert_eq!(e["status"], 503);
        assert_eq!(e["error"], "unavailable");
        drop(held);
        // once they are gone, requests are served again
        let mut status = None;
        for _ in 0..50 {
            status = try_get(&s.addr, "/api/health");
            if status == Some(200) {
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        assert_eq!(status, Some(200));
    }

    #[cfg(unix)]
    #[test]
    fn idle_sockets_under_a_low_open_file_limit_do_not_lock_everyone_out() {
        // issue 15, 12: with a low open-file limit, 300 idle sockets made
        // the server time out for everyone
        use std::os::unix::process::CommandExt;
        let s = Server::start_with(
            &util::seed_index().join("index"),
            &["--idle-timeout", "1"],
            |cmd| {
                // SAFETY: setrlimit is async-signal-safe; it only lowers the
                // child's own limit before exec.
                unsafe {
                    cmd.pre_exec(|| {
                        let lim = libc::rlimit {
                            rlim_cur: 256,
                            rlim_max: 256,
                        };
                        if libc::setrlimit(libc::RLIMIT_NOFILE, &lim) != 0 {
                            return Err(std::io::Error::last_os_error());
                        }
                        Ok(())
                    });
                }
            },
        );
        let idle: Vec<TcpStream> = (0..300)
            .filter_map(|_| TcpStream::connect(&s.addr).ok())
            .collect();
        assert!(idle.len() > 256, "only {} connections opened", idle.len());
        // a client that retries on 503 (or a refused socket) gets its answer
        // once the idle sockets have timed out
        let start = Instant::now();
        let mut status = None;
        while start.elapsed() < Duration::from_secs(30) {
            status = try_get(&s.addr, "/api/health");
            if status == Some(200) {
                break;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        assert_eq!(status, Some(200), "no answer while idle sockets were open");
        drop(idle);
    }

    /// The schema of a query parameter of an operation of the description.
    fn param_schema(api: &serde_json::Value, path: &str, name: &str) -> serde_json::Value {
        api["paths"][path]["get"]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .unwrap_or_else(|| panic!("{path} has no parameter {name}"))["schema"]
            .clone()
    }

    #[test]
    fn an_empty_country_is_outside_the_description_and_an_unknown_one_is_not_found() {
        // issue 15, 13: `country=` was schema-valid but answered 400
        let s = serve(&[]);
        let api = s.get("/api/openapi.json").json();
        for path in ["/api/search", "/api/facets"] {
            for name in ["country", "city"] {
                let items = &param_schema(&api, path, name)["items"];
                assert!(
                    items["minLength"].as_u64() >= Some(1),
                    "{path} {name}: {items}"
                );
                assert!(items["pattern"].is_string(), "{path} {name}: blank names");
            }
        }
        for q in ["country=", "country=%20%20", "city="] {
            let r = s.get(&format!("/api/search?q=robotikos&{q}"));
            assert_eq!(r.status, 400, "{q}: {}", r.text());
        }
        // a well-formed name the gazetteer does not know is not a bad
        // request but a place not found, with suggestions
        let r = s.get("/api/search?q=robotikos&country=Japn");
        assert_eq!(r.status, 404, "{}", r.text());
        let e = r.json();
        assert_eq!(e["parameter"], "country");
        assert!(
            e["message"].as_str().unwrap().contains("did you mean"),
            "{e}"
        );
        let r = s.get("/api/facets?city=Zzzzqqq");
        assert_eq!(r.status, 404, "{}", r.text());
        let r = s.get("/api/search?q=robotikos%20city:Zzzzqqq");
        assert_eq!((r.status, r.json()["parameter"].as_str()), (404, Some("q")));
    }

    #[test]
    fn a_query_of_digits_is_searched_not_refused_as_punctuation() {
        // issue 15, 13: `q` of 300 digits was answered "only punctuation"
        let s = serve(&[]);
        let long = "7".repeat(300);
        for q in [long.as_str(), "2018", "0"] {
            let r = s.get(&format!("/api/search?q={q}"));
            assert_eq!(r.status, 200, "{q}: {}", r.text());
        }
        // a word of digits that is in a report is found
        let r = s.get("/api/search?q=2018").json();
        assert!(r["total_hits"].as_u64().unwrap() > 0, "{r}");
    }

    #[test]
    fn a_query_the_query_language_cannot_read_is_searched_as_plain_words() {
        // issue 15, 13: any string of 1 to 500 characters is a valid `q` in
        // the description; a stray quote or a dangling operator was a 400
        let s = serve(&[]);
        for q in [
            "robotikos%20%22srityje",
            "robotikos%20AND",
            "AND%20robotikos",
            "ro*%20robotikos",
            "robotikos%20year:20x8",
        ] {
            let r = s.get(&format!("/api/search?q={q}"));
            assert_eq!(r.status, 200, "{q}: {}", r.text());
            assert!(r.json()["total_hits"].as_u64().unwrap() > 0, "{q}");
            let r = s.get(&format!("/api/facets?q={q}"));
            assert_eq!(r.status, 200, "{q}: {}", r.text());
        }
        // words marked to be excluded are never searched for instead
        for q in ["-robotikos", "NOT%20robotikos", "%22", "!!!", "%22%22"] {
            let r = s.get(&format!("/api/search?q={q}"));
            assert_eq!(r.status, 200, "{q}: {}", r.text());
            assert_eq!(r.json()["total_hits"], 0, "{q}");
        }
        let id = util::seed("000");
        let d = s.get(&format!("/api/doc/{id}?q=robotikos%20AND")).json();
        assert!(d.to_string().contains("<mark>robotikos</mark>"), "{d}");
    }
}

// end of section: server
// ---------------------------------------------------------------------------

// ---------------------------------------------------------------------------
// (section: attack)
// Failures found by the attack of the rebuild and the server (notes/ATTACK.md).

mod attack {
    use super::*;

    /// ASCII text with a few NUL bytes, all at odd offsets ("nul\0bytes\0here
    /// kaunas\n"), passed the UTF-16-without-a-mark test (zeros on one side of
    /// 10% of the byte pairs) and was indexed as CJK mojibake ("畮l祢整s…"):
    /// neither skipped as binary nor searchable by its words.
    #[test]
    fn ascii_text_with_a_few_nul_bytes_is_not_read_as_utf16() {
        let c = tempfile::tempdir().unwrap();
        util::copy_corpus(c.path());
        std::fs::write(c.path().join("nul.txt"), b"nul\0bytes\0here kaunas\n").unwrap();
        let idx = tempfile::tempdir().unwrap();
        let idx = idx.path().join("i");
        let (_, summary) = index_any(c.path(), &idx, &[]);
        let listed = summary
            .lines()
            .any(|l| l.contains("nul.txt") && l.contains("binary"));
        let found = util::docs_for(&idx, "kaunas").contains(&"nul.txt".to_string());
        assert!(
            listed || found,
            "nul.txt is neither skipped as binary nor found by its words: {summary}"
        );
    }

    /// With both `b.txt.meta.json` and `b.meta.json` beside `b.txt`, the first
    /// applies and the second was listed as "metadata without a document beside
    /// it", a false reason: `b.txt` is beside it.
    #[test]
    fn a_metadata_file_shadowed_by_another_is_not_called_an_orphan() {
        let c = tempfile::tempdir().unwrap();
        std::fs::write(c.path().join("b.txt"), "Report about robotics.\n").unwrap();
        std::fs::write(c.path().join("b.txt.meta.json"), r#"{"city":"Tokyo"}"#).unwrap();
        std::fs::write(c.path().join("b.meta.json"), r#"{"city":"Kaunas"}"#).unwrap();
        let idx = tempfile::tempdir().unwrap();
        let idx = idx.path().join("i");
        let (code, summary) = index_any(c.path(), &idx, &[]);
        assert_eq!(code, 1, "{summary}");
        let line = summary
            .lines()
            .find(|l| l.trim_start().starts_with("b.meta.json:"))
            .unwrap_or_else(|| panic!("b.meta.json is not listed: {summary}"));
        assert!(!line.contains("without a document"), "{line}");
        assert!(line.contains("not used"), "{line}");
        assert_eq!(util::docs_for(&idx, "city:Tokyo"), ["b.txt"]);
    }

    /// `search` with one word of 200 letters was refused with "the query has no
    /// words to search for (only punctuation)": the reason is the word's length
    /// (words over 120 bytes are never indexed), as the README says.
    #[test]
    fn a_query_of_one_overlong_word_is_refused_with_that_reason() {
        let idx = util::seed_index().join("index");
        let word = "a".repeat(200);
        let out = util::run(&["search", "--index", idx.to_str().unwrap(), &word]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(!err.contains("only punctuation"), "{err}");
        assert!(err.contains("120 bytes"), "{err}");
    }

    /// `--country Kaunas` answered "unknown country 'Kaunas': did you mean
    /// Kaunas, Каунас, …?" and `--city Japan` "did you mean Japan, …?": the
    /// suggestions were city names for a country (and country names for a city),
    /// the refused name among them, so taking the advice fails again.
    #[test]
    fn an_unknown_place_suggests_only_names_its_filter_takes() {
        let idx = util::seed_index().join("index");
        let idx = idx.to_str().unwrap();
        for (flag, name) in [("--country", "Kaunas"), ("--city", "Japan")] {
            let out = util::run(&["search", "--index", idx, "robotikos", flag, name]);
            let err = String::from_utf8_lossy(&out.stderr).into_owned();
            assert_eq!(out.status.code(), Some(2), "{err}");
            let Some((_, list)) = err.split_once("did you mean ") else {
                continue;
            };
            for s in list.trim().trim_end_matches('?').split(", ") {
                let again = util::run(&["search", "--index", idx, "robotikos", flag, s]);
                let again_err = String::from_utf8_lossy(&again.stderr);
                assert!(
                    !again_err.contains("unknown"),
                    "{flag} {name}: suggested '{s}', which is refused too: {again_err}"
                );
            }
        }
    }

    /// An index folder inside the corpus (`--corpus c --index c/idx`) was walked
    /// by the next rebuild: its own files (`idx/live/.managed.json`, the
    /// generation being written…) listed as "unsupported format", exit code 1
    /// instead of 0 although every document was indexed.
    #[test]
    fn an_index_folder_inside_the_corpus_is_not_walked() {
        let c = tempfile::tempdir().unwrap();
        util::copy_corpus(c.path());
        let idx = c.path().join("idx");
        util::index(c.path(), &idx, &[]);
        for extra in [&[][..], &["--update"][..]] {
            let (code, summary) = index_any(c.path(), &idx, extra);
            assert_eq!(code, 0, "{extra:?}: {summary}");
            assert!(!summary.contains("idx/"), "{extra:?}: {summary}");
            assert!(summary.contains("3 documents"), "{extra:?}: {summary}");
        }
    }

    /// A file replaced by a FIFO between the walk and its read (the walk saw a
    /// regular file) was opened for reading, which blocks until a writer comes:
    /// the rebuild hung for ever, holding the lock, so every later rebuild was
    /// refused ("another rebuild is writing").
    #[test]
    #[cfg(unix)]
    fn a_file_replaced_by_a_fifo_after_the_walk_does_not_hang_the_rebuild() {
        use std::time::{Duration, Instant};
        let c = tempfile::tempdir().unwrap();
        util::big_corpus(c.path(), 3000);
        let idx = tempfile::tempdir().unwrap();
        let idx = idx.path().join("i");
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_repsearch"))
            .args(["index", "--quiet", "--corpus"])
            .arg(c.path())
            .arg("--index")
            .arg(&idx)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        // the walk of 3,000 files takes milliseconds, reading them seconds
        std::thread::sleep(Duration::from_millis(300));
        for i in 2990..3000 {
            let f = c.path().join(format!("copy-{i:05}.txt"));
            std::fs::remove_file(&f).unwrap();
            let made = std::process::Command::new("mkfifo").arg(&f).status();
            assert!(made.is_ok_and(|s| s.success()), "mkfifo");
        }
        let start = Instant::now();
        let status = loop {
            if let Some(s) = child.try_wait().unwrap() {
                break Some(s);
            }
            if start.elapsed() > Duration::from_secs(90) {
                child.kill().unwrap();
                child.wait().unwrap();
                break None;
            }
            std::thread::sleep(Duration::from_millis(200));
        };
        let status = status.expect("the rebuild hung on a FIFO (killed after 90 s)");
        assert!(matches!(status.code(), Some(0 | 1)), "{status:?}");
    }

    /// The write end of a pipe whose read end is closed (a log reader that
    /// died, `2>&1 | head -1`): writing to it fails with EPIPE.
    #[cfg(unix)]
    fn closed_pipe() -> std::process::Stdio {
        use std::os::fd::FromRawFd;
        let mut fds = [0; 2];
        assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
        unsafe { libc::close(fds[0]) };
        unsafe { std::process::Stdio::from_raw_fd(fds[1]) }
    }

    /// An error written to a closed stderr (`repsearch search … 2>&1 | true`)
    /// panicked in `eprintln!`: exit code 101 instead of 2.
    #[test]
    #[cfg(unix)]
    fn an_error_written_to_a_closed_stderr_exits_2_not_101() {
        let missing = tempfile::tempdir().unwrap();
        let status = std::process::Command::new(env!("CARGO_BIN_EXE_repsearch"))
            .args(["search", "--index"])
            .arg(missing.path().join("none"))
            .arg("robotikos")
            .stdout(std::process::Stdio::null())
            .stderr(closed_pipe())
            .status()
            .unwrap();
        assert_eq!(status.code(), Some(2), "{status:?}");
    }

    /// `search` with no match and a closed stdout (`repsearch search zzz |
    /// true`) exited 0, "a passage matches", instead of 1: the broken pipe
    /// became success whatever the outcome.
    #[test]
    #[cfg(unix)]
    fn no_match_with_a_closed_stdout_still_exits_1() {
        let idx = util::seed_index().join("index");
        let status = std::process::Command::new(env!("CARGO_BIN_EXE_repsearch"))
            .args(["search", "--index"])
            .arg(&idx)
            .arg("zzzzqqqxyz")
            .stdout(closed_pipe())
            .stderr(std::process::Stdio::null())
            .status()
            .unwrap();
        assert_eq!(status.code(), Some(1), "{status:?}");
    }

    /// A server whose stderr is a closed pipe (its log reader died) panicked in
    /// `eprintln!("now serving generation …")` on the first request after a
    /// rebuild: that request's connection was dropped without an answer.
    #[test]
    #[cfg(unix)]
    fn a_generation_switch_with_a_closed_stderr_drops_no_request() {
        let c = tempfile::tempdir().unwrap();
        util::copy_corpus(c.path());
        let idx = tempfile::tempdir().unwrap();
        let idx = idx.path().join("i");
        util::index(c.path(), &idx, &[]);
        let s = crate::http::Server::start_with(&idx, &[], |cmd| {
            cmd.stderr(closed_pipe());
        });
        assert_eq!(s.get("/api/search?q=robotikos").status, 200);
        util::index(c.path(), &idx, &[]);
        for _ in 0..3 {
            let answered = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                s.get("/api/search?q=robotikos").status
            }));
            assert!(
                matches!(answered, Ok(200)),
                "a request after the generation switch got no answer"
            );
        }
    }
}

// end of section: attack
// ---------------------------------------------------------------------------
