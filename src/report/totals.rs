//! A run's totals, kept as each product passes, so that a streamed report can write its header
//! and summary without holding the products: counts by verdict and by disposition, whether a
//! product was invalid, the markings met, the files skipped as not product descriptions, and
//! how each standard fared.

use std::collections::BTreeMap;
use std::time::Duration;

use super::{Disposition, FileKind, ProductReport, Report, Verdict};

/// What the header, the summary and the exit code of a run need to know of its products.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Totals {
    /// Product files, not the deviations file.
    pub products: usize,
    /// Product files by verdict, in the order of [`Verdict::ALL`].
    pub verdicts: [usize; Verdict::ALL.len()],
    /// Findings of every report (the deviations file's too) by disposition, in the order of
    /// [`Disposition::ALL`].
    pub findings: [usize; Disposition::ALL.len()],
    /// A report of the run (a product or the deviations file) could not be read.
    pub invalid: bool,
    /// Of those, one was a file (not a line of an NDJSON stream): see [`super::gate::invalid_line_fails`].
    pub invalid_file: bool,
    /// Files found by walking a folder that hold no product description.
    pub skipped: usize,
    pub markings: Markings,
    /// Each standard a product was checked against, by designation.
    pub standards: BTreeMap<String, StandardTally>,
}

/// One standard across a run's products: what a catalogue owner asks first (which standard
/// fails most, which one costs the time).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct StandardTally {
    /// Products it applied to.
    pub checked: usize,
    /// Products it found non-conformant.
    pub non_conformant: usize,
    /// The time its rules took over all those products.
    pub elapsed: Duration,
}

/// The markings met, each once, ordered by when it was last met: the highest of these is the
/// highest of every marking met, ties going to the one met last, as a pass over them all gives.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Markings {
    /// The classifications of the packs products were checked against.
    pub packs: Vec<String>,
    /// The products' own handling markings.
    pub own: Vec<String>,
}

impl Markings {
    fn meet(list: &mut Vec<String>, marking: &str) {
        match list.iter().position(|m| m == marking) {
            Some(i) if i + 1 == list.len() => {}
            Some(i) => {
                let met = list.remove(i);
                list.push(met);
            }
            None => list.push(marking.to_owned()),
        }
    }

    /// Every marking met, packs' first, as [`Report::marking`] and trust decisions read them.
    pub fn all(&self) -> impl Iterator<Item = &str> + Clone {
        self.packs.iter().chain(&self.own).map(String::as_str)
    }

    /// The highest pack marking and the products' own markings, sorted: what every output
    /// carries.
    pub fn marking(&self) -> (String, Vec<String>) {
        let mut own = self.own.clone();
        own.sort();
        (
            crate::marking::highest(self.packs.iter().map(String::as_str)),
            own,
        )
    }

    /// The banner line.
    pub fn banner(&self) -> String {
        let (classification, own) = self.marking();
        crate::marking::banner(&classification, &own)
    }
}

impl Totals {
    /// Counts one settled report.
    pub fn add(&mut self, product: &ProductReport) {
        if product.kind == FileKind::Product {
            self.products += 1;
            if let Some(i) = Verdict::ALL.iter().position(|v| *v == product.verdict) {
                self.verdicts[i] += 1;
            }
        }
        self.invalid |= product.verdict == Verdict::Invalid;
        self.invalid_file |= product.verdict == Verdict::Invalid && product.line.is_none();
        for f in &product.findings {
            if let Some(i) = Disposition::ALL.iter().position(|d| *d == f.disposition) {
                self.findings[i] += 1;
            }
        }
        // A product's evaluations come pack by pack: each pack's marking is met once.
        let mut last: Option<&std::sync::Arc<_>> = None;
        for e in &product.evaluations {
            if last.is_some_and(|pack| std::sync::Arc::ptr_eq(pack, &e.pack)) {
                continue;
            }
            last = Some(&e.pack);
            Markings::meet(&mut self.markings.packs, &e.pack.meta.classification);
        }
        if let Some(own) = &product.marking {
            Markings::meet(&mut self.markings.own, own);
        }
        for standard in &product.standards {
            if standard.verdict == Verdict::NotApplicable {
                continue;
            }
            // Looked up before a key is made: a catalogue meets the same few standards.
            let tally = match self.standards.get_mut(&standard.id) {
                Some(tally) => tally,
                None => self.standards.entry(standard.id.clone()).or_default(),
            };
            tally.checked += 1;
            tally.non_conformant += usize::from(standard.verdict == Verdict::NonConformant);
            tally.elapsed += standard.elapsed;
        }
    }

    /// Product files with this verdict.
    pub fn verdict(&self, verdict: Verdict) -> usize {
        Verdict::ALL
            .iter()
            .position(|v| *v == verdict)
            .map_or(0, |i| self.verdicts[i])
    }

    /// Findings with this disposition.
    pub fn count(&self, disposition: Disposition) -> usize {
        Disposition::ALL
            .iter()
            .position(|d| *d == disposition)
            .map_or(0, |i| self.findings[i])
    }
}

impl Report {
    /// The totals of this report's products.
    pub fn totals(&self) -> Totals {
        let mut totals = Totals::default();
        for product in &self.products {
            totals.add(product);
        }
        totals
    }
}
