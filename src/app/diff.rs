//! `formfit rules diff OLD NEW [PRODUCTS...]`: two editions of a pack compared rule by rule,
//! and, given products (files, folders, globs, or an NDJSON stream), each product checked
//! against the old edition and against the new one — the same engine, only that pack selected
//! — to list those whose verdict moves and why. What a codification office runs before
//! adopting an edition.
//!
//! Exit codes: 0 when the diff ran, 1 with `fail_on_change` when a product's verdict moves,
//! 3 when a pack cannot be read or loaded (or the products cannot be found).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::Outcome;
use crate::code::UsageCode;
use crate::edition_diff::{self, EditionDiff, Products};
use crate::engine::{self, Selected, Selection};
use crate::input::{self, Format, Limits};
use crate::pack::model::Level;
use crate::pack::{diff, Library, Pack};
use crate::product::ProductReader;
use crate::render::report::human;
use crate::report::{gate, usage, Gate, Report, RunDiagnostic};
use crate::session::{self, Options};
use crate::sources::{self, Input, Stream};
use crate::trust::{Policy, Withheld};

/// How many invalid products the notes name one by one.
const NAMED_INVALID: usize = 10;

/// How the diff is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiffFormat {
    Human,
    Json,
    Markdown,
}

/// What `rules diff` was asked.
#[derive(Debug, Clone)]
pub struct DiffRequest {
    /// The trust gate (holder, keys, identities, `--rules`) and the products: `products`
    /// (files, folders, globs) or `ndjson`.
    pub options: Options,
    /// A pack file, or the designation of a pack of the library (`MIL-STD-704`).
    pub old: PathBuf,
    pub new: PathBuf,
    pub format: DiffFormat,
    /// Exit 1 when a product's verdict moves.
    pub fail_on_change: bool,
}

/// One edition, ready to check products against alone.
struct Side {
    pack: Arc<Pack>,
    library: Library,
    selection: Selection,
}

impl Side {
    fn new(pack: Arc<Pack>) -> Side {
        Side {
            library: Library::of([pack.clone()]),
            selection: Selection {
                standards: vec![Selected::all(pack.clone(), None)],
                all_applicable: false,
                claims_too: false,
            },
            pack,
        }
    }
}

pub fn run_diff(request: &DiffRequest, style: human::Style) -> Outcome {
    let mut diagnostics = Vec::new();
    let (_, policy, library, withheld) = session::open(&request.options, &mut diagnostics);
    let old = edition(&request.old, &policy, &library, &withheld, &mut diagnostics);
    let new = edition(&request.new, &policy, &library, &withheld, &mut diagnostics);
    let (Some(old), Some(new)) = (old, new) else {
        return stopped(diagnostics, request, style);
    };
    if stops(&diagnostics) {
        return stopped(diagnostics, request, style);
    }
    let (old, new) = (Side::new(old), Side::new(new));
    let mut notes = String::new();
    if crate::pack::normalise_id(&old.pack.meta.designation)
        != crate::pack::normalise_id(&new.pack.meta.designation)
    {
        notes.push_str(&format!(
            "formfit: the packs model different standards ({} and {}); compared rule by rule all the same\n",
            old.pack.meta.designation, new.pack.meta.designation
        ));
    }
    let asked = !request.options.products.is_empty() || request.options.ndjson.is_some();
    let products = if asked {
        match products(request, &old, &new, &mut notes, &mut diagnostics) {
            Some(products) => Some(products),
            None => return stopped(diagnostics, request, style),
        }
    } else {
        None
    };
    let diff = EditionDiff {
        pack: diff::compare(&old.pack, &new.pack),
        classification: crate::marking::highest([
            old.pack.meta.classification.as_str(),
            new.pack.meta.classification.as_str(),
        ]),
        products,
    };
    let document = match request.format {
        DiffFormat::Human => crate::render::diff::human::render(&diff),
        DiffFormat::Json => crate::render::diff::json::render(&diff),
        DiffFormat::Markdown => crate::render::diff::markdown::render(&diff),
    };
    let moved = diff
        .products
        .as_ref()
        .is_some_and(|p| p.verdict_changes().next().is_some());
    let report = Report {
        diagnostics,
        spelling: request.options.spelling,
        ..Report::default()
    };
    notes.push_str(&human::render_diagnostics(&report, style));
    Outcome {
        document: document.into_bytes(),
        notes,
        exit_code: i32::from(request.fail_on_change && moved),
    }
}

fn stops(diagnostics: &[RunDiagnostic]) -> bool {
    diagnostics.iter().any(|d| d.level == Level::Shall)
}

/// A diff that could not run: its problems, exit 3.
fn stopped(diagnostics: Vec<RunDiagnostic>, request: &DiffRequest, style: human::Style) -> Outcome {
    let report = Report {
        diagnostics,
        spelling: request.options.spelling,
        ..Report::default()
    };
    Outcome {
        exit_code: 3,
        ..Outcome::problems(&report, style, request.format == DiffFormat::Json)
    }
}

