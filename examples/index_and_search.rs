//! Index a folder of documents and search it, through the library alone.
//!
//! Indexes the seed reports in `corpus/` (or the folder given) into a
//! temporary folder, then runs a few queries (or those given) and prints the
//! passages found, with the places and year extracted from their documents:
//! a Lithuanian and a Russian word, an English word that finds the Russian
//! passage by its cognate key, and a city written without diacritics.
//!
//! ```text
//! cargo run --release --example index_and_search [CORPUS] [QUERY...]
//! ```

use repsearch::indexer::{self, IndexOptions, NoProgress};
use repsearch::search::{SearchRequest, Searcher};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let corpus = args.next().unwrap_or_else(|| "corpus".to_string());
    let mut queries: Vec<String> = args.collect();
    if queries.is_empty() {
        queries = ["robotikos", "металлургия", "metallurgy", "Panevezys"]
            .map(String::from)
            .to_vec();
    }

    // 1. Index: read every document, split it into passages, detect their
    //    language, analyse them for every field, extract places and years.
    let dir = tempfile::tempdir()?;
    let index = dir.path().join("index");
    let summary = indexer::build(&IndexOptions::new(&corpus, &index), &NoProgress)?;
    println!(
        "indexed {} documents, {} passages from {corpus}",
        summary.documents, summary.passages
    );

    // 2. Search: open the live generation and run each query.
    let searcher = Searcher::open(&index)?;
    for q in queries {
        let mut req = SearchRequest::new(q.as_str());
        req.limit = 3;
        let results = searcher.search(&req)?;
        println!("\n{q}: {} matching passages", results.total_hits);
        for hit in &results.hits {
            let text: String = hit.text.split_whitespace().collect::<Vec<_>>().join(" ");
            let short: String = text.chars().take(160).collect();
            println!(
                "  {:.2}  {} #{} [{}] {:?} {:?} {:?}\n        {short}",
                hit.score, hit.doc, hit.passage, hit.lang, hit.city, hit.country, hit.year
            );
        }
    }
    Ok(())
}
