//! Shards on other machines: the coordinator's client of the per-shard
//! routes of `repsearch serve --shard` ([`crate::server`]), and what those
//! routes send back.
//!
//! The routes take and give JSON: `POST /shard/answer` ([`Questions`] →
//! [`Answers`]), `POST /shard/execute` (`{"generation", "run"}` →
//! [`ShardPage`]; 409 when the shard no longer serves that generation),
//! `POST /shard/document` (`{"doc", "terms"}` → a document or `null`) and
//! `GET /shard/info`. Every call has a timeout: a shard that does not
//! answer in time is left out of the answer, which says so.

use super::document::Document;
use super::highlight::MatchTerms;
use super::results::{Hit, SearchResults};
use super::shards::{Execute, Shard};
use super::stats::{Answers, Questions};
use crate::error::{Error, Result};
use crate::facets::{value_name, Facet, FacetCounts, FacetValue};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// A shard's answer to round 2, as sent: the hits with their match spans,
/// the total, and every facet value's raw value and count.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct ShardPage {
    total_hits: usize,
    hits: Vec<(Hit, Vec<(usize, usize)>)>,
    /// (facet, raw value, count).
    facets: Vec<(usize, u64, u64)>,
}

impl From<SearchResults> for ShardPage {
    fn from(r: SearchResults) -> ShardPage {
        let mut facets = Vec::new();
        for (k, f) in Facet::ALL.into_iter().enumerate() {
            facets.extend(r.facets.get(f).iter().map(|v| (k, v.raw, v.count)));
        }
        ShardPage {
            total_hits: r.total_hits,
            hits: r
                .hits
                .into_iter()
                .map(|h| {
                    let spans = h.spans.iter().map(|s| (s.start, s.end)).collect();
                    (h, spans)
                })
                .collect(),
            facets,
        }
    }
}

impl ShardPage {
    /// The search results it stands for.
    fn into_results(self, query: &str) -> SearchResults {
        let mut facets = FacetCounts::default();
        for (k, raw, count) in self.facets {
            if let Some(&f) = Facet::ALL.get(k) {
                facets.get_mut(f).push(FacetValue {
                    value: value_name(f, raw),
                    count,
                    raw,
                });
            }
        }
        SearchResults {
            query: query.to_string(),
            total_hits: self.total_hits,
            hits: self
                .hits
                .into_iter()
                .map(|(mut h, spans)| {
                    h.spans = spans.into_iter().map(|(a, b)| a..b).collect();
                    h
                })
                .collect(),
            facets,
            shards: None,
        }
    }
}

/// What `GET /shard/info` answers.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct ShardInfo {
    /// The generation served.
    pub(crate) generation: String,
    /// Passages in the shard.
    pub(crate) passages: u64,
}

/// The body of `POST /shard/execute`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct ExecuteBody {
    /// The generation the plan was made on.
    pub(crate) generation: String,
    /// The plan and its statistics.
    pub(crate) run: Execute,
}

/// The body of `POST /shard/document`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct DocumentBody {
    /// The document's path.
    pub(crate) doc: String,
    /// The words to mark.
    pub(crate) terms: Option<MatchTerms>,
}

/// Most bytes of one shard's answer read.
const MAX_ANSWER_BYTES: u64 = 256 << 20;

/// A shard served by `repsearch serve --shard` at a base URL.
pub(crate) struct RemoteShard {
    base: String,
    agent: ureq::Agent,
    timeout: Duration,
}

/// Times a call that failed (no connection, or a 5xx from a proxy in front
/// of the shard's replicas) is sent again, within the timeout: every route
/// only reads, so a retry is safe, and behind a proxy it reaches another
/// replica.
const CALL_ATTEMPTS: usize = 3;

impl RemoteShard {
    /// The shard at `base` (`http://host:port`, or a path under it), each
    /// call answered within `timeout` or failed.
    pub(crate) fn new(base: &str, timeout: Duration) -> RemoteShard {
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
            .http_status_as_error(false)
            .build()
            .into();
        RemoteShard {
            base: base.trim_end_matches('/').to_string(),
            agent,
            timeout,
        }
    }

    fn unavailable(&self, what: impl std::fmt::Display) -> Error {
        Error::Unavailable(format!("shard at {}: {what}", self.base))
    }

    /// Sends a request to a route and reads its JSON answer, sending it
    /// again after a failure while time is left ([`CALL_ATTEMPTS`]).
    fn call<T: DeserializeOwned>(&self, route: &str, body: Option<String>) -> Result<T> {
        let started = std::time::Instant::now();
        let mut attempt = 1;
        loop {
            match self.call_once(route, body.clone()) {
                Err(Error::Unavailable(m))
                    if attempt < CALL_ATTEMPTS && started.elapsed() < self.timeout / 2 =>
                {
                    crate::log_line!("repsearch: retrying ({m})");
                    attempt += 1;
                    std::thread::sleep(Duration::from_millis(20));
                }
                other => return other,
            }
        }
    }

    fn call_once<T: DeserializeOwned>(&self, route: &str, body: Option<String>) -> Result<T> {
        let url = format!("{}{route}", self.base);
        let resp = match body {
            Some(b) => self
                .agent
                .post(&url)
                .header("content-type", "application/json")
                .send(b),
            None => self.agent.get(&url).call(),
        }
        .map_err(|e| self.unavailable(e))?;
        let status = resp.status().as_u16();
        let text = resp
            .into_body()
            .with_config()
            .limit(MAX_ANSWER_BYTES)
            .read_to_string()
            .map_err(|e| self.unavailable(e))?;
        match status {
            200 => serde_json::from_str(&text).map_err(|e| self.unavailable(e)),
            409 => Err(Error::StaleGeneration(text)),
            // a request the shard cannot read: sending it again won't help
            400..=499 => Err(Error::Internal(format!(
                "shard at {} refused a request (HTTP {status}): {}",
                self.base,
                text.trim()
            ))),
            _ => Err(self.unavailable(format_args!("HTTP {status}: {}", text.trim()))),
        }
    }

    fn post<B: Serialize, T: DeserializeOwned>(&self, route: &str, body: &B) -> Result<T> {
        let body = serde_json::to_string(body).map_err(|e| Error::Internal(e.to_string()))?;
        self.call(route, Some(body))
    }
}

impl Shard for RemoteShard {
    fn answer(&self, q: &Questions) -> Result<Answers> {
        self.post("/shard/answer", q)
    }

    fn execute(&self, generation: &str, run: &Execute) -> Result<SearchResults> {
        let body = serde_json::json!({"generation": generation, "run": run});
        let page: ShardPage = self.post("/shard/execute", &body)?;
        Ok(page.into_results(&run.req.query))
    }

    fn document(&self, doc: &str, terms: Option<&MatchTerms>) -> Result<Option<Document>> {
        let body = serde_json::json!({"doc": doc, "terms": terms});
        self.post("/shard/document", &body)
    }

    fn num_passages(&self) -> Result<u64> {
        Ok(self.call::<ShardInfo>("/shard/info", None)?.passages)
    }

    fn prepare(&self) -> Result<()> {
        Ok(())
    }
}
