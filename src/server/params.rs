//! Query-string parameters of the API, parsed into typed requests at the
//! edge. Every problem is an [`ApiError`] (400) naming the parameter and
//! what to give instead; nothing here touches the index or the file system.

use super::error::ApiError;
use crate::facets::{Filters, Year};
use crate::lang::Language;
use crate::search::query::{self, FilterValue};
use crate::search::SearchRequest;

/// Longest query accepted, in characters.
pub(crate) const MAX_QUERY_CHARS: usize = 500;
/// Longest country or city name accepted, in characters (the gazetteer's
/// longest name has 79).
pub(crate) const MAX_NAME_CHARS: usize = 100;
/// Longest query string (everything after `?`) accepted, in bytes: more than
/// the longest one the OpenAPI description allows (every parameter at its
/// longest, every character four UTF-8 bytes percent-encoded: 54,7xx bytes),
/// so that no request the description allows is refused for its length, and
/// less than the 65,534 bytes the HTTP layer allows a whole URI.
pub(crate) const MAX_QUERY_STRING_BYTES: usize = 60 * 1024;
/// Most hits one API page returns (`limit`; the library allows up to
/// [`crate::search::MAX_HITS`]).
pub(crate) const MAX_PAGE_HITS: usize = 100;
/// Highest `offset`.
pub(crate) const MAX_OFFSET: usize = 10_000;
/// Highest `facet_limit`.
pub(crate) const MAX_FACET_LIMIT: usize = 100;
/// Most values of one repeatable parameter (`country`, `city`, `year`, `lang`).
pub(crate) const MAX_VALUES: usize = 20;
/// Hits per page when `limit` is not given.
pub(crate) const DEFAULT_LIMIT: usize = 10;
/// Values per facet of `/api/search` when `facet_limit` is not given.
pub(crate) const DEFAULT_SEARCH_FACET_LIMIT: usize = 10;
/// Values per facet of `/api/facets` when `facet_limit` is not given.
pub(crate) const DEFAULT_FACETS_FACET_LIMIT: usize = 20;

/// One endpoint's accepted parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Endpoint {
    /// `GET /api/search`.
    Search,
    /// `GET /api/facets`.
    Facets,
    /// `GET /api/doc/{id}`.
    Doc,
    /// `GET /api/health` and the other parameterless routes.
    Plain,
}

const FILTERS: [&str; 6] = ["country", "city", "year", "from", "to", "lang"];

impl Endpoint {
    /// The query parameters the endpoint accepts (the OpenAPI description
    /// lists the same; a unit test keeps them equal).
    pub(crate) fn parameters(self) -> Vec<&'static str> {
        let mut p = Vec::new();
        match self {
            Endpoint::Search => {
                p.push("q");
                p.extend(FILTERS);
                p.extend(["limit", "offset", "facet_limit"]);
            }
            Endpoint::Facets => {
                p.push("q");
                p.extend(FILTERS);
                p.push("facet_limit");
            }
            Endpoint::Doc => p.push("q"),
            Endpoint::Plain => {}
        }
        p
    }

    fn repeatable(name: &str) -> bool {
        matches!(name, "country" | "city" | "year" | "lang")
    }
}

/// The decoded parameters of one request, checked against an endpoint's list.
#[derive(Debug, Default)]
pub(crate) struct Params {
    pairs: Vec<(String, String)>,
}

impl Params {
    /// Decodes a raw query string and checks that every name is known to the
    /// endpoint and that single-valued parameters are given once.
    pub(crate) fn parse(raw: Option<&str>, endpoint: Endpoint) -> Result<Params, ApiError> {
        let raw = raw.unwrap_or("");
        if raw.len() > MAX_QUERY_STRING_BYTES {
            return Err(ApiError::bad_request(
                None,
                format!(
                    "the query string is {} bytes long: at most {MAX_QUERY_STRING_BYTES} are accepted",
                    raw.len()
                ),
            ));
        }
        let known = endpoint.parameters();
        let mut pairs: Vec<(String, String)> = Vec::new();
        for (k, v) in form_urlencoded::parse(raw.as_bytes()) {
            let k = k.into_owned();
            if !known.contains(&k.as_str()) {
                let hint = if known.is_empty() {
                    "this endpoint takes no parameters".to_string()
                } else {
                    format!("known parameters are {}", known.join(", "))
                };
                return Err(ApiError::bad_request(
                    Some(&k),
                    format!("unknown parameter '{k}': {hint}"),
                ));
            }
            let count = pairs.iter().filter(|(n, _)| *n == k).count();
            if count > 0 && !Endpoint::repeatable(&k) {
                return Err(ApiError::bad_request(
                    Some(&k),
                    format!("parameter '{k}' is given more than once: give it once"),
                ));
            }
            if count >= MAX_VALUES {
                return Err(ApiError::bad_request(
                    Some(&k),
                    format!("parameter '{k}' is given more than {MAX_VALUES} times"),
                ));
            }
            pairs.push((k, v.into_owned()));
        }
        Ok(Params { pairs })
    }

