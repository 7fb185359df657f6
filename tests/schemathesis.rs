//! A bounded schemathesis run against `repsearch serve` on the sample index,
//! with every check (`--checks all`): the OpenAPI description must state the
//! server's real constraints (what it accepts, what it refuses, the statuses,
//! headers and bodies of its answers).
//!
//! schemathesis is pinned and installed by `.ci/run` in `.venv/` (ignored by
//! git); `REPSEARCH_SCHEMATHESIS=/path/to/schemathesis` names another one.
//! Without it the test prints why and skips, so a clone without Python still
//! passes `cargo test --release`.

use crate::http::Server;
use crate::util::seed_index;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The version `.ci/run` installs.
const PINNED: &str = "4.32.5";
/// Test cases per operation and phase.
const MAX_EXAMPLES: &str = "30";
/// The run is killed (and the test fails) after this long.
const DEADLINE: Duration = Duration::from_secs(240);

fn schemathesis() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("REPSEARCH_SCHEMATHESIS") {
        return Some(p.into());
    }
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/schemathesis");
    p.is_file().then_some(p)
}

/// Reads a child's pipe to the end on a thread (so a full pipe never blocks it).
fn drain(mut r: impl Read + Send + 'static) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = r.read_to_end(&mut s);
        String::from_utf8_lossy(&s).into_owned()
    })
}

#[test]
fn schemathesis_with_every_check_finds_no_failure() {
    let Some(exe) = schemathesis() else {
        eprintln!(
            "skipped: schemathesis not installed (.ci/run installs schemathesis=={PINNED} in .venv/; \
             or set REPSEARCH_SCHEMATHESIS)"
        );
        return;
    };
    let server = Server::start(&seed_index().join("index"), &[]);
    // hypothesis keeps its database in the working folder
    let work = tempfile::tempdir().unwrap();
    let mut child = Command::new(&exe)
        .current_dir(work.path())
        .env("NO_COLOR", "1")
        .args([
            "run",
            &format!("http://{}/api/openapi.json", server.addr),
            "--checks",
            "all",
            "--max-examples",
            MAX_EXAMPLES,
            // reproducible: the same requests on every run
            "--seed",
            "15",
            "--workers",
            "2",
            "--request-timeout",
            "30",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", exe.display()));
    let out = drain(child.stdout.take().unwrap());
    let err = drain(child.stderr.take().unwrap());
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break Some(s);
        }
        if start.elapsed() > DEADLINE {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    let (out, err) = (out.join().unwrap(), err.join().unwrap());
    let status = status.unwrap_or_else(|| {
        panic!("schemathesis ran over {DEADLINE:?}:\n{out}\n{err}");
    });
    assert!(
        status.success(),
        "schemathesis found failures:\n{out}\n{err}"
    );
    eprintln!("schemathesis: {}", out.lines().last().unwrap_or(""));
}
