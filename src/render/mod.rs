//! Every renderer, reading the models and never deciding: the check report's formats
//! ([`report`]), the compliance matrix's ([`matrix`]), the edition diff's ([`diff`]) and
//! the library catalogue ([`catalogue`]); the OSCAL blocks the OSCAL documents share are
//! [`oscal`]. They share one disposition → severity map ([`severity`]).

pub mod catalogue;
pub mod diff;
pub mod matrix;
pub mod oscal;
pub mod report;
pub mod severity;

pub use severity::Severity;
