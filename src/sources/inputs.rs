//! A run's list of inputs, held in a few large buffers. A catalogue of a hundred thousand files
//! is the largest thing a run keeps: as one path allocation each (with the list's own growth
//! and copies around it) it took about 150 bytes a file, more than the rest of the run. Here a
//! file costs its name's bytes and one twelve-byte entry; the folder it lies in is held once.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};

use super::{is_plain_text, is_separator, plain_order, Input};
use crate::input::Format;

/// Inputs in run order. Entries name their file as an origin's prefix (a folder with its
/// separator, as written) followed by a name of their own, so a path reads back exactly as it
/// was pushed.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    origins: Vec<Origin>,
    /// The entries' names, end to end.
    names: String,
    entries: Vec<Entry>,
}

/// What an entry's name follows, and what kind of input it is.
#[derive(Debug, Clone)]
struct Origin {
    /// A folder with its trailing separator (`cat/products/`), empty for bare names, or a
    /// whole path that could not be split (its entries' names are then empty).
    prefix: OsString,
    kind: Kind,
    /// Whether `prefix` is names between single separators, so that its paths sort as bytes.
    plain: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    Named,
    Found,
    Stdin(Format),
}

/// One input: its name in `names`, and its origin. Twelve bytes, where a `PathBuf` alone
/// takes twenty-four before its allocation.
#[derive(Debug, Clone, Copy)]
struct Entry {
    start: u32,
    len: u32,
    origin: u32,
}

