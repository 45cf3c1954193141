//! A report written while the run goes on, in flat memory: each product is rendered as it is
//! checked, into the document at once where the format has nothing before its products that
//! depends on them (NDJSON), or into a spool (memory, then a temporary file) where the head
//! carries the run's totals (the banner's marking, the summary, the exit code). The document
//! is byte for byte what [`Format::render`] gives for the same report.
//!
//! Of what comes before the products, the streamer keeps only what the head needs besides the
//! totals: SARIF's rule descriptors (one per rule, whatever the number of products) and
//! JUnit's counts.

use std::io::{self, BufReader, Seek, Write};
use std::path::{Path, PathBuf};

use super::format::Format;
use super::{github, gitlab, human, json, junit, ndjson, sarif};
use crate::hint::Spelling;
use crate::output::{self, Sink};
use crate::report::gate::{self, Gate};
use crate::report::{ProductReport, Report, RunDiagnostic, Totals};

/// Spooled pieces stay in memory up to this size, then go to an unnamed temporary file.
const SPOOL_IN_MEMORY: usize = 1 << 20;

/// Renders one product's piece of the document; shared by the threads that check products.
#[derive(Debug, Clone)]
pub struct Renderer {
    /// `None` for a [`Streamer::collecting`], which renders nothing.
    format: Option<Format>,
    root: Option<PathBuf>,
    spelling: Spelling,
}

/// One product's part of the document, as [`Renderer::piece`] made it.
#[derive(Debug)]
pub struct Piece {
    text: String,
    /// A JUnit suite's counts, which the document's root adds up.
    counts: junit::Counts,
}

impl Renderer {
    pub fn new(format: Format, root: Option<PathBuf>, spelling: Spelling) -> Renderer {
        Renderer {
            format: Some(format),
            root,
            spelling,
        }
    }

    /// The product's part of the document; empty when it has none (a GitLab or SARIF product
    /// without findings) or when the report is collected rather than written.
    pub fn piece(&self, product: &ProductReport) -> Piece {
        let root = self.root.as_deref();
        let text = match self.format {
            Some(Format::Human(style)) => human::piece(product, self.spelling, style),
            Some(Format::Json) => json::item(product, self.spelling),
            Some(Format::Ndjson) => ndjson::product_line(product, self.spelling),
            Some(Format::Github) => github::piece(product, root, self.spelling),
            Some(Format::Gitlab) => gitlab::piece(product, root),
            Some(Format::Sarif) => sarif::results(product, root, None),
            Some(Format::Junit) => {
                let (text, counts) = junit::piece(product);
                return Piece { text, counts };
            }
            None => String::new(),
        };
        Piece {
            text,
            counts: junit::Counts::default(),
        }
    }
}

/// A product and its piece, written: handed back by [`Streamer::product`].
pub struct Written {
    pub product: Box<ProductReport>,
    pub piece: Piece,
}

/// How a format's document is put together.
enum Layout {
    /// Each line written when it is known.
    Lines,
    /// Pieces spooled; the head, the pieces and the end written when the run ends.
    Spooled {
        /// Buffered: past its first megabyte the spool is a file, written a piece at a time.
        spool: io::BufWriter<tempfile::SpooledTempFile>,
        pieces: usize,
        kept: Kept,
    },
    /// Every product kept, for [`Streamer::into_report`].
    Whole(Vec<ProductReport>),
}

/// What a spooled format's head needs of the products besides the run's totals.
enum Kept {
    Nothing,
    Rules(sarif::Rules),
    Counts(junit::Counts),
}

/// The document of one run, written to `out` as products arrive (in input order).
pub struct Streamer<'w> {
    renderer: Renderer,
    gate: Gate,
    out: &'w mut dyn Sink,
    layout: Layout,
    totals: Totals,
    diagnostics: Vec<RunDiagnostic>,
    /// Told the number of inputs done so far (products written, files skipped), after each.
    progress: Option<Box<dyn FnMut(usize) + 'w>>,
}

/// What a finished run said.
#[derive(Debug)]
pub struct Finished {
    pub totals: Totals,
    pub diagnostics: Vec<RunDiagnostic>,
    /// The gate the run was settled under, which its exit code reads.
    pub gate: Gate,
}

impl Finished {
    pub fn exit_code(&self) -> i32 {
        gate::exit_code(&self.diagnostics, &self.totals, &self.gate)
    }

    /// The run's problems as a report of no products, for the notes on standard error.
    pub fn problems(&self, gate: Gate, spelling: Spelling) -> Report {
        Report {
            products: Vec::new(),
            diagnostics: self.diagnostics.clone(),
            gate,
            spelling,
        }
    }
}

