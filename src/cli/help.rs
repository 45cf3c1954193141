//! The texts `--help` ends with (clap's `after_help`) and the man pages' own sections: exit
//! codes, examples, the environment and the files formfit reads.

/// The exit codes, as every command that checks uses them.
pub(crate) const EXIT_CODES: [(&str, &str); 4] = [
    ("0", "nothing fails the gate"),
    ("1", "a finding fails the gate (--fail-on)"),
    ("2", "a product file is invalid (syntax, schema, unit, encoding, limits, unreadable)"),
    ("3", "formfit could not do what was asked: a usage error, a broken or refused pack, a bad configuration"),
];

/// The environment variables formfit reads.
pub(crate) const ENVIRONMENT: [(&str, &str); 6] = [
    ("NO_COLOR", "when set and not empty, no colour (--color auto)"),
    ("CLICOLOR_FORCE", "when set and not 0, colour even when the output is not a terminal"),
    ("CLICOLOR", "0: no colour unless CLICOLOR_FORCE is set"),
    ("TERM", "dumb: no colour"),
    ("CI", "when set, no progress bar"),
    ("SOURCE_DATE_EPOCH", "seconds since 1970: the date deviations expire against and a matrix is dated with, when --today is not given"),
];

/// The files formfit reads without being told.
pub(crate) const FILES: [(&str, &str); 4] = [
    ("formfit.toml", "the project configuration: the nearest at or above the working directory (--config FILE, --no-config)"),
    ("DIR/*.toml, DIR/profiles/*.toml", "rule packs and profiles of a --rules DIR"),
    ("PACK.minisig", "a pack's signature, beside it (--require-signed, --trusted-key)"),
    ("PACK.toml.age", "an encrypted pack, decrypted in memory with --identity"),
];

fn table(rows: &[(&str, &str)]) -> String {
    rows.iter()
        .map(|(name, what)| format!("  {name:<6} {what}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// `formfit --help`'s end.
pub(crate) fn root() -> String {
    format!(
        "Examples:\n  formfit check products/radio.toml\n  formfit check --profile land-vehicle-c4i -f sarif -o formfit.sarif products/\n  formfit matrix products/radio.toml -f xlsx -o bid.xlsx\n  formfit rules explain STANAG4172-CAL-1\n  formfit init\n\nExit codes:\n{}\n\nSee `formfit man` (or `formfit man --dir DIR`) for the manual pages.",
        table(&EXIT_CODES)
    )
}

/// `formfit check --help`'s end.
pub(crate) fn check() -> String {
    format!(
        "Examples:\n  formfit check products/radio.toml                     # the standards the product claims\n  formfit check --standard mil-std-1275 products/        # a folder, against one standard\n  formfit check -f sarif -o formfit.sarif products/      # for code scanning\n  formfit check --ndjson catalogue.ndjson -f ndjson      # a stream, one result per line\n\nExit codes:\n{}\n\nEvery machine format is a valid document on every exit code; formfit's own errors go to\nstandard error.",
        table(&EXIT_CODES)
    )
}

/// `formfit matrix --help`'s end.
pub(crate) fn matrix() -> String {
    format!(
        "Examples:\n  formfit matrix products/radio.toml                                  # Markdown\n  formfit matrix products/radio.toml --evidence evidence.toml -f xlsx -o bid.xlsx\n  formfit matrix products/*.toml --profile land-vehicle-c4i -f html -o bid.html\n\nExit codes (as for check):\n{}",
        table(&EXIT_CODES)
    )
}
