//! Where a run's products come from, and in which order they are checked and reported: files
//! named on the command line, folders walked as ripgrep walks them, globs (with braces)
//! expanded, one product on standard input, or an NDJSON stream of products, one per line.
//!
//! The order is deterministic: arguments in the order given, each folder's or glob's files
//! sorted by path, a file found twice kept at its first place. `--shard` cuts this list.

mod inputs;

use std::io::{BufRead, Read};
use std::path::{Path, PathBuf};

use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};

use crate::code::UsageCode;
use crate::input::{Format, ReadError};

pub use inputs::Inputs;

/// What `-` is shown as, in reports and locations.
pub const STDIN: &str = "<stdin>";

/// One product to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A file named, or matched by a glob: a product description, whatever it holds.
    Named(PathBuf),
    /// A file found by walking a folder: a product when it has a top-level `product` table,
    /// else skipped (and counted).
    Found(PathBuf),
    /// One product on standard input, in the format given with `--input-format`.
    Stdin(Format),
}

impl Input {
    /// The file, when the input is one.
    pub fn path(&self) -> Option<&Path> {
        match self {
            Input::Named(path) | Input::Found(path) => Some(path),
            Input::Stdin(_) => None,
        }
    }

    /// The file, when the input is one, taken out.
    pub fn into_path(self) -> Option<PathBuf> {
        match self {
            Input::Named(path) | Input::Found(path) => Some(path),
            Input::Stdin(_) => None,
        }
    }
}

/// A problem with the arguments: formfit cannot do what was asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceError {
    pub code: UsageCode,
    /// `{input-format}`-style placeholders name settings; the caller spells them.
    pub message: String,
    pub help: &'static str,
}

/// The products the arguments name, in run order. `-` is standard input in `stdin_format`.
/// Folders that could only be walked in part are in `Expanded::unwalked`.
pub fn expand(
    arguments: &[PathBuf],
    stdin_format: Option<Format>,
) -> Result<Expanded, Vec<SourceError>> {
    let mut unwalked = Vec::new();
    let mut inputs = Inputs::default();
    // The files named one by one, which are checked however often they are named.
    let mut named = Vec::new();
    let mut errors = Vec::new();
    let mut stdin_named = false;
    for argument in arguments {
        if argument.as_os_str() == "-" {
            match (stdin_named, stdin_format) {
                (true, _) => errors.push(SourceError {
                    code: UsageCode::Sources,
                    message: "`-` (standard input) is named twice".to_owned(),
                    help: "standard input holds one product: name `-` once",
                }),
                (false, None) => errors.push(SourceError {
                    code: UsageCode::Stdin,
                    message: "`-` reads a product from standard input, but its format is not given"
                        .to_owned(),
                    help: "add {input-format} toml, json or yaml",
                }),
                (false, Some(format)) => inputs.push(&Input::Stdin(format)),
            }
            stdin_named = true;
            continue;
        }
        if argument.is_dir() {
            let (files, mut problems) = walk(argument);
            if files.is_empty() && problems.is_empty() {
                errors.push(SourceError {
                    code: UsageCode::Sources,
                    message: format!(
                        "{} holds no .toml, .json, .yaml or .yml file",
                        argument.display()
                    ),
                    help: "a gate over zero files is not green: name the folder of the product descriptions",
                });
            }
            unwalked.append(&mut problems);
            inputs.append(files);
            continue;
        }
        let text = argument.to_string_lossy();
        if is_glob(&text) && !argument.exists() {
            match glob(&text) {
                Ok(files) if files.is_empty() => errors.push(SourceError {
                    code: UsageCode::Sources,
                    message: format!("`{text}` matches no file"),
                    help: "a gate over zero files is not green: fix the pattern",
                }),
                Ok(files) => inputs.append(files),
                Err(e) => errors.push(SourceError {
                    code: UsageCode::Sources,
                    message: format!("invalid glob `{text}`: {e}"),
                    help: "globs take *, ?, [abc], {a,b} and ** for any folders",
                }),
            }
            continue;
        }
        // A file named is checked as a product even when named twice, as it always was; a
        // missing one is reported by the check, as an unreadable product.
        named.push(inputs.len());
        inputs.push(&Input::Named(argument.clone()));
    }
    // A file that a folder or a glob finds again is kept at its first place only (one folder
    // or glob finds each of its files once).
    if arguments.len() > 1 {
        inputs.dedup(|i| named.binary_search(&i).is_ok());
    }
    if stdin_format.is_some() && !stdin_named {
        errors.push(SourceError {
            code: UsageCode::Stdin,
            message: "{input-format} is given, but no `-` reads standard input".to_owned(),
            help: "name `-` among the products, or drop {input-format} (files are read by their extension)",
        });
    }
    if errors.is_empty() {
        Ok(Expanded { inputs, unwalked })
    } else {
        Err(errors)
    }
}

