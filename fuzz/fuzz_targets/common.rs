//! Shared by the three product targets: read a product, and when it reads, check it against
//! every applicable built-in standard and render the report as JSON and SARIF.

use std::sync::OnceLock;

use formfit::engine::{self, Selection};
use formfit::input::{Format, Limits};
use formfit::pack::{Library, PackCompiler};
use formfit::product::ProductReader;
use formfit::report::Report;

fn reader() -> &'static ProductReader {
    static READER: OnceLock<ProductReader> = OnceLock::new();
    READER.get_or_init(|| ProductReader::new(Limits::default()))
}

fn library() -> &'static Library {
    static LIBRARY: OnceLock<Library> = OnceLock::new();
    LIBRARY.get_or_init(|| Library::builtin(&PackCompiler::new()).0)
}

pub fn run(data: &[u8], format: Format) {
    let Ok(product) = reader().read(data, format) else {
        return;
    };
    let selection = Selection {
        all_applicable: true,
        ..Selection::default()
    };
    let mut r = engine::check(library(), &selection, "fuzz", &product);
    formfit::report::gate::settle_product(&mut r, &formfit::report::Gate::default());
    let report = Report {
        products: vec![r],
        ..Report::default()
    };
    // Every renderer, as a run would pick it by name.
    let style = formfit::render::report::human::Style {
        color: false,
        width: 100,
        quiet: false,
    };
    for name in formfit::render::report::format::Format::NAMES {
        if let Some(format) = formfit::render::report::format::Format::named(name, style) {
            let _ = format.render(&report, None);
        }
    }
}
