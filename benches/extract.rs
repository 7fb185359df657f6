//! Facet extraction costs: opening the gazetteer (compiled at build time:
//! microseconds, it parses nothing) and
//! extracting places and the year from the sample reports, beside the cost
//! of analysing the same text for the index.

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use repsearch::analysis::analyze_passage;
use repsearch::extract::extract;
use repsearch::gazetteer::Gazetteer;
use repsearch::{detect, passage};

const SEEDS: [&str; 3] = [
    include_str!("../corpus/000_50425bdad7869c0e.txt"),
    include_str!("../corpus/001_5b9a13e5b3a9b552.txt"),
    include_str!("../corpus/002_d0cb04d3f632cb44.txt"),
];

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("gazetteer");
    g.sample_size(10);
    g.bench_function("load", |b| {
        b.iter(|| {
            let gz = Gazetteer::load();
            assert!(gz.cities().len() > 100_000);
            gz
        })
    });
    g.finish();

    let text = SEEDS.join("\n\n");
    let mut g = c.benchmark_group("per_document");
    g.throughput(Throughput::Bytes(text.len() as u64));
    let _ = repsearch::gazetteer::gazetteer(); // loaded once, as in the indexer
    g.bench_function("extract", |b| {
        b.iter(|| {
            let x = extract(black_box(&text), Some(repsearch::Language::Lithuanian));
            assert!(x.cities.len() >= 8);
            x
        })
    });
    g.bench_function("detect_and_analyze", |b| {
        b.iter(|| {
            let mut n = 0;
            for p in passage::split(black_box(&text)) {
                let t = p.text(&text);
                let l = detect::detect(t);
                n += analyze_passage(t, l).exact.len();
            }
            assert!(n > 500);
            n
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