/// The arguments expanded.
#[derive(Debug, Default)]
pub struct Expanded {
    pub inputs: Inputs,
    /// What a walk could not enter (an unreadable folder, a broken ignore file): said, so that
    /// a product it hides is not silently missing, while the rest is checked.
    pub unwalked: Vec<String>,
}

/// The product-format files under `dir`, sorted, skipping what ripgrep skips: hidden files and
/// folders, and what `.gitignore`, `.ignore` and git's excludes ignore. Also what could not
/// be walked.
pub fn walk(dir: &Path) -> (Inputs, Vec<String>) {
    // Room for the top folder's entries: all of a flat catalogue, a start for a tree (a list
    // that grows while the walker allocates costs twice its size; see `Plan::list`).
    let (entries, bytes) = room_for(dir);
    let mut files = Inputs::with_capacity(entries, bytes);
    let mut problems = Vec::new();
    for entry in ignore::WalkBuilder::new(dir).build() {
        match entry {
            Ok(entry) => {
                let is_file = entry.file_type().is_some_and(|t| t.is_file());
                if is_file && Format::from_path(entry.path()).is_some() {
                    files.push(&Input::Found(entry.into_path()));
                }
            }
            Err(e) => problems.push(format!("while walking {}: {e}", dir.display())),
        }
    }
    files.sort_from(0);
    (files, problems)
}

/// Room for the entries of `folder` and the bytes of their names, judged from the folder's
/// size instead of a second pass over it (the pass was a quarter of listing a folder of
/// 100 000 files). On ext4 and XFS an entry takes at least twelve bytes of the folder, its
/// name included, so this is more than enough; room that is never written is never resident.
/// Where a folder's size says less (tmpfs), the list grows as it goes.
fn room_for(folder: &Path) -> (usize, usize) {
    // Bounded, so that an odd size cannot reserve more than a few hundred megabytes.
    let size = std::fs::metadata(folder)
        .map_or(0, |m| m.len())
        .min(1 << 28);
    let size = usize::try_from(size).unwrap_or(0);
    (size / 12, size)
}

/// Two plain paths in `Path`'s order. The paths of one catalogue share a long folder prefix:
/// it is skipped eight bytes at a time, and only the first differing byte is weighed.
fn plain_order(a: &[u8], b: &[u8]) -> std::cmp::Ordering {
    let key = |b: u8| if is_separator(b) { 0 } else { b };
    let shorter = a.len().min(b.len());
    let mut i = 0;
    loop {
        while i + 8 <= shorter && a[i..i + 8] == b[i..i + 8] {
            i += 8;
        }
        while i < shorter && a[i] == b[i] {
            i += 1;
        }
        if i == shorter {
            return a.len().cmp(&b.len());
        }
        // Two different separators (`/` and `\` on Windows) weigh the same: go on past them.
        match key(a[i]).cmp(&key(b[i])) {
            std::cmp::Ordering::Equal => i += 1,
            unequal => return unequal,
        }
    }
}

fn is_separator(b: u8) -> bool {
    b.is_ascii() && std::path::is_separator(char::from(b))
}

/// Whether a path is names between single separators, perhaps from the root: no `.` or `..`,
/// no doubled or trailing separator, which `Path`'s order would read away. Read as bytes, not
/// through `Path`'s components, which cost as much as the sort itself.
fn is_plain(path: &Path) -> bool {
    is_plain_text(path.as_os_str().as_encoded_bytes())
}

/// [`is_plain`] of a path's bytes.
fn is_plain_text(bytes: &[u8]) -> bool {
    // A Windows prefix (`C:`) is a component of its own: such paths are left to `Path`.
    if bytes.is_empty() || (cfg!(windows) && bytes.contains(&b':')) {
        return false;
    }
    let from_root = is_separator(bytes[0]);
    bytes[usize::from(from_root)..]
        .split(|&b| is_separator(b))
        .all(|name| !name.is_empty() && name != b"." && name != b"..")
}

