//! Benchmarks of the library's stages: compiling the built-in packs, reading a product in each
//! input format, checking one product, and reading + checking many products in parallel.
//!
//! Run with `cargo bench --bench check`. Measurement times are short so that the whole run
//! takes well under two minutes on a small machine.

use std::hint::black_box;
use std::time::Duration;

use criterion::measurement::WallTime;
use criterion::{
    criterion_group, criterion_main, BenchmarkGroup, BenchmarkId, Criterion, SamplingMode,
    Throughput,
};
use rayon::prelude::*;

use formfit::engine::{self, Selection};
use formfit::input::{self, Format, Limits};
use formfit::pack::{Library, PackCompiler};
use formfit::product::{Product, ProductReader};
use formfit::report::{gate, Gate, ProductReport};

/// The benchmark's fixed inputs, embedded at compile time (paths relative to the crate root).
const VEHICLE_RADIO_TOML: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/fixtures/examples/vehicle-radio-set.toml"
));
const SPACING_JSON: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/fixtures/nato-uhf-air-band/good-spacing-mhz.json"
));
const MULTIBAND_YAML: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/fixtures/nato-uhf-air-band/good-multiband.yaml"
));

/// How many products the throughput benchmark reads and checks per iteration.
const BATCH: usize = 1_000;

fn short<'a>(c: &'a mut Criterion, name: &str) -> BenchmarkGroup<'a, WallTime> {
    let mut group = c.benchmark_group(name);
    group
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    group
}

fn builtin_library() -> Library {
    let compiler = PackCompiler::new();
    let (library, errors) = Library::builtin(&compiler);
    assert!(
        errors.is_empty(),
        "the built-in packs do not compile: {} error(s)",
        errors.len()
    );
    library
}

fn all_applicable() -> Selection {
    Selection {
        all_applicable: true,
        ..Selection::default()
    }
}

fn read_fixture(reader: &ProductReader, text: &str, format: Format) -> Product {
    reader
        .read(text.as_bytes(), format)
        .unwrap_or_else(|e| panic!("benchmark fixture is not a valid product: {:?}", e.problems))
}

/// (a) Loading and compiling the built-in rule packs, as every CLI run does.
fn bench_packs(c: &mut Criterion) {
    let mut group = short(c, "packs");
    group.bench_function("compile_builtin", |b| {
        b.iter(|| {
            let compiler = PackCompiler::new();
            let (library, errors) = Library::builtin(&compiler);
            black_box((library, errors))
        })
    });
    group.bench_function("compiler_new", |b| {
        b.iter(|| black_box(PackCompiler::new()))
    });
    group.finish();
}

/// (b) Reading one product (parse + schema validation) in each input format.
fn bench_read(c: &mut Criterion) {
    let reader = ProductReader::new(Limits::default());
    let inputs = [
        ("toml/vehicle-radio-set", VEHICLE_RADIO_TOML, Format::Toml),
        ("json/good-spacing-mhz", SPACING_JSON, Format::Json),
        ("yaml/good-multiband", MULTIBAND_YAML, Format::Yaml),
    ];
    let mut group = short(c, "read");
    for (name, text, format) in inputs {
        // Fail loudly up front rather than benchmarking the error path.
        read_fixture(&reader, text, format);
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(name), text, |b, text| {
            b.iter(|| black_box(reader.read(black_box(text.as_bytes()), format)))
        });
    }
    group.finish();

    // The syntax layer alone (decode + parse into spanned nodes, no schema validation), to see
    // what share of `read` the product schema takes.
    let limits = Limits::default();
    let mut group = short(c, "parse_only");
    for (name, text, format) in inputs {
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(name), text, |b, text| {
            b.iter(|| black_box(input::parse(black_box(text.as_bytes()), format, &limits)))
        });
    }
    group.finish();

    let mut group = short(c, "reader");
    group.bench_function("new", |b| {
        b.iter(|| black_box(ProductReader::new(Limits::default())))
    });
    group.finish();
}

/// (c) Checking one already-read product against every applicable built-in pack.
fn bench_check(c: &mut Criterion) {
    let library = builtin_library();
    let selection = all_applicable();
    let reader = ProductReader::new(Limits::default());
    let products = [
        (
            "toml/vehicle-radio-set",
            read_fixture(&reader, VEHICLE_RADIO_TOML, Format::Toml),
        ),
        (
            "json/good-spacing-mhz",
            read_fixture(&reader, SPACING_JSON, Format::Json),
        ),
        (
            "yaml/good-multiband",
            read_fixture(&reader, MULTIBAND_YAML, Format::Yaml),
        ),
    ];
    let mut group = short(c, "check");
    for (name, product) in &products {
        group.bench_with_input(BenchmarkId::from_parameter(name), product, |b, product| {
            b.iter(|| black_box(checked(&library, &selection, black_box(product))))
        });
    }
    group.finish();
}

/// A product checked and settled under the default gate, as a run does.
fn checked(library: &Library, selection: &Selection, product: &Product) -> ProductReport {
    let mut report = engine::check(library, selection, "bench.toml", product);
    gate::settle_product(&mut report, &Gate::default());
    report
}

/// (d) Throughput: read and check `BATCH` copies of a product in parallel, as the CLI does for
/// many files (minus the file I/O).
fn bench_throughput(c: &mut Criterion) {
    let library = builtin_library();
    let selection = all_applicable();
    let reader = ProductReader::new(Limits::default());
    let copies: Vec<&[u8]> = vec![VEHICLE_RADIO_TOML.as_bytes(); BATCH];
    let mut group = short(c, "throughput");
    // One iteration is tens of milliseconds: flat sampling lets 20 samples fit in the time.
    group
        .sampling_mode(SamplingMode::Flat)
        .measurement_time(Duration::from_secs(4))
        .throughput(Throughput::Elements(BATCH as u64));
    group.bench_function("read_check_1000_toml_par", |b| {
        b.iter(|| {
            let reports: Vec<_> = copies
                .par_iter()
                .map(|bytes| match reader.read(bytes, Format::Toml) {
                    Ok(product) => checked(&library, &selection, &product),
                    Err(invalid) => engine::invalid("bench.toml", invalid),
                })
                .collect();
            black_box(reports)
        })
    });
    group.bench_function("read_check_1000_toml_seq", |b| {
        b.iter(|| {
            let reports: Vec<_> = copies
                .iter()
                .map(|bytes| match reader.read(bytes, Format::Toml) {
                    Ok(product) => checked(&library, &selection, &product),
                    Err(invalid) => engine::invalid("bench.toml", invalid),
                })
                .collect();
            black_box(reports)
        })
    });
    group.finish();
}

criterion_group!(
    benches,
    bench_packs,
    bench_read,
    bench_check,
    bench_throughput
);
criterion_main!(benches);
