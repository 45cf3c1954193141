//! formfit checks a manufacturer's product description against machine-readable
//! interoperability standards (rule packs) and reports, with exact locations, where the product
//! does not conform.
//!
//! Data flows one way: bytes → [`input`] (one spanned tree for TOML, JSON and YAML) →
//! [`product`] (schema check, quantities parsed once) → [`engine`] (packs from [`pack`], checks
//! from [`check`]) → [`report`] (one findings model, settled by its gate) → [`render`] (every
//! output format, by name). `Err` is kept for fatal problems; findings are data.
//!
//! ```
//! use formfit::engine::{self, Selection};
//! use formfit::input::{Format, Limits};
//! use formfit::pack::{Library, PackCompiler};
//! use formfit::product::ProductReader;
//! use formfit::report::{gate, Gate, Verdict};
//!
//! // Compile the shipped packs once; they can then be shared across threads.
//! let (library, pack_errors) = Library::builtin(&PackCompiler::new());
//! assert!(pack_errors.is_empty());
//!
//! let text = r#"
//! [product]
//! id = "NGA-SR16"
//! name = "Northgate SR16 carbine"
//! manufacturer = "Northgate Arms"
//! category = "small-arm"
//! conforms_to = ["STANAG 4172"]
//!
//! [ammunition]
//! caliber = ".223 Remington"
//! "#;
//! let product = ProductReader::new(Limits::default())
//!     .read(text.as_bytes(), Format::Toml)
//!     .expect("a well-formed product");
//! let mut report = engine::check(&library, &Selection::default(), "sr16.toml", &product);
//! // The engine finds; the gate settles, once: dispositions, verdicts, the exit code.
//! gate::settle_product(&mut report, &Gate::default());
//!
//! assert_eq!(report.verdict, Verdict::NonConformant);
//! let finding = &report.findings[0];
//! assert_eq!(finding.rule, "STANAG4172-CAL-1");
//! assert_eq!(&text[finding.span.clone()], "\".223 Remington\"");
//! ```
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]
// A `Problem` is a located diagnostic of ~128 bytes on the cold path of bad input; boxing it
// would only add allocations and noise.
#![allow(clippy::result_large_err)]

pub mod app;
pub mod cases;
pub mod check;
pub mod code;
pub mod config;
pub mod deviation;
pub mod diagnostic;
pub mod digest;
pub mod edition_diff;
pub mod engine;
pub mod escape;
pub mod hint;
pub mod input;
pub mod json_bytes;
pub mod level;
pub mod lsp;
pub mod marking;
pub mod matrix;
pub mod output;
pub mod pack;
pub mod path;
pub mod product;
pub mod quantity;
pub mod render;
pub mod report;
pub mod scaffold;
pub mod schema;
pub mod session;
pub mod sources;
pub mod span;
pub mod term;
pub mod trust;
