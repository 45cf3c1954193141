#![no_main]

use std::sync::OnceLock;

use formfit::pack::PackCompiler;
use libfuzzer_sys::fuzz_target;

static COMPILER: OnceLock<PackCompiler> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let compiler = COMPILER.get_or_init(PackCompiler::new);
    let _ = compiler.compile("fuzz.toml", data, false);
});
