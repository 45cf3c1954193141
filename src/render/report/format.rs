//! Picking a report renderer by name, as `--format` and `formfit.toml` name them, so that a
//! library user and the CLI choose the same way.

use std::path::Path;

use super::{github, gitlab, human, json, junit, ndjson, sarif};
use crate::report::Report;

/// A report format and what it needs to render.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Human(human::Style),
    Json,
    Sarif,
    Junit,
    Github,
    Gitlab,
    /// One JSON object per line: products, diagnostics, a summary.
    Ndjson,
}

impl Format {
    /// Every format's name, in the order the help lists them.
    pub const NAMES: [&'static str; 7] = [
        "human", "json", "sarif", "junit", "github", "gitlab", "ndjson",
    ];

    /// The format called `name`; `style` is used when it is `human`.
    pub fn named(name: &str, style: human::Style) -> Option<Format> {
        Some(match name {
            "human" => Format::Human(style),
            "json" => Format::Json,
            "sarif" => Format::Sarif,
            "junit" => Format::Junit,
            "github" => Format::Github,
            "gitlab" => Format::Gitlab,
            "ndjson" => Format::Ndjson,
            _ => return None,
        })
    }

    /// Formats whose reports go to a third-party service, where marked text must not go.
    pub fn is_third_party(&self) -> bool {
        matches!(self, Format::Sarif | Format::Github | Format::Gitlab)
    }

    /// The report in this format; `root` is the repository root that paths are relative to.
    pub fn render(&self, report: &Report, root: Option<&Path>) -> String {
        match self {
            Format::Human(style) => human::render(report, *style),
            Format::Json => json::render(report),
            Format::Sarif => sarif::render(report, root),
            Format::Junit => junit::render(report),
            Format::Github => github::render(report, root),
            Format::Gitlab => gitlab::render(report, root),
            Format::Ndjson => ndjson::render(report),
        }
    }
}

/// The repository the working directory is in (the nearest folder upwards with a `.git`), so
/// that code-scanning and merge-request formats can name files relative to it.
pub fn repository_root() -> Option<std::path::PathBuf> {
    let cwd = std::env::current_dir().ok()?.canonicalize().ok()?;
    cwd.ancestors()
        .find(|dir| dir.join(".git").exists())
        .map(Path::to_path_buf)
}
