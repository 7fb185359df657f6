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
