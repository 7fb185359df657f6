//! `repsearch serve`: a read-only JSON API and a search page over the same
//! library calls the command line uses.
//!
//! | route | answer |
//! |---|---|
//! | `GET /api/search` | the JSON of `repsearch search --json` ([`crate::search::json`]) |
//! | `GET /api/facets` | the JSON of `repsearch facets --json` |
//! | `GET /api/doc/{id}` | a whole document with its passages ([`crate::search::document`]) |
//! | `GET /api/health` | `{"status": "ok", "generation", "passages"}` |
//! | `GET /api/openapi.json` | the OpenAPI 3.1 description of the above |
//! | `GET /`, `/assets/*` | the search page (embedded in the binary) |
//!
//! Parameters are parsed into typed requests in [`params`]; bad input is a
//! 400 with a JSON error naming the parameter ([`error`]). A document id is a
//! term looked up in the index, never a path; the page's assets are compiled
//! in, so no request reaches the file system outside the index. CORS headers
//! are sent only when an origin is configured. The index is re-opened when a
//! rebuild swaps it ([`live`]). Connections are capped and time out
//! ([`conn`]).

pub(crate) mod cache;
pub mod conn;
pub(crate) mod error;
pub(crate) mod live;
pub(crate) mod params;
mod shard;

use crate::error::{Error, Result};
use crate::search::{json, Searcher};
use axum::extract::rejection::PathRejection;
use axum::extract::{Path as UrlPath, RawQuery, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use error::ApiError;
use live::LiveIndex;
use params::{Endpoint, Params};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

/// The OpenAPI description of the API.
pub(crate) const OPENAPI: &str = include_str!("openapi.json");

const INDEX_HTML: &str = include_str!("assets/index.html");
const APP_JS: &str = include_str!("assets/app.js");
const STYLE_CSS: &str = include_str!("assets/style.css");
const ICON_SVG: &str = include_str!("assets/icon.svg");

/// The page may load only its own scripts, styles and images and talk only
/// to its own server.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; \
connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// What a server answers from.
#[derive(Debug, Clone)]
pub enum Source {
    /// An index folder: its `live` generation, sharded or not.
    Index(PathBuf),
    /// One shard of an index folder's live sharded generation: only the
    /// per-shard routes ([`shard`]), for a coordinator elsewhere.
    Shard {
        /// The index folder.
        index: PathBuf,
        /// The shard (from 0).
        shard: u32,
    },
    /// The shards of one index served by `repsearch serve --shard` at these
    /// base URLs, in shard order: the public API over them all.
    Remote {
        /// The shards' base URLs (`http://host:port`).
        urls: Vec<String>,
        /// How long a shard may take to answer before it is left out.
        timeout: std::time::Duration,
    },
}

/// How to run the server.
#[derive(Debug, Clone)]
pub struct Config {
    /// What is served.
    pub source: Source,
    /// Address to listen on.
    pub addr: SocketAddr,
    /// Origin allowed to call the API from another site (CORS); none by default.
    pub cors_origin: Option<HeaderValue>,
    /// Bytes of rendered answers kept per index generation (0: no cache).
    pub cache_bytes: usize,
    /// Connection cap and timeouts.
    pub limits: conn::Limits,
}

struct App {
    index: LiveIndex,
    cors_origin: Option<HeaderValue>,
}

type Shared = State<Arc<App>>;

fn json_response(status: StatusCode, body: String) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        body,
    )
        .into_response()
}

/// Runs a blocking search on the blocking pool with the current searcher.
async fn with_searcher<T, F>(app: &App, f: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&Searcher) -> Result<T, ApiError> + Send + 'static,
{
    let loaded = app.index.get();
    tokio::task::spawn_blocking(move || f(&loaded.searcher))
        .await
        .map_err(ApiError::internal)?
}