impl<'w> Streamer<'w> {
    pub fn new(
        format: Format,
        root: Option<PathBuf>,
        gate: Gate,
        spelling: Spelling,
        out: &'w mut dyn Sink,
    ) -> Self {
        let kept = match format {
            Format::Sarif => Kept::Rules(sarif::Rules::default()),
            Format::Junit => Kept::Counts(junit::Counts::default()),
            _ => Kept::Nothing,
        };
        let layout = match format {
            Format::Ndjson => Layout::Lines,
            _ => Layout::Spooled {
                spool: spool(SPOOL_IN_MEMORY),
                pieces: 0,
                kept,
            },
        };
        Streamer {
            renderer: Renderer::new(format, root, spelling),
            gate,
            out,
            layout,
            totals: Totals::default(),
            diagnostics: Vec::new(),
            progress: None,
        }
    }

    /// `tick` is told the number of inputs done so far, after each one (a progress bar).
    pub fn with_progress(mut self, tick: impl FnMut(usize) + 'w) -> Self {
        self.progress = Some(Box::new(tick));
        self
    }

    /// Spooled pieces kept in memory, never in a temporary file (a marked run's text).
    pub fn in_memory(mut self) -> Self {
        if let Layout::Spooled { spool, .. } = &mut self.layout {
            *spool = self::spool(usize::MAX);
        }
        self
    }

    /// A streamer that writes nothing and keeps every product, for [`Streamer::into_report`].
    pub fn collecting(gate: Gate, spelling: Spelling, out: &'w mut dyn Sink) -> Self {
        Streamer {
            renderer: Renderer {
                format: None,
                root: None,
                spelling,
            },
            gate,
            out,
            layout: Layout::Whole(Vec::new()),
            totals: Totals::default(),
            diagnostics: Vec::new(),
            progress: None,
        }
    }

    /// The report of a [`Streamer::collecting`]: its products and diagnostics.
    pub fn into_report(self) -> Report {
        Report {
            products: match self.layout {
                Layout::Whole(products) => products,
                _ => Vec::new(),
            },
            diagnostics: self.diagnostics,
            gate: self.gate,
            spelling: self.renderer.spelling,
        }
    }

    /// The renderer of pieces, for the threads that check products.
    pub fn renderer(&self) -> &Renderer {
        &self.renderer
    }

    pub fn totals(&self) -> &Totals {
        &self.totals
    }

    pub fn diagnostics(&self) -> &[RunDiagnostic] {
        &self.diagnostics
    }

    /// A problem of the run; NDJSON writes it at once, the other formats where they list them.
    pub fn diagnostic(&mut self, diagnostic: RunDiagnostic) -> io::Result<()> {
        if let Layout::Lines = self.layout {
            self.out.write_all(
                ndjson::diagnostic_line(&diagnostic, self.renderer.spelling).as_bytes(),
            )?;
            self.out.flush()?;
        }
        self.diagnostics.push(diagnostic);
        Ok(())
    }

    /// Hands what was written on to the reader, when a line-by-line format is written.
    pub fn flush(&mut self) -> io::Result<()> {
        match self.layout {
            Layout::Lines => self.out.flush(),
            _ => Ok(()),
        }
    }

    /// A file or line that holds no product, counted.
    pub fn skipped(&mut self) {
        self.totals.skipped += 1;
        self.tick();
    }

    fn tick(&mut self) {
        if let Some(tick) = &mut self.progress {
            tick(self.totals.products + self.totals.skipped);
        }
    }

    /// The next product, settled, with the piece [`Renderer::piece`] made of it. Gives both
    /// back once written, unless it keeps the product (a collecting streamer), so that the
    /// caller can free them where they were made.
    pub fn product(
        &mut self,
        product: Box<ProductReport>,
        piece: Piece,
    ) -> io::Result<Option<Written>> {
        self.totals.add(&product);
        match &mut self.layout {
            // Flushed when the next product is not ready yet (`flush`), so that a reader sees
            // each line as soon as nothing else comes with it.
            Layout::Lines => self.out.write_all(piece.text.as_bytes())?,
            Layout::Spooled {
                spool,
                pieces,
                kept,
            } => {
                match kept {
                    Kept::Nothing => {}
                    Kept::Rules(rules) => rules.meet(&product, self.renderer.spelling),
                    Kept::Counts(counts) => counts.add(piece.counts),
                }
                if !piece.text.is_empty() {
                    let separated = matches!(
                        self.renderer.format,
                        Some(Format::Json | Format::Gitlab | Format::Sarif)
                    );
                    if separated && *pieces > 0 {
                        spool.write_all(b",\n")?;
                    }
                    spool.write_all(piece.text.as_bytes())?;
                    *pieces += 1;
                }
            }
            Layout::Whole(products) => {
                products.push(*product);
                self.tick();
                return Ok(None);
            }
        }
        self.tick();
        Ok(Some(Written { product, piece }))
    }

