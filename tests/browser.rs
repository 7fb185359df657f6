//! The search page end to end in headless Chromium, driven through
//! chromedriver's W3C WebDriver protocol (JSON over HTTP, spoken with the
//! small client in `http.rs`: a dozen calls do not need a WebDriver crate
//! and its async stack in the test build).
//!
//! Loads the page from `repsearch serve` on the sample corpus, searches
//! [`QUERY`], clicks the country facet "Japan", and checks that seed 000's
//! passage is shown with the match highlighted; then follows the hit to the
//! whole document and checks the passage is in view, and checks the page at
//! phone width. Screenshots go to `target/test-artifacts/`. Without Debian's
//! `chromium` and `chromium-driver` the test prints why and skips.

use crate::http::{request, Response, Server};
use crate::util::{seed, seed_index};
use serde_json::{json, Value};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const CHROMIUM: &str = "/usr/bin/chromium";
/// The query typed into the page, as the issue names it: the English word
/// finds seed 000's Lithuanian "robotikos" through its cognate key.
const QUERY: &str = "robotics";
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

fn chromedriver() -> Option<PathBuf> {
    ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_file())
}

fn artifacts() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/test-artifacts");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// chromedriver and one browser session; both end when dropped.
struct Browser {
    driver: Child,
    addr: String,
    session: String,
}

