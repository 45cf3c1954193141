//! An open document: its text as the editor has it, and what kind of formfit file it is.

use std::path::{Path, PathBuf};

use lsp_types::Url;

use super::position::LineIndex;
use crate::input::Format;

/// What a document is to formfit, which decides how it is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A product description, or a file that may be one: checked as `formfit check` would
    /// check it (a file that parses and has no `product` table gets no diagnostics).
    Product(Format),
    /// A rule pack: compiled as `--rules` compiles it.
    Pack,
    /// A profile of a rules folder (`profiles/`).
    Profile,
    /// Nothing formfit reads (a TOML of another tool, an unknown extension).
    Other,
}

pub struct Document {
    pub uri: Url,
    /// The file behind the document, when it has one (`file:` URIs).
    pub path: Option<PathBuf>,
    pub text: String,
    /// The editor's language id, which tells the format of a document without a file name.
    pub language: String,
    pub index: LineIndex,
    pub version: i32,
    pub kind: Kind,
}

impl Document {
    pub fn new(uri: Url, language: &str, text: String, version: i32) -> Document {
        let path = uri.to_file_path().ok();
        let kind = kind(path.as_deref(), language, &text);
        Document {
            index: LineIndex::new(&text),
            uri,
            path,
            text,
            language: language.to_owned(),
            version,
            kind,
        }
    }

    /// The name findings and messages show for it, as `formfit check` would (its path).
    pub fn shown(&self) -> String {
        match &self.path {
            Some(path) => path.display().to_string(),
            None => self.uri.to_string(),
        }
    }

    pub fn format(&self) -> Option<Format> {
        match self.kind {
            Kind::Product(format) => Some(format),
            Kind::Pack | Kind::Profile => Some(Format::Toml),
            Kind::Other => None,
        }
    }
}

/// The kind of a document, from its content first (a pack or profile declares its format
/// version, or has the tables only a pack has), then from where it is: a TOML file in a
/// `rules` folder is a pack, or a profile in its `profiles` folder, as `--rules` reads them.
pub fn kind(path: Option<&Path>, language: &str, text: &str) -> Kind {
    let format = path.and_then(Format::from_path).or(match language {
        "toml" => Some(Format::Toml),
        "json" | "jsonc" => Some(Format::Json),
        "yaml" => Some(Format::Yaml),
        _ => None,
    });
    let Some(format) = format else {
        return Kind::Other;
    };
    if format != Format::Toml {
        return Kind::Product(format);
    }
    let starts = |prefix: &str| text.lines().any(|l| l.trim_start().starts_with(prefix));
    if starts("formfit_pack") || starts("[[rule]]") {
        return Kind::Pack;
    }
    if starts("formfit_profile") || starts("[profile]") {
        return Kind::Profile;
    }
    if starts("[product]") || starts("product.") || starts("product =") {
        return Kind::Product(format);
    }
    let folders: Vec<&str> = path
        .and_then(Path::parent)
        .map(|dir| {
            dir.components()
                .filter_map(|c| c.as_os_str().to_str())
                .collect()
        })
        .unwrap_or_default();
    match folders.iter().rposition(|f| *f == "rules") {
        // A rules folder's own files: packs at its top, profiles in `profiles/`; its test
        // cases and notes are neither.
        Some(i) if i + 1 == folders.len() => Kind::Pack,
        Some(i) if i + 2 == folders.len() && folders[i + 1] == "profiles" => Kind::Profile,
        Some(_) => Kind::Other,
        None => Kind::Product(format),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_is_told_by_its_content_then_by_its_folder() {
        let pack = "formfit_pack = 1\n[standard]\n";
        assert_eq!(kind(Some(Path::new("/x/a.toml")), "toml", pack), Kind::Pack);
        let product = "[product]\nid = \"A\"\n";
        assert_eq!(
            kind(Some(Path::new("/x/rules/a.toml")), "toml", product),
            Kind::Product(Format::Toml)
        );
        assert_eq!(
            kind(Some(Path::new("/x/rules/a.toml")), "toml", "broken ["),
            Kind::Pack
        );
        assert_eq!(
            kind(Some(Path::new("/x/rules/profiles/p.toml")), "toml", ""),
            Kind::Profile
        );
        assert_eq!(
            kind(
                Some(Path::new("/x/rules/tests/stanag/case.toml")),
                "toml",
                ""
            ),
            Kind::Other
        );
        assert_eq!(
            kind(Some(Path::new("/x/p.yml")), "yaml", "product: {}"),
            Kind::Product(Format::Yaml)
        );
        assert_eq!(kind(None, "json", "{}"), Kind::Product(Format::Json));
        assert_eq!(
            kind(Some(Path::new("/x/README.md")), "markdown", ""),
            Kind::Other
        );
    }
}
