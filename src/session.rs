//! One run's set-up, shared by `formfit check` and `formfit matrix`: the configuration merged
//! with the command line, the library loaded and pinned, the standards selected, deviations
//! loaded, and the products to read. Every problem on the way is a run diagnostic, so that a
//! broken pack, profile or configuration is reported with its location instead of stopping.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::code::{Code, InputCode, RunCode, UsageCode};
use crate::config::{self, Config};
use crate::deviation::{self, Deviations};
use crate::diagnostic::Problem;
use crate::engine::{self, Selected, Selection};
use crate::hint::{Setting, Spelling};
use crate::input::Span;
use crate::input::{self, Format, Limits, ReadError};
use crate::pack::model::Level;
use crate::pack::profile;
use crate::pack::{normalise_id, Library};
use crate::product::{InvalidProduct, Product, ProductReader};
use crate::render::report::stream::{Piece, Renderer, Streamer, Written};
use crate::report::{
    gate, Finding, Gate, Located, ProductReport, Report, RunDiagnostic, StreamLine, Verdict,
};
use crate::sources::{Input, Inputs, Shard, Stream};
use crate::trust::{self, Asked, Policy, Withheld};

use crate::report::{pack_diagnostics, usage};

/// What the user asked for, from the command line; the configuration fills in the rest.
#[derive(Debug, Default, Clone)]
pub struct Options {
    pub products: Vec<PathBuf>,
    pub config: Option<PathBuf>,
    pub no_config: bool,
    pub rules: Vec<PathBuf>,
    pub no_builtin: bool,
    pub standards: Vec<String>,
    pub profile: Option<String>,
    pub all_applicable: bool,
    pub deviations: Option<PathBuf>,
    pub today: Option<String>,
    /// What the holder may hold; `None` takes the configuration's, else `NATO UNCLASSIFIED`.
    pub max_classification: Option<String>,
    pub holder_groups: Vec<String>,
    /// Refuse packs not signed by one of `trusted_keys` (built-in packs are trusted).
    pub require_signed: bool,
    pub trusted_keys: Vec<PathBuf>,
    /// age identity files, to decrypt `*.toml.age` packs in memory.
    pub identities: Vec<PathBuf>,
    /// What fails the run; `None` takes the configuration's `fail-on`, else `shall`.
    pub fail_on: Option<Gate>,
    /// The format of the product on standard input (`-` among `products`).
    pub input_format: Option<Format>,
    /// An NDJSON stream of products (a file, or `-`), instead of `products`.
    pub ndjson: Option<PathBuf>,
    /// Only the K-th of N contiguous blocks of the inputs (files, or the stream's lines).
    pub shard: Option<Shard>,
    /// Threads that check products; `None`: one per core.
    pub jobs: Option<usize>,
    /// How the front end names these options, in messages and hints that name one.
    pub spelling: Spelling,
}

/// A prepared run.
pub struct Session {
    pub library: Library,
    pub selection: Selection,
    /// The resolved profile, when one was chosen.
    pub profile: Option<profile::Resolved>,
    pub deviations: Option<Deviations>,
    /// `YYYY-MM-DD`, what deviations expire against.
    pub today: String,
    /// The products to check, in run order (this shard's only).
    pub products: Inputs,
    /// The NDJSON stream to read products from, instead of `products`.
    pub stream: Option<Stream>,
    /// The shard of the stream's lines to check (`products` is already cut).
    pub shard: Option<Shard>,
    /// Threads that check products.
    pub jobs: usize,
    /// The configuration's `format`, for the command to use when not overridden.
    pub format: Option<String>,
    /// What fails the run: the command line's, else the configuration's, else `shall`.
    pub gate: Gate,
    /// The trust policy the library was loaded under: the holder and the markings they know.
    pub policy: Policy,
    /// How the front end names its settings; every report of the session carries it.
    pub spelling: Spelling,
    /// The files the run reads besides packs and product files (configuration, deviations, an
    /// NDJSON stream), so that `--output` can refuse to overwrite one.
    pub inputs: Vec<PathBuf>,
    reader: ProductReader,
    limits: Limits,
}

/// A product file checked: its report, and the product when it could be read.
pub struct Checked {
    pub report: ProductReport,
    pub product: Option<Product>,
    /// The bytes read from the file, exactly those checked (for digests that certify them);
    /// empty when the file could not be read.
    pub bytes: Vec<u8>,
}

impl Session {
    /// Prepares a run, every pack compiled. The diagnostics say what went wrong; any at
    /// `shall` level means formfit cannot do what was asked (exit 3).
    pub fn prepare(options: &Options) -> (Session, Vec<RunDiagnostic>) {
        let (session, mut diagnostics) = Session::prepare_on_demand(options);
        session.library.compile_all();
        diagnostics.extend(session.pack_errors());
        (session, diagnostics)
    }