/// `path` relative to `folder` when it lies under it, as `Path::strip_prefix` gives it. Plain
/// UTF-8 paths (a catalogue's) are compared as text, without parsing their components.
pub fn relative_to<'a>(path: &'a Path, folder: &Path) -> Option<&'a Path> {
    let texts = path.to_str().zip(folder.to_str());
    let Some((text, under)) = texts.filter(|_| is_plain(path) && is_plain(folder)) else {
        return path.strip_prefix(folder).ok();
    };
    match text.strip_prefix(under)? {
        "" => Some(Path::new("")),
        rest => rest.strip_prefix(std::path::is_separator).map(Path::new),
    }
}

/// Whether an argument is meant as a glob.
pub fn is_glob(text: &str) -> bool {
    text.contains(['*', '?', '[', '{'])
}

/// The files matching `pattern` (`*` stays within a folder, `**` crosses them, `{a,b}` is
/// either), sorted. Hidden files match, as the glob crate's did before; ignore files do not
/// apply: a glob says what it wants. `Err` says what is wrong with the pattern.
pub fn glob(pattern: &str) -> Result<Inputs, String> {
    let (files, mut matched) = globs(&[pattern]);
    matched.pop().unwrap_or(Ok(0)).map(|_| files)
}

/// The files any of `patterns` matches, sorted and once each, and for each pattern how many
/// files it matched or what is wrong with it. Patterns that name files of one and the same
/// folder (`cat/*.toml`, `cat/*.json`, `cat/*.yaml`) share one listing of it: a catalogue's
/// folder is read once, not once a pattern, and its files are held once.
pub fn globs(patterns: &[impl AsRef<str>]) -> (Inputs, Vec<Result<usize, String>>) {
    let plans: Vec<Result<Plan, String>> = patterns.iter().map(|p| Plan::new(p.as_ref())).collect();
    let mut files = Inputs::default();
    let mut matched: Vec<Result<usize, String>> = Vec::with_capacity(plans.len());
    // One-folder plans by folder (and by whether `./` is shown), each with its members.
    let mut folders: Vec<(&Plan, Vec<usize>)> = Vec::new();
    for (i, plan) in plans.iter().enumerate() {
        matched.push(match plan {
            Err(e) => Err(e.clone()),
            Ok(plan) if plan.by_name.is_some() => {
                match folders.iter_mut().find(|(p, _)| p.shares_folder_with(plan)) {
                    Some((_, members)) => members.push(i),
                    None => folders.push((plan, vec![i])),
                }
                Ok(0)
            }
            Ok(plan) => {
                let walked = plan.walk();
                let count = walked.len();
                files.append(walked);
                Ok(count)
            }
        });
    }
    for (plan, members) in folders {
        // One set for the folder's patterns (glob `k` is member `k`'s): a name is looked at
        // once, not once a pattern.
        let mut set = GlobSetBuilder::new();
        for glob in members
            .iter()
            .filter_map(|&i| plans[i].as_ref().ok()?.by_name.clone())
        {
            set.add(glob);
        }
        let (listed, counts) = match set.build() {
            Ok(set) => plan.list(&set, members.len()),
            Err(e) => {
                for &i in &members {
                    matched[i] = Err(e.kind().to_string());
                }
                continue;
            }
        };
        for (&i, count) in members.iter().zip(counts) {
            matched[i] = Ok(count);
        }
        files.append(listed);
    }
    files.sort_dedup();
    (files, matched)
}

/// How one pattern is looked for.
struct Plan {
    matcher: globset::GlobMatcher,
    /// The folder the pattern starts in: its parts before the first wildcard.
    base: String,
    /// No folder written: paths are shown without a leading `./`.
    bare: bool,
    /// The pattern's wildcards all sit in its last part (`products/*.toml`), so it can only
    /// match files of one folder.
    in_one_folder: bool,
    /// In one folder: the last part as a glob, which matches a name alone (in a set, `*.toml`
    /// is then a look at its extension, not a regex over the whole path). `None` when a folder
    /// part holds a `\`, which only the whole pattern reads right.
    by_name: Option<Glob>,
}