/// A JSON answer from the generation's cache, or computed on the blocking
/// pool and cached. `key` names the typed request completely.
async fn cached<F>(app: &App, key: String, render: F) -> Result<Response, ApiError>
where
    F: FnOnce(&Searcher) -> Result<String> + Send + 'static,
{
    let loaded = app.index.get();
    if let Some(body) = loaded.cache.get(&key) {
        return Ok(json_response(StatusCode::OK, body.to_string()));
    }
    let body = tokio::task::spawn_blocking(move || {
        let body: Arc<str> = render(&loaded.searcher)
            .map_err(ApiError::from_library)?
            .into();
        loaded.cache.put(key, body.clone());
        Ok::<_, ApiError>(body)
    })
    .await
    .map_err(ApiError::internal)??;
    Ok(json_response(StatusCode::OK, body.to_string()))
}

async fn search(State(app): Shared, RawQuery(raw): RawQuery) -> Result<Response, ApiError> {
    let req = Params::parse(raw.as_deref(), Endpoint::Search)?.search_request()?;
    let key = format!("search {req:?}");
    cached(&app, key, move |s| {
        s.search(&req).and_then(|r| json::search_json(&r))
    })
    .await
}

async fn facets(State(app): Shared, RawQuery(raw): RawQuery) -> Result<Response, ApiError> {
    let req = Params::parse(raw.as_deref(), Endpoint::Facets)?.facets_request()?;
    let key = format!("facets {req:?}");
    cached(&app, key, move |s| {
        s.search(&req).and_then(|r| json::facets_json(&r))
    })
    .await
}

async fn document(
    State(app): Shared,
    id: Result<UrlPath<String>, PathRejection>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let UrlPath(id) =
        id.map_err(|e| ApiError::bad_request(None, format!("bad document id: {e}")))?;
    // the query only marks words: one the query language cannot read marks
    // its plain words
    let query = match Params::parse(raw.as_deref(), Endpoint::Doc)?.query()? {
        Some(q) => params::marking_query(&q)?,
        None => None,
    };
    with_searcher(&app, move |s| {
        match s
            .document(&id, query.as_deref())
            .map_err(ApiError::from_library)?
        {
            Some(d) => {
                let mut body = serde_json::to_string(&d).map_err(ApiError::internal)?;
                body.push('\n');
                Ok(json_response(StatusCode::OK, body))
            }
            None => Err(ApiError::not_found(format!(
                "no document '{id}' in the index: use the `doc` of a search hit"
            ))),
        }
    })
    .await
}

async fn health(State(app): Shared, RawQuery(raw): RawQuery) -> Result<Response, ApiError> {
    Params::parse(raw.as_deref(), Endpoint::Plain)?;
    let loaded = app.index.get();
    let body = serde_json::json!({
        "status": "ok",
        "generation": loaded.generation,
        "passages": loaded.searcher.num_passages(),
    });
    Ok(json_response(StatusCode::OK, format!("{body}\n")))
}

async fn openapi(RawQuery(raw): RawQuery) -> Result<Response, ApiError> {
    Params::parse(raw.as_deref(), Endpoint::Plain)?;
    Ok(json_response(StatusCode::OK, OPENAPI.to_string()))
}

fn asset(content_type: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
        .into_response()
}

async fn page() -> Response {
    asset("text/html; charset=utf-8", INDEX_HTML)
}

async fn not_found() -> ApiError {
    ApiError::not_found("no such page or endpoint: see /api/openapi.json")
}

async fn method_not_allowed() -> ApiError {
    ApiError::method_not_allowed()
}

/// Headers on every answer: no sniffing, the page's content policy, and the
/// CORS origin only when one is configured.
async fn headers(
    State(app): Shared,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    if let Some(origin) = &app.cors_origin {
        h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin.clone());
        h.insert(header::VARY, HeaderValue::from_static("Origin"));
    }
    res
}

fn router(app: Arc<App>, shard: bool) -> Router {
    let routes = if shard {
        shard::routes()
    } else {
        public_routes()
    };
    routes
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(app.clone(), headers))
        .with_state(app)
}