    /// Prepares a run that compiles a built-in pack only when a product first needs it (the
    /// packs the run names, its profile's, and `--all-applicable`'s are compiled now). A
    /// built-in pack that fails later is reported by [`Session::stream`] as it goes.
    pub fn prepare_on_demand(options: &Options) -> (Session, Vec<RunDiagnostic>) {
        let mut diagnostics = Vec::new();
        let (config, policy, library, withheld) = open_on_demand(options, &mut diagnostics);
        let settings = config.as_ref().map(|c| &c.settings);
        let from_config = |path: &String| config.as_ref().map(|c| c.resolve(path));
        if let Some(config) = &config {
            if let Err(e) = config.check_pins(&library) {
                diagnostics.extend(pack_diagnostics(e));
            }
        }
        let named = !options.standards.is_empty() || options.profile.is_some();
        let standards = if named {
            options.standards.clone()
        } else {
            settings.map_or(Vec::new(), |s| s.standards.clone())
        };
        let profile_name = options.profile.clone().or_else(|| {
            settings
                .filter(|_| options.standards.is_empty())
                .and_then(|s| s.profile.clone())
        });
        let mut selection = Selection {
            standards: Vec::new(),
            all_applicable: options.all_applicable || settings.is_some_and(|s| s.all_applicable),
            claims_too: profile_name.is_some(),
        };
        for name in &standards {
            match library.find(name) {
                Some((pack, edition)) => selection.standards.push(Selected::all(pack, edition)),
                // Asked for, and withheld: refused below, at its marking.
                None if library.withheld_reason(name).is_some() => {}
                None => diagnostics.push(unknown_standard(&library, name)),
            }
        }
        let mut profile = None;
        if let Some(name) = &profile_name {
            match resolve_profile(&library, name) {
                Ok(resolved) => {
                    selection.standards = resolved.standards.iter().map(Selected::from).collect();
                    profile = Some(resolved);
                }
                Err(mut d) => diagnostics.append(&mut d),
            }
        }
        // Marked packs: a selected one the holder may not hold is refused before any rule of
        // it runs; the others are set aside with a warning.
        for (pack, why) in withheld {
            let selected = standards.iter().any(|name| {
                pack.meta
                    .names()
                    .any(|d| normalise_id(d) == normalise_id(name))
            });
            diagnostics.push(trust::withheld_diagnostic(
                &pack,
                if selected {
                    Level::Shall
                } else {
                    Level::Should
                },
                if selected {
                    format!("refused: {why}")
                } else {
                    format!("skipped: {why}")
                },
            ));
        }
        let today = today(options, &mut diagnostics);
        let deviations_file = options.deviations.clone().or_else(|| {
            settings
                .and_then(|s| s.deviations.as_ref())
                .and_then(from_config)
        });
        let mut inputs: Vec<PathBuf> = config.iter().map(|c| c.file.clone()).collect();
        inputs.extend(deviations_file.clone());
        let deviations =
            deviations_file.and_then(
                |file| match input::read_file(&file, input::MAX_FILE_BYTES) {
                    Ok(bytes) => match Deviations::load(&shown(&file), &bytes) {
                        Ok(d) => Some(d),
                        Err(e) => {
                            diagnostics.extend(pack_diagnostics(e));
                            None
                        }
                    },
                    Err(e) => {
                        diagnostics.push(usage(
                            UsageCode::DeviationsFile,
                            format!("cannot read the deviations file {}: {e}", file.display()),
                            "check the path",
                        ));
                        None
                    }
                },
            );
        let mut products = products(options, config.as_ref(), &mut diagnostics);
        let stream = options.ndjson.as_deref().map(Stream::named);
        if let Some(shard) = options.shard {
            if stream == Some(Stream::Stdin) || products.has_stdin() {
                let flag = options.spelling.of(Setting::Shard);
                diagnostics.push(usage(
                    UsageCode::Shard,
                    format!(
                        "{flag} {}/{} cannot cut standard input: no other shard sees it",
                        shard.index, shard.count
                    ),
                    &format!("write the stream to a file and shard that, or run without {flag}"),
                ));
            }
        }
        if let (Some(shard), None) = (options.shard, &stream) {
            products.keep(shard.range(products.len()));
        }
        if let Some(Stream::File(file)) = &stream {
            inputs.push(file.clone());
        }
        let gate = match (options.fail_on, settings.and_then(|s| s.fail_on.as_deref())) {
            (Some(gate), _) => gate,
            (None, Some(text)) => Gate::parse(text).unwrap_or_else(|message| {
                diagnostics.push(usage(
                    UsageCode::FailOn,
                    format!("formfit.toml: fail-on: {message}"),
                    "write fail-on as shall, should or never, optionally with not-checked: \"should,not-checked\"",
                ));
                Gate::default()
            }),
            (None, None) => Gate::default(),
        };
        if selection.all_applicable {
            library.compile_all();
        }
        let session = Session {
            inputs,
            library,
            selection,
            profile,
            deviations,
            today,
            products,
            stream,
            shard: options.shard,
            jobs: options
                .jobs
                .filter(|n| *n > 0)
                .or_else(|| std::thread::available_parallelism().ok().map(|n| n.get()))
                .unwrap_or(1),
            format: settings.and_then(|s| s.format.clone()),
            gate,
            spelling: options.spelling,
            reader: ProductReader::new(Limits::default()),
            policy,
            limits: Limits::default(),
        };
        diagnostics.extend(session.pack_errors());
        (session, diagnostics)
    }

    /// Built-in packs that failed to compile since the last call, as run diagnostics.
    fn pack_errors(&self) -> Vec<RunDiagnostic> {
        self.library
            .take_errors()
            .into_iter()
            .flat_map(pack_diagnostics)
            .collect()
    }

    /// The whole run, collected into one report: what [`Session::stream`] writes, for a
    /// library user that wants the report itself (the products are held, so memory grows
    /// with them).
    pub fn run(&self, diagnostics: Vec<RunDiagnostic>) -> Report {
        let mut sink = std::io::sink();
        let mut streamer = Streamer::collecting(self.gate, self.spelling, &mut sink);
        let _ = self.stream(diagnostics, &mut streamer);
        streamer.into_report()
    }

