//! The check report's formats, each reading [`crate::report::Report`]; [`format::Format`] picks
//! one by name, and [`stream`] writes them as products finish.

pub mod format;
pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod junit;
pub mod ndjson;
pub mod sarif;
pub mod stream;
