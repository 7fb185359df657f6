//! Load run of `repsearch serve` over loopback (a bench, not a test).
//!
//! ```sh
//! cargo bench --bench serve -- --index /tmp/scale-work/index --corpus /tmp/scale \
//!     [--requests 20000] [--clients 32] [--queries 1000] [--facet-limit 10] [--limit 10]
//!     [--cache-mb 0] [--prewarm] [--slowest N]
//! ```
//!
//! Starts the server in this process on 127.0.0.1 (any free port) over an
//! existing index, draws a deterministic query log from the corpus files
//! (single words, word pairs, phrases, language filters, as `scale query`),
//! warms up with 200 other queries from one client (`--prewarm`: with the
//! whole log), then sends exactly
//! `--requests` `GET /api/search` requests from `--clients` concurrent
//! clients, each on its own keep-alive connection, and reports throughput
//! and latency percentiles (`--slowest N`: then each distinct query once
//! more from one client, with the mean and the N slowest). The log is sent in order and repeats after
//! `--queries` requests, so with `--cache-mb` above 0 the first pass misses
//! the server's answer cache and later passes hit it. Every answer must be a
//! 200 with JSON; the run stops by itself.

mod common;

/// The allocator of the `repsearch` binary, so that searches and the server
/// run in this process as they run in the binary.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use common::{arg, corpus_files, percentile, random_words};
use repsearch::server::{Config, Server, Source};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn enc(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// A deterministic query log drawn from the corpus, as URLs.
fn query_log(files: &[PathBuf], n: usize, extra: &str, seed: u64) -> Vec<String> {
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut out = Vec::new();
    let mut tries = 0;
    while out.len() < n {
        tries += 1;
        assert!(tries < n * 100, "the corpus has too few words");
        let Some(words) = random_words(files, &mut rng) else {
            continue;
        };
        let i = rng.usize(0..words.len() - 1);
        let q = match out.len() % 5 {
            0 | 1 => format!("q={}", enc(&words[i])),
            2 => format!(
                "q={}",
                enc(&format!(
                    "{} {}",
                    words[i],
                    words[rng.usize(0..words.len())]
                ))
            ),
            3 => format!("q={}", enc(&format!("\"{} {}\"", words[i], words[i + 1]))),
            _ => format!(
                "q={}&lang={}",
                enc(&words[i]),
                ["lt", "ru", "en"][rng.usize(0..3)]
            ),
        };
        out.push(format!("/api/search?{q}{extra}"));
    }
    out
}

/// One keep-alive connection.
struct Client {
    r: BufReader<TcpStream>,
    addr: String,
}

impl Client {
    fn connect(addr: &str) -> Client {
        let s = TcpStream::connect(addr).expect("connect");
        s.set_nodelay(true).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        Client {
            r: BufReader::new(s),
            addr: addr.to_string(),
        }
    }

    /// Sends a GET and reads the answer: status and body.
    fn get(&mut self, path: &str) -> (u16, Vec<u8>) {
        let req = format!("GET {path} HTTP/1.1\r\nHost: {}\r\n\r\n", self.addr);
        self.r.get_mut().write_all(req.as_bytes()).expect("send");
        let mut line = String::new();
        self.r.read_line(&mut line).expect("status line");
        let status: u16 = line
            .split_whitespace()
            .nth(1)
            .and_then(|c| c.parse().ok())
            .expect("status");
        let mut len = 0usize;
        loop {
            line.clear();
            self.r.read_line(&mut line).expect("header");
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            if let Some((k, v)) = l.split_once(':') {
                if k.eq_ignore_ascii_case("content-length") {
                    len = v.trim().parse().expect("content-length");
                }
            }
        }
        let mut body = vec![0; len];
        self.r.read_exact(&mut body).expect("body");
        assert!(body.first() == Some(&b'{'), "a JSON answer");
        (status, body)
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(index), Some(corpus)) = (arg(&args, "--index"), arg(&args, "--corpus")) else {
        eprintln!("usage: serve --index DIR --corpus DIR [--requests N] [--clients N] [--queries N] [--facet-limit N] [--limit N] [--cache-mb MB] [--prewarm] [--slowest N]");
        return;
    };
    let num = |name: &str, default: usize| -> usize {
        arg(&args, name)
            .map(|v| v.parse().expect("a number"))
            .unwrap_or(default)
    };
    let requests = num("--requests", 20_000);
    let clients = num("--clients", 32);
    let nq = num("--queries", 1_000);
    let facet_limit = num("--facet-limit", 10);
    let limit = num("--limit", 10);

    let server = Server::bind(&Config {
        source: Source::Index(PathBuf::from(&index)),
        addr: "127.0.0.1:0".parse().unwrap(),
        cors_origin: None,
        cache_bytes: num("--cache-mb", 0) << 20,
        limits: Default::default(),
    })
    .expect("open the index and bind");
    let addr = server.local_addr().unwrap().to_string();
    std::thread::spawn(move || server.run_until(std::future::pending()));

    let files = corpus_files(Path::new(&corpus));
    let extra = format!("&limit={limit}&facet_limit={facet_limit}");
    let log = Arc::new(query_log(&files, nq, &extra, 7));
    // warm-up queries from another seed, so a cache starts cold for the run;
    // --prewarm sends the run's own log first instead (every request of the
    // run then comes from the cache, when there is one)
    let warm = if args.iter().any(|a| a == "--prewarm") {
        log.to_vec()
    } else {
        query_log(&files, 200, &extra, 8)
    };
    let mut c = Client::connect(&addr);
    let health: serde_json::Value =
        serde_json::from_slice(&c.get("/api/health").1).expect("health JSON");
    let passages = health["passages"].as_u64().unwrap_or(0);
    let t = Instant::now();
    for q in warm.iter() {
        let (status, _) = c.get(q);
        assert_eq!(status, 200, "{q}");
    }
    println!(
        "warm-up: {} queries from 1 client in {:.1} s",
        warm.len(),
        t.elapsed().as_secs_f64()
    );

    let next = Arc::new(AtomicUsize::new(0));
    let t = Instant::now();
    let handles: Vec<_> = (0..clients)
        .map(|_| {
            let (next, log, addr) = (next.clone(), log.clone(), addr.clone());
            std::thread::spawn(move || {
                let mut c = Client::connect(&addr);
                let mut lat = Vec::new();
                let mut bytes = 0usize;
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= requests {
                        break;
                    }
                    let q = &log[i % log.len()];
                    let t = Instant::now();
                    let (status, body) = c.get(q);
                    lat.push(t.elapsed().as_secs_f64() * 1000.0);
                    assert_eq!(status, 200, "{q}");
                    bytes += body.len();
                }
                (lat, bytes)
            })
        })
        .collect();
    let mut lat = Vec::with_capacity(requests);
    let mut bytes = 0;
    for h in handles {
        let (l, b) = h.join().expect("client");
        lat.extend(l);
        bytes += b;
    }
    let secs = t.elapsed().as_secs_f64();
    lat.sort_by(|a, b| a.total_cmp(b));
    println!(
        "index: {index} ({passages} passages); {} requests ({} distinct queries, limit {limit}, facet_limit {facet_limit}) from {clients} clients over loopback",
        lat.len(),
        log.len()
    );
    println!(
        "{:.0} requests/s in {secs:.1} s; latency p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.1} ms; {:.1} KB per answer",
        lat.len() as f64 / secs,
        percentile(&lat, 0.5),
        percentile(&lat, 0.9),
        percentile(&lat, 0.99),
        lat.last().copied().unwrap_or(0.0),
        bytes as f64 / lat.len().max(1) as f64 / 1024.0
    );
    // --slowest N: each distinct query once more from one client, to show
    // the mean service time and the queries that cost the most
    let slowest = num("--slowest", 0);
    if slowest > 0 {
        let mut timed: Vec<(f64, &String)> = log
            .iter()
            .map(|q| {
                let t = Instant::now();
                let (status, _) = c.get(q);
                assert_eq!(status, 200, "{q}");
                (t.elapsed().as_secs_f64() * 1000.0, q)
            })
            .collect();
        let mean = timed.iter().map(|t| t.0).sum::<f64>() / timed.len().max(1) as f64;
        timed.sort_by(|a, b| b.0.total_cmp(&a.0));
        println!("one client, each distinct query once: mean {mean:.2} ms; slowest:");
        for (ms, q) in timed.iter().take(slowest) {
            println!("  {ms:8.2} ms  {q}");
        }
    }
}
