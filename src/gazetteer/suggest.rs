//! "Did you mean" suggestions: names within a small edit distance of a query.

use super::key;

/// Levenshtein distance between two byte strings, giving up above `max`.
pub(super) fn distance(a: &[u8], b: &[u8], max: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, &ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        let mut row_min = cur[0];
        for (j, &cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
            row_min = row_min.min(cur[j + 1]);
        }
        if row_min > max {
            return None;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    let d = prev[b.len()];
    (d <= max).then_some(d)
}

/// Up to `limit` names from `candidates` closest to `query` by the edit
/// distance of their [`basic`](key::basic) forms, closest first; ties keep
/// the order of `candidates` (callers list the most populous first).
pub(super) fn closest<'a>(
    query: &str,
    candidates: impl Iterator<Item = &'a str>,
    limit: usize,
) -> Vec<String> {
    let q = key::basic(query);
    if q.is_empty() {
        return Vec::new();
    }
    let max = match q.len() {
        0..=4 => 1,
        5..=8 => 2,
        _ => 3,
    };
    let mut found: Vec<(usize, usize, &str)> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (order, name) in candidates.enumerate() {
        let b = key::basic(name);
        if let Some(d) = distance(q.as_bytes(), b.as_bytes(), max) {
            if seen.insert(name) {
                found.push((d, order, name));
            }
        }
    }
    found.sort();
    found
        .into_iter()
        .take(limit)
        .map(|(_, _, n)| n.to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_counts_edits() {
        assert_eq!(distance(b"vilnius", b"vilnus", 2), Some(1));
        assert_eq!(distance(b"kaunas", b"kaunas", 0), Some(0));
        assert_eq!(distance(b"abc", b"xyzuvw", 2), None);
    }
}
