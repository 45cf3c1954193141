//! Every renderer, reading the models and never deciding: the check report's formats
//! ([`report`]), the compliance matrix's ([`matrix`]), the edition diff's ([`diff`]), the
//! library catalogue ([`catalogue`]) and `rules export`'s OSCAL catalog and profile
//! ([`export`]; the OSCAL blocks it shares with the matrix's assessment results are
//! [`oscal`]). They share one disposition → severity map ([`severity`]).

pub mod catalogue;
pub mod diff;
pub mod export;
pub mod json_text;
pub mod matrix;
pub mod oscal;
pub mod report;
pub mod severity;

pub use severity::Severity;
