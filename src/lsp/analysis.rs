//! A document checked as the command line would check it: a product through the session of
//! its nearest `formfit.toml` (the same findings and spans as `formfit check`), a pack or a
//! profile loaded as `--rules` loads it (the same located errors). The result is kept per
//! document version, for diagnostics, hovers and quick-fixes alike.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use super::document::{Document, Kind};
use crate::code::Code;
use crate::config;
use crate::hint::Spelling;
use crate::input::Format;
use crate::level::Level;
use crate::pack::{profile, PackCompiler};
use crate::render::Severity;
use crate::report::{pack_diagnostics, Finding, RunDiagnostic};
use crate::session::{Checked, Options, Session};
use crate::span::Span;

/// What checking a document found.
#[derive(Default)]
pub struct Analysis {
    pub items: Vec<Item>,
    /// The product checked, with its report (findings and evaluations), for hovers.
    pub checked: Option<Checked>,
    /// The session it was checked in: its library is what completions offer.
    pub session: Option<Rc<Prepared>>,
}

/// A session prepared for the documents under one configuration, with the problems found
/// preparing it.
pub struct Prepared {
    pub session: Session,
    diagnostics: Vec<RunDiagnostic>,
}

/// The sessions of the configurations met, kept so that a keystroke costs a check, not a
/// library load; forgotten whenever a file is saved (it may be a configuration or a pack).
pub struct Sessions {
    spelling: Spelling,
    by_config: HashMap<Option<PathBuf>, Rc<Prepared>>,
}

impl Sessions {
    pub fn new(spelling: Spelling) -> Sessions {
        Sessions {
            spelling,
            by_config: HashMap::new(),
        }
    }

    pub fn forget(&mut self) {
        self.by_config.clear();
    }

    fn for_document(&mut self, document: &Document) -> Rc<Prepared> {
        let options = options(document, self.spelling);
        self.by_config
            .entry(options.config.clone())
            .or_insert_with(|| {
                let (session, diagnostics) = Session::prepare(&options);
                Rc::new(Prepared {
                    session,
                    diagnostics,
                })
            })
            .clone()
    }
}

/// One problem, as an editor shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// Where in this document; problems of another file are put at its start.
    pub span: Span,
    pub severity: Severity,
    /// The finding's rule (`STANAG4172-CAL-1`) or formfit's own code (`input/schema`).
    pub code: String,
    pub message: String,
    pub help: Option<String>,
    /// Where its rule is defined, when that file can be opened.
    pub rule_file: Option<(PathBuf, Span, std::sync::Arc<str>)>,
}

/// Checks a document of any kind.
pub fn analyse(document: &Document, sessions: &mut Sessions) -> Analysis {
    let spelling = sessions.spelling;
    match document.kind {
        Kind::Product(format) => product(document, format, sessions),
        Kind::Pack => pack(document, spelling),
        Kind::Profile => profile(document, spelling),
        Kind::Other => Analysis::default(),
    }
}

/// The options of a run over this one document, configured by the `formfit.toml` nearest to
/// it (not to the server's working directory: an editor starts it anywhere).
fn options(document: &Document, spelling: Spelling) -> Options {
    let config = document
        .path
        .as_deref()
        .and_then(Path::parent)
        .and_then(config::discover);
    Options {
        no_config: config.is_none(),
        config,
        // The product is given by the caller, as standard input is: the session reads no
        // file for it and expands none of the configuration's product globs.
        products: vec![PathBuf::from("-")],
        input_format: Some(Format::Toml),
        spelling,
        ..Options::default()
    }
}

fn product(document: &Document, format: Format, sessions: &mut Sessions) -> Analysis {
    let spelling = sessions.spelling;
    let prepared = sessions.for_document(document);
    let (session, diagnostics) = (&prepared.session, &prepared.diagnostics);
    let shown = document.shown();
    let mut items: Vec<Item> = diagnostics
        .iter()
        .filter(|d| d.level != Level::May)
        .map(|d| run_item(d, &shown, spelling))
        .collect();
    // As `formfit check`: a run that cannot do what was asked checks no product.
    if diagnostics.iter().any(|d| d.level == Level::Shall) {
        return Analysis {
            items,
            checked: None,
            session: Some(prepared.clone()),
        };
    }
    let checked = session.check_bytes(&shown, document.text.as_bytes().to_vec(), format, true);
    if let Some(checked) = &checked {
        items.extend(
            checked
                .report
                .findings
                .iter()
                .map(|f| finding_item(f, spelling)),
        );
    }
    Analysis {
        items,
        checked,
        session: Some(prepared.clone()),
    }
}

