//! The pack files of a folder, read safely: the one walk every command takes, and decryption.

use std::path::Path as FsPath;

use super::PackError;
use crate::code::PackCode;
use crate::diagnostic::Problem;

/// The pack files of a folder (`*.toml`, and `*.toml.age` for encrypted ones) in name order:
/// the one walk every command takes, so that loading and `rules verify` see the same files.
/// Symbolic links are listed, for the caller to refuse by name.
pub fn pack_files(dir: &FsPath) -> Result<Vec<std::path::PathBuf>, std::io::Error> {
    let mut files: Vec<_> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            name.ends_with(".toml") || name.ends_with(".toml.age")
        })
        .collect();
    files.sort();
    Ok(files)
}

/// Whether a path is a symbolic link, which a rules folder never follows: it could lead
/// outside the folder the user named.
pub fn is_symlink(path: &FsPath) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

/// The `*.toml` files of a directory in name order, with their bytes; unreadable files and
/// symbolic links become errors of their own so that the others still load.
pub fn read_tomls(
    dir: &FsPath,
    errors: &mut Vec<PackError>,
) -> Result<Vec<(String, Vec<u8>)>, std::io::Error> {
    let mut out = Vec::new();
    for file in pack_files(dir)? {
        let shown = file.display().to_string();
        // A symlink could lead outside the rules folder the user named: packs are read only
        // from where they were put.
        if is_symlink(&file) {
            errors.push(PackError {
                file: shown,
                text: String::new(),
                problems: vec![Problem::new(
                    PackCode::Symlink,
                    "a symbolic link in a rules folder is not followed",
                    0..0,
                )
                .with_help("copy the pack into the folder instead of linking to it")],
            });
            continue;
        }
        match crate::input::read_file(&file, crate::input::MAX_FILE_BYTES) {
            Ok(bytes) => out.push((shown, bytes)),
            Err(e) => errors.push(PackError {
                file: shown,
                text: String::new(),
                problems: vec![Problem::new(
                    PackCode::Io,
                    format!("cannot read the file: {e}"),
                    0..0,
                )],
            }),
        }
    }
    Ok(out)
}
