//! `formfit init`: a commented `formfit.toml` and an example product written into a folder, so
//! that a repository starts from files that load and check (a test runs them). Nothing is
//! overwritten: if either file exists, nothing is written.

use std::io::Write;
use std::path::Path;

use super::Outcome;

/// The project configuration `init` writes: every setting shown, the ones a new project needs
/// set, the others commented out.
pub const CONFIG: &str = r#"# formfit's project configuration. `formfit check` with no arguments reads the nearest
# formfit.toml at or above the working directory; command-line options override it.
# Its schema, for an editor: `formfit schema config` (see docs/editors.md).

# The product descriptions to check: globs relative to this file. A glob that matches nothing
# is an error (a gate over no file is not green); add "products/**/*.yaml" or "*.json" when
# you have such files.
products = ["products/**/*.toml"]

# What to check each product against. By default, the standards the product claims in its
# `conforms_to`; or a fixed list, a profile (a tender's set of standards), or every standard
# whose applicability matches. `formfit rules list` shows the packs and profiles.
# standards = ["NATO UHF Air Band", "MIL-STD-1275"]
# profile = "land-vehicle-c4i"
# all-applicable = true

# What fails the run (exit 1): "shall" (default), "should" or "never", optionally with
# "not-checked" to fail on claims formfit has no pack for: "should,not-checked".
fail-on = "shall"

# The default output format: human, json, sarif, junit, github, gitlab or ndjson.
# format = "human"

# Approved deviations (waivers) a design authority accepted; schema: `formfit schema deviations`.
# deviations = "deviations.toml"

# Folders of your own rule packs, beside the built-in ones.
# rules = ["rules-local"]

# The highest marking the holder may hold; packs marked above it are refused.
# max-classification = "NATO UNCLASSIFIED"

# Refuse packs not signed by a trusted key (built-in packs are trusted).
# require-signed = true
# trusted-keys = ["keys/publisher.pub"]
"#;

/// The example product `init` writes: a vehicle radio that conforms to the standards it claims.
pub const PRODUCT: &str = r#"# An example product description: replace it with yours. The vocabulary is closed (a typo
# such as `calibre` is an error); vendor fields start with `x-`. For an editor, write the
# schema with `formfit schema product > .schemas/product.schema.json` and name it on a first
# line `#:schema ../.schemas/product.schema.json` (docs/editors.md).
[product]
id = "EXAMPLE-VRS-1"
name = "Example vehicle V/UHF radio set"
manufacturer = "Example Defence Ltd"
category = "radio"
conforms_to = ["NATO UHF Air Band", "MIL-STD-1275"]   # the standards it is checked against

[[radio]]
name = "V/UHF"
bands = ["30-88 MHz", { min = "225 MHz", max = "400 MHz", use = "txrx" }]
channel_spacing = "25 kHz"
tx_power = "50 W"

[power]
source = "vehicle"
nominal_voltage = "28 V"
input_voltage = "18-36 V"
surge_withstand = { voltage = "100 V", duration = "50 ms" }
spike_withstand = { voltage = "250 V", duration = "50 us" }
"#;

/// The files `init` writes, relative to the folder.
pub const FILES: [(&str, &str); 2] = [
    ("formfit.toml", CONFIG),
    ("products/example-radio.toml", PRODUCT),
];

/// Writes the configuration and the example product into `dir`; refuses (exit 3, nothing
/// written) when either exists.
pub fn init(dir: &Path) -> Outcome {
    let refused = |notes: String| Outcome {
        notes,
        exit_code: 3,
        ..Outcome::default()
    };
    if let Some((name, _)) = FILES.iter().find(|(name, _)| dir.join(name).exists()) {
        return refused(format!(
            "formfit: {} exists; init writes nothing over it (remove it or start in another folder)\n",
            dir.join(name).display()
        ));
    }
    for (name, text) in FILES {
        let path = dir.join(name);
        let written = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| {
                // `create_new`: a file that appeared since the check above is not replaced.
                std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(&path)
            })
            .and_then(|mut file| file.write_all(text.as_bytes()));
        if let Err(e) = written {
            return refused(format!("formfit: cannot write {}: {e}\n", path.display()));
        }
    }
    Outcome {
        notes: format!(
            "formfit: wrote {} and {}; `formfit check` checks the example\n",
            FILES[0].0, FILES[1].0
        ),
        ..Outcome::default()
    }
}
