//! Analysis throughput: a short and a long text per core language, every
//! field analysed in one pass. Each iteration checks the term count.

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use repsearch::analysis::analyze_passage;
use repsearch::Language;

const LT: &str = "Vizito metu buvo pasirašytas Panevėžio ir Tojohašio miestų bendradarbiavimo ketinimų protokolas, atstovauta Panevėžiui Tojohašio miesto šventėje.";
const RU: &str = "Первым из них стал Ляонинский университет науки и технологии, где с 2020 года успешно реализуется совместная образовательная программа по направлению «Металлургия».";
const EN: &str = "The delegation visited the university of technology, one of the strongest in robotics in Japan, and signed a memorandum of cooperation.";

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("analyze_passage");
    for (lang, text) in [
        (Language::Lithuanian, LT),
        (Language::Russian, RU),
        (Language::English, EN),
    ] {
        let long = text.repeat(50);
        for (size, t) in [("short", text.to_string()), ("long", long)] {
            let expected = analyze_passage(&t, Some(lang)).exact.len();
            assert!(expected > 0);
            g.throughput(Throughput::Bytes(t.len() as u64));
            g.bench_function(format!("{}-{size}", lang.code()), |b| {
                b.iter(|| {
                    let terms = analyze_passage(black_box(&t), Some(lang));
                    assert_eq!(terms.exact.len(), expected);
                    terms
                })
            });
        }
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
