//! The per-shard routes of `repsearch serve --shard I`, which a coordinator
//! on another machine calls ([`crate::search::remote`]): loopback by
//! default, and never the public API.
//!
//! | route | answer |
//! |---|---|
//! | `POST /shard/answer` | round 1: the statistics a plan asks for |
//! | `POST /shard/execute` | round 2: a plan run on the generation it names (409 when that generation is no longer served) |
//! | `POST /shard/document` | a whole document, or `null` |
//! | `GET /shard/info`, `GET /api/health` | the generation served and its passages |

use super::error::ApiError;
use super::{json_response, App, Shared};
use crate::search::remote::{DocumentBody, ExecuteBody, ShardInfo, ShardPage};
use crate::search::searcher::IndexSearcher;
use crate::search::shards::Shard;
use crate::search::stats::Questions;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::sync::Arc;

/// The routes of a shard server.
pub(super) fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/shard/info", get(info))
        .route("/api/health", get(info))
        .route("/shard/answer", post(answer))
        .route("/shard/execute", post(execute))
        .route("/shard/document", post(document))
}

fn body<T: DeserializeOwned>(b: &Bytes) -> Result<T, ApiError> {
    serde_json::from_slice(b)
        .map_err(|e| ApiError::bad_request(None, format!("not a shard request: {e}")))
}

fn answer_json<T: Serialize>(v: &T) -> Result<Response, ApiError> {
    let mut s = serde_json::to_string(v).map_err(ApiError::internal)?;
    s.push('\n');
    Ok(json_response(StatusCode::OK, s))
}

/// Runs `f` on the blocking pool with the shard's index of `loaded`.
async fn on_shard<T, F>(loaded: Arc<super::live::Loaded>, f: F) -> Result<Response, ApiError>
where
    T: Serialize + Send + 'static,
    F: FnOnce(&IndexSearcher) -> crate::Result<T> + Send + 'static,
{
    tokio::task::spawn_blocking(move || {
        let s = loaded
            .searcher
            .as_index()
            .ok_or_else(|| ApiError::internal("a shard server holds a sharded index"))?;
        answer_json(&f(s).map_err(ApiError::from_library)?)
    })
    .await
    .map_err(ApiError::internal)?
}

async fn info(State(app): Shared) -> Result<Response, ApiError> {
    let loaded = app.index.get();
    answer_json(&ShardInfo {
        generation: loaded.generation.clone(),
        passages: loaded.searcher.num_passages(),
    })
}

async fn answer(State(app): Shared, b: Bytes) -> Result<Response, ApiError> {
    let q: Questions = body(&b)?;
    on_shard(app.index.get(), move |s| Shard::answer(s, &q)).await
}

async fn execute(State(app): Shared, b: Bytes) -> Result<Response, ApiError> {
    let ExecuteBody { generation, run } = body(&b)?;
    let Some(loaded) = app.index.generation(&generation) else {
        return Err(ApiError::conflict(format!(
            "generation {generation} is no longer served here"
        )));
    };
    on_shard(loaded, move |s| {
        Shard::execute(s, &generation, &run).map(ShardPage::from)
    })
    .await
}

async fn document(State(app): Shared, b: Bytes) -> Result<Response, ApiError> {
    let DocumentBody { doc, terms } = body(&b)?;
    on_shard(app.index.get(), move |s| {
        Shard::document(s, &doc, terms.as_ref())
    })
    .await
}