    /// Ends the document. `refusal`, when given, replaces it: a document of the format that
    /// carries only the refusal (a pipeline never takes a missing report for a clean one).
    pub fn finish(self, refusal: Option<RunDiagnostic>) -> io::Result<Finished> {
        let Streamer {
            renderer,
            gate,
            out,
            layout,
            totals,
            diagnostics,
            progress: _,
        } = self;
        let root = renderer.root.as_deref();
        if let Some(refusal) = refusal {
            let report = Report {
                diagnostics: vec![refusal],
                ..Report::default()
            };
            if let Some(format) = renderer.format {
                out.write_all(format.render(&report, root).as_bytes())?;
                out.flush()?;
            }
            return Ok(Finished {
                totals: Totals::default(),
                diagnostics: report.diagnostics,
                gate,
            });
        }
        match (layout, renderer.format) {
            (Layout::Lines, _) => {
                out.write_all(ndjson::summary_line(&totals, &diagnostics, &gate).as_bytes())?;
            }
            (
                Layout::Spooled {
                    spool,
                    pieces,
                    kept,
                },
                Some(format),
            ) => {
                let mut spool = spool.into_inner().map_err(io::IntoInnerError::into_error)?;
                spool.seek(io::SeekFrom::Start(0))?;
                let run = Run {
                    spelling: renderer.spelling,
                    root,
                    totals: &totals,
                    diagnostics: &diagnostics,
                    gate: &gate,
                };
                write_spooled(&format, &run, pieces, &kept, spool, out)?;
            }
            // A collected report is taken whole by `into_report`, not written.
            (Layout::Whole(_), _) | (Layout::Spooled { .. }, None) => {}
        }
        out.flush()?;
        Ok(Finished {
            totals,
            diagnostics,
            gate,
        })
    }
}

fn spool(in_memory: usize) -> io::BufWriter<tempfile::SpooledTempFile> {
    io::BufWriter::with_capacity(64 * 1024, tempfile::SpooledTempFile::new(in_memory))
}

/// What a spooled format's head and end are made of, besides what was kept of the products.
struct Run<'a> {
    spelling: Spelling,
    root: Option<&'a Path>,
    totals: &'a Totals,
    diagnostics: &'a [RunDiagnostic],
    gate: &'a Gate,
}

/// The head, the spooled pieces and the end of a spooled format.
fn write_spooled(
    format: &Format,
    run: &Run<'_>,
    pieces: usize,
    kept: &Kept,
    spool: tempfile::SpooledTempFile,
    out: &mut dyn Sink,
) -> io::Result<()> {
    let Run {
        spelling,
        root,
        totals,
        diagnostics,
        gate,
    } = *run;
    match (format, kept) {
        (Format::Human(style), _) => {
            out.write_all(human::head(totals).as_bytes())?;
            copy_whole(spool, out)?;
            out.write_all(human::tail(totals, diagnostics, gate, *style).as_bytes())?;
        }
        (Format::Json, _) => {
            out.write_all(json::head(totals, diagnostics, gate, spelling).as_bytes())?;
            if pieces == 0 {
                out.write_all(json::close("", false).as_bytes())?;
            } else {
                out.write_all(b"[\n")?;
                copy_whole(spool, out)?;
                out.write_all(b"\n  ]\n}\n")?;
            }
        }
        (Format::Github, _) => {
            out.write_all(github::head(totals, diagnostics, root).as_bytes())?;
            copy_whole(spool, out)?;
        }
        (Format::Gitlab, _) => {
            let head = gitlab::head(diagnostics, root);
            if pieces == 0 {
                out.write_all(gitlab::close_with(&head, "").as_bytes())?;
            } else if head.is_empty() {
                out.write_all(b"[\n")?;
                copy_whole(spool, out)?;
                out.write_all(b"\n]\n")?;
            } else {
                out.write_all(format!("[\n{head},\n").as_bytes())?;
                copy_whole(spool, out)?;
                out.write_all(b"\n]\n")?;
            }
        }
        (Format::Sarif, Kept::Rules(rules)) => {
            let frame = sarif::frame(rules, totals, diagnostics, gate, spelling, root);
            if pieces == 0 {
                out.write_all(frame.empty().as_bytes())?;
            } else {
                out.write_all(frame.open().as_bytes())?;
                // Read back in large steps: a catalogue's report is tens of megabytes.
                let mut spool = BufReader::with_capacity(output::COPY_STEP, spool);
                sarif::copy_results(&mut spool, out, rules)?;
                out.write_all(frame.close().as_bytes())?;
            }
        }
        (Format::Junit, Kept::Counts(counts)) => {
            let frame = junit::frame(diagnostics, &totals.markings.banner(), *counts);
            if pieces == 0 {
                out.write_all(frame.empty().as_bytes())?;
            } else {
                out.write_all(frame.open().as_bytes())?;
                copy_whole(spool, out)?;
                out.write_all(frame.close().as_bytes())?;
            }
        }
        // NDJSON is never spooled, and SARIF and JUnit always keep theirs.
        (Format::Ndjson | Format::Sarif | Format::Junit, _) => {}
    }
    Ok(())
}

/// The spool written whole to `out`: from memory in one write, from its file by the kernel
/// where `out` is a file or standard output (the bytes are not read back into the process).
fn copy_whole(spool: tempfile::SpooledTempFile, out: &mut dyn Sink) -> io::Result<()> {
    match spool.into_inner() {
        tempfile::SpooledData::InMemory(cursor) => out.write_all(cursor.get_ref()),
        tempfile::SpooledData::OnDisk(mut file) => out.write_file(&mut file).map(drop),
    }
}
