//! Where formfit's output goes: standard output or a file, written so that a failed write is
//! never silent, a report never replaces one of the run's inputs, and a reader who sees the
//! file sees a whole report or the previous one, never half of the new one.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// How much of a file is read at a time where the kernel cannot copy it: a catalogue's report
/// is tens of megabytes, and `io::copy`'s eight kilobytes took a system call each.
pub const COPY_STEP: usize = 256 * 1024;

/// A writer that can also take a whole file: a streamed report's spool, read back at the end.
/// Where both ends are files (or standard output and a file), the kernel copies the bytes
/// (`copy_file_range`, `sendfile`), and they never pass through this process.
pub trait Sink: Write {
    fn write_file(&mut self, file: &mut std::fs::File) -> io::Result<u64> {
        io::copy(&mut io::BufReader::with_capacity(COPY_STEP, file), self)
    }
}

impl Sink for Vec<u8> {}

impl Sink for io::Sink {}

/// Why output could not be written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// `--output` names a file the run reads: writing would destroy the input.
    #[error("refusing to write {output}: it is {input}, an input of this run")]
    WouldOverwriteInput { output: PathBuf, input: PathBuf },
    #[error("cannot write {target}: {source}")]
    Write { target: String, source: io::Error },
}

impl OutputError {
    /// The reader went away (`formfit … | head`): the output is no longer wanted, and that
    /// needs no message.
    pub fn is_closed_pipe(&self) -> bool {
        matches!(self, OutputError::Write { source, .. } if source.kind() == io::ErrorKind::BrokenPipe)
    }
}

/// Refuses `output` when it is the same file as one of `inputs`, however either is spelled
/// (canonical paths; on Unix also the same inode, which catches hard links).
pub fn refuse_inputs(
    output: &Path,
    inputs: impl IntoIterator<Item = PathBuf>,
) -> Result<(), OutputError> {
    // A file that does not exist yet cannot be an input.
    let Ok(target) = output.canonicalize() else {
        return Ok(());
    };
    let target_id = file_id(&target);
    for input in inputs {
        let Ok(canonical) = input.canonicalize() else {
            continue;
        };
        if canonical == target || (target_id.is_some() && file_id(&canonical) == target_id) {
            return Err(OutputError::WouldOverwriteInput {
                output: output.to_owned(),
                input,
            });
        }
    }
    Ok(())
}

#[cfg(unix)]
fn file_id(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn file_id(_: &Path) -> Option<(u64, u64)> {
    None
}

/// Writes `bytes` to standard output and flushes it, so that a full disk or a closed pipe is
/// an error here rather than lost in a buffer.
pub fn write_stdout(bytes: &[u8]) -> Result<(), OutputError> {
    let mut out = io::stdout().lock();
    out.write_all(bytes)
        .and_then(|()| out.flush())
        .map_err(|source| OutputError::Write {
            target: "standard output".to_owned(),
            source,
        })
}

/// Writes `bytes` to the file at `path` atomically: into a temporary file in the same folder,
/// then renamed over the target, so a failed or interrupted write leaves the old file whole.
/// A symbolic link is followed (the file it names is replaced, the link kept). A target that
/// exists and is not a regular file (`/dev/null`, `/dev/stdout`, a FIFO) is written in place:
/// renaming over a device would replace the device.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    let mut destination = Destination::open(Some(path))?;
    if let Err(e) = destination.write_all(bytes) {
        return Err(destination.error(e));
    }
    destination.finish()
}

/// Where a document written as it is made goes: standard output, or a file replaced as
/// [`write_file`] replaces it, when [`Destination::finish`] is called (a run that stops half
/// way leaves the old file whole).
pub struct Destination {
    shown: String,
    target: Target,
}

enum Target {
    Stdout(io::BufWriter<io::Stdout>),
    InPlace(io::BufWriter<std::fs::File>),
    Atomic {
        file: io::BufWriter<tempfile::NamedTempFile>,
        path: PathBuf,
        permissions: Option<std::fs::Permissions>,
    },
}

impl Destination {
    /// Standard output when `path` is `None`.
    pub fn open(path: Option<&Path>) -> Result<Destination, OutputError> {
        let Some(path) = path else {
            return Ok(Destination {
                shown: "standard output".to_owned(),
                target: Target::Stdout(io::BufWriter::with_capacity(64 * 1024, io::stdout())),
            });
        };
        let failed = |source: io::Error| OutputError::Write {
            target: path.display().to_string(),
            source,
        };
        let existing = std::fs::metadata(path).ok();
        if let Some(metadata) = existing.as_ref().filter(|m| !m.is_file()) {
            if metadata.is_dir() {
                return Err(failed(io::Error::other("it is a directory")));
            }
            let file = std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .map_err(failed)?;
            return Ok(Destination {
                shown: path.display().to_string(),
                target: Target::InPlace(io::BufWriter::new(file)),
            });
        }
        let target = match &existing {
            Some(_) => path.canonicalize().map_err(failed)?,
            None => path.to_owned(),
        };
        let dir = match target.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        let temporary = tempfile::Builder::new()
            .prefix(".formfit-")
            .suffix(".tmp")
            .tempfile_in(dir)
            .map_err(failed)?;
        Ok(Destination {
            shown: path.display().to_string(),
            target: Target::Atomic {
                file: io::BufWriter::with_capacity(64 * 1024, temporary),
                path: target,
                permissions: existing.map(|m| m.permissions()),
            },
        })
    }