    /// The value of a single-valued parameter.
    pub(crate) fn one(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every value of a repeatable parameter, in order.
    pub(crate) fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.pairs
            .iter()
            .filter(move |(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The query `q`: at most [`MAX_QUERY_CHARS`] characters; `None` when
    /// absent or blank.
    pub(crate) fn query(&self) -> Result<Option<String>, ApiError> {
        let Some(q) = self.one("q") else {
            return Ok(None);
        };
        let n = q.chars().count();
        if n > MAX_QUERY_CHARS {
            return Err(ApiError::bad_request(
                Some("q"),
                format!(
                    "parameter 'q' is {n} characters long: at most {MAX_QUERY_CHARS} are accepted"
                ),
            ));
        }
        Ok(Some(q.to_string()).filter(|q| !q.trim().is_empty()))
    }

    fn number(&self, name: &str, default: usize, max: usize) -> Result<usize, ApiError> {
        let Some(v) = self.one(name) else {
            return Ok(default);
        };
        // digits only, as the description's integer: no sign, no spaces
        let digits = !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit());
        match v.parse::<usize>().ok().filter(|_| digits).ok_or(()) {
            Ok(n) if n <= max => Ok(n),
            Ok(_) => Err(ApiError::bad_request(
                Some(name),
                format!("parameter '{name}' is {v}: give at most {max}"),
            )),
            Err(_) => Err(ApiError::bad_request(
                Some(name),
                format!("parameter '{name}' is '{v}': give a whole number from 0 to {max}"),
            )),
        }
    }

    fn filters(&self) -> Result<(Filters, Vec<Language>), ApiError> {
        let mut f = Filters::default();
        for c in self.all("country") {
            place("country", c, |c| f.add_country(c))?;
        }
        for c in self.all("city") {
            place("city", c, |c| f.add_city(c))?;
        }
        for y in self.all("year") {
            let year = year("year", y)?;
            if !f.years.contains(&year) {
                f.years.push(year);
            }
        }
        for (name, slot) in [("from", &mut f.from), ("to", &mut f.to)] {
            if let Some(y) = self.one(name) {
                *slot = Some(year(name, y)?);
            }
        }
        let mut langs = Vec::new();
        for l in self.all("lang") {
            // the description's enum: the codes exactly as written there
            let lang = Language::ALL
                .iter()
                .copied()
                .find(|lang| lang.code() == l)
                .ok_or_else(|| {
                    ApiError::bad_request(
                        Some("lang"),
                        format!(
                            "unknown language '{l}': give an ISO 639-1 code in lower case such as lt, ru, en"
                        ),
                    )
                })?;
            if !langs.contains(&lang) {
                langs.push(lang);
            }
        }
        Ok((f, langs))
    }

    /// The search request of `GET /api/search`: `q` is required.
    pub(crate) fn search_request(&self) -> Result<SearchRequest, ApiError> {
        let query = self.query()?.ok_or_else(|| {
            ApiError::bad_request(
                Some("q"),
                "parameter 'q' is missing or empty: give the words to search for, e.g. ?q=robotics",
            )
        })?;
        let (filters, langs) = self.filters()?;
        let mut req = SearchRequest::new(query);
        read_query(&mut req)?;
        req.limit = self.number("limit", DEFAULT_LIMIT, MAX_PAGE_HITS)?;
        req.offset = self.number("offset", 0, MAX_OFFSET)?;
        req.langs = langs;
        req.filters = filters;
        req.facet_limit =
            self.number("facet_limit", DEFAULT_SEARCH_FACET_LIMIT, MAX_FACET_LIMIT)?;
        Ok(req)
    }

    /// The request of `GET /api/facets`: `q` is optional (all passages).
    pub(crate) fn facets_request(&self) -> Result<SearchRequest, ApiError> {
        let (filters, langs) = self.filters()?;
        let mut req = SearchRequest::new(self.query()?.unwrap_or_default());
        if !req.query.is_empty() {
            read_query(&mut req)?;
        }
        req.limit = 0;
        req.langs = langs;
        req.filters = filters;
        req.facet_limit = self
            .number("facet_limit", DEFAULT_FACETS_FACET_LIMIT, MAX_FACET_LIMIT)?
            .max(1);
        Ok(req)
    }
}

/// A year as the description has it: four digits, 1000 to 2999.
fn year(name: &str, v: &str) -> Result<Year, ApiError> {
    v.parse::<Year>()
        .ok()
        .filter(|y| v.len() == 4 && v.bytes().all(|b| b.is_ascii_digit()) && (1000..=2999).contains(y))
        .ok_or_else(|| {
            ApiError::bad_request(
                Some(name),
                format!("parameter '{name}' is '{v}', not a year: give four digits from 1000 to 2999, e.g. {name}=2018"),
            )
        })
}

/// Adds a country or city filter: a blank or over-long name is a bad
/// request (400); a name the gazetteer does not know is not found (404),
/// with close names suggested.
fn place(
    name: &str,
    value: &str,
    add: impl FnOnce(&str) -> crate::Result<()>,
) -> Result<(), ApiError> {
    if value.trim().is_empty() {
        return Err(ApiError::bad_request(
            Some(name),
            format!("parameter '{name}' is empty: give a name or leave the parameter out"),
        ));
    }
    let n = value.chars().count();
    if n > MAX_NAME_CHARS {
        return Err(ApiError::bad_request(
            Some(name),
            format!(
                "parameter '{name}' is {n} characters long: at most {MAX_NAME_CHARS} are accepted"
            ),
        ));
    }
    add(value).map_err(ApiError::from_library)
}

/// How the API reads `q`: with the query language when it can, else as
/// plain words (a search box should answer a stray quote or a dangling
/// AND, not refuse it), leaving out words marked to be excluded. A country
/// or city the gazetteer does not know, in a `country:`/`city:` filter of
/// the query, is not found (404) like the parameters.
fn read_query(req: &mut SearchRequest) -> Result<(), ApiError> {
    if !query_language_reads(&req.query)? {
        req.query = plain_words(&req.query);
        req.plain = true;
    }
    Ok(())
}

/// True when the query language reads `q`; a 404 for an unknown place in
/// one of its filters.
fn query_language_reads(q: &str) -> Result<bool, ApiError> {
    let Ok(parsed) = query::parse(q) else {
        return Ok(false);
    };
    let mut scratch = Filters::default();
    for f in &parsed.filters {
        match &f.value {
            FilterValue::Country(n) => scratch.add_country(n),
            FilterValue::City(n) => scratch.add_city(n),
            _ => Ok(()),
        }
        .map_err(|e| ApiError::from_library(e.in_query(f.position)))?;
    }
    Ok(true)
}

/// A query the query language cannot read, with the words marked to be
/// excluded (`-word`, `NOT word`) cut down to a bare `-`: what a plain-word
/// search of it should look for (a query of excluded words only then has no
/// word, and matches nothing).
pub(crate) fn plain_words(q: &str) -> String {
    let mut kept = Vec::new();
    let mut skip_next = false;
    for w in q.split_whitespace() {
        if std::mem::take(&mut skip_next) {
            continue;
        }
        if w == "NOT" || (w.len() > 1 && w.starts_with('-')) {
            skip_next = w == "NOT";
            kept.push("-");
        } else {
            kept.push(w);
        }
    }
    kept.join(" ")
}

/// The query that marks the matches of `q` in a document: `q` itself when
/// the query language reads it, else its plain words in lower case (no
/// operators); `None` when it has no word.
pub(crate) fn marking_query(q: &str) -> Result<Option<String>, ApiError> {
    if query_language_reads(q)? {
        return Ok(Some(q.to_string()));
    }
    let words: Vec<String> = crate::analysis::words(&plain_words(q))
        .map(|w| w.text.to_lowercase())
        .collect();
    Ok((!words.is_empty()).then(|| words.join(" ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn search(raw: &str) -> Result<SearchRequest, ApiError> {
        Params::parse(Some(raw), Endpoint::Search)?.search_request()
    }

    #[test]
    fn a_full_search_request_is_typed() {
        let r = search("q=robotics&country=Japan&country=JP&year=2018&from=2010&to=2020&lang=lt&limit=5&offset=10").unwrap();
        assert_eq!(r.query, "robotics");
        assert_eq!(r.filters.countries.len(), 1);
        assert_eq!(r.filters.years, vec![2018]);
        assert_eq!((r.filters.from, r.filters.to), (Some(2010), Some(2020)));
        assert_eq!(r.langs, vec![Language::Lithuanian]);
        assert_eq!((r.limit, r.offset), (5, 10));
    }

    #[test]
    fn bad_parameters_name_the_parameter() {
        for (raw, param) in [
            ("q=a&limit=1000", "limit"),
            ("q=a&limit=-1", "limit"),
            ("q=a&offset=x", "offset"),
            ("q=a&foo=1", "foo"),
            ("q=a&q=b", "q"),
            ("limit=3", "q"),
            ("q=%20", "q"),
            ("q=a&year=20x8", "year"),
            ("q=a&lang=xx", "lang"),
        ] {
            let e = search(raw).unwrap_err();
            assert_eq!(e.parameter.as_deref(), Some(param), "{raw}: {}", e.message);
        }
        let long = format!("q={}", "a".repeat(MAX_QUERY_CHARS + 1));
        assert!(search(&long).unwrap_err().message.contains("at most"));
    }

    #[test]
    fn the_longest_request_the_description_allows_is_accepted() {
        // every parameter at its longest, every character 4 bytes in UTF-8
        let enc = |c: char, n: usize| -> String {
            let mut b = [0u8; 4];
            let one: String = c
                .encode_utf8(&mut b)
                .bytes()
                .map(|x| format!("%{x:02X}"))
                .collect();
            one.repeat(n)
        };
        let mut parts = vec![format!("q={}", enc('𝄞', MAX_QUERY_CHARS))];
        for name in ["country", "city"] {
            for _ in 0..MAX_VALUES {
                parts.push(format!("{name}={}", enc('𝄞', MAX_NAME_CHARS)));
            }
        }
        for _ in 0..MAX_VALUES {
            parts.push("year=2018".into());
            parts.push("lang=lt".into());
        }
        parts.extend(
            [
                "from=2000",
                "to=2020",
                "limit=100",
                "offset=10000",
                "facet_limit=100",
            ]
            .map(String::from),
        );
        let raw = parts.join("&");
        assert!(raw.len() <= MAX_QUERY_STRING_BYTES, "{}", raw.len());
        Params::parse(Some(&raw), Endpoint::Search).unwrap();
    }

    #[test]
    fn every_language_code_is_in_the_description() {
        let api: serde_json::Value = serde_json::from_str(super::super::OPENAPI).unwrap();
        for path in ["/api/search", "/api/facets"] {
            let lang = api["paths"][path]["get"]["parameters"]
                .as_array()
                .unwrap()
                .iter()
                .find(|p| p["name"] == "lang")
                .unwrap();
            let listed: Vec<&str> = lang["schema"]["items"]["enum"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap())
                .collect();
            let codes: Vec<&str> = Language::ALL.iter().map(|l| l.code()).collect();
            assert_eq!(listed, codes, "{path}");
        }
    }

    #[test]
    fn plain_words_leave_out_excluded_words() {
        assert_eq!(plain_words("robotikos \"srityje"), "robotikos \"srityje");
        assert_eq!(plain_words("-robotikos"), "-");
        assert_eq!(plain_words("a NOT b c"), "a - c");
        assert_eq!(plain_words("a - b"), "a - b");
    }

    #[test]
    fn the_openapi_description_lists_the_same_parameters() {
        let api: serde_json::Value = serde_json::from_str(super::super::OPENAPI).unwrap();
        for (path, endpoint) in [
            ("/api/search", Endpoint::Search),
            ("/api/facets", Endpoint::Facets),
            ("/api/doc/{id}", Endpoint::Doc),
            ("/api/health", Endpoint::Plain),
            ("/api/openapi.json", Endpoint::Plain),
        ] {
            let op = &api["paths"][path]["get"];
            assert!(op.is_object(), "{path} is not described");
            let mut described: Vec<&str> = op["parameters"]
                .as_array()
                .map(|a| a.as_slice())
                .unwrap_or(&[])
                .iter()
                .filter(|p| p["in"] == "query")
                .map(|p| p["name"].as_str().unwrap())
                .collect();
            let mut accepted = endpoint.parameters();
            described.sort_unstable();
            accepted.sort_unstable();
            assert_eq!(described, accepted, "{path}");
        }
    }
}
