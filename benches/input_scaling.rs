//! How reading a table scales with its number of keys, in each input format: the time per key
//! should stay flat from 1 000 to 40 000 keys (duplicate keys are found with a set, not by
//! comparing every pair).
//!
//! Run with `cargo bench --bench input_scaling`. The key limit is raised for the benchmark; a
//! product file's tables are limited to `Limits::default().max_table_len` keys.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

use formfit::input::{self, Format, Limits};

const SIZES: [usize; 3] = [1_000, 10_000, 40_000];

/// One table of `keys` integer entries, written in `format`.
fn table(keys: usize, format: Format) -> String {
    match format {
        Format::Json => {
            let body: Vec<String> = (0..keys).map(|i| format!("\"k{i}\": {i}")).collect();
            format!("{{\"t\": {{{}}}}}", body.join(", "))
        }
        Format::Toml => (0..keys).fold("[t]\n".to_owned(), |mut s, i| {
            s.push_str(&format!("k{i} = {i}\n"));
            s
        }),
        Format::Yaml => (0..keys).fold("t:\n".to_owned(), |mut s, i| {
            s.push_str(&format!("  k{i}: {i}\n"));
            s
        }),
    }
}

fn table_keys(c: &mut Criterion) {
    let limits = Limits {
        max_table_len: usize::MAX,
        ..Limits::default()
    };
    let mut group = c.benchmark_group("input_scaling");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    for format in [Format::Json, Format::Toml, Format::Yaml] {
        for keys in SIZES {
            let text = table(keys, format);
            group.throughput(Throughput::Elements(keys as u64));
            group.bench_with_input(
                BenchmarkId::new(format!("{format:?}").to_lowercase(), keys),
                &text,
                |b, text| {
                    b.iter(|| {
                        input::parse(black_box(text.as_bytes()), format, &limits)
                            .map(|doc| doc.root)
                    })
                },
            );
        }
    }
    group.finish();
}

criterion_group!(benches, table_keys);
criterion_main!(benches);
