//! The term-at-a-time engine (`search::bulk`) against tantivy's own
//! queries (the same plan compiled with `Engine::Tantivy`): the same
//! passages with bit-identical scores, read all at once, one by one and by
//! seeking, over an index of many windows built by the real indexer.

use crate::util::{big_corpus, index};
use repsearch::search::bulk::{term_score, OrQuery, WordQuery};
use repsearch::search::plan::{ClauseLeaves, TextPlan};
use repsearch::search::{Engine, QueryPlan, SearchRequest, Searcher};
use repsearch::store::IndexLocation;
use tantivy::query::{BoostQuery, EnableScoring, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, DocId, DocSet, Index, TERMINATED};

/// Every (passage, score bits) of a query in each segment, three ways:
/// through `for_each`, through the scorer's `advance`, and through `seek`
/// to every 700th passage (which crosses the 4,096-passage windows both
/// inside and past them).
type Matches = Vec<Vec<(DocId, u32)>>;

fn matches(q: &dyn Query, searcher: &tantivy::Searcher) -> (Matches, Matches, Matches) {
    let weight = q
        .weight(EnableScoring::enabled_from_searcher(searcher))
        .unwrap();
    let (mut all, mut one_by_one, mut seeks) = (Vec::new(), Vec::new(), Vec::new());
    for seg in searcher.segment_readers() {
        let mut v = Vec::new();
        weight
            .for_each(seg, &mut |d, s| v.push((d, s.to_bits())))
            .unwrap();
        all.push(v);
        let mut s = weight.scorer(seg, 1.0).unwrap();
        let mut v = Vec::new();
        while s.doc() != TERMINATED {
            v.push((s.doc(), s.score().to_bits()));
            s.advance();
        }
        one_by_one.push(v);
        let mut s = weight.scorer(seg, 1.0).unwrap();
        let mut v = Vec::new();
        let mut target = 0;
        while target < seg.max_doc() {
            let d = s.seek(target.max(s.doc()));
            if d == TERMINATED {
                break;
            }
            v.push((d, s.score().to_bits()));
            target = d + 700;
        }
        seeks.push(v);
    }
    (all, one_by_one, seeks)
}

#[test]
fn words_and_their_disjunctions_score_exactly_as_tantivys_own_queries() {
    let dir = tempfile::tempdir().unwrap();
    let (corpus, idx) = (dir.path().join("corpus"), dir.path().join("index"));
    big_corpus(&corpus, 1500);
    index(&corpus, &idx, &[]);
    let live = IndexLocation::new(&idx).require_live().unwrap();
    let tantivy_index = Index::open_in_dir(&live).unwrap();
    let ts = tantivy_index.reader().unwrap().searcher();
    assert!(
        ts.segment_readers().iter().any(|s| s.max_doc() > 2 * 4096),
        "the index should span several windows of 4,096 passages: {:?}",
        ts.segment_readers()
            .iter()
            .map(|s| s.max_doc())
            .collect::<Vec<_>>()
    );
    let searcher = Searcher::open(&idx).unwrap();
    let (mut checked, mut explained) = (0, 0);
    for q in [
        // one word: exact, stemmed, folded, place and cognate terms
        "Panevėžio",
        "Panevezys",
        "miestų",
        "Липецкий",
        "Lipetsk",
        "bendradarbiavimo",
        // a typo, a prefix
        "bendradarbiavmo",
        "bendradarb*",
        // optional words, a phrase among them, excluded words
        "Tojohašio delegacijos",
        "miesto OR Политех",
        "\"miestų bendradarbiavimo\" renginys",
        "miesto -šventėje",
        "projektas -Norvegijos",
        "Kopija -Panevėžio -projektas",
    ] {
        let plan = searcher.plan_query(&SearchRequest::new(q)).unwrap();
        let bulk = searcher.compile(&plan, Engine::Bulk).unwrap();
        let reference = searcher.compile(&plan, Engine::Tantivy).unwrap();
        assert!(
            bulk.downcast_ref::<WordQuery>().is_some() || bulk.downcast_ref::<OrQuery>().is_some(),
            "{q:?} should be built as a word or a disjunction, not {bulk:?}"
        );
        assert!(
            reference.downcast_ref::<WordQuery>().is_none()
                && reference.downcast_ref::<OrQuery>().is_none(),
            "{q:?}: Engine::Tantivy should not use the bulk engine: {reference:?}"
        );
        let ours = matches(bulk.as_ref(), &ts);
        let theirs = matches(reference.as_ref(), &ts);
        let n: usize = ours.0.iter().map(Vec::len).sum();
        assert!(n > 0, "{q:?} should match passages");
        assert_eq!(ours.0, theirs.0, "{q:?}: for_each differs from tantivy");
        assert_eq!(ours.1, theirs.1, "{q:?}: advance differs from tantivy");
        assert_eq!(ours.2, theirs.2, "{q:?}: seek differs from tantivy");
        assert_eq!(ours.0, ours.1, "{q:?}: for_each and advance differ");
        explained += term_shares_explain_as_tantivy(q, &plan, &ts, &ours.0);
        checked += n;
    }
    assert!(checked > 4 * 4096, "only {checked} passages compared");
    assert!(explained > 1000, "only {explained} term shares compared");
}

/// `--explain`'s share of each term of a word for a matching passage
/// (`bulk::term_score`, over the bulk engine's cursors) is, bit for bit,
/// the value of tantivy's explanation of the boosted term query, and
/// `None` exactly where tantivy finds no match. Checks the first 40
/// matching passages of each segment; returns how many shares it compared.
fn term_shares_explain_as_tantivy(
    q: &str,
    plan: &QueryPlan,
    searcher: &tantivy::Searcher,
    matched: &Matches,
) -> usize {
    let TextPlan::Clauses(clauses) = &plan.text else {
        panic!("{q:?} should plan clauses");
    };
    let mut compared = 0;
    for (seg, docs) in matched.iter().enumerate() {
        for &(doc, _) in docs.iter().take(40) {
            let addr = DocAddress::new(seg as u32, doc);
            for c in clauses {
                let ClauseLeaves::Terms(terms) = &c.leaves else {
                    continue;
                };
                for t in terms {
                    let ours = term_score(searcher, &t.term(), t.boost, addr).unwrap();
                    let tantivy_query = BoostQuery::new(
                        Box::new(TermQuery::new(t.term(), IndexRecordOption::WithFreqs)),
                        t.boost,
                    );
                    let theirs = tantivy_query
                        .explain(searcher, addr)
                        .ok()
                        .map(|e| e.value());
                    assert_eq!(
                        ours.map(f32::to_bits),
                        theirs.map(f32::to_bits),
                        "{q:?}: {} {:?} at {addr:?}",
                        t.text,
                        t.how
                    );
                    compared += 1;
                }
            }
        }
    }
    compared
}
