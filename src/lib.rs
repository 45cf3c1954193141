//! formfit checks a product description against machine-readable interoperability standards.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod diagnostic;
pub mod input;
pub mod quantity;
