//! Integration tests: the real `repsearch` binary on real text.
//!
//! - `util`: builds the sample-corpus index once, runs the binary.
//! - `seeds`: searches on the user's three sample reports.
//! - `errors`: bad input gives one clear line and exit code 2.
//! - `analyze`: the `analyze` subcommand.
//! - `swap`: rebuilds, locks and the live index.
//! - `hostile`: unreadable files, link loops, a full disk.
//! - `query_language`: slop, prefixes, typos, filters, --plain, --per-doc, --explain.
//! - `http`: a minimal HTTP client and the `serve` process.
//! - `serve`: the JSON API of `repsearch serve`.
//! - `shards`: `index --shards N`, `--shard I/N --into DIR`, `--update` of a
//!   sharded index.
//! - `regressions`: one test per failure of issue 15's attack.
//! - `sharded`: a sharded index answers byte for byte as one index.
//! - `schemathesis`: the API against its OpenAPI description, every check
//!   (skips without the `.venv` that `.ci/run` sets up).
//! - `browser`: the search page in headless Chromium (skips without it).

mod analyze;
mod browser;
mod bulk;
mod errors;
mod facets;
mod formats;
mod fuzz;
mod hostile;
mod http;
mod query_language;
mod rebuild;
mod regressions;
mod relevance;
mod schemathesis;
mod seeds;
mod serve;
mod sharded;
mod shards;
mod swap;
mod util;
