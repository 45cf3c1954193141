//! Signed packs: minisign-compatible Ed25519 signatures, one `PACK.minisig` beside each pack
//! (a pack travels alone through a secure channel, so its signature travels with it). The
//! signature's trusted comment binds the pack's designation, edition and file name, so a validly
//! signed file that is renamed, or whose signature is paired with another edition, is caught.
//! Verification ([`verify_bytes`]) needs only the bytes and the keys: the trust gate
//! (the trust gate, trust.rs) runs it before anything parses the file, then compares the binding.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use minisign::{KeyPair, PublicKey, PublicKeyBox, SecretKeyBox, SignatureBox};

use crate::pack::Pack;

/// The trusted comment that binds a signature to one pack.
pub fn binding(designation: &str, edition: &str, file_name: &str) -> String {
    format!("formfit-pack designation={designation:?} edition={edition:?} file={file_name:?}")
}

/// Public keys the holder trusts, each with the name of the file it came from.
#[derive(Default)]
pub struct TrustedKeys {
    keys: Vec<(String, PublicKey)>,
}

impl TrustedKeys {
    /// Reads minisign public key files (`NAME.pub`, as `minisign -G` or `formfit rules keygen`
    /// writes them, or a bare base64 key line).
    pub fn load(files: &[PathBuf]) -> Result<TrustedKeys, String> {
        let mut keys = Vec::new();
        for file in files {
            let text = crate::input::read_text(file, crate::input::MAX_FILE_BYTES)
                .map_err(|e| format!("cannot read the key {}: {e}", file.display()))?;
            let key = PublicKeyBox::from_string(&text)
                .and_then(PublicKeyBox::into_public_key)
                .or_else(|_| PublicKey::from_base64(text.trim()))
                .map_err(|e| format!("{} is not a minisign public key: {e}", file.display()))?;
            keys.push((file.display().to_string(), key));
        }
        Ok(TrustedKeys { keys })
    }
}

/// What a pack's signature says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seal {
    Signed {
        key: String,
    },
    Unsigned,
    /// The signature does not verify: the pack or its signature changed after signing.
    Altered,
    /// A valid-looking signature by a key the holder does not trust.
    UnknownKey {
        key_id: String,
    },
    /// Signed, but for another designation, edition or file name.
    Mismatch {
        expected: String,
        found: String,
    },
}

impl Seal {
    pub fn is_trusted(&self) -> bool {
        matches!(self, Seal::Signed { .. })
    }

    /// One line for `formfit rules verify` and for refusals.
    pub fn describe(&self) -> String {
        match self {
            Seal::Signed { key } => format!("signed by {key}"),
            Seal::Unsigned => "unsigned (no .minisig beside it)".to_owned(),
            Seal::Altered => "altered: the signature does not match the pack".to_owned(),
            Seal::UnknownKey { key_id } => format!("signed by an unknown key {key_id}"),
            Seal::Mismatch { expected, found } => format!(
                "signed for another pack: the signature says `{found}`, the file is `{expected}`"
            ),
        }
    }
}

/// The signature file beside a pack.
pub fn signature_path(pack: &Path) -> PathBuf {
    let mut name = pack.as_os_str().to_owned();
    name.push(".minisig");
    PathBuf::from(name)
}

/// A signature that verified, by a trusted key, over a file's bytes before anything parsed
/// them. What it binds (designation, edition, name) is compared once the trusted bytes are
/// parsed ([`Verified::bind`]).
#[derive(Debug, Clone)]
pub struct Verified {
    key: String,
    trusted_comment: String,
}

impl Verified {
    /// `Signed` when the signature binds what the file turned out to be, else `Mismatch`.
    pub fn bind(&self, expected: &str) -> Seal {
        if self.trusted_comment == expected {
            Seal::Signed {
                key: self.key.clone(),
            }
        } else {
            Seal::Mismatch {
                expected: expected.to_owned(),
                found: self.trusted_comment.clone(),
            }
        }
    }
}

/// Checks the bytes of the file at `path` against the `.minisig` beside it and the trusted
/// keys, without parsing them: what fails here must never reach a parser.
pub fn verify_bytes(path: &Path, bytes: &[u8], keys: &TrustedKeys) -> Result<Verified, Seal> {
    let Ok(text) = crate::input::read_text(&signature_path(path), crate::input::MAX_FILE_BYTES)
    else {
        return Err(Seal::Unsigned);
    };
    let Ok(signature) = SignatureBox::from_string(&text) else {
        return Err(Seal::Altered);
    };
    let key_id = hex_key_id(signature.keynum());
    let Some((name, key)) = keys
        .keys
        .iter()
        .find(|(_, k)| k.keynum() == signature.keynum())
    else {
        return Err(Seal::UnknownKey { key_id });
    };
    if minisign::verify(key, &signature, Cursor::new(bytes), true, false, false).is_err() {
        return Err(Seal::Altered);
    }
    Ok(Verified {
        key: format!("{name} ({key_id})"),
        trusted_comment: signature.trusted_comment().unwrap_or_default(),
    })
}