impl Plan {
    fn new(pattern: &str) -> Result<Plan, String> {
        let matcher = glob_of(pattern)?.compile_matcher();
        let literal: Vec<&str> = pattern
            .split('/')
            .take_while(|part| !is_glob(part))
            .collect();
        // The last part is a file name, even without a wildcard in it.
        let literal = &literal[..literal.len().min(pattern.split('/').count() - 1)];
        let base = if literal.is_empty() {
            ".".to_owned()
        } else if literal == [""] {
            "/".to_owned()
        } else {
            literal.join("/")
        };
        let in_one_folder =
            pattern.split('/').count() == literal.len() + 1 && !pattern.contains("**");
        let last = pattern.rsplit('/').next().unwrap_or(pattern);
        let by_name = match in_one_folder && !literal.iter().any(|part| part.contains('\\')) {
            true => Some(glob_of(last)?),
            false => None,
        };
        Ok(Plan {
            matcher,
            base,
            bare: literal.is_empty(),
            in_one_folder,
            by_name,
        })
    }

    fn shares_folder_with(&self, other: &Plan) -> bool {
        self.base == other.base && self.bare == other.bare
    }

    fn shown(&self, path: PathBuf) -> PathBuf {
        match self.bare && path.starts_with(".") {
            true => path.strip_prefix(".").unwrap_or(&path).to_path_buf(),
            false => path,
        }
    }

    /// The files of this plan's folder whose names `set` matches, and how many each of its
    /// `globs` globs matches. The folder is listed twice, first to size the list: a list that
    /// grows leaves its old copies to the allocator, which holds them for a while, and at
    /// 100 000 files that tripled the list's memory. Room for every entry costs nothing for
    /// the ones that do not match: memory never written is not resident.
    fn list(&self, set: &GlobSet, globs: usize) -> (Inputs, Vec<usize>) {
        let (entries, bytes) = room_for(Path::new(&self.base));
        // What the names follow: the folder as written with its separator, none when bare.
        let mut folder = std::ffi::OsString::new();
        if !self.bare {
            folder.push(&self.base);
            if !self.base.ends_with(std::path::is_separator) {
                folder.push(std::path::MAIN_SEPARATOR_STR);
            }
        }
        let mut list = Inputs::with_capacity(entries, bytes);
        let mut counts = vec![0; globs];
        let mut hits = Vec::with_capacity(globs);
        for entry in std::fs::read_dir(&self.base)
            .into_iter()
            .flatten()
            .flatten()
        {
            let name = entry.file_name();
            set.matches_candidate_into(&globset::Candidate::new(&name), &mut hits);
            if !hits.is_empty() && entry.file_type().is_ok_and(|t| t.is_file()) {
                for &k in &hits {
                    counts[k] += 1;
                }
                list.push_in(&folder, &name);
            }
        }
        list.sort_from(0);
        (list, counts)
    }

    /// A plan that cannot go by names alone: its folder listed (one folder) or walked, and
    /// every path matched whole.
    fn walk(&self) -> Inputs {
        let files: Box<dyn Iterator<Item = PathBuf>> = if self.in_one_folder {
            Box::new(
                std::fs::read_dir(&self.base)
                    .into_iter()
                    .flatten()
                    .flatten()
                    .filter(|entry| entry.file_type().is_ok_and(|t| t.is_file()))
                    .map(|entry| entry.path()),
            )
        } else {
            Box::new(
                ignore::WalkBuilder::new(&self.base)
                    .standard_filters(false)
                    .build()
                    .flatten()
                    .filter(|entry| entry.file_type().is_some_and(|t| t.is_file()))
                    .map(|entry| entry.into_path()),
            )
        };
        let mut inputs: Inputs = files
            .map(|path| self.shown(path))
            .filter(|path| self.matcher.is_match(path))
            .map(Input::Named)
            .collect();
        inputs.sort_from(0);
        inputs
    }
}

/// A pattern as a glob: `*` and `?` stay within a folder, as a shell's do.
fn glob_of(pattern: &str) -> Result<Glob, String> {
    GlobBuilder::new(pattern)
        .literal_separator(true)
        .build()
        .map_err(|e| e.kind().to_string())
}

