//! Facets on the sample reports: extraction, filters, counts, metadata.

use crate::util::{corpus, hits, index, marked, ranking, run, search_json, seed, seed_index};
use serde_json::Value;
use std::collections::BTreeSet;

fn extract(prefix: &str) -> Value {
    let path = corpus().join(seed(prefix));
    let out = run(&["extract", "--json", path.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn set(v: &Value, key: &str, field: &str) -> BTreeSet<String> {
    v[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x[field].to_string().trim_matches('"').to_string())
        .collect()
}

fn check_seed(prefix: &str, cities: &[&str], countries: &[&str], year: u64) {
    let v = extract(prefix);
    let text = std::fs::read_to_string(corpus().join(seed(prefix))).unwrap();
    let found = set(&v, "cities", "name");
    for c in cities {
        assert!(
            found.contains(*c),
            "seed {prefix}: city {c} missing from {found:?}"
        );
    }
    let codes = set(&v, "countries", "code");
    for c in countries {
        assert!(
            codes.contains(*c),
            "seed {prefix}: country {c} missing from {codes:?}"
        );
    }
    assert_eq!(v["year"], year, "seed {prefix}");
    // anything else must be a real place mentioned in the text: every mention
    // points at the words it names
    let chars: Vec<char> = text.chars().collect();
    for m in v["mentions"].as_array().unwrap() {
        let (s, e) = (
            m["start"].as_u64().unwrap() as usize,
            m["end"].as_u64().unwrap() as usize,
        );
        let span: String = chars[s..e].iter().collect();
        assert_eq!(
            span,
            m["text"].as_str().unwrap(),
            "seed {prefix}: mention offsets"
        );
    }
    let mentioned: BTreeSet<String> = v["mentions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["kind"] == "city")
        .map(|m| m["geonameid"].to_string())
        .collect();
    for c in v["cities"].as_array().unwrap() {
        assert!(
            mentioned.contains(&c["geonameid"].to_string()),
            "seed {prefix}: city {} has no mention",
            c["name"]
        );
    }
    assert!(
        found.len() <= cities.len() + 1,
        "seed {prefix}: unexpected cities {found:?}"
    );
}

#[test]
fn sample_reports_have_their_places_and_years() {
    check_seed(
        "000",
        &["Panevėžys", "Toyohashi", "Hiratsuka"],
        &["LT", "JP"],
        2018,
    );
    check_seed(
        "001",
        &["Utena", "Druskininkai", "Prienai", "Biržai", "Vilnius"],
        &["LT", "NO"],
        2017,
    );
    check_seed(
        "002",
        &["Lipetsk", "Anshan", "Shenyang"],
        &["RU", "CN"],
        2023,
    );
}

fn passages(v: &Value) -> Vec<(String, u64)> {
    hits(v)
        .iter()
        .map(|h| {
            (
                h["doc"].as_str().unwrap().to_string(),
                h["passage"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn a_country_is_one_filter_whatever_its_name() {
    for q in ["robotikos", "robotics"] {
        let by_lt = search_json(q, &["--country", "Japonija"]);
        assert_eq!(
            passages(&by_lt),
            passages(&search_json(q, &["--country", "JP"])),
            "{q}"
        );
        assert_eq!(
            passages(&by_lt),
            passages(&search_json(q, &["--country", "Япония"])),
            "{q}"
        );
        assert_eq!(
            passages(&by_lt),
            passages(&search_json(q, &["--country", "Japan"])),
            "{q}"
        );
    }
    assert!(!hits(&search_json("robotikos", &["--country", "JP"])).is_empty());
}

#[test]
fn country_and_year_filters_keep_only_those_reports() {
    let any = "projekto OR robotikos OR металлургии OR Panevėžio OR университет";
    let v = search_json(any, &["--country", "Norway", "--limit", "100"]);
    assert!(!hits(&v).is_empty());
    assert!(
        hits(&v).iter().all(|h| h["doc"] == seed("001")),
        "{:?}",
        passages(&v)
    );
    let v = search_json(any, &["--year", "2023", "--limit", "100"]);
    assert!(!hits(&v).is_empty());
    assert!(hits(&v).iter().all(|h| h["doc"] == seed("002")));
    let v = search_json(any, &["--from", "2018", "--to", "2023", "--limit", "100"]);
    let docs: BTreeSet<&str> = hits(&v)
        .iter()
        .map(|h| h["doc"].as_str().unwrap())
        .collect();
    assert!(
        !docs.contains(seed("001").as_str()) && docs.len() == 2,
        "{docs:?}"
    );
    let v = search_json(any, &["--city", "Šenjangas", "--limit", "100"]);
    assert!(!hits(&v).is_empty() && hits(&v).iter().all(|h| h["doc"] == seed("002")));
}

#[test]
fn a_filter_keeps_exactly_the_hits_that_carry_its_value_with_their_scores() {
    let any = "projekto OR robotikos OR металлургии OR Panevėžio OR университет OR robotics";
    let all = search_json(any, &["--limit", "1000", "--per-doc", "0"]);
    assert!(hits(&all).len() > 10, "{}", hits(&all).len());
    let has = |h: &Value, field: &str, value: &Value| match &h[field] {
        Value::Array(vs) => vs.contains(value),
        v => v == value,
    };
    let mut tried = 0;
    for (flag, field) in [
        ("--country", "country"),
        ("--city", "city"),
        ("--year", "year"),
        ("--lang", "lang"),
    ] {
        let mut values: Vec<Value> = Vec::new();
        for h in hits(&all) {
            match &h[field] {
                Value::Array(vs) => values.extend(vs.iter().cloned()),
                Value::Null => {}
                v => values.push(v.clone()),
            }
        }
        values.sort_by_key(|v| v.to_string());
        values.dedup();
        for value in values.iter().take(4) {
            let arg = match value {
                Value::String(s) => s.clone(),
                v => v.to_string(),
            };
            let filtered = search_json(any, &["--limit", "1000", "--per-doc", "0", flag, &arg]);
            let mut want: Vec<Value> = hits(&all)
                .iter()
                .filter(|h| has(h, field, value))
                .cloned()
                .collect();
            let mut got = hits(&filtered).clone();
            let key = |h: &Value| (h["doc"].to_string(), h["passage"].as_u64());
            want.sort_by_key(key);
            got.sort_by_key(key);
            let (want, got) = (
                ranking(&serde_json::json!({ "hits": want })),
                ranking(&serde_json::json!({ "hits": got })),
            );
            assert!(!got.is_empty(), "{flag} {arg}");
            assert_eq!(got, want, "{flag} {arg}");
            tried += 1;
        }
    }
    assert!(tried >= 8, "{tried}");
}

#[test]
fn hits_and_results_carry_facets() {
    let v = search_json("Lipetsk", &[]);
    let h = &hits(&v)[0];
    assert_eq!(h["year"], 2023);
    assert!(h["country"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c == "Russia"));
    assert!(h["city"].as_array().unwrap().iter().any(|c| c == "Lipetsk"));
    let countries = v["facets"]["country"].as_array().unwrap();
    assert!(countries
        .iter()
        .any(|c| c["value"] == "China" && c["count"].as_u64().unwrap() >= 1));
    for key in ["country", "city", "year"] {
        assert!(v["facets"][key].is_array(), "facets.{key}");
    }
}

#[test]
fn canonical_place_names_find_transcribed_and_cyrillic_forms() {
    let v = search_json("Toyohashi", &[]);
    assert_eq!(hits(&v)[0]["doc"], seed("000"));
    assert!(
        marked(&hits(&v)[0]).iter().any(|m| m == "Tojohašio"),
        "{:?}",
        marked(&hits(&v)[0])
    );
    let v = search_json("Shenyang", &[]);
    assert_eq!(hits(&v)[0]["doc"], seed("002"));
    assert!(
        marked(&hits(&v)[0]).iter().any(|m| m.starts_with("Шэньян")),
        "{:?}",
        marked(&hits(&v)[0])
    );
}

#[test]
fn unknown_country_suggests_names() {
    let idx = seed_index().join("index");
    let out = run(&[
        "search",
        "--index",
        idx.to_str().unwrap(),
        "--country",
        "Japn",
        "robotika",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("unknown country 'Japn'") && err.contains("Japan"),
        "{err}"
    );
}

#[test]
fn facets_command_counts_values() {
    let idx = seed_index().join("index");
    let out = run(&["facets", "--json", "--index", idx.to_str().unwrap()]);
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let years: Vec<String> = v["facets"]["year"]
        .as_array()
        .unwrap()
        .iter()
        .map(|y| y["value"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        years.iter().collect::<BTreeSet<_>>(),
        ["2017", "2018", "2023"]
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
            .iter()
            .collect()
    );
    let total: u64 = v["total_hits"].as_u64().unwrap();
    let lithuania = v["facets"]["country"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["value"] == "Lithuania")
        .unwrap();
    assert!(lithuania["count"].as_u64().unwrap() < total);
}

#[test]
fn metadata_file_overrides_extraction() {
    let dir = tempfile::tempdir().unwrap();
    let (c, idx) = (dir.path().join("c"), dir.path().join("i"));
    std::fs::create_dir_all(&c).unwrap();
    let src = corpus().join(seed("002"));
    std::fs::copy(&src, c.join("report.txt")).unwrap();
    std::fs::write(
        c.join("report.meta.json"),
        r#"{"title": "Визит в Китай", "year": 2024, "city": "Kaunas", "country": "LT"}"#,
    )
    .unwrap();
    index(&c, &idx, &["--quiet"]);
    let out = run(&[
        "search",
        "--json",
        "--index",
        idx.to_str().unwrap(),
        "Lipetsk",
    ]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let h = &hits(&v)[0];
    assert_eq!(h["title"], "Визит в Китай");
    assert_eq!(h["year"], 2024);
    assert_eq!(h["country"], serde_json::json!(["Lithuania"]));
    assert_eq!(h["city"], serde_json::json!(["Kaunas"]));
}

/// `extract --explain` names, for every candidate mention, the place read and
/// the rule that kept or turned it down; what it keeps is what `extract`
/// found.
#[test]
fn extract_explain_names_the_deciding_rule_of_every_candidate() {
    let path = corpus().join(seed("002"));
    let out = run(&["extract", "--json", "--explain", path.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let decisions = v["decisions"].as_array().expect("decisions");
    let kept: Vec<&Value> = decisions.iter().filter(|d| d["kept"] == true).collect();
    assert_eq!(kept.len(), v["mentions"].as_array().unwrap().len());
    // Липецкий is read as Lipetsk and kept because no city rule turned it down
    let lipetsk = decisions
        .iter()
        .find(|d| d["mention"]["text"] == "Липецкий")
        .expect("Липецкий decided");
    assert_eq!(lipetsk["mention"]["geonameid"], 535121);
    assert_eq!(lipetsk["rule"], "no_rule_rejects");
    // every turned-down candidate names a rule, and some were turned down
    let down: Vec<&Value> = decisions.iter().filter(|d| d["kept"] == false).collect();
    assert!(!down.is_empty());
    assert!(down
        .iter()
        .all(|d| d["rule"].as_str().is_some_and(|r| !r.is_empty())));
    let text = run(&["extract", "--explain", path.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("\"Липецкий\" as city 535121 (RU): kept (no_rule_rejects)"),
        "{text}"
    );
    assert!(text.contains(": turned down ("), "{text}");
}
