//! `repsearch index`.

use super::{output, Outcome};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use repsearch::indexer::{
    self, BuildMode, IndexOptions, IndexSummary, NoProgress, Progress, ShardSpec, SkippedFile,
};
use repsearch::Result;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::IsTerminal;
use std::path::PathBuf;

/// Arguments of `repsearch index`.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Exit status: 0 every file indexed, 1 index built but some files skipped \
(listed in the summary), 2 error (the previous index is still live)."
)]
pub struct Args {
    /// Folder of reports to index (read recursively).
    #[arg(long, default_value = "corpus")]
    corpus: PathBuf,
    /// Index folder; the new index replaces the live one only when complete.
    #[arg(long, default_value = "index")]
    index: PathBuf,
    /// Re-index only files added, changed or removed since the live index.
    #[arg(long)]
    update: bool,
    /// Threads for reading and analysis [default: all cores].
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=1024))]
    threads: Option<u16>,
    /// Memory budget of the index writer, in MB.
    #[arg(long, default_value_t = 256, value_parser = clap::value_parser!(u32).range(16..=65536))]
    memory_mb: u32,
    /// Plain-text files larger than this (MB) are read from disk in chunks (any long text is analysed in chunks of 1 MB at most).
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..=65536))]
    stream_mb: u32,
    /// Replace a live index that has documents even when no document was indexed
    /// (by default that is refused: an empty or unmounted corpus folder).
    #[arg(long)]
    allow_empty: bool,
    /// Build a sharded index of N shards, each file in the shard its path
    /// routes it to (1: an ordinary index). With --update: as many as the live
    /// index has.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=256))]
    shards: Option<u32>,
    /// Build only shard I of N (numbered from 0) into --into DIR: what one task
    /// of a cluster rebuild runs (no index folder, no lock, no live link).
    #[arg(
        long,
        value_name = "I/N",
        requires = "into",
        conflicts_with_all = ["shards", "update", "index", "allow_empty"]
    )]
    shard: Option<ShardSpec>,
    /// The new or empty folder --shard writes its shard into.
    #[arg(long, value_name = "DIR", requires = "shard")]
    into: Option<PathBuf>,
    /// Print nothing but errors (no progress bar, no summary).
    #[arg(long, short)]
    quiet: bool,
}

/// A progress bar on stderr: files, MB, rate, ETA.
struct Bar(ProgressBar);

impl Progress for Bar {
    fn start(&self, files: usize, bytes: u64) {
        self.0.set_length(bytes);
        self.0.set_message(format!("0/{files} files"));
        self.0.set_prefix(files.to_string());
    }
    fn file_done(&self, bytes: u64) {
        self.0.inc(bytes);
        let done = self
            .0
            .message()
            .split('/')
            .next()
            .and_then(|n| n.parse::<u64>().ok())
            .unwrap_or(0)
            + 1;
        self.0
            .set_message(format!("{done}/{} files", self.0.prefix()));
    }
    fn finishing(&self) {
        self.0.set_message("writing the index…");
    }
}

/// Runs `repsearch index`.
pub fn run(a: Args) -> Result<Outcome> {
    let mut opts = IndexOptions::new(&a.corpus, &a.index);
    opts.threads = a.threads.map(usize::from);
    opts.writer_memory = a.memory_mb as usize * (1 << 20);
    opts.update = a.update;
    opts.stream_bytes = u64::from(a.stream_mb) << 20;
    opts.allow_empty = a.allow_empty;
    opts.shards = a.shards;
    let (summary, written) = match (a.shard, &a.into) {
        (Some(spec), Some(into)) => {
            let s = with_progress(a.quiet, |p| indexer::build_shard(&opts, spec, into, p))?;
            (s, format!("Shard {spec}: {}", into.display()))
        }
        _ => {
            let s = with_progress(a.quiet, |p| indexer::build(&opts, p))?;
            (s, format!("Index: {}", a.index.display()))
        }
    };
    if !a.quiet {
        output::print(&render(&summary, &written))?;
    }
    Ok(if summary.skipped.is_empty() {
        Outcome::Success
    } else {
        Outcome::Partial
    })
}

/// Runs a build with a progress bar on stderr when it is a terminal.
fn with_progress(
    quiet: bool,
    build: impl FnOnce(&dyn Progress) -> Result<IndexSummary>,
) -> Result<IndexSummary> {
    if quiet || !std::io::stderr().is_terminal() {
        return build(&NoProgress);
    }
    let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} {binary_bytes_per_sec} ETA {eta} {msg}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let bar = Bar(bar);
    let s = build(&bar);
    bar.0.finish_and_clear();
    s
}

/// The summary as printed; `written` is its last line (where the index is).
fn render(s: &IndexSummary, written: &str) -> String {
    let mut out = String::new();
    let mb = s.bytes as f64 / 1e6;
    let rate = if s.seconds > 0.0 { mb / s.seconds } else { 0.0 };
    let _ = writeln!(
        out,
        "{}: {} documents, {} passages in the index; read {} files ({mb:.2} MB) from {} in {:.2} s ({rate:.1} MB/s)",
        match s.mode {
            BuildMode::Update => "Updated",
            BuildMode::Rebuild => "Indexed",
        },
        s.documents,
        s.passages,
        s.processed_files,
        s.corpus,
        s.seconds,
    );
    if let Some(n) = &s.note {
        let _ = writeln!(out, "Note: {n}");
    }
    if let Some(c) = &s.changes {
        let _ = write!(
            out,
            "Changes: {} added, {} changed, {} removed, {} unchanged",
            c.added, c.changed, c.removed, c.unchanged
        );
        if c.retried > 0 {
            let _ = write!(out, ", {} skipped last time read again", c.retried);
        }
        out.push('\n');
    }
    let langs: Vec<String> = s
        .languages
        .iter()
        .map(|(l, n)| format!("{l} {n}"))
        .collect();
    let _ = writeln!(out, "Passages by language: {}", langs.join(", "));
    for sh in &s.shards {
        let _ = writeln!(
            out,
            "Shard {}: {} documents, {} passages; read {} files",
            sh.shard, sh.documents, sh.passages, sh.processed_files
        );
    }
    if s.skipped.is_empty() {
        let _ = writeln!(out, "Skipped: none");
    } else {
        list_files(&mut out, "Skipped", &s.skipped);
    }
    if !s.warnings.is_empty() {
        list_files(&mut out, "Indexed with a warning", &s.warnings);
    }
    let _ = writeln!(out, "{written}");
    out
}

/// Files listed in the summary, counted by the kind of reason, then the
/// first 20 with their whole reason.
fn list_files(out: &mut String, title: &str, files: &[SkippedFile]) {
    let mut by_reason: BTreeMap<String, usize> = BTreeMap::new();
    for f in files {
        *by_reason.entry(f.reason.kind()).or_default() += 1;
    }
    let reasons: Vec<String> = by_reason.iter().map(|(r, n)| format!("{r} {n}")).collect();
    let _ = writeln!(out, "{title} {} files: {}", files.len(), reasons.join(", "));
    for f in files.iter().take(20) {
        let _ = writeln!(out, "  {}: {}", f.path, f.reason);
    }
    if files.len() > 20 {
        let _ = writeln!(out, "  … and {} more", files.len() - 20);
    }
}
