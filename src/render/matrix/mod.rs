//! The compliance matrix's formats, each reading [`crate::matrix::Matrix`].

pub mod csv;
pub mod html;
pub mod json;
pub mod markdown;
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
}

impl Format {
    /// Whether it is bytes for a file rather than text for a terminal.
    pub fn is_binary(self) -> bool {
        self == Format::Xlsx
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
            Format::Xlsx => {
                xlsx::render(matrices).map_err(|e| format!("cannot build the workbook: {e}"))?
            }
        })
    }
}
