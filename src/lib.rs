//! formfit checks a product description against machine-readable interoperability standards.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]
// A `Problem` is a located diagnostic of ~128 bytes on the cold path of bad input; boxing it
// would only add allocations and noise.
#![allow(clippy::result_large_err)]

pub mod check;
pub mod diagnostic;
pub mod engine;
pub mod input;
pub mod pack;
pub mod path;
pub mod product;
pub mod quantity;
pub mod report;
pub mod schema;
pub mod term;