/// The pack a side names: a file (a path that exists, or one ending as a pack file does), else
/// a standard of the library by designation or alias.
fn edition(
    named: &Path,
    policy: &Policy,
    library: &Library,
    withheld: &[Withheld],
    diagnostics: &mut Vec<RunDiagnostic>,
) -> Option<Arc<Pack>> {
    let text = named.to_string_lossy();
    let file_like = named.exists() || text.ends_with(".toml") || text.ends_with(".toml.age");
    if file_like {
        return policy.load_pack_file(named, diagnostics);
    }
    if let Some((pack, _)) = library.find(&text) {
        return Some(pack);
    }
    let wanted = crate::pack::normalise_id(&text);
    match withheld
        .iter()
        .find(|(p, _)| p.normalised_names.contains(&wanted))
    {
        Some((pack, why)) => diagnostics.push(crate::trust::withheld_diagnostic(
            pack,
            Level::Shall,
            format!("refused: {why}"),
        )),
        None => diagnostics.push(session::unknown_standard(library, &text)),
    }
    None
}

/// Every product checked against both editions, in input order; `None` when the products
/// cannot be found at all (reported).
fn products(
    request: &DiffRequest,
    old: &Side,
    new: &Side,
    notes: &mut String,
    diagnostics: &mut Vec<RunDiagnostic>,
) -> Option<Products> {
    let reader = ProductReader::new(Limits::default());
    let mut products = Products::default();
    let mut invalid = Vec::new();
    let mut compare = |shown: &str, bytes: &[u8], format: Format, found: bool, line| {
        let read = if found {
            match reader.read_found(bytes, format) {
                Some(read) => read,
                None => return,
            }
        } else {
            reader.read(bytes, format)
        };
        products.checked += 1;
        match read {
            Ok(product) => {
                let mut was = engine::check(&old.library, &old.selection, shown, &product);
                let mut is = engine::check(&new.library, &new.selection, shown, &product);
                gate::settle_product(&mut was, &Gate::default());
                gate::settle_product(&mut is, &Gate::default());
                products
                    .changes
                    .extend(edition_diff::product_change(&was, &is, line));
            }
            Err(e) => invalid.push((shown.to_owned(), line, e.problems)),
        }
    };
    if let Some(ndjson) = &request.options.ndjson {
        let stream = Stream::named(ndjson);
        let shown = stream.shown();
        let lines = match stream.open(input::MAX_FILE_BYTES) {
            Ok(lines) => lines,
            Err(message) => {
                diagnostics.push(usage(UsageCode::Ndjson, message, "check the path"));
                return None;
            }
        };
        for line in lines {
            match line {
                Ok(line) if line.is_blank() => {}
                Ok(line) => match &line.bytes {
                    Ok(bytes) => compare(&shown, bytes, Format::Json, false, Some(line.number)),
                    Err(length) => notes.push_str(&format!(
                        "formfit: {shown}:{}: not checked, the line is {length} bytes long\n",
                        line.number
                    )),
                },
                Err(message) => {
                    diagnostics.push(usage(
                        UsageCode::Ndjson,
                        message,
                        "the products before this line are compared; check the stream's source",
                    ));
                    break;
                }
            }
        }
    } else {
        let expanded = match sources::expand(&request.options.products, None) {
            Ok(expanded) => expanded,
            Err(errors) => {
                let spelling = request.options.spelling;
                diagnostics.extend(
                    errors
                        .into_iter()
                        .map(|e| usage(e.code, spelling.fill(&e.message), &spelling.fill(e.help))),
                );
                return None;
            }
        };
        for problem in expanded.unwalked {
            notes.push_str(&format!("formfit: {problem}\n"));
        }
        for input in expanded.inputs.iter() {
            let (Input::Named(path) | Input::Found(path)) = &input else {
                continue;
            };
            let shown = path.display().to_string();
            let found = matches!(input, Input::Found(_));
            let read = Format::from_path(path)
                .ok_or_else(|| "its format cannot be told from its extension".to_owned())
                .and_then(|format| {
                    input::read_file(path, input::MAX_FILE_BYTES)
                        .map(|bytes| (format, bytes))
                        .map_err(|e| e.to_string())
                });
            match read {
                Ok((format, bytes)) => compare(&shown, &bytes, format, found, None),
                Err(why) => notes.push_str(&format!("formfit: {shown}: not checked, {why}\n")),
            }
        }
    }
    // An unreadable product is invalid under both editions: no verdict of it can move, but it
    // is never left out silently.
    // A catalogue may hold many: the first few are named, the rest counted.
    for (shown, line, problems) in invalid.iter().take(NAMED_INVALID) {
        let at = line.map(|l| format!(":{l}")).unwrap_or_default();
        let first = problems.first().map(|p| p.message.as_str()).unwrap_or("");
        notes.push_str(&format!(
            "formfit: {shown}{at}: invalid under both editions ({first})\n"
        ));
    }
    if invalid.len() > NAMED_INVALID {
        notes.push_str(&format!(
            "formfit: and {} more products invalid under both editions (`formfit check` names them)\n",
            invalid.len() - NAMED_INVALID
        ));
    }
    Some(products)
}
