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
