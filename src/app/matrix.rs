//! `formfit matrix`: the bid compliance matrix of one product, or of several in one document.

use std::path::PathBuf;

use super::{refuse_inputs, Outcome};
use crate::code::UsageCode;
use crate::hint::Hint;
use crate::matrix::{self, Evidence, Inputs};
use crate::output::OutputError;
use crate::pack::model::Level;
use crate::render::matrix::Format;
use crate::render::report::human;
use crate::report::{pack_diagnostics, usage, Markings, Report, RunDiagnostic};
use crate::session::{Options, Session};

/// What `matrix` was asked.
#[derive(Debug, Clone)]
pub struct MatrixRequest {
    /// The selection; its products come from `products`.
    pub options: Options,
    /// One matrix per product, in this order, in one document.
    pub products: Vec<PathBuf>,
    /// Evidence by rule id: test reports of one product, so only with one product.
    pub evidence: Option<PathBuf>,
    pub format: Format,
    /// Start a CSV with a UTF-8 byte-order mark (Excel needs it to read UTF-8).
    pub csv_bom: bool,
    /// Write a third-party format (reqif, oscal) even when a marking of the run names a level
    /// above NATO UNCLASSIFIED.
    pub allow_marked_output: bool,
    pub output: Option<PathBuf>,
    pub style: human::Style,
}

/// Checks the products and builds their matrices. An unreadable product, a broken evidence
/// file or a workbook with nowhere to go has no matrix: the outcome then carries only why (in
/// JSON, as the run report: [`Outcome::problems`]).
pub fn run_matrix(request: &MatrixRequest) -> Result<Outcome, OutputError> {
    let json = request.format == Format::Json;
    let options = Options {
        products: request.products.clone(),
        ..request.options.clone()
    };
    if request.products.len() > 1 && request.evidence.is_some() {
        let report = Report {
            diagnostics: vec![RunDiagnostic::new(
                UsageCode::EvidenceOfSeveral,
                Level::Shall,
                "an evidence file holds one product's test reports; build the matrix of each product with its own evidence file".to_owned(),
            )],
            spelling: options.spelling,
            ..Report::default()
        };
        return Ok(Outcome::problems(&report, request.style, json));
    }
    let (session, mut diagnostics) = Session::prepare(&options);
    let evidence = request
        .evidence
        .as_ref()
        .and_then(|file| load_evidence(file, &mut diagnostics));
    refuse_inputs(
        request.output.as_deref(),
        &session,
        &options,
        request.evidence.as_deref(),
    )?;
    if request.format.is_binary() && request.output.is_none() {
        diagnostics.push(
            RunDiagnostic::new(
                UsageCode::BinaryToTerminal,
                Level::Shall,
                "an XLSX workbook is not written to a terminal".to_owned(),
            )
            .with_hint(Hint::NameMatrixFile),
        );
    }
    let mut report = Report {
        diagnostics,
        gate: session.gate,
        spelling: session.spelling,
        ..Report::default()
    };
    if report.exit_code() == 3 {
        return Ok(Outcome::problems(&report, request.style, json));
    }
    let mut matrices = Vec::new();
    let mut unreadable = false;
    for file in &request.products {
        let checked = session.check_file(file);
        let Some(product) = &checked.product else {
            // An unreadable product has no matrix: say why, as `check` would (exit 2).
            report.products.push(checked.report);
            unreadable = true;
            continue;
        };
        if let Some(evidence) = &evidence {
            let known = checked
                .report
                .evaluations
                .iter()
                .map(|e| e.rule().id.clone())
                .collect();
            if let Err(e) = evidence.check_rules(&known) {
                report.diagnostics.extend(pack_diagnostics(e));
                return Ok(Outcome::problems(&report, request.style, json));
            }
        }
        matrices.push(matrix::build(&Inputs {
            report: &checked.report,
            product,
            bytes: &checked.bytes,
            profile: session
                .profile
                .as_ref()
                .map(|p| (p.name.clone(), p.title.clone())),
            evidence: evidence.as_ref(),
            deviations: session.deviations.as_ref(),
            today: &session.today,
        }));
        report.products.push(checked.report);
    }
    if unreadable {
        // No document leaves a product out: a bid missing one would read as complete.
        let mut outcome = Outcome::problems(&report, request.style, json);
        outcome
            .notes
            .push_str(&human::render(&report, request.style));
        return Ok(outcome);
    }
    if let Some(refusal) = marked_refusal(request, &session, &matrices) {
        // No document at all: a refused import must not look like an empty matrix.
        report.diagnostics.push(refusal);
        return Ok(Outcome::problems(&report, request.style, json));
    }
    let notes = human::render_diagnostics(&report, request.style);
    Ok(match request.format.render(&matrices, request.csv_bom) {
        Ok(document) => Outcome {
            document,
            notes,
            exit_code: report.exit_code(),
        },
        Err(message) => Outcome {
            document: Vec::new(),
            notes: format!("{notes}formfit: {message}\n"),
            exit_code: 3,
        },
    })
}

/// The refusal of a third-party format when a pack used or a product's own marking names a
/// level above NATO UNCLASSIFIED, unless it was allowed.
fn marked_refusal(
    request: &MatrixRequest,
    session: &Session,
    matrices: &[matrix::Matrix],
) -> Option<RunDiagnostic> {
    if !request.format.is_third_party() {
        return None;
    }
    let markings = Markings {
        packs: matrices
            .iter()
            .flat_map(|m| m.header.standards.iter().map(|s| s.classification.clone()))
            .collect(),
        own: matrices
            .iter()
            .filter_map(|m| m.header.product_marking.clone())
            .collect(),
    };
    session.policy.third_party_refusal(
        &markings,
        request.allow_marked_output,
        "matrix",
        &format!(
            "{} output is imported into third-party tools and is refused",
            request.format.name()
        ),
    )
}

/// The evidence file; a problem with it is a run diagnostic (exit 3).
fn load_evidence(
    file: &std::path::Path,
    diagnostics: &mut Vec<crate::report::RunDiagnostic>,
) -> Option<Evidence> {
    let bytes = match crate::input::read_file(file, crate::input::MAX_FILE_BYTES) {
        Ok(bytes) => bytes,
        Err(e) => {
            diagnostics.push(usage(
                UsageCode::EvidenceFile,
                format!("cannot read the evidence file {}: {e}", file.display()),
                "check the path",
            ));
            return None;
        }
    };
    Evidence::load(&file.display().to_string(), &bytes)
        .map_err(|e| diagnostics.extend(pack_diagnostics(e)))
        .ok()
}
