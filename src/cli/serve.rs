//! `repsearch serve`: the JSON API and the search page (see `repsearch::server`).

use super::Outcome;
use repsearch::server::{Config, Server};
use repsearch::{Error, Result};
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;

/// Arguments of `repsearch serve`.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Routes: / (search page), /api/search, /api/facets, /api/doc/{id}, /api/health, \
/api/openapi.json. A rebuilt index is picked up without a restart. Stop with Ctrl-C."
)]
pub struct Args {
    /// Index folder.
    #[arg(long, default_value = "index")]
    index: PathBuf,
    /// Address to listen on (port 0: any free port; the address is printed).
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Allow pages of this origin (e.g. https://example.org) to call the API
    /// from a browser (CORS). Off by default.
    #[arg(long, value_name = "ORIGIN")]
    cors_origin: Option<String>,
    /// Megabytes of answers to keep per index generation (0: no cache).
    #[arg(long, default_value_t = 64, value_name = "MB")]
    cache_mb: usize,
}

/// Runs `repsearch serve` until Ctrl-C or SIGTERM.
pub fn run(a: Args) -> Result<Outcome> {
    let cors_origin = a
        .cors_origin
        .as_deref()
        .map(|o| {
            o.parse().map_err(|_| {
                Error::user(format!(
                    "--cors-origin '{o}' is not a valid origin: give e.g. https://example.org"
                ))
            })
        })
        .transpose()?;
    let server = Server::bind(&Config {
        index: a.index.clone(),
        addr: a.addr,
        cors_origin,
        cache_bytes: a.cache_mb.saturating_mul(1 << 20),
    })?;
    let addr = server.local_addr()?;
    let mut out = std::io::stdout().lock();
    // the first line names the address (tests and scripts read it)
    let _ = writeln!(
        out,
        "repsearch: serving {} at http://{addr}/ (Ctrl-C to stop)",
        a.index.display()
    );
    let _ = out.flush();
    drop(out);
    server.run()?;
    Ok(Outcome::Success)
}