    /// The whole run, written as it goes: every product checked (unless a diagnostic already
    /// says formfit cannot do what was asked) on `jobs` threads and handed to `streamer` in
    /// input order, claims the holder may not check turned into refusals, products sharing an
    /// id reported, every finding settled under the gate, and the deviations file's own
    /// report last. `Err` only when the output cannot be written.
    pub fn stream(
        &self,
        diagnostics: Vec<RunDiagnostic>,
        streamer: &mut Streamer<'_>,
    ) -> std::io::Result<()> {
        let stop = diagnostics.iter().any(|d| d.level == Level::Shall);
        for d in diagnostics {
            streamer.diagnostic(d)?;
        }
        if stop {
            return Ok(());
        }
        let renderer = streamer.renderer().clone();
        let mut ids = Ids::default();
        let work = |job: Job<'_>| self.check_job(job, &renderer);
        match &self.stream {
            None => {
                ids.first.reserve_exact(self.products.len());
                let jobs = (0..self.products.len()).map(Job::Input);
                let never = || false;
                pipeline(self.jobs, PRODUCTS_PER_TASK, jobs, never, work, |ready| {
                    self.hand_on(ready, &mut ids, &renderer, streamer)
                })?;
                if self.products.has_found() && streamer.totals().products == 0 {
                    streamer.diagnostic(usage(
                        UsageCode::NoProductFound,
                        format!(
                            "no product description among the {} files found",
                            streamer.totals().skipped
                        ),
                        "a product description has a top-level `product` table: check its spelling, or name the right folder",
                    ))?;
                }
            }
            Some(stream) => {
                let shown = stream.shown();
                // A regular file can be counted first; a pipe would be used up by counting.
                let regular = match stream {
                    Stream::File(path) => std::fs::metadata(path).is_ok_and(|m| m.is_file()),
                    Stream::Stdin => false,
                };
                let range = match (self.shard, stream) {
                    (Some(shard), _) if !regular => {
                        let flag = self.spelling.of(Setting::Shard);
                        return streamer.diagnostic(usage(
                            UsageCode::Shard,
                            format!(
                                "{flag} {}/{} needs a regular file to count the lines of; {shown} is not one",
                                shard.index, shard.count
                            ),
                            &format!("write the stream to a file and shard that, or run without {flag}"),
                        ));
                    }
                    (shard, Stream::File(path)) if regular => match count_lines(path) {
                        Ok(total) => {
                            // Room for every id at once: growing by copies would double the
                            // set's memory for a moment.
                            ids.seen.reserve_exact(total);
                            let range = shard.map_or(0..total, |s| s.range(total));
                            // Line numbers are 1-based.
                            range.start + 1..range.end + 1
                        }
                        Err(e) => {
                            return streamer.diagnostic(usage(
                                UsageCode::Ndjson,
                                format!("cannot read {shown}: {e}"),
                                "check the path",
                            ))
                        }
                    },
                    _ => 1..usize::MAX,
                };
                let lines = match stream.open(self.limits.max_bytes) {
                    Ok(lines) => lines,
                    Err(message) => {
                        return streamer.diagnostic(usage(
                            UsageCode::Ndjson,
                            message,
                            "check the path",
                        ))
                    }
                };
                // A file is read ahead in any case; a pipe may wait on its writer.
                let buffered = lines.buffered();
                let waits = || !regular && buffered.next_line_waits();
                let jobs = lines
                    .take_while(|line| !matches!(line, Ok(l) if l.number >= range.end))
                    .filter(|line| !matches!(line, Ok(l) if l.number < range.start))
                    .map(|line| match line {
                        Ok(line) => Job::Line(&shown, line),
                        Err(message) => Job::Broken(message),
                    });
                pipeline(self.jobs, PRODUCTS_PER_TASK, jobs, waits, work, |ready| {
                    self.hand_on(ready, &mut ids, &renderer, streamer)
                })?;
            }
        }
        for d in self.pack_errors() {
            streamer.diagnostic(d)?;
        }
        if let Some(d) = &self.deviations {
            let mut own = d.report(&self.today);
            gate::settle_product(&mut own, &self.gate);
            let piece = renderer.piece(&own);
            streamer.product(Box::new(own), piece)?;
        }
        Ok(())
    }

    /// One job, on a worker thread: the product read, checked, settled and rendered.
    fn check_job(&self, job: Job<'_>, renderer: &Renderer) -> Done {
        let checked = match job {
            Job::Input(seq) => match self.products.get(seq) {
                Some(Input::Named(path)) => Some(self.check_path(&path, false)),
                Some(Input::Found(path)) => match self.check_path(&path, true) {
                    Some(checked) => Some(Some(checked)),
                    None => return Done::Skipped(path.display().to_string()),
                },
                Some(Input::Stdin(format)) => Some(self.check_stdin(format)),
                None => None,
            }
            .flatten()
            .map(|checked| (checked, seq)),
            Job::Line(shown, line) => {
                let at = StreamLine {
                    number: line.number,
                    offset: line.offset,
                };
                match line.bytes {
                    Ok(bytes) if bytes.iter().all(u8::is_ascii_whitespace) => return Done::Blank,
                    Ok(bytes) => self.check_bytes(shown, bytes, Format::Json, false),
                    Err(length) => Some(unreadable(
                        shown,
                        InputCode::LineLength,
                        format!(
                            "line {} is {length} bytes long, over the limit of {} bytes",
                            line.number, self.limits.max_bytes
                        ),
                        "put one product description on each line of the stream",
                    )),
                }
                .map(|mut checked| {
                    checked.report.line = Some(at);
                    // An invalid line stands under the gate as a line, not as a file does.
                    if checked.report.verdict == Verdict::Invalid {
                        gate::settle_product(&mut checked.report, &self.gate);
                    }
                    (checked, line.number)
                })
            }
            Job::Broken(message) => return Done::Broken(message),
        };
        let Some((checked, seq)) = checked else {
            return Done::Blank;
        };
        let id = checked.product.as_ref().and_then(|p| {
            let id = p.doc.root.get("product")?.get("id")?;
            Some(id.span.clone())
        });
        let piece = renderer.piece(&checked.report);
        Done::Product {
            report: Box::new(checked.report),
            piece,
            id,
            seq,
        }
    }

