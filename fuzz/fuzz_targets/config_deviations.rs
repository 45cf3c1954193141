#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = formfit::deviation::Deviations::load("d.toml", data);
    let _ = formfit::pack::profile::load("p.toml", data);
    let _ = formfit::matrix::Evidence::load("e.toml", data);
});