/// One product from standard input, at most `max_bytes`.
pub fn read_stdin(max_bytes: usize) -> Result<Vec<u8>, ReadError> {
    let mut bytes = Vec::new();
    let limit = u64::try_from(max_bytes)
        .unwrap_or(u64::MAX)
        .saturating_add(1);
    std::io::stdin()
        .lock()
        .take(limit)
        .read_to_end(&mut bytes)?;
    if bytes.len() > max_bytes {
        return Err(ReadError::TooLarge { limit: max_bytes });
    }
    Ok(bytes)
}

/// An NDJSON stream: a file, or standard input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stream {
    File(PathBuf),
    Stdin,
}

impl Stream {
    /// `-` is standard input.
    pub fn named(argument: &Path) -> Stream {
        if argument.as_os_str() == "-" {
            Stream::Stdin
        } else {
            Stream::File(argument.to_owned())
        }
    }

    /// As reports name it: the path, or `<stdin>`.
    pub fn shown(&self) -> String {
        match self {
            Stream::File(path) => path.display().to_string(),
            Stream::Stdin => STDIN.to_owned(),
        }
    }

    /// The stream's lines, read as they are asked for.
    pub fn open(&self, max_line: usize) -> Result<Lines, String> {
        let reader: Box<dyn Read + Send> = match self {
            Stream::File(path) => {
                let metadata = std::fs::metadata(path)
                    .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
                // A FIFO is a stream too; only a folder cannot be one.
                if metadata.is_dir() {
                    return Err(format!("cannot read {}: it is a folder", path.display()));
                }
                let file = std::fs::File::open(path)
                    .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
                Box::new(file)
            }
            Stream::Stdin => Box::new(std::io::stdin()),
        };
        Ok(Lines::new(reader, max_line))
    }
}

/// One line of an NDJSON stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// 1-based.
    pub number: usize,
    /// The byte offset of the line's first byte in the stream.
    pub offset: usize,
    /// The line without its `\n` (or `\r\n`); `Err` when it is over the limit, with its length.
    pub bytes: Result<Vec<u8>, usize>,
}

impl Line {
    /// Nothing but white space: no product, and no error (a trailing blank line is common).
    pub fn is_blank(&self) -> bool {
        self.bytes
            .as_ref()
            .is_ok_and(|b| b.iter().all(u8::is_ascii_whitespace))
    }
}

/// The lines of a stream, each bounded: a line over the limit is skipped to its end without
/// being held, so one endless line costs no more memory than the limit.
pub struct Lines {
    reader: std::io::BufReader<Box<dyn Read + Send>>,
    number: usize,
    offset: usize,
    max_line: usize,
    buffered: Buffered,
}

/// Whether a whole line is read ahead, so that taking it will not wait on the writer of the
/// stream (a pipe from a slow producer): a reader that would wait first finishes and writes
/// what it holds.
#[derive(Clone, Debug, Default)]
pub struct Buffered(std::sync::Arc<std::sync::atomic::AtomicBool>);

impl Buffered {
    pub fn next_line_waits(&self) -> bool {
        !self.0.load(std::sync::atomic::Ordering::Relaxed)
    }
}

impl Lines {
    fn new(reader: Box<dyn Read + Send>, max_line: usize) -> Lines {
        Lines {
            reader: std::io::BufReader::with_capacity(64 * 1024, reader),
            number: 0,
            offset: 0,
            max_line,
            buffered: Buffered::default(),
        }
    }

    /// Tells, after each line taken, whether the next is already read.
    pub fn buffered(&self) -> Buffered {
        self.buffered.clone()
    }
}

impl Iterator for Lines {
    type Item = Result<Line, String>;

    fn next(&mut self) -> Option<Self::Item> {
        let mut bytes = Vec::new();
        let mut length = 0usize;
        let mut ended = false;
        loop {
            let buffer = match self.reader.fill_buf() {
                Ok(buffer) => buffer,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    return Some(Err(format!(
                        "cannot read line {} of the stream: {e}",
                        self.number + 1
                    )))
                }
            };
            if buffer.is_empty() {
                break;
            }
            let (chunk, used, newline) = match buffer.iter().position(|b| *b == b'\n') {
                Some(i) => (&buffer[..i], i + 1, true),
                None => (buffer, buffer.len(), false),
            };
            if length + chunk.len() <= self.max_line {
                bytes.extend_from_slice(chunk);
            }
            length += chunk.len();
            self.reader.consume(used);
            if newline {
                ended = true;
                break;
            }
        }
        if length == 0 && !ended {
            return None;
        }
        self.number += 1;
        let offset = self.offset;
        self.offset += length + usize::from(ended);
        if bytes.last() == Some(&b'\r') {
            bytes.pop();
        }
        let ahead = self.reader.buffer().contains(&b'\n');
        self.buffered
            .0
            .store(ahead, std::sync::atomic::Ordering::Relaxed);
        Some(Ok(Line {
            number: self.number,
            offset,
            bytes: if length > self.max_line {
                Err(length)
            } else {
                Ok(bytes)
            },
        }))
    }
}