    /// What [`pipeline`] hands on, on the thread that writes: a job's result in input order,
    /// or a moment to flush.
    fn hand_on(
        &self,
        ready: Ready<Done>,
        ids: &mut Ids,
        renderer: &Renderer,
        streamer: &mut Streamer<'_>,
    ) -> std::io::Result<Option<Written>> {
        let done = match ready {
            Ready::Done(done) => done,
            // Nothing is ready: what was written goes out to the reader now.
            Ready::Waiting => return streamer.flush().map(|()| None),
        };
        // A built-in pack a product needed and that did not compile: said before the product.
        for d in self.pack_errors() {
            streamer.diagnostic(d)?;
        }
        let Some(done) = done else {
            return streamer.diagnostic(
                RunDiagnostic::new(
                    RunCode::Internal,
                    Level::Shall,
                    "a product could not be checked: formfit failed on it (a bug; the message above says where)".to_owned(),
                )
                .with_help("please report it with the product that caused it"),
            ).map(|()| None);
        };
        match done {
            Done::Product {
                mut report,
                mut piece,
                id,
                seq,
            } => {
                for d in refused_claims(&report) {
                    streamer.diagnostic(d)?;
                }
                if let (Some(product_id), Some(span)) = (&report.product, id) {
                    let first = match ids.meet(product_id, seq, report.line.is_some()) {
                        Met::New => None,
                        Met::Earlier => Some(format!("an earlier line of {}", report.file)),
                        Met::Before(first) => {
                            let first = self.products.get(first);
                            Some(first.as_ref().and_then(Input::path).map_or_else(
                                || crate::sources::STDIN.to_owned(),
                                |p| p.display().to_string(),
                            ))
                        }
                    };
                    if let Some(first) = first {
                        let message =
                            format!("the product id `{product_id}` is also the id of {first}");
                        report.findings.push(Finding::plain(
                            RunCode::DuplicateProductId,
                            Level::Should,
                            span,
                            "product.id",
                            message,
                            "same id",
                            "give each product of a catalogue its own id: reports, deviations and fingerprints are keyed by it",
                        ));
                        gate::settle_product(&mut report, &self.gate);
                        piece = renderer.piece(&report);
                    }
                }
                streamer.product(report, piece)
            }
            Done::Skipped(file) => {
                streamer.skipped();
                streamer.diagnostic(
                    RunDiagnostic::new(
                        RunCode::NotAProduct,
                        Level::May,
                        format!("skipped {file}: it has no top-level `product` table, so it is not a product description"),
                    )
                    .with_help("a product description starts with a `product` table; if this file is one, check that key's spelling"),
                ).map(|()| None)
            }
            Done::Blank => Ok(None),
            Done::Broken(message) => streamer
                .diagnostic(usage(
                    UsageCode::Ndjson,
                    message,
                    "the results before this line are complete; check the stream's source",
                ))
                .map(|()| None),
        }
    }

    /// Reads and checks one product file, applying the deviations.
    pub fn check_file(&self, path: &Path) -> Checked {
        self.check_path(path, false).unwrap_or_else(|| {
            unreadable(
                &path.display().to_string(),
                InputCode::NotAProduct,
                format!("{} is not a product description", path.display()),
                "name a product file",
            )
        })
    }

    /// A product file read and checked; `None` when `found` (met walking a folder) and it
    /// holds no product.
    fn check_path(&self, path: &Path, found: bool) -> Option<Checked> {
        // What `display` shows, without the formatting machinery: once a product.
        let shown = path.to_string_lossy().into_owned();
        let Some(format) = Format::from_path(path) else {
            return Some(unreadable(
                &shown,
                InputCode::UnknownFormat,
                format!("cannot tell the format of {shown}"),
                "product files end in .toml, .json, .yaml or .yml",
            ));
        };
        let bytes = match input::read_file(path, self.limits.max_bytes) {
            Ok(bytes) => bytes,
            Err(e) => return Some(read_error(&shown, &e)),
        };
        self.check_bytes(&shown, bytes, format, found)
    }

    /// The product on standard input.
    fn check_stdin(&self, format: Format) -> Option<Checked> {
        match crate::sources::read_stdin(self.limits.max_bytes) {
            Ok(bytes) => self.check_bytes(crate::sources::STDIN, bytes, format, false),
            Err(e) => Some(read_error(crate::sources::STDIN, &e)),
        }
    }

    /// A product's bytes read and checked; `None` when `found` and it holds no product (the
    /// language server checks an editor's buffer this way).
    pub fn check_bytes(
        &self,
        shown: &str,
        bytes: Vec<u8>,
        format: Format,
        found: bool,
    ) -> Option<Checked> {
        let read = if found {
            self.reader.read_found(&bytes, format)?
        } else {
            self.reader.read(&bytes, format)
        };
        Some(match read {
            Ok(product) => {
                let mut report = engine::check(&self.library, &self.selection, shown, &product);
                if let Some(deviations) = &self.deviations {
                    deviations.apply(&product, &mut report, &self.today);
                }
                gate::settle_product(&mut report, &self.gate);
                Checked {
                    report,
                    product: Some(product),
                    bytes,
                }
            }
            Err(invalid) => {
                let mut report = engine::invalid(shown, invalid);
                gate::settle_product(&mut report, &self.gate);
                Checked {
                    report,
                    product: None,
                    bytes,
                }
            }
        })
    }
}

/// A unit of work, in input order.
enum Job<'a> {
    /// The `usize`-th input. Its path is made on the thread that checks it, which frees it.
    Input(usize),
    /// A line of the stream shown as the `str`.
    Line(&'a str, crate::sources::Line),
    /// The stream could not be read on.
    Broken(String),
}

/// A job done.
enum Done {
    Product {
        report: Box<ProductReport>,
        /// Its piece of the document.
        piece: Piece,
        /// Where its `product.id` is, for the duplicate-id finding.
        id: Option<Span>,
        /// Its input's index, or its line's number.
        seq: usize,
    },
    /// A file found by a walk that holds no product.
    Skipped(String),
    /// A blank line of a stream.
    Blank,
    Broken(String),
}

/// Product ids met, to report the second product with an id. Kept as 64-bit hashes (the
/// hasher's keys are random per run, so a crafted catalogue cannot make two ids collide). For
/// files, with the first input's index, so the finding names the first file; for a stream, as
/// a bare set, and the finding names no line. Either way in a sorted vector, so that memory
/// stays near flat over a catalogue: twelve bytes a file, eight a line.
#[derive(Default)]
struct Ids {
    hasher: std::collections::hash_map::RandomState,
    first: Seen<u32>,
    seen: Seen<()>,
}

