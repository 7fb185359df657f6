//! `repsearch serve`: every endpoint of the JSON API, its 400s, the page's
//! assets, the OpenAPI description checked against real answers, and a
//! rebuilt index picked up without a restart.

use crate::http::{request, Server};
use crate::util::{corpus, index, run, seed, seed_index};
use serde_json::Value;

/// A server on the sample index, for one test (stopped when dropped: a
/// server shared in a static would outlive the test run).
fn server() -> Server {
    Server::start(&seed_index().join("index"), &[])
}

fn cli(args: &[&str]) -> String {
    let idx = seed_index().join("index");
    let mut a = args.to_vec();
    a.extend(["--index", idx.to_str().unwrap()]);
    let out = run(&a);
    assert!(out.status.code().unwrap() <= 1, "{args:?}");
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn search_answers_the_same_json_as_the_cli() {
    let s = server();
    for (path, args) in [
        ("/api/search?q=robotikos", vec!["search", "--json", "robotikos"]),
        (
            "/api/search?q=robotika&country=Japan&limit=5",
            vec!["search", "--json", "--country", "Japan", "--limit", "5", "robotika"],
        ),
        (
            "/api/search?q=%D0%BC%D0%B5%D1%82%D0%B0%D0%BB%D0%BB%D1%83%D1%80%D0%B3%D0%B8%D0%B8&lang=ru&offset=1&facet_limit=3",
            vec!["search", "--json", "--lang", "ru", "--offset", "1", "--facet-limit", "3", "металлургии"],
        ),
        (
            "/api/search?q=zzzzqqqq",
            vec!["search", "--json", "zzzzqqqq"],
        ),
    ] {
        let expected = cli(&args);
        // the second answer comes from the server's cache: still the same
        for _ in 0..2 {
            let r = s.get(path);
            assert_eq!(r.status, 200, "{path}: {}", r.text());
            assert_eq!(
                r.header("content-type"),
                Some("application/json; charset=utf-8")
            );
            assert_eq!(r.text(), expected, "{path}");
        }
    }
}

#[test]
fn facets_answer_the_same_json_as_the_cli() {
    let s = server();
    for (path, args) in [
        ("/api/facets", vec!["facets", "--json"]),
        (
            "/api/facets?q=robotikos&year=2018",
            vec!["facets", "--json", "--year", "2018", "robotikos"],
        ),
    ] {
        let r = s.get(path);
        assert_eq!(r.status, 200, "{path}: {}", r.text());
        assert_eq!(r.text(), cli(&args), "{path}");
    }
}

#[test]
fn filters_combine_and_values_are_names_or_codes() {
    let s = server();
    let japan = s.get("/api/search?q=robotikos&country=Japan").json();
    let jp = s.get("/api/search?q=robotikos&country=jp").json();
    assert_eq!(japan, jp);
    assert!(japan["total_hits"].as_u64().unwrap() > 0);
    let none = s
        .get("/api/search?q=robotikos&country=Japan&country=China&year=1999")
        .json();
    assert_eq!(none["total_hits"], 0, "country and year must both hold");
}

#[test]
fn a_document_comes_whole_in_order_with_the_query_marked() {
    let s = server();
    let id = seed("000");
    let d = s.get(&format!("/api/doc/{id}?q=robotikos")).json();
    assert_eq!(d["doc"], id.as_str());
    assert_eq!(d["lang"], "lt");
    assert_eq!(d["truncated"], false);
    assert!(d["country"]
        .as_array()
        .unwrap()
        .contains(&Value::from("Japan")));
    let passages = d["passages"].as_array().unwrap();
    assert_eq!(passages.len() as u64, d["total_passages"].as_u64().unwrap());
    let starts: Vec<u64> = passages
        .iter()
        .map(|p| p["start"].as_u64().unwrap())
        .collect();
    assert!(starts.windows(2).all(|w| w[0] < w[1]), "{starts:?}");
    let numbers: Vec<u64> = passages
        .iter()
        .map(|p| p["passage"].as_u64().unwrap())
        .collect();
    assert_eq!(numbers, (0..numbers.len() as u64).collect::<Vec<_>>());
    assert!(passages.iter().any(|p| p["highlight"]
        .as_str()
        .unwrap()
        .contains("<mark>robotikos</mark>")));
    // every passage of the source file is there, at its offset
    let source = std::fs::read_to_string(corpus().join(&id)).unwrap();
    for p in passages {
        let start = p["start"].as_u64().unwrap() as usize;
        let text = p["text"].as_str().unwrap();
        assert_eq!(&source[start..start + text.len()], text);
    }
    // without a query nothing is marked
    let plain = s.get(&format!("/api/doc/{id}")).json();
    assert!(!plain.to_string().contains("<mark>"));
}

#[test]
fn unknown_documents_and_paths_are_404_and_never_files() {
    let s = server();
    for path in [
        "/api/doc/no-such.txt",
        "/api/doc/..%2F..%2F..%2Fetc%2Fpasswd",
        "/api/doc/../../etc/passwd",
        "/api/doc//etc/passwd",
        "/api/doc/%2Fetc%2Fpasswd",
        "/nope",
        "/assets/../Cargo.toml",
        "/assets/Cargo.toml",
        "/api",
    ] {
        let r = s.get(path);
        assert!(
            r.status == 404 || r.status == 400,
            "{path}: {} {}",
            r.status,
            r.text()
        );
        let e = r.json();
        assert!(e["message"].as_str().is_some(), "{path}");
        assert!(!r.text().contains("root:"), "{path} leaked a file");
    }
}

#[test]
fn health_names_the_generation() {
    let h = server().get("/api/health").json();
    assert_eq!(h["status"], "ok");
    assert!(h["generation"].as_str().unwrap().starts_with("gen-"));
    assert!(h["passages"].as_u64().unwrap() > 3);
}

#[test]
fn bad_requests_are_400_with_a_json_error_naming_the_problem() {
    let s = server();
    let long = format!("/api/search?q={}", "a".repeat(501));
    let long_city = format!("/api/search?q=a&city={}", "x".repeat(5000));
    let huge = format!("/api/search?q=a&colour={}", "x".repeat(62_000));
    let cases: Vec<(&str, Option<&str>, &str)> = vec![
        ("/api/search", Some("q"), "missing"),
        ("/api/search?q=", Some("q"), "missing"),
        ("/api/search?q=%20%20", Some("q"), "missing"),
        (&long, Some("q"), "at most 500"),
        (&huge, None, "at most 61440"),
        (&long_city, Some("city"), "at most 100"),
        ("/api/search?q=a&city=", Some("city"), "empty"),
        ("/api/search?q=a&limit=%2B5", Some("limit"), "whole number"),
        ("/api/search?q=a&year=%202018", Some("year"), "not a year"),
        ("/api/search?q=a&lang=LT", Some("lang"), "unknown language"),
        ("/api/search?q=a&limit=101", Some("limit"), "at most 100"),
        ("/api/search?q=a&limit=-1", Some("limit"), "whole number"),
        ("/api/search?q=a&limit=ten", Some("limit"), "whole number"),
        (
            "/api/search?q=a&offset=10001",
            Some("offset"),
            "at most 10000",
        ),
        (
            "/api/search?q=a&facet_limit=1000",
            Some("facet_limit"),
            "at most 100",
        ),
        (
            "/api/search?q=a&colour=red",
            Some("colour"),
            "unknown parameter",
        ),
        ("/api/search?q=a&q=b", Some("q"), "more than once"),
        (
            "/api/search?q=a&from=1990&from=2000",
            Some("from"),
            "more than once",
        ),
        ("/api/search?q=a&year=20x8", Some("year"), "not a year"),
        ("/api/search?q=a&from=99", Some("from"), "not a year"),
        ("/api/search?q=a&lang=xx", Some("lang"), "unknown language"),
        ("/api/facets?limit=3", Some("limit"), "unknown parameter"),
        ("/api/facets?year=abc", Some("year"), "not a year"),
        ("/api/doc/x.txt?lang=lt", Some("lang"), "unknown parameter"),
        (
            "/api/health?verbose=1",
            Some("verbose"),
            "takes no parameters",
        ),
        ("/api/openapi.json?x=1", Some("x"), "takes no parameters"),
    ];
    for (path, param, needle) in cases {
        let r = s.get(path);
        assert_eq!(r.status, 400, "{path}: {}", r.text());
        assert_eq!(
            r.header("content-type"),
            Some("application/json; charset=utf-8"),
            "{path}"
        );
        let e = r.json();
        assert_eq!(e["status"], 400, "{path}");
        assert_eq!(e["error"], "bad_request", "{path}");
        assert_eq!(e["parameter"].as_str(), param, "{path}: {e}");
        let msg = e["message"].as_str().unwrap();
        assert!(msg.contains(needle), "{path}: {msg}");
        assert!(!msg.contains('\n'), "{path}: one line: {msg}");
    }
}

#[test]
fn the_server_is_read_only_and_sends_no_cors_headers_by_default() {
    let s = server();
    let r = request(&s.addr, "POST", "/api/search?q=a", Some("{}"));
    assert_eq!(r.status, 405);
    assert_eq!(r.json()["error"], "method_not_allowed");
    let r = request(&s.addr, "DELETE", "/api/doc/x", None);
    assert_eq!(r.status, 405);
    let r = s.get("/api/search?q=robotikos");
    assert_eq!(r.header("access-control-allow-origin"), None);
    assert_eq!(r.header("x-content-type-options"), Some("nosniff"));

    let with_cors = Server::start(
        &seed_index().join("index"),
        &["--cors-origin", "https://example.org"],
    );
    let r = with_cors.get("/api/health");
    assert_eq!(
        r.header("access-control-allow-origin"),
        Some("https://example.org")
    );
}

#[test]
fn the_page_and_its_assets_are_served_from_the_binary() {
    let s = server();
    let page = s.get("/");
    assert_eq!(page.status, 200);
    assert_eq!(
        page.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    let csp = page.header("content-security-policy").unwrap();
    assert!(csp.contains("default-src 'none'"), "{csp}");
    let html = page.text();
    for (path, ctype) in [
        ("/assets/app.js", "text/javascript; charset=utf-8"),
        ("/assets/style.css", "text/css; charset=utf-8"),
        ("/assets/icon.svg", "image/svg+xml"),
    ] {
        assert!(html.contains(path), "the page uses {path}");
        let r = s.get(path);
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(r.header("content-type"), Some(ctype), "{path}");
        // nothing from other hosts: no CDN, no external fonts
        let text = r.text();
        assert!(
            !text.contains("http://") && !text.contains("https://") || path.ends_with(".svg"),
            "{path} refers to another host"
        );
    }
    assert!(!html.contains("https://") && !html.contains("http://"));
}

// ---- the OpenAPI description is true ------------------------------------

/// Checks a value against the subset of JSON Schema the description uses:
/// `$ref`, `type` (one or a list), `required`, `properties`, `items`, `enum`.
fn check(api: &Value, schema: &Value, v: &Value, at: &str) {
    if let Some(r) = schema["$ref"].as_str() {
        let name = r.trim_start_matches("#/components/schemas/");
        return check(api, &api["components"]["schemas"][name], v, at);
    }
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(|t| t.as_str()).collect(),
        _ => vec![],
    };
    if !types.is_empty() {
        let ok = types.iter().any(|t| match *t {
            "object" => v.is_object(),
            "array" => v.is_array(),
            "string" => v.is_string(),
            "integer" => v.is_u64() || v.is_i64(),
            "number" => v.is_number(),
            "boolean" => v.is_boolean(),
            "null" => v.is_null(),
            _ => false,
        });
        assert!(ok, "{at}: {v} is not {types:?}");
    }
    if let Some(e) = schema["enum"].as_array() {
        assert!(e.contains(v), "{at}: {v} not in {e:?}");
    }
    if let Some(req) = schema["required"].as_array() {
        for r in req {
            assert!(v.get(r.as_str().unwrap()).is_some(), "{at}: missing {r}");
        }
    }
    if let (Some(props), Some(obj)) = (schema["properties"].as_object(), v.as_object()) {
        for (k, val) in obj {
            let sub = props
                .get(k)
                .unwrap_or_else(|| panic!("{at}: property '{k}' is not described"));
            check(api, sub, val, &format!("{at}.{k}"));
        }
    }
    if let (Some(items), Some(arr)) = (schema.get("items"), v.as_array()) {
        for (i, x) in arr.iter().enumerate() {
            check(api, items, x, &format!("{at}[{i}]"));
        }
    }
}

#[test]
fn the_openapi_description_matches_what_the_server_answers() {
    let s = server();
    let api = s.get("/api/openapi.json").json();
    assert_eq!(api["openapi"], "3.1.0");
    let id = seed("000");
    // a request per described path that should succeed, and one that should fail
    let examples: Vec<(&str, String, String)> = vec![
        (
            "/api/search",
            "/api/search?q=robotikos&country=Japan&city=Toyohashi&year=2018&from=2000&to=2030&lang=lt&limit=2&offset=0&facet_limit=5".into(),
            "/api/search?q=a&limit=x".into(),
        ),
        (
            "/api/facets",
            "/api/facets?q=robotikos&country=Japan&city=Panev%C4%97%C5%BEys&year=2018&from=2000&to=2030&lang=lt&facet_limit=5".into(),
            "/api/facets?nope=1".into(),
        ),
        ("/api/doc/{id}", format!("/api/doc/{id}?q=robotikos"), format!("/api/doc/{id}?x=1")),
        ("/api/health", "/api/health".into(), "/api/health?x=1".into()),
        ("/api/openapi.json", "/api/openapi.json".into(), "/api/openapi.json?x=1".into()),
    ];
    let described: Vec<&String> = api["paths"].as_object().unwrap().keys().collect();
    assert_eq!(
        described.len(),
        examples.len(),
        "every described path has an example here: {described:?}"
    );
    for (path, good, bad) in &examples {
        let op = &api["paths"][*path]["get"];
        assert!(op.is_object(), "{path} is described");
        let r = s.get(good);
        assert_eq!(r.status, 200, "{good}: {}", r.text());
        let schema = &op["responses"]["200"]["content"]["application/json"]["schema"];
        let body = r.json();
        check(&api, schema, &body, good);
        if *path == "/api/search" {
            assert!(!body["hits"].as_array().unwrap().is_empty(), "{good}");
        }
        // every documented parameter is accepted alone
        for p in op["parameters"]
            .as_array()
            .map(|a| a.as_slice())
            .unwrap_or(&[])
        {
            if p["in"] != "query" {
                continue;
            }
            let name = p["name"].as_str().unwrap();
            let base = good.split('?').next().unwrap();
            let value = match name {
                "q" => "robotikos",
                "country" => "JP",
                "city" => "Toyohashi",
                "year" | "from" | "to" => "2018",
                "lang" => "lt",
                _ => "3",
            };
            let url = if *path == "/api/search" && name != "q" {
                format!("{base}?q=robotikos&{name}={value}")
            } else {
                format!("{base}?{name}={value}")
            };
            let r = s.get(&url);
            assert_eq!(r.status, 200, "{url}: {}", r.text());
        }
        let r = s.get(bad);
        assert_eq!(r.status, 400, "{bad}");
        let schema = &op["responses"]["400"]["content"]["application/json"]["schema"];
        check(&api, schema, &r.json(), bad);
    }
    let r = s.get("/api/doc/none.txt");
    assert_eq!(r.status, 404);
    let schema = &api["paths"]["/api/doc/{id}"]["get"]["responses"]["404"]["content"]
        ["application/json"]["schema"];
    check(&api, schema, &r.json(), "404");
}

// ---- a rebuilt index is picked up ---------------------------------------

#[test]
fn a_rebuilt_index_is_served_without_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let small = dir.path().join("corpus");
    std::fs::create_dir_all(&small).unwrap();
    let ru = seed("002");
    std::fs::copy(corpus().join(&ru), small.join(&ru)).unwrap();
    let idx = dir.path().join("index");
    index(&small, &idx, &["--quiet"]);
    let s = Server::start(&idx, &[]);
    let before = s.get("/api/health").json();
    assert_eq!(s.get("/api/search?q=robotikos").json()["total_hits"], 0);

    let lt = seed("000");
    std::fs::copy(corpus().join(&lt), small.join(&lt)).unwrap();
    index(&small, &idx, &["--quiet"]);
    let after = s.get("/api/health").json();
    assert_ne!(before["generation"], after["generation"]);
    let r = s.get("/api/search?q=robotikos").json();
    assert!(r["total_hits"].as_u64().unwrap() > 0, "{r}");
    let r = s.get(&format!("/api/doc/{lt}")).json();
    assert_eq!(r["doc"], lt.as_str());
}

#[test]
fn a_library_error_blames_the_parameter_at_fault_in_the_apis_words() {
    let s = server();
    for (path, status, param, needle) in [
        (
            "/api/search?q=robotikos&year=20x8",
            400,
            "year",
            "not a year",
        ),
        (
            "/api/search?q=robotikos&country=Japn",
            404,
            "country",
            "did you mean",
        ),
        ("/api/facets?city=Zzzzqqq", 404, "city", "unknown city"),
        // a filter of the query: the query, at the position of its value
        (
            "/api/search?q=robotikos%20country:Japn",
            404,
            "q",
            "(at character 19)",
        ),
    ] {
        let r = s.get(path);
        assert_eq!(r.status, status, "{path}: {}", r.text());
        let e = r.json();
        assert_eq!(e["parameter"].as_str(), Some(param), "{path}: {e}");
        let msg = e["message"].as_str().unwrap();
        assert!(msg.contains(needle), "{path}: {msg}");
        // the API has no command-line flags
        assert!(!msg.contains("--"), "{path}: {msg}");
    }
}
