//! `repsearch eval`: measuring the engine against evaluation sets.

use super::{output, Outcome};
use repsearch::{Error, Result};
use std::path::{Path, PathBuf};

/// The evaluations.
#[derive(clap::Subcommand, Debug)]
pub enum Command {
    /// Accuracy of language identification per language and unit, on a TSV
    /// file of `lang<TAB>text<TAB>unit` lines (e.g. ../shared/eval/langid-dev.tsv).
    Langid {
        /// The TSV file.
        file: PathBuf,
    },
    /// Precision, recall and F1 of city and country extraction and year
    /// accuracy, per language and source, against a facet gold file
    /// (e.g. ../shared/eval/facets-dev.jsonl).
    Facets {
        /// The gold JSON Lines file.
        gold: PathBuf,
        /// Folder the gold's document paths are relative to.
        #[arg(long, default_value = "../shared/corpora")]
        corpus: PathBuf,
    },
    /// MRR@10, nDCG@10 and Recall@100 per query kind and language (and
    /// direction, for cross-language queries) on a relevance file (e.g.
    /// ../shared/eval/relevance-dev.jsonl), beside a baseline index built
    /// with tantivy's default tokenizer on the same documents.
    Relevance {
        /// The relevance JSON Lines file.
        gold: PathBuf,
        /// Folder the gold's document paths are relative to; it is indexed
        /// (both engines) unless --index is given.
        #[arg(long, default_value = "../shared/corpora")]
        corpus: PathBuf,
        /// Top-level entries of the corpus folder left out (the protocol
        /// leaves out ddtp/ and README.md).
        #[arg(long, default_values = ["ddtp", "README.md"])]
        exclude: Vec<String>,
        /// Use this repsearch index instead of building one.
        #[arg(long)]
        index: Option<PathBuf>,
        /// Folder for the indexes built (default: a temporary folder, removed after).
        #[arg(long)]
        work: Option<PathBuf>,
        /// Skip the baseline.
        #[arg(long)]
        no_baseline: bool,
        /// Also write the engine's ranking per query (JSON Lines: qid, docs),
        /// the run format of shared/eval/score.py.
        #[arg(long)]
        run: Option<PathBuf>,
    },
}

/// Runs an evaluation.
pub fn run(c: Command) -> Result<Outcome> {
    let text = match c {
        Command::Langid { file } => repsearch::eval::langid::evaluate(&file)
            .map_err(Error::command)?
            .to_string(),
        Command::Facets { gold, corpus } => {
            if !corpus.is_dir() {
                return Err(Error::command(format!(
                    "corpus folder '{}' not found: pass --corpus DIR, the folder the gold paths are relative to",
                    corpus.display()
                )));
            }
            repsearch::eval::facets::evaluate(&gold, &corpus)
                .map_err(Error::command)?
                .to_string()
        }
        Command::Relevance {
            gold,
            corpus,
            exclude,
            index,
            work,
            no_baseline,
            run,
        } => relevance(&gold, &corpus, &exclude, index, work, no_baseline, run)?,
    };
    output::print(&text)?;
    Ok(Outcome::Success)
}

/// A folder of links to the corpus's top-level entries, minus the excluded ones.
fn corpus_view(corpus: &Path, exclude: &[String], view: &Path) -> Result<()> {
    let _ = std::fs::remove_dir_all(view);
    std::fs::create_dir_all(view).map_err(|e| Error::io(view, e))?;
    let corpus = corpus.canonicalize().map_err(|e| Error::io(corpus, e))?;
    for e in std::fs::read_dir(&corpus).map_err(|e| Error::io(&corpus, e))? {
        let e = e.map_err(|e| Error::io(&corpus, e))?;
        let name = e.file_name();
        if exclude.iter().any(|x| name.to_string_lossy() == x.as_str()) {
            continue;
        }
        let link = view.join(&name);
        std::os::unix::fs::symlink(e.path(), &link).map_err(|e| Error::io(&link, e))?;
    }
    Ok(())
}

fn relevance(
    gold: &Path,
    corpus: &Path,
    exclude: &[String],
    index: Option<PathBuf>,
    work: Option<PathBuf>,
    no_baseline: bool,
    run: Option<PathBuf>,
) -> Result<String> {
    use repsearch::eval::relevance::{self as rel, baseline::Baseline};
    let queries = rel::load(gold)?;
    if !corpus.is_dir() && (index.is_none() || !no_baseline) {
        return Err(Error::command(format!(
            "corpus folder '{}' not found: pass --corpus DIR, the folder the gold paths are relative to",
            corpus.display()
        )));
    }
    let temporary = work.is_none();
    let work = work.unwrap_or_else(|| {
        std::env::temp_dir().join(format!("repsearch-eval-{}", std::process::id()))
    });
    let result = (|| {
        let view = work.join("corpus");
        if index.is_none() || !no_baseline {
            corpus_view(corpus, exclude, &view)?;
        }
        let index = match index {
            Some(i) => i,
            None => {
                let i = work.join("index");
                eprintln!("indexing {} ...", corpus.display());
                repsearch::indexer::build(
                    &repsearch::indexer::IndexOptions::new(&view, &i),
                    &repsearch::indexer::NoProgress,
                )?;
                i
            }
        };
        let searcher = repsearch::search::Searcher::open(&index)?;
        let mut runs = Vec::new();
        let engine = rel::evaluate(&queries, |q| {
            let r = rel::engine_ranking(&searcher, q);
            runs.push(r.clone());
            r
        });
        if let Some(path) = &run {
            let mut out = String::new();
            for (g, docs) in queries.iter().zip(&runs) {
                out.push_str(&serde_json::json!({"qid": g.qid, "docs": docs}).to_string());
                out.push('\n');
            }
            std::fs::write(path, out).map_err(|e| Error::io(path, e))?;
        }
        let baseline = if no_baseline {
            None
        } else {
            eprintln!("indexing the baseline ...");
            let b = Baseline::build(&view, &work.join("baseline"))?;
            Some(rel::evaluate(&queries, |q| b.search(q).unwrap_or_default()))
        };
        Ok(rel::Report { engine, baseline }.to_string())
    })();
    if temporary {
        let _ = std::fs::remove_dir_all(&work);
    }
    result
}