/// What [`Ids`] knows of an id met again.
enum Met {
    New,
    /// The index of the input that had it first.
    Before(usize),
    /// Met before in this stream.
    Earlier,
}

impl Ids {
    fn meet(&mut self, id: &str, seq: usize, stream: bool) -> Met {
        use std::hash::BuildHasher;
        let hash = self.hasher.hash_one(id);
        if stream {
            return match self.seen.insert(hash, ()) {
                None => Met::New,
                Some(()) => Met::Earlier,
            };
        }
        // An input list cannot pass 2^32 entries (see `sources::Inputs`).
        match self.first.insert(hash, seq as u32) {
            None => Met::New,
            Some(first) => Met::Before(first as usize),
        }
    }
}

/// A map from 64-bit hashes to small values, in the hash's eight bytes and the value's own:
/// a sorted vector searched by halves, and the latest ones in a small hash map, merged into
/// the vector (in place, from its end) when they grow past a sixteenth of it, so the merging
/// stays O(n log n) over a run.
struct Seen<V> {
    keys: Vec<u64>,
    values: Vec<V>,
    recent: HashMap<u64, V>,
}

impl<V> Default for Seen<V> {
    fn default() -> Self {
        Seen {
            keys: Vec::new(),
            values: Vec::new(),
            recent: HashMap::new(),
        }
    }
}

impl<V: Copy + Default> Seen<V> {
    /// Room for `n` hashes in all, so that growing by copies does not double the vector's
    /// memory for a moment.
    fn reserve_exact(&mut self, n: usize) {
        self.keys.reserve_exact(n.saturating_sub(self.keys.len()));
        self.values
            .reserve_exact(n.saturating_sub(self.values.len()));
    }

    /// Records `hash` with `value`, unless it is there already: then its first value.
    fn insert(&mut self, hash: u64, value: V) -> Option<V> {
        if let Ok(i) = self.keys.binary_search(&hash) {
            return Some(self.values[i]);
        }
        if let Some(first) = self.recent.get(&hash) {
            return Some(*first);
        }
        self.recent.insert(hash, value);
        if self.recent.len() >= (self.keys.len() / 16).max(4096) {
            self.merge();
        }
        None
    }

    fn merge(&mut self) {
        let mut recent: Vec<(u64, V)> = self.recent.drain().collect();
        recent.sort_unstable_by_key(|(hash, _)| *hash);
        let old = self.keys.len();
        let total = old + recent.len();
        self.reserve_exact(total);
        self.keys.resize(total, 0);
        self.values.resize(total, V::default());
        let (mut i, mut j) = (old, recent.len());
        for k in (0..total).rev() {
            if j == 0 {
                break;
            }
            if i > 0 && self.keys[i - 1] > recent[j - 1].0 {
                self.keys[k] = self.keys[i - 1];
                self.values[k] = self.values[i - 1];
                i -= 1;
            } else {
                (self.keys[k], self.values[k]) = recent[j - 1];
                j -= 1;
            }
        }
    }
}

/// What [`pipeline`] hands on: the next result in order (`None` when its work panicked), or
/// word that the next one is not done yet (a moment to flush what was written).
enum Ready<D> {
    Done(Option<D>),
    Waiting,
}

/// Products one task checks in a row (see [`pipeline`]). Each task handed to a helper thread
/// is a message back to the writing thread: at 16 a task, the 100k catalogue on two threads
/// made 11 000 context switches and 37 % more CPU than one thread; at 32, 7 000. At 64 the
/// CPU was the same, with twice the products held in memory.
const PRODUCTS_PER_TASK: usize = 32;

