//! Errors of the API as HTTP answers: a status and one JSON object
//! `{"status", "error", "message", "parameter"?}`. The library's user errors
//! become 400s (404s for an unknown country or city) naming the parameter at
//! fault; everything else is a 500 whose details go to stderr only.

use crate::error::{Param, Surface};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// An error answer.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ApiError {
    /// HTTP status code.
    #[serde(serialize_with = "status_code")]
    pub status: StatusCode,
    /// A short machine-readable kind: `bad_request`, `not_found`,
    /// `method_not_allowed`, `unavailable`, `internal`.
    pub error: &'static str,
    /// What is wrong and what to do instead.
    pub message: String,
    /// The query parameter at fault, if one is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameter: Option<String>,
}

fn status_code<S: serde::Serializer>(s: &StatusCode, ser: S) -> Result<S::Ok, S::Error> {
    ser.serialize_u16(s.as_u16())
}

impl ApiError {
    /// A 400 about a parameter (or the request as a whole).
    pub(crate) fn bad_request(parameter: Option<&str>, message: impl Into<String>) -> Self {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            error: "bad_request",
            message: message.into(),
            parameter: parameter.map(str::to_string),
        }
    }

    /// A 404.
    pub(crate) fn not_found(message: impl Into<String>) -> Self {
        ApiError {
            status: StatusCode::NOT_FOUND,
            error: "not_found",
            message: message.into(),
            parameter: None,
        }
    }

    /// A 404 about a parameter's value: a country or city the gazetteer
    /// does not know.
    pub(crate) fn not_found_parameter(parameter: &str, message: impl Into<String>) -> Self {
        ApiError {
            parameter: Some(parameter.to_string()),
            ..ApiError::not_found(message)
        }
    }

    /// A 405.
    pub(crate) fn method_not_allowed() -> Self {
        ApiError {
            status: StatusCode::METHOD_NOT_ALLOWED,
            error: "method_not_allowed",
            message: "this server is read-only: use GET".into(),
            parameter: None,
        }
    }

    /// A 503: the server answers as many connections as it may.
    pub(crate) fn unavailable(message: impl Into<String>) -> Self {
        ApiError {
            status: StatusCode::SERVICE_UNAVAILABLE,
            error: "unavailable",
            message: message.into(),
            parameter: None,
        }
    }

    /// A 409: a shard no longer serves the generation asked for.
    pub(crate) fn conflict(message: impl Into<String>) -> Self {
        ApiError {
            status: StatusCode::CONFLICT,
            error: "stale_generation",
            message: message.into(),
            parameter: None,
        }
    }

    /// A 500; the details are logged, not sent.
    pub(crate) fn internal(detail: impl std::fmt::Display) -> Self {
        crate::log_line!("repsearch serve: internal error: {detail}");
        ApiError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            error: "internal",
            message: "internal error (logged by the server)".into(),
            parameter: None,
        }
    }

    /// A library error: a user error is the client's, worded with the API's
    /// parameter names and blaming its parameter (404 for a country or city
    /// the gazetteer does not know, else 400); everything else is ours (500).
    pub(crate) fn from_library(e: crate::Error) -> Self {
        match e.as_user() {
            Some(u) => {
                let parameter = u.param().map(Param::api_name);
                let message = u.message(Surface::Api);
                match parameter {
                    Some(p) if u.is_not_found() => ApiError::not_found_parameter(p, message),
                    None if u.is_not_found() => ApiError::not_found(message),
                    _ => ApiError::bad_request(parameter, message),
                }
            }
            None => match e {
                crate::Error::Unavailable(m) => ApiError::unavailable(m),
                crate::Error::StaleGeneration(m) => ApiError::conflict(m),
                e => ApiError::internal(e),
            },
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut body = serde_json::to_string(&self).unwrap_or_else(|_| "{}".into());
        body.push('\n');
        let mut res = (
            self.status,
            [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
            body,
        )
            .into_response();
        if self.status == StatusCode::METHOD_NOT_ALLOWED {
            res.headers_mut()
                .insert(header::ALLOW, header::HeaderValue::from_static("GET, HEAD"));
        }
        res
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::UserError;

    #[test]
    fn a_library_user_error_is_worded_with_the_apis_names() {
        let e = crate::Error::User(UserError::OutOfRange {
            name: Param::FacetLimit,
            value: 1000,
            max: 100,
        });
        let a = ApiError::from_library(e);
        assert_eq!(a.status, StatusCode::BAD_REQUEST);
        assert_eq!(a.parameter.as_deref(), Some("facet_limit"));
        assert!(a.message.starts_with("facet_limit 1000 "), "{}", a.message);
    }

    #[test]
    fn a_damaged_index_is_ours_not_the_clients() {
        let a = ApiError::from_library(crate::Error::Damaged("x is damaged".into()));
        assert_eq!(a.status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(a.parameter, None);
        assert!(!a.message.contains("damaged"));
    }
}