fn pack(document: &Document, spelling: Spelling) -> Analysis {
    let shown = document.shown();
    let compiled = PackCompiler::new().compile(&shown, document.text.as_bytes(), false);
    let pack = match compiled {
        Ok(pack) => pack,
        Err(e) => {
            return Analysis {
                items: located_items(pack_diagnostics(e), &shown, spelling),
                ..Analysis::default()
            }
        }
    };
    // Admitted beside the packs the run would load (built-in ones, the configuration's
    // rules folders), less the saved copy of this very file: a rule id another pack uses
    // is an error here as it is under `--rules`.
    let (mut session, diagnostics) = Session::prepare(&options(document, spelling));
    let this = document.path.as_deref().and_then(|p| p.canonicalize().ok());
    session.library.retain_packs(|p| {
        p.source.as_deref().and_then(|s| s.canonicalize().ok()) != this || this.is_none()
    });
    let items = match session.library.admit(pack) {
        Ok(()) => Vec::new(),
        Err(problems) => located_items(
            pack_diagnostics(crate::pack::PackError {
                file: shown.clone(),
                text: document.text.clone(),
                problems,
            }),
            &shown,
            spelling,
        ),
    };
    Analysis {
        items,
        checked: None,
        session: Some(Rc::new(Prepared {
            session,
            diagnostics,
        })),
    }
}

fn profile(document: &Document, spelling: Spelling) -> Analysis {
    let shown = document.shown();
    let loaded = match profile::load(&shown, document.text.as_bytes()) {
        Ok(loaded) => loaded,
        Err(e) => {
            return Analysis {
                items: located_items(pack_diagnostics(e), &shown, spelling),
                ..Analysis::default()
            }
        }
    };
    // Resolved as `--profile` resolves it: its standards must be packs the run knows.
    let (mut session, diagnostics) = Session::prepare(&options(document, spelling));
    let name = loaded.name.clone();
    session.library.profiles.retain(|p| p.name != name);
    session.library.profiles.push(loaded);
    let items = match profile::resolve(&name, &session.library.profiles, &session.library) {
        Ok(_) => Vec::new(),
        Err(e) => located_items(pack_diagnostics(e), &shown, spelling),
    };
    Analysis {
        items,
        checked: None,
        session: Some(Rc::new(Prepared {
            session,
            diagnostics,
        })),
    }
}

fn located_items(diagnostics: Vec<RunDiagnostic>, shown: &str, spelling: Spelling) -> Vec<Item> {
    diagnostics
        .iter()
        .map(|d| run_item(d, shown, spelling))
        .collect()
}

/// A finding of the product, with the severity every renderer gives its disposition.
fn finding_item(finding: &Finding, spelling: Spelling) -> Item {
    let rule_file = finding.rule_location.as_ref().and_then(|at| {
        let path = std::fs::canonicalize(&at.file).ok()?;
        Some((path, at.span.clone(), at.text.clone()))
    });
    Item {
        span: finding.span.clone(),
        severity: Severity::of(finding.disposition),
        code: code_name(finding.code, &finding.rule),
        message: finding.message_with_label(),
        help: finding.help_text(spelling),
        rule_file,
    }
}

/// A run diagnostic: at its span when it is located in this document, else at the start,
/// saying where it is.
fn run_item(d: &RunDiagnostic, shown: &str, spelling: Spelling) -> Item {
    let (span, message) = match (&d.location, &d.place) {
        (Some(at), _) if at.file == shown => (at.span.clone(), d.message.clone()),
        (Some(at), _) => (
            0..0,
            format!("{}:{}:{}: {}", at.file, at.line, at.column, d.message),
        ),
        (None, Some(place)) if place.file == shown => (place.span.clone(), d.message.clone()),
        (None, Some(place)) => (0..0, format!("{place}: {}", d.message)),
        (None, None) => (0..0, d.message.clone()),
    };
    let label = d
        .location
        .as_ref()
        .and_then(|at| at.label.as_deref())
        .filter(|label| !message.contains(label));
    Item {
        span,
        severity: Severity::of_level(d.level),
        code: d.code.id().to_owned(),
        message: match label {
            Some(label) => format!("{message}: {label}"),
            None => message,
        },
        help: d.help_text(spelling),
        rule_file: None,
    }
}

/// formfit's fine code when it has one (`input/schema/unknown-key`), else the rule.
fn code_name(code: Option<Code>, rule: &str) -> String {
    code.map_or_else(|| rule.to_owned(), |c| c.id().to_owned())
}
