//! The edition diff's formats, each reading [`crate::edition_diff::EditionDiff`].

pub mod human;
pub mod json;
pub mod markdown;