/// Runs `work` over `jobs` on `threads` threads, `batch` jobs to a task, and hands each result
/// to `emit` in the jobs' order, as soon as it and those before it are done. This thread both
/// writes and works: it keeps `threads - 1` helpers supplied with tasks and checks the next
/// task itself while they are busy, so that no thread sleeps waiting for another while there
/// is work, and two threads cost two cores, not three. At most two tasks a helper and three
/// of this thread's are under way or waiting, so memory stays flat whatever the number of
/// jobs. When `input_waits` says the next job would wait on its input, the tasks under way
/// are finished and handed on first. The first error of `emit` stops the taking of new jobs.
/// What `emit` gives back of a result is freed on the thread that made it.
fn pipeline<J: Send, D: Send, L: Send>(
    threads: usize,
    batch: usize,
    mut jobs: impl Iterator<Item = J>,
    input_waits: impl Fn() -> bool,
    work: impl Fn(J) -> D + Sync,
    mut emit: impl FnMut(Ready<D>) -> std::io::Result<Option<L>>,
) -> std::io::Result<()> {
    let batch = batch.max(1);
    let helpers = threads.saturating_sub(1);
    // The parsers recurse up to the depth limit: as much stack as the main thread has.
    let built = (helpers > 0).then(|| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(helpers)
            .stack_size(8 << 20)
            .build()
    });
    let Some(Ok(pool)) = built else {
        // One thread, or no others to be had: the same work, in order, on this one. What
        // was written goes out a batch at a time, and before the input would wait.
        for (done, job) in (1..).zip(jobs) {
            emit(Ready::Done(unless_it_panics(&work, job)))?;
            if done % batch == 0 || input_waits() {
                emit(Ready::Waiting)?;
            }
        }
        return Ok(());
    };
    // Jobs go out in batches: one task and one message per product cost two thread wake-ups
    // each, which on a catalogue of small files took more time than checking them. Two tasks
    // a helper keep it busy (one under way, one waiting) with few products held.
    let window = helpers * 2;
    // This thread's finished tasks wait behind the helpers' older ones. Room for one was not
    // enough: it then slept until a helper's task came back, and the run took 19 % longer on
    // two threads than with room for three, which did as well as room without bound.
    const OWN_TASKS: usize = 3;
    // What `emit` leaves of a helper's result goes back to that helper, and is freed there
    // when it next finishes a task. mimalloc frees a block of another thread's heap through
    // an atomic list that its owner collects later: freed on this thread, the reports of the
    // 100k catalogue cost 8 % of the run's CPU on two threads.
    let leftovers: Vec<std::sync::Mutex<Vec<L>>> =
        (0..helpers).map(|_| Default::default()).collect();
    let free_own = || {
        let mine = rayon::current_thread_index().and_then(|i| leftovers.get(i));
        if let Some(mine) = mine {
            let taken = std::mem::take(&mut *mine.lock().unwrap_or_else(|e| e.into_inner()));
            drop(taken);
        }
    };
    let (sender, receiver) = std::sync::mpsc::channel::<(usize, Batch<D>)>();
    let mut order = Order {
        waiting: Default::default(),
        next: 0,
        result: Ok(()),
    };
    let mut issued = 0;
    let mut with_helpers = 0;
    let run = |chunk: Vec<J>| -> Vec<Option<D>> {
        chunk
            .into_iter()
            .map(|job| unless_it_panics(&work, job))
            .collect()
    };
    let run = &run;
    pool.in_place_scope(|scope| {
        let mut exhausted = false;
        loop {
            for (seq, batch) in receiver.try_iter() {
                with_helpers -= 1;
                order.arrive(seq, batch);
            }
            order.hand_on(&mut emit, &leftovers);
            // The next jobs, unless the input would wait while answers are under way: a slow
            // producer sees each answer before it sends the next line.
            let mut chunk = Vec::new();
            let room = issued - order.next < window + OWN_TASKS;
            if order.result.is_ok() && !exhausted && room {
                let waits = input_waits();
                if waits && issued == order.next {
                    order.result = emit(Ready::Waiting).map(drop);
                }
                if order.result.is_ok() && (!waits || issued == order.next) {
                    chunk.reserve_exact(batch);
                    while chunk.len() < batch && (chunk.is_empty() || !input_waits()) {
                        match jobs.next() {
                            Some(job) => chunk.push(job),
                            None => {
                                exhausted = true;
                                break;
                            }
                        }
                    }
                }
            }
            if !chunk.is_empty() {
                let seq = issued;
                issued += 1;
                if with_helpers < window {
                    let sender = sender.clone();
                    let free_own = &free_own;
                    scope.spawn(move |_| {
                        let done = run(chunk);
                        let maker = rayon::current_thread_index();
                        let _ = sender.send((seq, Batch { maker, done }));
                        free_own();
                    });
                    with_helpers += 1;
                    order.waiting.push_back(None);
                } else {
                    // The helpers have enough to do: this thread checks these itself.
                    let done = run(chunk);
                    order.waiting.push_back(Some(Batch { maker: None, done }));
                }
                continue;
            }
            if issued == order.next {
                if exhausted || order.result.is_err() {
                    break;
                }
                continue;
            }
            // Nothing to take for now, and the next result is a helper's: wait for it.
            if order.result.is_ok() {
                order.result = emit(Ready::Waiting).map(drop);
            }
            let Ok((seq, batch)) = receiver.recv() else {
                break;
            };
            with_helpers -= 1;
            order.arrive(seq, batch);
        }
    });
    order.result
}

/// The tasks of [`pipeline`] from the oldest not yet handed on, each with its results once
/// they are in, and the first error in handing them on.
struct Order<D> {
    waiting: std::collections::VecDeque<Option<Batch<D>>>,
    /// The sequence number of the front of `waiting`.
    next: usize,
    result: std::io::Result<()>,
}

impl<D> Order<D> {
    /// Keeps task `seq`'s results until those before them are handed on.
    fn arrive(&mut self, seq: usize, batch: Batch<D>) {
        if let Some(slot) = self.waiting.get_mut(seq - self.next) {
            *slot = Some(batch);
        }
    }

    /// Hands every result at the front to `emit`, in order, while no error has stopped it,
    /// and sends what `emit` leaves of a helper's results back to that helper.
    fn hand_on<L>(
        &mut self,
        emit: &mut impl FnMut(Ready<D>) -> std::io::Result<Option<L>>,
        leftovers: &[std::sync::Mutex<Vec<L>>],
    ) {
        while matches!(self.waiting.front(), Some(Some(_))) {
            let Some(Some(Batch { maker, done })) = self.waiting.pop_front() else {
                break;
            };
            self.next += 1;
            let mut left = Vec::with_capacity(done.len());
            for done in done {
                if self.result.is_ok() {
                    match emit(Ready::Done(done)) {
                        Ok(leftover) => left.extend(leftover),
                        Err(e) => self.result = Err(e),
                    }
                }
            }
            // This thread's own results are freed here, with `left`.
            if let Some(bin) = maker.and_then(|i| leftovers.get(i)) {
                bin.lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .append(&mut left);
            }
        }
    }
}

/// A task's results in its jobs' order (`None` where the work panicked), and the pool thread
/// that made them (`None`: the thread that writes).
struct Batch<D> {
    maker: Option<usize>,
    done: Vec<Option<D>>,
}

/// `work(job)`, or `None` when it panicked: the panic is reported, the run goes on.
fn unless_it_panics<J, D>(work: impl Fn(J) -> D, job: J) -> Option<D> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| work(job))).ok()
}

/// The number of lines of a file, as [`crate::sources::Lines`] counts them.
fn count_lines(path: &Path) -> std::io::Result<usize> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let mut buffer = vec![0u8; 64 * 1024];
    let (mut lines, mut last) = (0usize, b'\n');
    loop {
        let n = file.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        lines += buffer[..n].iter().filter(|b| **b == b'\n').count();
        last = buffer[n - 1];
    }
    Ok(lines + usize::from(last != b'\n'))
}