impl Browser {
    fn start(driver: &Path, profile: &Path) -> Browser {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let addr = format!("127.0.0.1:{port}");
        let t = Instant::now();
        while std::net::TcpStream::connect(&addr).is_err() {
            assert!(
                t.elapsed() < Duration::from_secs(20),
                "chromedriver did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        let mut b = Browser {
            driver: child,
            addr,
            session: String::new(),
        };
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                    "--disable-background-networking", "--disable-dev-shm-usage",
                    "--window-size=1280,900", "--hide-scrollbars",
                    format!("--user-data-dir={}", profile.display()),
                ],
            },
        }}});
        let v = b.call("POST", "/session", Some(caps));
        b.session = v["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {v}"))
            .to_string();
        b
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let body = body.map(|b| b.to_string());
        let r: Response = request(&self.addr, method, path, body.as_deref());
        let v = r.json();
        assert_eq!(r.status, 200, "{method} {path}: {v}");
        v["value"].clone()
    }

    /// Finds the element and clicks it, again while the page replaces it
    /// (a search answer re-renders the facets and hits: an element found
    /// a moment before can be stale by the click, more so on a busy machine).
    fn click(&self, css: &str) {
        let t = Instant::now();
        loop {
            let found = request(
                &self.addr,
                "POST",
                &format!("/session/{}/element", self.session),
                Some(&json!({"using": "css selector", "value": css}).to_string()),
            );
            let id = found.json()["value"][ELEMENT].as_str().map(str::to_string);
            if let Some(id) = id {
                let r = request(
                    &self.addr,
                    "POST",
                    &format!("/session/{}/element/{id}/click", self.session),
                    Some("{}"),
                );
                if r.status == 200 {
                    return;
                }
            }
            assert!(
                t.elapsed() < Duration::from_secs(15),
                "could not click {css}: {}",
                found.json()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn cmd(&self, method: &str, path: &str, body: Value) -> Value {
        let body = Some(body).filter(|b| !b.is_null());
        self.call(method, &format!("/session/{}{path}", self.session), body)
    }

    fn goto(&self, url: &str) {
        self.cmd("POST", "/url", json!({ "url": url }));
    }

    fn find(&self, css: &str) -> String {
        let v = self.cmd(
            "POST",
            "/element",
            json!({"using": "css selector", "value": css}),
        );
        v[ELEMENT]
            .as_str()
            .unwrap_or_else(|| panic!("no element {css}: {v}"))
            .to_string()
    }

    fn script(&self, js: &str) -> Value {
        self.cmd("POST", "/execute/sync", json!({"script": js, "args": []}))
    }

    /// Runs `js` until it returns something truthy (a 15 s limit).
    fn wait_for(&self, what: &str, js: &str) -> Value {
        let t = Instant::now();
        loop {
            let v = self.script(js);
            if !(v.is_null() || v == false || v == "") {
                return v;
            }
            assert!(
                t.elapsed() < Duration::from_secs(15),
                "timed out waiting for {what}; page says: {}",
                self.script("return document.querySelector('#status').textContent")
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn screenshot(&self, file: &Path) {
        let v = self.cmd("GET", "/screenshot", Value::Null);
        let png = base64_decode(v.as_str().unwrap());
        assert!(png.starts_with(b"\x89PNG"), "a PNG");
        std::fs::write(file, png).unwrap();
        println!("screenshot: {}", file.display());
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = request(
                &self.addr,
                "DELETE",
                &format!("/session/{}", self.session),
                None,
            );
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn base64_decode(s: &str) -> Vec<u8> {
    let val = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => panic!("bad base64 byte {c}"),
    };
    let bytes: Vec<u8> = s
        .bytes()
        .filter(|c| !c.is_ascii_whitespace() && *c != b'=')
        .collect();
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    for chunk in bytes.chunks(4) {
        let mut n = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            n |= u32::from(val(c)) << (18 - 6 * i);
        }
        let full = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&full[..chunk.len() - 1]);
    }
    out
}

#[test]
fn search_filter_by_facet_and_open_the_document_in_chromium() {
    let Some(driver) = chromedriver().filter(|_| Path::new(CHROMIUM).is_file()) else {
        println!(
            "skipped: the browser test needs Debian's chromium and chromium-driver \
             ({CHROMIUM} and /usr/bin/chromedriver); .ci/run installs them"
        );
        return;
    };
    let server = Server::start(&seed_index().join("index"), &[]);
    let profile = tempfile::tempdir().unwrap();
    let b = Browser::start(&driver, profile.path());
    let base = format!("http://{}/", server.addr);
    b.goto(&base);

    // search from the keyboard: type the query and press Enter
    let q = b.find("#q");
    b.cmd(
        "POST",
        &format!("/element/{q}/value"),
        json!({"text": format!("{QUERY}\u{E007}")}),
    );
    b.wait_for(
        "the country facet Japan",
        r#"return document.querySelector('.facet[data-facet="country"] button[data-value="Japan"]') !== null"#,
    );
    b.click(r#".facet[data-facet="country"] button[data-value="Japan"]"#);

    let seed000 = seed("000");
    let state = b.wait_for(
        "hits filtered by Japan",
        r#"const on = document.querySelector('.facet[data-facet="country"] button[aria-pressed="true"]');
           if (!on || !location.search.includes('country=Japan')) return null;
           const hits = [...document.querySelectorAll('#hits li.hit')];
           if (!hits.length) return null;
           return { url: location.search, pressed: on.dataset.value,
                    focused: document.activeElement.dataset.value || null,
                    hits: hits.map(h => ({ doc: h.dataset.doc,
                                            marks: [...h.querySelectorAll('mark')].map(m => m.textContent),
                                            meta: h.querySelector('.meta').textContent })) };"#,
    );
    assert_eq!(state["pressed"], "Japan");
    assert_eq!(
        state["focused"], "Japan",
        "focus stays on the facet clicked"
    );
    let url = state["url"].as_str().unwrap();
    assert!(
        url.contains(&format!("q={QUERY}")) && url.contains("country=Japan"),
        "{url}"
    );
    let hits = state["hits"].as_array().unwrap();
    let hit = hits
        .iter()
        .find(|h| h["doc"] == seed000.as_str())
        .unwrap_or_else(|| panic!("seed 000 among the hits: {state}"));
    let marks: Vec<&str> = hit["marks"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m.as_str())
        .collect();
    assert!(
        marks.iter().any(|m| m.to_lowercase().starts_with("robot")),
        "the match is highlighted: {marks:?}"
    );
    let meta = hit["meta"].as_str().unwrap();
    for shown in ["lt", "Panevėžys", "Japan", "2018"] {
        assert!(meta.contains(shown), "{shown} in {meta}");
    }
    for h in hits {
        assert!(
            h["meta"].as_str().unwrap().contains("Japan"),
            "every hit is about Japan: {h}"
        );
    }
    b.screenshot(&artifacts().join("serve-japan.png"));

    // the shared URL gives the same page
    b.goto(&format!("{base}{url}"));
    b.wait_for(
        "the shared URL",
        &format!(
            "return document.querySelectorAll('#hits li.hit mark').length > 0 && \
             document.querySelector('#q').value === '{QUERY}'"
        ),
    );

    // the hit's link opens the whole document with the passage in view
    b.click(&format!(r#"#hits li.hit[data-doc="{seed000}"] h3 a"#));
    let doc = b.wait_for(
        "the document view",
        r#"const cur = document.querySelector('#doc .doc-passage.current');
           if (!cur) return null;
           const r = cur.getBoundingClientRect();
           return { marks: cur.querySelectorAll('mark').length,
                    inView: r.top >= 0 && r.top < innerHeight,
                    passages: document.querySelectorAll('#doc .doc-passage').length,
                    url: location.search };"#,
    );
    assert_eq!(doc["inView"], true, "{doc}");
    assert!(doc["marks"].as_u64().unwrap() > 0, "{doc}");
    assert!(doc["passages"].as_u64().unwrap() > 1, "{doc}");
    b.screenshot(&artifacts().join("serve-document.png"));

    // phone width: nothing wider than the screen
    b.cmd("POST", "/window/rect", json!({"width": 390, "height": 844}));
    b.goto(&format!("{base}{url}"));
    let fits = b.wait_for(
        "the page at phone width",
        r#"if (!document.querySelector('#hits li.hit mark')) return null;
           return { scroll: document.documentElement.scrollWidth, width: innerWidth };"#,
    );
    assert!(
        fits["scroll"].as_u64() <= fits["width"].as_u64(),
        "no horizontal scrolling at phone width: {fits}"
    );
    b.screenshot(&artifacts().join("serve-phone.png"));
}