/// The file name a binding names.
pub fn file_name(path: &Path) -> &str {
    path.file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
}

/// The trusted comment that binds a signature to one profile.
pub fn profile_binding(name: &str, file_name: &str) -> String {
    format!("formfit-profile name={name:?} file={file_name:?}")
}

fn hex_key_id(keynum: &[u8]) -> String {
    keynum.iter().rev().map(|b| format!("{b:02X}")).collect()
}

/// Writes `DIR/NAME.pub` and `DIR/NAME.key` (an unencrypted minisign secret key: keep it off
/// shared disks). Refuses to overwrite.
pub fn keygen(dir: &Path, name: &str) -> Result<(PathBuf, PathBuf), String> {
    let public = dir.join(format!("{name}.pub"));
    let secret = dir.join(format!("{name}.key"));
    for file in [&public, &secret] {
        if file.exists() {
            return Err(format!(
                "{} exists; formfit does not overwrite keys",
                file.display()
            ));
        }
    }
    let pair = KeyPair::generate_unencrypted_keypair().map_err(|e| e.to_string())?;
    let public_box = pair.pk.to_box().map_err(|e| e.to_string())?;
    let secret_box = pair
        .sk
        .to_box(Some("formfit pack signing key"))
        .map_err(|e| e.to_string())?;
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    std::fs::write(&public, public_box.into_string())
        .map_err(|e| format!("cannot write {}: {e}", public.display()))?;
    write_secret(&secret, &secret_box.into_string())?;
    Ok((public, secret))
}

#[cfg(unix)]
fn write_secret(path: &Path, text: &str) -> Result<(), String> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .and_then(|mut f| f.write_all(text.as_bytes()))
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

#[cfg(not(unix))]
fn write_secret(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Signs a pack file with an unencrypted minisign secret key, binding its designation,
/// edition and file name; writes `PACK.minisig`.
pub fn sign(pack: &Pack, path: &Path, bytes: &[u8], secret_key: &Path) -> Result<PathBuf, String> {
    let trusted = binding(&pack.meta.designation, &pack.meta.edition, file_name(path));
    sign_bound(&trusted, path, bytes, secret_key)
}

/// Signs a pack or profile file (`formfit rules sign`): a file that compiles as a pack is bound
/// as one, a file that loads as a profile as a profile.
pub fn sign_file(path: &Path, secret_key: &Path) -> Result<PathBuf, String> {
    let shown = path.display().to_string();
    let bytes = crate::input::read_file(path, crate::input::MAX_FILE_BYTES)
        .map_err(|e| format!("cannot read {shown}: {e}"))?;
    match crate::pack::PackCompiler::new().compile(&shown, &bytes, false) {
        Ok(pack) => sign(&pack, path, &bytes, secret_key),
        Err(pack_error) => match crate::pack::profile::load(&shown, &bytes) {
            Ok(profile) => sign_profile(&profile, path, &bytes, secret_key),
            Err(_) => Err(format!(
                "{shown} is not a valid pack: {}",
                pack_error
                    .problems
                    .first()
                    .map_or("", |p| p.message.as_str())
            )),
        },
    }
}

/// Signs a profile file, binding its name and file name; writes `PROFILE.minisig`.
pub fn sign_profile(
    profile: &crate::pack::profile::Profile,
    path: &Path,
    bytes: &[u8],
    secret_key: &Path,
) -> Result<PathBuf, String> {
    let trusted = profile_binding(&profile.name, file_name(path));
    sign_bound(&trusted, path, bytes, secret_key)
}

fn sign_bound(
    trusted: &str,
    path: &Path,
    bytes: &[u8],
    secret_key: &Path,
) -> Result<PathBuf, String> {
    let text = crate::input::read_text(secret_key, crate::input::MAX_FILE_BYTES)
        .map_err(|e| format!("cannot read {}: {e}", secret_key.display()))?;
    let secret = SecretKeyBox::from_string(&text)
        .and_then(SecretKeyBox::into_unencrypted_secret_key)
        .map_err(|e| {
            format!(
                "{} is not an unencrypted minisign secret key: {e}",
                secret_key.display()
            )
        })?;
    let untrusted = format!("signature of {} by formfit", file_name(path));
    let signature = minisign::sign(
        None,
        &secret,
        Cursor::new(bytes),
        Some(trusted),
        Some(&untrusted),
    )
    .map_err(|e| e.to_string())?;
    let target = signature_path(path);
    std::fs::write(&target, signature.into_string())
        .map_err(|e| format!("cannot write {}: {e}", target.display()))?;
    Ok(target)
}
