//! Every renderer, reading the models and never deciding: the check report's formats
//! ([`report`]), the compliance matrix's ([`matrix`]) and the library catalogue
//! ([`catalogue`]). They share one disposition → severity map ([`severity`]).

pub mod catalogue;
pub mod matrix;
pub mod report;
pub mod severity;

pub use severity::Severity;