/// A product that could not be read at all.
fn unreadable(shown: &str, code: InputCode, message: String, help: &str) -> Checked {
    Checked {
        report: engine::invalid(
            shown,
            InvalidProduct {
                text: String::new(),
                product: None,
                problems: vec![Problem::new(code, message, 0..0).with_help(help)],
            },
        ),
        product: None,
        bytes: Vec::new(),
    }
}

fn read_error(shown: &str, e: &ReadError) -> Checked {
    match e {
        ReadError::TooLarge { .. } => unreadable(
            shown,
            InputCode::FileSize,
            format!("cannot read {shown}: {e}"),
            "split the product description, or check that this is the right file",
        ),
        ReadError::NotRegular(_) => unreadable(
            shown,
            InputCode::NotAFile,
            format!("cannot read {shown}: {e}"),
            "name a product file, not a pipe or device",
        ),
        ReadError::Io(_) => unreadable(
            shown,
            InputCode::Unreadable,
            format!("cannot read {shown}: {e}"),
            "check the path",
        ),
    }
}

/// The products the command line names (files, folders, globs, `-`), else the
/// configuration's globs; a problem is a run diagnostic.
fn products(
    options: &Options,
    config: Option<&Config>,
    diagnostics: &mut Vec<RunDiagnostic>,
) -> Inputs {
    if options.ndjson.is_some() {
        if !options.products.is_empty() || options.input_format.is_some() {
            let spelling = options.spelling;
            diagnostics.push(usage(
                UsageCode::Ndjson,
                format!(
                    "{} reads every product from the stream: no product files or {} beside it",
                    spelling.of(Setting::Ndjson),
                    spelling.of(Setting::InputFormat)
                ),
                "check either the stream or the files, in separate runs",
            ));
        }
        return Inputs::default();
    }
    if !options.products.is_empty() || options.input_format.is_some() {
        return match crate::sources::expand(&options.products, options.input_format) {
            Ok(expanded) => {
                for problem in expanded.unwalked {
                    diagnostics.push(
                        RunDiagnostic::new(RunCode::Unwalked, Level::Should, problem).with_help(
                            "products in what could not be walked are not checked: fix the permissions or the ignore file",
                        ),
                    );
                }
                expanded.inputs
            }
            Err(errors) => {
                let spelling = options.spelling;
                diagnostics.extend(
                    errors
                        .into_iter()
                        .map(|e| usage(e.code, spelling.fill(&e.message), &spelling.fill(e.help))),
                );
                Inputs::default()
            }
        };
    }
    match config {
        Some(c) if !c.settings.products.is_empty() => c.products().unwrap_or_else(|e| {
            diagnostics.extend(pack_diagnostics(e));
            Inputs::default()
        }),
        _ => {
            diagnostics.push(usage(
                UsageCode::NoProducts,
                "no product files to check".to_owned(),
                "name them on the command line, or list `products` globs in formfit.toml",
            ));
            Inputs::default()
        }
    }
}

/// A claim of a pack the holder may not hold refuses the run, as `--standard` would: the
/// product cannot be checked as it asks, and a green run would hide that.
fn refused_claims(product: &ProductReport) -> Vec<RunDiagnostic> {
    product
        .findings
        .iter()
        .filter(|f| f.code == Some(Code::Run(RunCode::WithheldStandard)))
        .map(|f| RunDiagnostic {
            code: Code::Run(RunCode::WithheldStandard),
            level: Level::Shall,
            message: format!(
                "refused: {} claims a standard this run may not check ({})",
                product.file,
                f.message.trim_start_matches("not checked: ")
            ),
            help: f.help.clone(),
            hint: f.hint.clone(),
            location: Some(Located::new(
                product.file.clone(),
                product.text.clone(),
                f.span.clone(),
                Some("claimed here".to_owned()),
            )),
            place: None,
        })
        .collect()
}

impl Options {
    /// What was asked that the trust gate decides on.
    pub fn asked(&self) -> Asked {
        Asked {
            rules: self.rules.clone(),
            no_builtin: self.no_builtin,
            max_classification: self.max_classification.clone(),
            holder_groups: self.holder_groups.clone(),
            require_signed: self.require_signed,
            trusted_keys: self.trusted_keys.clone(),
            identities: self.identities.clone(),
            spelling: self.spelling,
        }
    }
}

/// Every command's way in: the configuration, the trust policy it and the command line make,
/// and the library loaded through that policy (every pack compiled), with the packs withheld
/// from the holder that the command must still refuse or set aside.
pub fn open(
    options: &Options,
    diagnostics: &mut Vec<RunDiagnostic>,
) -> (Option<Config>, Policy, Library, Vec<Withheld>) {
    let opened = open_on_demand(options, diagnostics);
    opened.2.compile_all();
    diagnostics.extend(
        opened
            .2
            .take_errors()
            .into_iter()
            .flat_map(pack_diagnostics),
    );
    opened
}

/// [`open`], the built-in packs left to compile on first use.
fn open_on_demand(
    options: &Options,
    diagnostics: &mut Vec<RunDiagnostic>,
) -> (Option<Config>, Policy, Library, Vec<Withheld>) {
    let config = load_config(options, diagnostics);
    let policy = Policy::new(&options.asked(), config.as_ref(), diagnostics);
    let (library, withheld) = policy.load_library(diagnostics);
    (config, policy, library, withheld)
}

/// The configuration named with --config, or the nearest formfit.toml; a broken one is a run
/// diagnostic (exit 3), never silently ignored.
fn load_config(options: &Options, diagnostics: &mut Vec<RunDiagnostic>) -> Option<Config> {
    if options.no_config {
        return None;
    }
    let file = match &options.config {
        Some(file) => file.clone(),
        None => config::discover(&std::env::current_dir().ok()?)?,
    };
    match Config::load(&file) {
        Ok(config) => Some(config),
        Err(e) => {
            diagnostics.extend(pack_diagnostics(e));
            None
        }
    }
}

