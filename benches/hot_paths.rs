//! Benchmarks of the hot paths a catalogue run takes per product, each beside what it replaced
//! where that is still callable: asking whether a calibre name is a quantity (no error built),
//! looking a claimed standard up by name (names normalised once per library), and loading the
//! built-in library (no pack or profile schema at run time).
//!
//! Run with `cargo bench --bench hot_paths` (well under a minute).

use std::hint::black_box;
use std::time::Duration;

use criterion::measurement::WallTime;
use criterion::{criterion_group, criterion_main, BenchmarkGroup, Criterion};

use formfit::pack::{normalise_id, Library, PackCompiler, BUILTIN};
use formfit::quantity::{parse_quantity, quantity_of};

fn short<'a>(c: &'a mut Criterion, name: &str) -> BenchmarkGroup<'a, WallTime> {
    let mut group = c.benchmark_group(name);
    group
        .sample_size(30)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    group
}

/// A one-of check tries every calibre name as a quantity first ("5.56×45 mm NATO" starts with
/// a number): the answer is no, and the old path built an "unknown unit" error with a
/// did-you-mean to throw away.
fn bench_quantity(c: &mut Criterion) {
    let names = [
        "5.56×45 mm NATO",
        ".223 Remington",
        "7.62x51mm NATO",
        "28 VDC",
        "225 MHz",
    ];
    for name in names {
        assert_eq!(
            quantity_of(name, None),
            parse_quantity(name, None).ok(),
            "{name}"
        );
    }
    let mut group = short(c, "quantity");
    group.bench_function("quantity_of_5_names", |b| {
        b.iter(|| {
            for name in names {
                black_box(quantity_of(black_box(name), None));
            }
        })
    });
    group.bench_function("parse_quantity_ok_5_names", |b| {
        b.iter(|| {
            for name in names {
                black_box(parse_quantity(black_box(name), None).ok());
            }
        })
    });
    group.finish();
}

/// Every claim of every product is looked up by name; the library's names are normalised once.
fn bench_find(c: &mut Criterion) {
    let (library, errors) = Library::builtin(&PackCompiler::new());
    assert!(errors.is_empty(), "{errors:#?}");
    let claims = [
        "MIL-STD-1275",
        "nato uhf air band",
        "MIL-STD-1553B",
        "STANAG 4179",
    ];
    let mut group = short(c, "library");
    group.bench_function("find_4_claims", |b| {
        b.iter(|| {
            for claim in claims {
                black_box(library.find(black_box(claim)));
            }
        })
    });
    // What the lookup cost while every pack name was normalised again per claim.
    group.bench_function("find_4_claims_renormalising", |b| {
        b.iter(|| {
            for claim in claims {
                let wanted = normalise_id(black_box(claim));
                black_box(
                    library
                        .packs()
                        .find(|p| p.meta.names().any(|n| normalise_id(n) == wanted)),
                );
            }
        })
    });
    group.finish();
}

/// A cold run loads the built-in library: packs without the pack schema, profiles without the
/// profile schema. Beside it, compiling the same packs as user packs (schema first).
fn bench_builtin(c: &mut Criterion) {
    let mut group = short(c, "builtin");
    group.bench_function("library_builtin", |b| {
        b.iter(|| black_box(Library::builtin(&PackCompiler::new())))
    });
    group.bench_function("packs_as_user_packs", |b| {
        b.iter(|| {
            let compiler = PackCompiler::new();
            for (file, text) in BUILTIN {
                let _ = black_box(compiler.compile(file, text.as_bytes(), false));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench_quantity, bench_find, bench_builtin);
criterion_main!(benches);