    /// A failed write, named after the destination.
    pub fn error(&self, source: io::Error) -> OutputError {
        OutputError::Write {
            target: self.shown.clone(),
            source,
        }
    }

    /// Flushes the document; a file is synced and renamed over the target.
    pub fn finish(self) -> Result<(), OutputError> {
        let failed = |source: io::Error| OutputError::Write {
            target: self.shown.clone(),
            source,
        };
        match self.target {
            Target::Stdout(mut out) => out.flush().map_err(failed),
            Target::InPlace(mut out) => out.flush().map_err(failed),
            Target::Atomic {
                file,
                path,
                permissions,
            } => {
                let temporary = file.into_inner().map_err(|e| failed(e.into_error()))?;
                temporary.as_file().sync_all().map_err(failed)?;
                // The temporary file is private (0600); the report gets the old file's
                // permissions, or those of a file created the usual way.
                let permissions = match permissions {
                    Some(permissions) => permissions,
                    None => new_file_permissions(temporary.as_file()).map_err(failed)?,
                };
                std::fs::set_permissions(temporary.path(), permissions).map_err(failed)?;
                temporary.persist(&path).map_err(|e| failed(e.error))?;
                Ok(())
            }
        }
    }
}

impl Write for Destination {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        match &mut self.target {
            Target::Stdout(out) => out.write(bytes),
            Target::InPlace(out) => out.write(bytes),
            Target::Atomic { file, .. } => file.write(bytes),
        }
    }

    /// Standard output is flushed (a reader of a stream sees each line); a file being
    /// replaced is not, as nobody can read it before it is renamed.
    fn flush(&mut self) -> io::Result<()> {
        match &mut self.target {
            Target::Stdout(out) => out.flush(),
            Target::InPlace(out) => out.flush(),
            Target::Atomic { .. } => Ok(()),
        }
    }
}

impl Sink for Destination {
    fn write_file(&mut self, file: &mut std::fs::File) -> io::Result<u64> {
        // What is buffered goes first; `io::copy` between two files is the kernel's.
        match &mut self.target {
            Target::Stdout(out) => {
                out.flush()?;
                io::copy(file, &mut io::stdout().lock())
            }
            Target::InPlace(out) => {
                out.flush()?;
                io::copy(file, out.get_mut())
            }
            Target::Atomic { file: out, .. } => {
                out.flush()?;
                io::copy(file, out.get_mut().as_file_mut())
            }
        }
    }
}

#[cfg(unix)]
fn new_file_permissions(_: &std::fs::File) -> io::Result<std::fs::Permissions> {
    use std::os::unix::fs::PermissionsExt;
    Ok(std::fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn new_file_permissions(file: &std::fs::File) -> io::Result<std::fs::Permissions> {
    Ok(file.metadata()?.permissions())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names_in(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn an_input_is_refused_however_it_is_spelled() {
        let dir = tempfile::tempdir().unwrap();
        let product = dir.path().join("product.toml");
        std::fs::write(&product, "x").unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        let roundabout = dir.path().join("sub/../product.toml");
        let inputs = [PathBuf::from("elsewhere.toml"), product.clone()];
        assert!(matches!(
            refuse_inputs(&roundabout, inputs.clone()),
            Err(OutputError::WouldOverwriteInput { .. })
        ));
        #[cfg(unix)]
        {
            let linked = dir.path().join("hard.toml");
            std::fs::hard_link(&product, &linked).unwrap();
            assert!(refuse_inputs(&linked, inputs.clone()).is_err());
        }
        let other = dir.path().join("report.json");
        assert!(refuse_inputs(&other, inputs.clone()).is_ok(), "a new file");
        std::fs::write(&other, "old").unwrap();
        assert!(
            refuse_inputs(&other, inputs.clone()).is_ok(),
            "an existing non-input"
        );
    }

    #[test]
    fn a_file_is_replaced_whole_and_keeps_its_permissions() {
        let dir = tempfile::tempdir().unwrap();
        let report = dir.path().join("report.json");
        std::fs::write(&report, "old report").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&report, std::fs::Permissions::from_mode(0o640)).unwrap();
        }
        write_file(&report, b"new").unwrap();
        assert_eq!(std::fs::read(&report).unwrap(), b"new");
        assert_eq!(
            names_in(dir.path()),
            ["report.json"],
            "no temporary file left"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&report).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o640);
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_new_file_is_readable_and_a_link_is_kept() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let report = dir.path().join("report.json");
        write_file(&report, b"new").unwrap();
        let mode = std::fs::metadata(&report).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o644);
        let link = dir.path().join("latest.json");
        std::os::unix::fs::symlink(&report, &link).unwrap();
        write_file(&link, b"newer").unwrap();
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(std::fs::read(&report).unwrap(), b"newer");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_full_device_is_an_error_and_is_not_replaced() {
        let error = write_file(Path::new("/dev/full"), b"report").unwrap_err();
        assert!(error.to_string().contains("/dev/full"), "{error}");
        assert!(!error.is_closed_pipe());
        // still the device: writing in place, not renaming over it
        assert!(!std::fs::metadata("/dev/full").unwrap().is_file());
    }

    #[test]
    fn a_directory_is_not_written() {
        let dir = tempfile::tempdir().unwrap();
        assert!(write_file(dir.path(), b"report").is_err());
    }
}