/// The `K/N` of `--shard`: the K-th of N contiguous blocks, 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: usize,
    pub count: usize,
}

impl Shard {
    pub fn parse(text: &str) -> Result<Shard, String> {
        let (k, n) = text
            .split_once('/')
            .ok_or_else(|| format!("`{text}` is not K/N (for example 2/8)"))?;
        let index: usize = k
            .trim()
            .parse()
            .map_err(|_| format!("`{k}` in `{text}` is not a number"))?;
        let count: usize = n
            .trim()
            .parse()
            .map_err(|_| format!("`{n}` in `{text}` is not a number"))?;
        if count == 0 || index == 0 || index > count {
            return Err(format!(
                "shard {text}: K must be between 1 and N, and N at least 1"
            ));
        }
        Ok(Shard { index, count })
    }

    /// The range of `0..total` this shard takes: contiguous, the blocks' sizes differing by at
    /// most one, so that the shards in order are the whole list in order.
    pub fn range(&self, total: usize) -> std::ops::Range<usize> {
        let start = total * (self.index - 1) / self.count;
        let end = total * self.index / self.count;
        start..end
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// `paths` as inputs, sorted, read back.
    fn sorted(paths: &[PathBuf]) -> Vec<PathBuf> {
        let mut inputs: Inputs = paths.iter().cloned().map(Input::Named).collect();
        inputs.sort_from(0);
        inputs
            .iter()
            .filter_map(|i| i.path().map(Path::to_path_buf))
            .collect()
    }

    proptest! {
        /// Plain paths, sorted byte by byte, come in `Path`'s order.
        #[test]
        fn plain_paths_sort_as_path_orders_them(
            names in prop::collection::vec("/?([a0-][a.0-]?/){0,3}[a0-][a.0-]?", 0..12),
        ) {
            let paths: Vec<PathBuf> = names.iter().map(PathBuf::from).collect();
            prop_assert!(paths.iter().all(|p| is_plain(p)));
            let mut expected = paths.clone();
            expected.sort();
            prop_assert_eq!(sorted(&paths), expected);
        }

        /// Any paths come in `Path`'s order, with `.`, `..`, doubled and trailing slashes.
        #[test]
        fn paths_sort_as_path_orders_them(
            names in prop::collection::vec("(\\.\\./|\\./|/)?([a.0-][a.0-]?/{1,2}){0,3}[a.0-]{1,2}/?", 0..12),
        ) {
            let paths: Vec<PathBuf> = names.iter().map(PathBuf::from).collect();
            let mut expected = paths.clone();
            expected.sort();
            prop_assert_eq!(sorted(&paths), expected);
        }
    }

    proptest! {
        /// A path relative to a folder is what `Path::strip_prefix` makes of it, plain or not.
        #[test]
        fn relative_to_strips_as_path_strips(
            folder in "(\\./|/)?([a.]{1,2}/{1,2}){0,2}[a.]{1,2}/?",
            rest in "(/{0,2}[a.]{1,2}){0,3}/?",
        ) {
            for path in [format!("{folder}{rest}"), rest.clone()] {
                let (path, folder) = (Path::new(&path), Path::new(&folder));
                prop_assert_eq!(relative_to(path, folder), path.strip_prefix(folder).ok());
            }
        }
    }

    fn lines(text: &str, max: usize) -> Vec<Line> {
        let lines = Lines::new(
            Box::new(std::io::Cursor::new(text.as_bytes().to_vec())),
            max,
        );
        lines.map(Result::unwrap).collect()
    }

    #[test]
    fn lines_carry_their_number_and_byte_offset() {
        let got = lines("{\"a\":1}\r\n\n{\"b\":2}", 100);
        assert_eq!(got.len(), 3);
        assert_eq!((got[0].number, got[0].offset), (1, 0));
        assert_eq!(got[0].bytes, Ok(b"{\"a\":1}".to_vec()));
        assert!(got[1].is_blank());
        assert_eq!((got[2].number, got[2].offset), (3, 10));
        assert_eq!(got[2].bytes, Ok(b"{\"b\":2}".to_vec()));
    }

    #[test]
    fn a_line_over_the_limit_is_an_error_and_the_next_line_is_read() {
        let got = lines("0123456789\nok\n", 4);
        assert_eq!(got[0].bytes, Err(10));
        assert_eq!((got[1].number, got[1].offset), (2, 11));
        assert_eq!(got[1].bytes, Ok(b"ok".to_vec()));
        assert_eq!(got.len(), 2);
    }

    #[test]
    fn shards_cut_the_list_into_contiguous_blocks_that_cover_it() {
        for total in [0, 1, 5, 10, 11] {
            for count in 1..=4 {
                let mut covered = Vec::new();
                for index in 1..=count {
                    covered.extend(Shard { index, count }.range(total));
                }
                assert_eq!(
                    covered,
                    (0..total).collect::<Vec<_>>(),
                    "{total} in {count}"
                );
            }
        }
        assert!(Shard::parse("0/2").is_err());
        assert!(Shard::parse("3/2").is_err());
        assert!(Shard::parse("2").is_err());
        assert_eq!(Shard::parse("2/3"), Ok(Shard { index: 2, count: 3 }));
    }

    /// The paths of `found`, relative to `dir`.
    fn names_under(dir: &Path, found: &Inputs) -> Vec<String> {
        found
            .iter()
            .map(|i| {
                let path = i.path().unwrap().strip_prefix(dir).unwrap();
                path.display().to_string()
            })
            .collect()
    }

    /// A temporary folder holding empty `files` (paths under it, folders made as needed).
    fn folder_with(files: &[&str]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for file in files {
            let path = dir.path().join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "").unwrap();
        }
        dir
    }

