//! `repsearch index`.

use super::{output, Outcome};
use repsearch::indexer::{self, IndexOptions, IndexSummary};
use repsearch::Result;
use std::fmt::Write as _;
use std::path::PathBuf;

/// Arguments of `repsearch index`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Folder of reports to index (read recursively).
    #[arg(long, default_value = "corpus")]
    corpus: PathBuf,
    /// Index folder; the new index replaces the live one only when complete.
    #[arg(long, default_value = "index")]
    index: PathBuf,
    /// Threads for reading and analysis [default: all cores].
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=1024))]
    threads: Option<u16>,
    /// Memory budget of the index writer, in MB.
    #[arg(long, default_value_t = 256, value_parser = clap::value_parser!(u32).range(16..=65536))]
    memory_mb: u32,
    /// Print nothing but errors.
    #[arg(long, short)]
    quiet: bool,
}

/// Runs `repsearch index`.
pub fn run(a: Args) -> Result<Outcome> {
    let mut opts = IndexOptions::new(&a.corpus, &a.index);
    opts.threads = a.threads.map(usize::from);
    opts.writer_memory = a.memory_mb as usize * (1 << 20);
    let summary = indexer::build(&opts)?;
    if !a.quiet {
        output::print(&render(&summary, &a.index))?;
    }
    Ok(if summary.skipped.is_empty() {
        Outcome::Success
    } else {
        Outcome::Partial
    })
}

fn render(s: &IndexSummary, index: &std::path::Path) -> String {
    let mut out = String::new();
    let mb = s.bytes as f64 / 1e6;
    let _ = writeln!(
        out,
        "Indexed {} documents, {} passages ({:.2} MB) from {} in {:.2} s ({:.1} MB/s)",
        s.documents,
        s.passages,
        mb,
        s.corpus,
        s.seconds,
        if s.seconds > 0.0 { mb / s.seconds } else { 0.0 }
    );
    let langs: Vec<String> = s
        .languages
        .iter()
        .map(|(l, n)| format!("{l} {n}"))
        .collect();
    let _ = writeln!(out, "Passages by language: {}", langs.join(", "));
    if s.skipped.is_empty() {
        let _ = writeln!(out, "Skipped: none");
    } else {
        let _ = writeln!(out, "Skipped {} files:", s.skipped.len());
        for f in s.skipped.iter().take(20) {
            let _ = writeln!(out, "  {}: {}", f.path, f.reason);
        }
        if s.skipped.len() > 20 {
            let _ = writeln!(out, "  … and {} more", s.skipped.len() - 20);
        }
    }
    let _ = writeln!(out, "Index: {}", index.display());
    out
}
