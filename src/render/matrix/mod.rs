//! The compliance matrix's formats, each reading [`crate::matrix::Matrix`].

pub mod csv;
pub mod html;
pub mod json;
pub mod markdown;
pub mod oscal;
pub mod reqif;
pub mod xlsx;

use crate::matrix::Matrix;

/// A matrix format, as `--format` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Csv,
    Xlsx,
    Html,
    Json,
    /// ReqIF 1.2, for requirement tools (DOORS, Polarion, Jama).
    Reqif,
    /// OSCAL 1.1 assessment results, for assessors.
    Oscal,
}

impl Format {
    /// Whether it is bytes for a file rather than text for a terminal.
    pub fn is_binary(self) -> bool {
        self == Format::Xlsx
    }

    /// Formats made to be imported into tools and services outside the bid team's control
    /// (a requirements database, an assessor's platform), where marked text must not go.
    pub fn is_third_party(self) -> bool {
        matches!(self, Format::Reqif | Format::Oscal)
    }

    /// The name `--format` gives it.
    pub fn name(self) -> &'static str {
        match self {
            Format::Markdown => "markdown",
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::Html => "html",
            Format::Json => "json",
            Format::Reqif => "reqif",
            Format::Oscal => "oscal",
        }
    }

    /// The document of one or several products' matrices: one product gives the single-matrix
    /// document (the shape every format had before several were allowed); several give one
    /// section or sheet per product under one summary. `csv_bom` starts a CSV with a UTF-8
    /// byte-order mark, which is how Excel knows the file is UTF-8.
    pub fn render(self, matrices: &[Matrix], csv_bom: bool) -> Result<Vec<u8>, String> {
        Ok(match self {
            Format::Markdown => markdown::render(matrices).into_bytes(),
            Format::Csv => csv::render(matrices, csv_bom),
            Format::Html => html::render(matrices).into_bytes(),
            Format::Json => json::render(matrices).into_bytes(),
            Format::Reqif => reqif::render(matrices).into_bytes(),
            Format::Oscal => oscal::render(matrices).into_bytes(),
            Format::Xlsx => {
                xlsx::render(matrices).map_err(|e| format!("cannot build the workbook: {e}"))?
            }
        })
    }
}