    #[test]
    fn globs_take_braces_and_keep_star_within_a_folder() {
        let dir = folder_with(&["a.toml", "b.json", "c.yaml", "sub/d.toml", ".h.toml"]);
        let root = dir.path().display().to_string();
        let names = |pattern: &str| -> Vec<String> {
            names_under(dir.path(), &glob(&format!("{root}/{pattern}")).unwrap())
        };
        assert_eq!(names("*.{toml,json}"), [".h.toml", "a.toml", "b.json"]);
        assert_eq!(names("**/*.toml"), [".h.toml", "a.toml", "sub/d.toml"]);
        // Wildcards in the last part only: one folder is listed; in a folder's name: walked.
        assert_eq!(names("sub/*.toml"), ["sub/d.toml"]);
        assert_eq!(names("*/*.toml"), ["sub/d.toml"]);
        assert_eq!(names("su?/d.toml"), ["sub/d.toml"]);
        assert!(glob(&format!("{root}/[.toml")).is_err());
    }

    #[test]
    fn patterns_of_one_folder_share_its_listing_and_their_files_are_held_once() {
        let dir = folder_with(&["a.toml", "b.json", "c.yaml", "d.toml", "sub/e.toml"]);
        let root = dir.path().display().to_string();
        let patterns = [
            "*.toml",
            "*.json",
            "*.{toml,yaml}",
            "*.csv",
            "sub/*.toml",
            "[.toml",
            "*/*.toml",
        ]
        .map(|p| format!("{root}/{p}"));
        let (union, matched) = globs(&patterns);
        assert_eq!(matched.len(), patterns.len());
        let mut each = Vec::new();
        for (pattern, matched) in patterns.iter().zip(matched) {
            // Each counted as if globbed alone, with the same error.
            let alone = glob(pattern);
            assert_eq!(
                matched,
                alone.as_ref().map(Inputs::len).map_err(Clone::clone),
                "{pattern}"
            );
            each.extend(
                alone
                    .iter()
                    .flat_map(|files| names_under(dir.path(), files)),
            );
        }
        each.sort();
        each.dedup();
        assert_eq!(names_under(dir.path(), &union), each);

        let (shared, matched) = globs(&patterns[..3]);
        assert_eq!(
            names_under(dir.path(), &shared),
            ["a.toml", "b.json", "c.yaml", "d.toml"]
        );
        assert_eq!(matched, [Ok(2), Ok(1), Ok(3)]);
    }
}
