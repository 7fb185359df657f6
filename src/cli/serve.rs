//! `repsearch serve`: the JSON API and the search page (see `repsearch::server`).

use super::Outcome;
use repsearch::server::conn::{self, Limits};
use repsearch::server::{Config, Server, Source};
use repsearch::{Error, Result};
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

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
    /// Connections served at once; beyond, 503 with Retry-After [default:
    /// from the open-file limit, 716 for 1024 open files].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    max_connections: Option<u32>,
    /// Seconds a client has to send a whole request head (decimals allowed).
    #[arg(long, default_value = "10", value_name = "SECS", value_parser = seconds)]
    header_timeout: Duration,
    /// Seconds a connection may stay silent between requests before it is
    /// closed (decimals allowed).
    #[arg(long, default_value = "5", value_name = "SECS", value_parser = seconds)]
    idle_timeout: Duration,
    /// Serve only shard I of the index's sharded generation, on the
    /// internal per-shard routes a coordinator calls (/shard/*; keep the
    /// default loopback address unless the network is private).
    #[arg(long, value_name = "I", conflicts_with = "remote_shards")]
    shard: Option<u32>,
    /// Serve the API and page over the shards of one index served
    /// elsewhere by `repsearch serve --shard`, given as base URLs in shard
    /// order (http://host:port,...); --index is not read.
    #[arg(long, value_name = "URLS", value_delimiter = ',', num_args = 1..)]
    remote_shards: Vec<String>,
    /// Seconds a remote shard may take to answer before the answer leaves
    /// it out and says so ("shards": {"failed"}).
    #[arg(long, default_value = "3", value_name = "SECS", value_parser = seconds)]
    shard_timeout: Duration,
}

/// A positive number of seconds, at most a day.
fn seconds(s: &str) -> std::result::Result<Duration, String> {
    s.trim()
        .parse::<f64>()
        .ok()
        .filter(|v| *v >= 0.001 && *v <= 86_400.0)
        .map(Duration::from_secs_f64)
        .ok_or_else(|| {
            format!("'{s}' is not a number of seconds from 0.001 to 86400, e.g. 10 or 2.5")
        })
}

/// The shards' base URLs, checked: `http://` and a host.
fn remote_urls(urls: &[String]) -> Result<Vec<String>> {
    urls.iter()
        .map(|u| {
            let u = u.trim();
            match u.strip_prefix("http://") {
                Some(rest) if !rest.is_empty() && !rest.starts_with('/') => Ok(u.to_string()),
                _ => Err(Error::command(format!(
                    "--remote-shards: '{u}' is not a shard's base URL: give e.g. http://10.0.0.5:7701"
                ))),
            }
        })
        .collect()
}

/// Runs `repsearch serve` until Ctrl-C or SIGTERM.
pub fn run(a: Args) -> Result<Outcome> {
    let cors_origin = a
        .cors_origin
        .as_deref()
        .map(|o| {
            o.parse().map_err(|_| {
                Error::command(format!(
                    "--cors-origin '{o}' is not a valid origin: give e.g. https://example.org"
                ))
            })
        })
        .transpose()?;
    let source = match (a.shard, a.remote_shards.is_empty()) {
        (Some(shard), _) => Source::Shard {
            index: a.index.clone(),
            shard,
        },
        (None, false) => Source::Remote {
            urls: remote_urls(&a.remote_shards)?,
            timeout: a.shard_timeout,
        },
        (None, true) => Source::Index(a.index.clone()),
    };
    let serving = match &source {
        Source::Index(dir) => dir.display().to_string(),
        Source::Shard { index, shard } => format!("shard {shard} of {}", index.display()),
        Source::Remote { urls, .. } => format!("{} remote shards", urls.len()),
    };
    let server = Server::bind(&Config {
        source,
        addr: a.addr,
        cors_origin,
        cache_bytes: a.cache_mb.saturating_mul(1 << 20),
        limits: Limits {
            header_timeout: a.header_timeout,
            idle_timeout: a.idle_timeout,
            max_connections: a
                .max_connections
                .map_or_else(conn::default_max_connections, |n| n as usize),
        },
    })?;
    let addr = server.local_addr()?;
    let mut out = std::io::stdout().lock();
    // the first line names the address (tests and scripts read it)
    let _ = writeln!(
        out,
        "repsearch: serving {serving} at http://{addr}/ (Ctrl-C to stop)"
    );
    let _ = out.flush();
    drop(out);
    server.run()?;
    Ok(Outcome::Success)
}