/// A path as shown in reports: relative to the working directory when it is under it.
fn shown(path: &Path) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    path.strip_prefix(&cwd)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// Resolves a profile by name; an unknown name or a broken profile is a run diagnostic.
pub fn resolve_profile(
    library: &Library,
    name: &str,
) -> Result<profile::Resolved, Vec<RunDiagnostic>> {
    if !library.profiles.iter().any(|p| p.name == name) {
        let known: Vec<&str> = library.profiles.iter().map(|p| p.name.as_str()).collect();
        return Err(vec![RunDiagnostic::new(
            RunCode::UnknownProfile,
            Level::Shall,
            format!("unknown profile `{name}`"),
        )
        .with_help(format!("known profiles: {}", known.join(", ")))]);
    }
    profile::resolve(name, &library.profiles, library).map_err(pack_diagnostics)
}

/// The run's date, `YYYY-MM-DD`: `--today` when it is a date (else a usage error, and an
/// empty date), else `SOURCE_DATE_EPOCH`'s, else the system clock's. What deviations expire
/// against and what a matrix, catalog or profile is dated with.
pub fn today(options: &Options, diagnostics: &mut Vec<RunDiagnostic>) -> String {
    match &options.today {
        Some(date) if deviation::is_date(date) => date.clone(),
        Some(date) => {
            diagnostics.push(usage(
                UsageCode::Date,
                format!(
                    "{} {date} is not a date",
                    options.spelling.of(Setting::Today)
                ),
                "write the date as YYYY-MM-DD",
            ));
            String::new()
        }
        None => deviation::today(),
    }
}

/// An unknown standard name: a usage error that lists the known ones, or explains a known
/// non-standard.
pub fn unknown_standard(library: &Library, name: &str) -> RunDiagnostic {
    match library.non_standard(name) {
        Some(non) => RunDiagnostic::new(
            RunCode::NotAStandard,
            Level::Shall,
            format!("`{name}` is not a standard formfit can check: {}", non.why),
        )
        .with_help(non.help.clone()),
        None => {
            let known: Vec<_> = library.designations().collect();
            RunDiagnostic::new(
                RunCode::UnknownStandard,
                Level::Shall,
                format!("unknown standard `{name}`"),
            )
            .with_help(format!("known standards: {}", known.join(", ")))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_is_seen_again_with_its_first_value_across_merges_and_a_new_one_is_not() {
        let mut seen = Seen::default();
        let hashes: Vec<u64> = (1..=20_000u64)
            .map(|i| i.wrapping_mul(0x9E37_79B9_7F4A_7C15))
            .collect();
        for (i, h) in (0u32..).zip(&hashes) {
            assert_eq!(seen.insert(*h, i), None, "{h} is new");
        }
        assert!(!seen.keys.is_empty(), "merged at least once");
        assert!(seen.keys.windows(2).all(|w| w[0] < w[1]));
        for (i, h) in (0u32..).zip(&hashes) {
            assert_eq!(
                seen.insert(*h, u32::MAX),
                Some(i),
                "{h} was seen first at {i}"
            );
        }
        assert_eq!(seen.insert(0, 7), None, "0 was never inserted");
    }

    /// Runs [`pipeline`] over `0..n` with `work`, handing each result on to a list; `fail_at`
    /// makes the emit of that result fail.
    fn run_pipeline(
        threads: usize,
        n: usize,
        work: impl Fn(usize) -> (usize, std::thread::ThreadId) + Sync,
        fail_at: Option<usize>,
    ) -> (
        Vec<Option<(usize, std::thread::ThreadId)>>,
        std::io::Result<()>,
    ) {
        let mut handed = Vec::new();
        let result = pipeline(
            threads,
            4,
            0..n,
            || false,
            work,
            |ready| {
                if let Ready::Done(done) = ready {
                    if fail_at == Some(handed.len()) {
                        return Err(std::io::Error::other("closed"));
                    }
                    handed.push(done);
                }
                Ok(None::<()>)
            },
        );
        (handed, result)
    }

    #[test]
    fn the_pipeline_hands_results_on_in_order_and_the_writing_thread_works_too() {
        let here = std::thread::current().id();
        // Uneven work, so that tasks finish out of order.
        let work = |i: usize| {
            std::thread::sleep(std::time::Duration::from_micros(
                (i * 7919 % 13) as u64 * 50,
            ));
            (i, std::thread::current().id())
        };
        for threads in [1, 2, 3] {
            let (handed, result) = run_pipeline(threads, 400, work, None);
            assert!(result.is_ok());
            let order: Vec<usize> = handed.iter().map(|d| d.unwrap().0).collect();
            assert_eq!(order, (0..400).collect::<Vec<_>>(), "{threads} threads");
            let makers: std::collections::HashSet<_> =
                handed.iter().map(|d| d.unwrap().1).collect();
            assert!(
                makers.contains(&here),
                "{threads} threads: this thread worked"
            );
            assert_eq!(
                makers.len(),
                threads,
                "{threads} threads: each of them worked"
            );
        }
    }

    #[test]
    fn a_panicking_job_is_none_in_its_place_and_a_failed_write_stops_the_taking() {
        let work = |i: usize| {
            assert!(i != 5, "job 5 fails");
            (i, std::thread::current().id())
        };
        let (handed, result) = run_pipeline(2, 40, work, None);
        assert!(result.is_ok());
        assert_eq!(handed.len(), 40);
        assert!(handed[5].is_none());
        assert!(handed
            .iter()
            .enumerate()
            .all(|(i, d)| i == 5 || d.unwrap().0 == i));

        let taken = std::sync::atomic::AtomicUsize::new(0);
        let counted = |i: usize| {
            taken.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            (i, std::thread::current().id())
        };
        let (handed, result) = run_pipeline(2, 100_000, counted, Some(3));
        assert!(result.is_err());
        assert_eq!(handed.len(), 3);
        // What was under way when the write failed, at most: two tasks of the helper and three
        // of this thread's, four jobs each.
        assert!(
            taken.into_inner() <= 5 * 4,
            "no new jobs after the failed write"
        );
    }
}
