//! Reading an input file from disk, boundedly: the one place every product, pack, profile,
//! configuration, deviations, evidence, key and signature file is read.
//!
//! Only regular files are read. A FIFO would block the run forever on `open`, a device such
//! as `/dev/zero` never ends, and a socket cannot be opened at all; each is refused after a
//! `stat`, before anything is opened. A file whose size is over the limit is refused before
//! it is read, and one that tells no size is read to the limit and one byte more, so a 200 MB
//! file costs no more memory than the limit.

use std::io::Read;
use std::path::Path;

/// Why a file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// Not found, no permission, or a read that failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// A FIFO, device, socket or directory.
    #[error("it is {0}, not a regular file")]
    NotRegular(&'static str),
    /// Over the limit; reading stopped there.
    #[error("it is over the limit of {limit} bytes")]
    TooLarge { limit: usize },
}

/// The whole of the regular file at `path` (symbolic links followed), at most `max_bytes`.
pub fn read_file(path: &Path, max_bytes: usize) -> Result<Vec<u8>, ReadError> {
    let file = match open(path) {
        Ok(file) => file,
        // A socket cannot be opened: say what it is rather than the system's error.
        Err(e) => {
            regular(&std::fs::metadata(path)?)?;
            return Err(e.into());
        }
    };
    // What was opened counts, whatever the path named a moment before.
    let metadata = file.metadata()?;
    regular(&metadata)?;
    let too_large = ReadError::TooLarge { limit: max_bytes };
    let limit = u64::try_from(max_bytes).unwrap_or(u64::MAX);
    let mut bytes = Vec::new();
    match metadata.len() {
        size if size > limit => return Err(too_large),
        // Files that tell no size (those of /proc, say) are read to their end, and one byte
        // past the limit at most.
        0 => {
            file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
        }
        // The size its metadata gives, and no further: reading on to find the end would be
        // one more system call a file, a fifth of what reading a small file costs. A file
        // that grows meanwhile is read as it was when it was opened.
        size => {
            bytes.reserve_exact(usize::try_from(size).unwrap_or(usize::MAX));
            file.take(size).read_to_end(&mut bytes)?;
        }
    }
    if bytes.len() > max_bytes {
        return Err(too_large);
    }
    Ok(bytes)
}

/// Opens for reading without waiting: opening a FIFO would otherwise block until a writer
/// came, before anything could look at what it is. Reads from a regular file never wait.
fn open(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    options.open(path)
}

/// [`read_file`] as UTF-8 text, for key and signature files.
pub fn read_text(path: &Path, max_bytes: usize) -> Result<String, ReadError> {
    String::from_utf8(read_file(path, max_bytes)?).map_err(|_| {
        ReadError::Io(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "stream did not contain valid UTF-8",
        ))
    })
}

fn regular(metadata: &std::fs::Metadata) -> Result<(), ReadError> {
    let kind = metadata.file_type();
    if kind.is_file() {
        return Ok(());
    }
    Err(ReadError::NotRegular(describe(&kind)))
}

fn describe(kind: &std::fs::FileType) -> &'static str {
    if kind.is_dir() {
        return "a directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if kind.is_char_device() {
            return "a character device";
        }
        if kind.is_block_device() {
            return "a block device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    "not a regular file"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_regular_file_is_read_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.toml");
        std::fs::write(&path, b"a = 1\n").unwrap();
        assert_eq!(read_file(&path, 6).unwrap(), b"a = 1\n");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_file_that_tells_no_size_is_read_to_its_end_within_the_limit() {
        let path = Path::new("/proc/self/status");
        assert_eq!(std::fs::metadata(path).unwrap().len(), 0);
        let text = read_file(path, 1 << 20).unwrap();
        assert!(
            text.starts_with(b"Name:"),
            "{}",
            String::from_utf8_lossy(&text)
        );
        assert!(text.ends_with(b"\n"));
        assert!(matches!(
            read_file(path, 16),
            Err(ReadError::TooLarge { limit: 16 })
        ));
    }

    #[test]
    fn a_file_over_the_limit_is_refused_without_reading_it_all() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.toml");
        let file = std::fs::File::create(&path).unwrap();
        // sparse: a gigabyte that takes no disk and must not be read
        file.set_len(1 << 30).unwrap();
        assert!(matches!(
            read_file(&path, 1024),
            Err(ReadError::TooLarge { limit: 1024 })
        ));
    }

    #[test]
    fn a_directory_is_not_a_regular_file() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(
            read_file(dir.path(), 1024),
            Err(ReadError::NotRegular("a directory"))
        ));
    }

    #[cfg(unix)]
    #[test]
    fn a_socket_and_a_fifo_are_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let socket = dir.path().join("s.toml");
        let _listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
        assert!(matches!(
            read_file(&socket, 1024),
            Err(ReadError::NotRegular("a socket"))
        ));
        let fifo = dir.path().join("f.toml");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.unwrap().success());
        assert!(matches!(
            read_file(&fifo, 1024),
            Err(ReadError::NotRegular("a FIFO (named pipe)"))
        ));
    }

    #[cfg(unix)]
    #[test]
    fn a_device_is_refused_before_it_is_read() {
        assert!(matches!(
            read_file(Path::new("/dev/zero"), 1024),
            Err(ReadError::NotRegular("a character device"))
        ));
    }
}