impl Inputs {
    /// Room for `entries` inputs of `name_bytes` in all, in one folder.
    pub fn with_capacity(entries: usize, name_bytes: usize) -> Inputs {
        Inputs {
            origins: Vec::with_capacity(1),
            names: String::with_capacity(name_bytes),
            entries: Vec::with_capacity(entries),
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The `index`-th input, its path made anew.
    pub fn get(&self, index: usize) -> Option<Input> {
        self.entries.get(index).map(|entry| self.input(entry))
    }

    pub fn iter(&self) -> impl ExactSizeIterator<Item = Input> + '_ {
        self.entries.iter().map(|entry| self.input(entry))
    }

    /// Whether some input was found by walking a folder.
    pub fn has_found(&self) -> bool {
        self.has(|kind| kind == Kind::Found)
    }

    /// Whether some input is standard input.
    pub fn has_stdin(&self) -> bool {
        self.has(|kind| matches!(kind, Kind::Stdin(_)))
    }

    fn has(&self, kind: impl Fn(Kind) -> bool) -> bool {
        self.entries
            .iter()
            .any(|entry| kind(self.origins[entry.origin as usize].kind))
    }

    /// Adds `input` at the end.
    pub fn push(&mut self, input: &Input) {
        match input {
            Input::Named(path) => self.push_path(Kind::Named, path),
            Input::Found(path) => self.push_path(Kind::Found, path),
            Input::Stdin(format) => self.push_split(Kind::Stdin(*format), OsStr::new(""), ""),
        }
    }

    fn push_path(&mut self, kind: Kind, path: &Path) {
        // Split at the last separator of UTF-8 text; any other path is an origin of its own.
        let split = path.to_str().map(|text| {
            let at = text.rfind(std::path::is_separator).map_or(0, |i| i + 1);
            text.split_at(at)
        });
        match split {
            Some((folder, name)) => self.push_split(kind, OsStr::new(folder), name),
            None => self.push_split(kind, path.as_os_str(), ""),
        }
    }

    /// Adds the file `name` of the folder `prefix` (written with its separator, or empty) as
    /// a named input.
    pub(super) fn push_in(&mut self, prefix: &OsStr, name: &OsStr) {
        match name.to_str() {
            Some(name) => self.push_split(Kind::Named, prefix, name),
            None => {
                let mut whole = prefix.to_owned();
                whole.push(name);
                self.push_split(Kind::Named, &whole, "");
            }
        }
    }

    fn push_split(&mut self, kind: Kind, prefix: &OsStr, name: &str) {
        // Past 4 GiB of names, a path becomes an origin of its own, with an empty name.
        let Ok(start) = u32::try_from(self.names.len() + name.len()).map(|_| self.names.len())
        else {
            let mut whole = prefix.to_owned();
            whole.push(name);
            return self.push_split(kind, &whole, "");
        };
        let same = |o: &Origin| o.kind == kind && o.prefix == prefix;
        if !self.origins.last().is_some_and(same) {
            self.origins.push(Origin {
                prefix: prefix.to_owned(),
                kind,
                plain: is_plain_folder(prefix),
            });
        }
        self.names.push_str(name);
        // Every entry adds at most one origin, and 2^32 entries (48 GiB) cannot be held:
        // neither index can pass `u32::MAX`.
        self.entries.push(Entry {
            start: start as u32,
            len: name.len() as u32,
            origin: (self.origins.len() - 1) as u32,
        });
    }

    /// Adds `other`'s inputs at the end, in their order.
    pub fn append(&mut self, other: Inputs) {
        if self.origins.is_empty() {
            *self = other;
            return;
        }
        let (names, origins) = (self.names.len(), self.origins.len());
        let fits = |n: usize| u32::try_from(n).is_ok();
        if !fits(names + other.names.len()) || !fits(origins + other.origins.len()) {
            return other.iter().for_each(|input| self.push(&input));
        }
        // Exactly: a catalogue's few large lists are appended once each.
        self.names.reserve_exact(other.names.len());
        self.entries.reserve_exact(other.entries.len());
        self.names.push_str(&other.names);
        // An origin this list has already is shared (the globs of one folder), so that its
        // entries sort by name alone.
        let mut known: HashMap<(&OsStr, Kind), u32> = HashMap::new();
        for (i, origin) in (0u32..).zip(&self.origins) {
            known.entry((&origin.prefix, origin.kind)).or_insert(i);
        }
        let mut new_origins = Vec::new();
        let moved: Vec<u32> = other
            .origins
            .iter()
            .map(
                |origin| match known.get(&(origin.prefix.as_os_str(), origin.kind)) {
                    Some(&i) => i,
                    None => {
                        new_origins.push(origin.clone());
                        // Fits in a u32, checked above.
                        (origins + new_origins.len() - 1) as u32
                    }
                },
            )
            .collect();
        drop(known);
        self.origins.extend(new_origins);
        // The sum fits in a u32, checked above.
        self.entries.extend(other.entries.iter().map(|entry| Entry {
            start: entry.start + names as u32,
            len: entry.len,
            origin: moved[entry.origin as usize],
        }));
    }

    /// Shows the paths that lie under `folder` relative to it, as [`super::relative_to`]
    /// makes them. Done once an origin: a catalogue's folder, not each of its files.
    pub fn relative_to(&mut self, folder: &Path) {
        for origin in &mut self.origins {
            let Some(relative) = super::relative_to(Path::new(&origin.prefix), folder) else {
                continue;
            };
            let mut relative = relative.as_os_str().to_owned();
            // `Path` reads a folder `a/` as `a`: its separator goes back on, unless nothing is
            // left of it.
            let is_folder = origin
                .prefix
                .as_encoded_bytes()
                .last()
                .is_some_and(|&b| is_separator(b));
            if is_folder && !relative.is_empty() {
                relative.push(std::path::MAIN_SEPARATOR_STR);
            }
            origin.plain = is_plain_folder(&relative);
            origin.prefix = relative;
        }
    }

    /// Keeps the inputs of `range` only (a shard).
    pub fn keep(&mut self, range: std::ops::Range<usize>) {
        self.entries.truncate(range.end);
        self.entries.drain(..range.start.min(self.entries.len()));
    }

    /// Sorts the inputs from `start` on in `Path`'s order, component by component.
    pub fn sort_from(&mut self, start: usize) {
        let mut entries = std::mem::take(&mut self.entries);
        let start = start.min(entries.len());
        let entries_to_sort = &mut entries[start..];
        // Unstable: it needs no second buffer, and finds a list already sorted in one pass.
        if self.names_of_one_origin(entries_to_sort) {
            entries_to_sort.sort_unstable_by(|a, b| self.name(a).cmp(self.name(b)));
        } else {
            let mut buffers = (Vec::new(), Vec::new());
            entries_to_sort.sort_unstable_by(|a, b| self.order(a, b, &mut buffers));
        }
        self.entries = entries;
    }

    /// Sorts the inputs as [`Inputs::sort_from`] does, and keeps one of each path.
    pub fn sort_dedup(&mut self) {
        self.sort_from(0);
        let mut entries = std::mem::take(&mut self.entries);
        if self.names_of_one_origin(&entries) {
            entries.dedup_by(|b, a| self.name(a) == self.name(b));
        } else {
            let mut buffers = (Vec::new(), Vec::new());
            entries.dedup_by(|b, a| self.order(a, b, &mut buffers) == Ordering::Equal);
        }
        self.entries = entries;
    }

    /// Whether `entries` are all names in one folder, which [`Inputs::order`] orders by their
    /// bytes alone: a catalogue's list, sorted then at a fraction of the cost a comparison.
    fn names_of_one_origin(&self, entries: &[Entry]) -> bool {
        let Some(first) = entries.first() else {
            return true;
        };
        entries
            .iter()
            .all(|e| e.origin == first.origin && is_name(self.name(e)))
    }

    /// Drops every input whose path an earlier one has, wherever it stands, unless `keep` (of
    /// its index) says to keep it.
    pub fn dedup(&mut self, keep: impl Fn(usize) -> bool) {
        let Ok(count) = u32::try_from(self.entries.len()) else {
            return;
        };
        let mut buffers = (Vec::new(), Vec::new());
        // Indexes in path order, ties by index: the first of equal paths comes first.
        let mut order: Vec<u32> = (0..count).collect();
        order.sort_unstable_by(|&a, &b| {
            let (ea, eb) = (self.entries[a as usize], self.entries[b as usize]);
            self.order(&ea, &eb, &mut buffers).then(a.cmp(&b))
        });
        let mut later = vec![false; self.entries.len()];
        for pair in order.windows(2) {
            let (ea, eb) = (
                self.entries[pair[0] as usize],
                self.entries[pair[1] as usize],
            );
            let second = pair[1] as usize;
            if self.order(&ea, &eb, &mut buffers) == Ordering::Equal && !keep(second) {
                later[second] = true;
            }
        }
        drop(order);
        let mut later = later.into_iter();
        self.entries.retain(|_| !later.next().unwrap_or(false));
    }

    /// Two entries in `Path`'s order. Names of one origin are single components, so they
    /// compare alone; plain paths compare as bytes (written into `buffers`); any other pair
    /// compares as `Path`s.
    fn order(&self, a: &Entry, b: &Entry, buffers: &mut (Vec<u8>, Vec<u8>)) -> Ordering {
        let (name_a, name_b) = (self.name(a), self.name(b));
        let names = is_name(name_a) && is_name(name_b);
        // A name holds no separator (it is what follows the last one): bytes order it.
        if names && a.origin == b.origin {
            return name_a.cmp(name_b);
        }
        let (origin_a, origin_b) = (
            &self.origins[a.origin as usize],
            &self.origins[b.origin as usize],
        );
        if origin_a.plain && origin_b.plain && names {
            for (buffer, origin, name) in [
                (&mut buffers.0, origin_a, name_a),
                (&mut buffers.1, origin_b, name_b),
            ] {
                buffer.clear();
                buffer.extend_from_slice(origin.prefix.as_encoded_bytes());
                buffer.extend_from_slice(name);
            }
            return plain_order(&buffers.0, &buffers.1);
        }
        self.path(a).cmp(&self.path(b))
    }

    /// An entry's name, as bytes: slicing the text would check for character boundaries on
    /// every comparison of a sort.
    fn name(&self, entry: &Entry) -> &[u8] {
        let start = entry.start as usize;
        &self.names.as_bytes()[start..start + entry.len as usize]
    }

    fn path(&self, entry: &Entry) -> PathBuf {
        let origin = &self.origins[entry.origin as usize];
        let start = entry.start as usize;
        let name = &self.names[start..start + entry.len as usize];
        let mut path = OsString::with_capacity(origin.prefix.len() + name.len());
        path.push(&origin.prefix);
        path.push(name);
        PathBuf::from(path)
    }

    fn input(&self, entry: &Entry) -> Input {
        match self.origins[entry.origin as usize].kind {
            Kind::Named => Input::Named(self.path(entry)),
            Kind::Found => Input::Found(self.path(entry)),
            Kind::Stdin(format) => Input::Stdin(format),
        }
    }
}

/// Whether an entry's name is one component of a path: then it holds no separator, and
/// names of one folder are in `Path`'s order when their bytes are.
fn is_name(name: &[u8]) -> bool {
    !name.is_empty() && name != b"." && name != b".."
}

/// Whether `prefix` is empty, or a plain folder (names between single separators, perhaps
/// from the root) and one separator: then the paths of plain names under it are plain too.
fn is_plain_folder(prefix: &OsStr) -> bool {
    match prefix.as_encoded_bytes() {
        [] => true,
        [folder @ .., last] if is_separator(*last) => folder.is_empty() || is_plain_text(folder),
        _ => false,
    }
}

/// Two lists are equal when they hold the same inputs in the same order, however held.
impl PartialEq for Inputs {
    fn eq(&self, other: &Inputs) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl Eq for Inputs {}

impl FromIterator<Input> for Inputs {
    fn from_iter<I: IntoIterator<Item = Input>>(iter: I) -> Inputs {
        let mut inputs = Inputs::default();
        for input in iter {
            inputs.push(&input);
        }
        inputs
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn paths(inputs: &Inputs) -> Vec<PathBuf> {
        inputs
            .iter()
            .map(|input| input.path().map(Path::to_path_buf).unwrap_or_default())
            .collect()
    }

    proptest! {
        /// Paths read back exactly as pushed, and sort and dedup as a list of `PathBuf`s does.
        #[test]
        fn paths_read_back_and_sort_as_path_buffers(
            names in prop::collection::vec("(\\.\\./|\\./|/)?([a.0-][a.0-]?/{1,2}){0,2}[a.0-]{1,2}/?", 0..16),
            start in 0usize..4,
        ) {
            let given: Vec<PathBuf> = names.iter().map(PathBuf::from).collect();
            let mut inputs: Inputs = given.iter().cloned().map(Input::Named).collect();
            prop_assert_eq!(paths(&inputs), given.clone());

            // Two lists appended are the one list, and sort as it does.
            let half = given.len() / 2;
            let mut appended: Inputs = given[..half].iter().cloned().map(Input::Named).collect();
            appended.append(given[half..].iter().cloned().map(Input::Named).collect());
            prop_assert_eq!(&appended, &inputs);
            appended.sort_from(0);

            let mut expected = given.clone();
            let start = start.min(expected.len());
            expected[start..].sort();
            inputs.sort_from(start);
            prop_assert_eq!(paths(&inputs), expected);
            let mut all = given.clone();
            all.sort();
            prop_assert_eq!(paths(&appended), all);

            let mut inputs: Inputs = given.iter().cloned().map(Input::Named).collect();
            let mut firsts: Vec<PathBuf> = Vec::new();
            for path in &given {
                if !firsts.contains(path) {
                    firsts.push(path.clone());
                }
            }
            inputs.dedup(|_| false);
            prop_assert_eq!(paths(&inputs), firsts.clone());

            let mut inputs: Inputs = given.iter().cloned().map(Input::Named).collect();
            inputs.sort_dedup();
            firsts.sort();
            prop_assert_eq!(paths(&inputs), firsts);
        }

        /// A folder's names, pushed as a listing pushes them (all of one origin, so sorted by
        /// their bytes), sort and dedup as `PathBuf`s do; so does a list with "." among them.
        #[test]
        fn names_of_one_folder_sort_and_dedup_as_path_buffers(
            names in prop::collection::vec("[a.0-]{1,3}", 0..24),
            folder in "(\\./|/)?([a.]{1,2}/){0,2}",
        ) {
            let given: Vec<PathBuf> = names.iter().map(|n| Path::new(&folder).join(n)).collect();
            let mut inputs = Inputs::default();
            for name in &names {
                inputs.push_in(OsStr::new(&folder), OsStr::new(name));
            }
            prop_assert_eq!(paths(&inputs), given.clone());
            let mut sorted = given.clone();
            sorted.sort();
            sorted.dedup();
            inputs.sort_dedup();
            prop_assert_eq!(paths(&inputs), sorted);
        }

        /// Paths are made relative to a folder as each path alone would be (a file is never
        /// the folder itself: the working directory).
        #[test]
        fn paths_are_made_relative_as_each_path_alone_is(
            names in prop::collection::vec("(\\./|/)?([a.][a.]?/{1,2}){0,2}[a.]{1,2}/?", 0..8),
            folder in "(\\./|/)?([a.]{1,2}/{1,2}){0,2}[a.]{1,2}/?",
        ) {
            let folder_path = Path::new(&folder);
            let given: Vec<PathBuf> = names.iter().map(PathBuf::from).filter(|p| p != folder_path).collect();
            let mut inputs: Inputs = given.iter().cloned().map(Input::Found).collect();
            inputs.relative_to(Path::new(&folder));
            let expected: Vec<PathBuf> = given
                .iter()
                .map(|p| super::super::relative_to(p, Path::new(&folder)).unwrap_or(p).to_path_buf())
                .collect();
            prop_assert_eq!(paths(&inputs), expected);
        }
    }

    #[test]
    fn kinds_and_stdin_are_kept_and_a_shard_keeps_its_range() {
        let mut inputs: Inputs = [
            Input::Named("cat/a.toml".into()),
            Input::Found("cat/a.toml".into()),
            Input::Stdin(Format::Yaml),
            Input::Named("b.json".into()),
        ]
        .into_iter()
        .collect();
        assert!(inputs.has_found() && inputs.has_stdin());
        assert_eq!(inputs.get(1), Some(Input::Found("cat/a.toml".into())));
        assert_eq!(inputs.get(2), Some(Input::Stdin(Format::Yaml)));
        inputs.keep(1..3);
        assert_eq!(inputs.len(), 2);
        assert_eq!(inputs.get(0), Some(Input::Found("cat/a.toml".into())));
        inputs.keep(1..2);
        assert!(!inputs.has_found() && inputs.has_stdin());
    }
}