/// The search page and the public API.
fn public_routes() -> Router<Arc<App>> {
    Router::new()
        .route("/", get(page))
        .route(
            "/assets/app.js",
            get(|| async { asset("text/javascript; charset=utf-8", APP_JS) }),
        )
        .route(
            "/assets/style.css",
            get(|| async { asset("text/css; charset=utf-8", STYLE_CSS) }),
        )
        .route(
            "/assets/icon.svg",
            get(|| async { asset("image/svg+xml", ICON_SVG) }),
        )
        .route("/api/search", get(search))
        .route("/api/facets", get(facets))
        .route("/api/doc/{*id}", get(document))
        .route("/api/health", get(health))
        .route("/api/openapi.json", get(openapi))
}

/// A server bound to its address, ready to run.
pub struct Server {
    listener: std::net::TcpListener,
    app: Arc<App>,
    limits: conn::Limits,
    /// Serving one shard's routes.
    shard: bool,
    /// Threads that run searches: one per core, or more for a coordinator
    /// whose searches mostly wait for its shards.
    blocking_threads: usize,
}

impl Server {
    /// Opens the index and binds the address (port 0: any free port).
    pub fn bind(cfg: &Config) -> Result<Server> {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let (index, blocking_threads) = match &cfg.source {
            Source::Index(dir) => (LiveIndex::open(dir, None, cfg.cache_bytes)?, cores),
            Source::Shard { index, shard } => (LiveIndex::open(index, Some(*shard), 0)?, cores),
            Source::Remote { urls, timeout } => {
                let searcher = Searcher::remote(urls, *timeout);
                (LiveIndex::fixed(searcher, "remote"), 64.max(cores))
            }
        };
        let listener = std::net::TcpListener::bind(cfg.addr).map_err(|e| {
            Error::command(format!(
                "cannot listen on {}: {e}; pick another with --addr HOST:PORT",
                cfg.addr
            ))
        })?;
        listener
            .set_nonblocking(true)
            .map_err(|e| Error::io("<socket>", e))?;
        Ok(Server {
            listener,
            app: Arc::new(App {
                index,
                cors_origin: cfg.cors_origin.clone(),
            }),
            limits: cfg.limits,
            shard: matches!(cfg.source, Source::Shard { .. }),
            blocking_threads,
        })
    }

    /// The address it listens on.
    pub fn local_addr(&self) -> Result<SocketAddr> {
        self.listener
            .local_addr()
            .map_err(|e| Error::io("<socket>", e))
    }

    /// Serves until `shutdown` completes, on a multi-threaded runtime.
    pub fn run_until<F>(self, shutdown: F) -> Result<()>
    where
        F: std::future::Future<Output = ()> + Send + 'static,
    {
        // searches run on the blocking pool; more of them at once than cores
        // only makes each slower (and p99 worse), so the pool has one thread
        // per core and further searches wait their turn
        let rt = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .max_blocking_threads(self.blocking_threads)
            .thread_name("repsearch-serve")
            .build()
            .map_err(|e| Error::Internal(format!("cannot start the runtime: {e}")))?;
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(self.listener)
                .map_err(|e| Error::io("<socket>", e))?;
            conn::serve(
                listener,
                router(self.app, self.shard),
                self.limits,
                shutdown,
            )
            .await;
            Ok(())
        })
    }

    /// Serves until Ctrl-C or SIGTERM.
    pub fn run(self) -> Result<()> {
        self.run_until(async {
            let ctrl_c = tokio::signal::ctrl_c();
            #[cfg(unix)]
            {
                use tokio::signal::unix::{signal, SignalKind};
                match signal(SignalKind::terminate()) {
                    Ok(mut term) => {
                        tokio::select! {
                            _ = ctrl_c => {},
                            _ = term.recv() => {},
                        }
                    }
                    Err(_) => {
                        let _ = ctrl_c.await;
                    }
                }
            }
            #[cfg(not(unix))]
            {
                let _ = ctrl_c.await;
            }
        })
    }
}
