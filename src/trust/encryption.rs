//! Encrypted restricted packs: a publisher encrypts a pack to named recipients with age
//! (X25519); formfit decrypts `*.toml.age` packs in memory with the holder's identities and
//! never writes the plaintext anywhere. Sign the plaintext, then encrypt: the `.minisig` of
//! `NAME.toml` sits beside `NAME.toml.age` and is checked after decrypting.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::str::FromStr;

/// The holder's age identities (X25519 secret keys, as `age-keygen` writes them).
pub struct Identities {
    identities: Vec<Box<dyn age::Identity + Send + Sync>>,
}

impl Identities {
    pub fn load(files: &[PathBuf]) -> Result<Identities, String> {
        let mut identities = Vec::new();
        for file in files {
            let text = crate::input::read_file(file, crate::input::MAX_FILE_BYTES)
                .map_err(|e| format!("cannot read the identity {}: {e}", file.display()))?;
            let parsed = age::IdentityFile::from_buffer(&text[..])
                .map_err(|e| format!("{} is not an age identity file: {e}", file.display()))?
                .into_identities()
                .map_err(|e| format!("{}: {e}", file.display()))?;
            if parsed.is_empty() {
                return Err(format!("{} holds no age identity", file.display()));
            }
            identities.extend(parsed);
        }
        Ok(Identities { identities })
    }

    pub fn is_empty(&self) -> bool {
        self.identities.is_empty()
    }

    /// Decrypts into memory. Fails when none of the identities is a recipient of the file.
    pub fn decrypt(&self, ciphertext: &[u8]) -> Result<Vec<u8>, String> {
        let decryptor =
            age::Decryptor::new(ciphertext).map_err(|e| format!("not an age file: {e}"))?;
        let mut reader = decryptor
            .decrypt(
                self.identities
                    .iter()
                    .map(|i| i.as_ref() as &dyn age::Identity),
            )
            .map_err(|e| match e {
                age::DecryptError::NoMatchingKeys => {
                    "none of your identities is a recipient of this pack".to_owned()
                }
                other => other.to_string(),
            })?;
        let mut plaintext = Vec::new();
        reader
            .read_to_end(&mut plaintext)
            .map_err(|e| format!("the encrypted pack is damaged: {e}"))?;
        Ok(plaintext)
    }
}

/// Encrypts a pack's bytes to age X25519 recipients (`age1…` public keys).
pub fn encrypt(plaintext: &[u8], recipients: &[String]) -> Result<Vec<u8>, String> {
    let parsed: Vec<age::x25519::Recipient> = recipients
        .iter()
        .map(|r| {
            age::x25519::Recipient::from_str(r.trim())
                .map_err(|e| format!("`{r}` is not an age X25519 recipient: {e}"))
        })
        .collect::<Result<_, _>>()?;
    if parsed.is_empty() {
        return Err("name at least one recipient".to_owned());
    }
    let encryptor =
        age::Encryptor::with_recipients(parsed.iter().map(|r| r as &dyn age::Recipient))
            .map_err(|e| e.to_string())?;
    let mut ciphertext = Vec::new();
    let mut writer = encryptor
        .wrap_output(&mut ciphertext)
        .map_err(|e| e.to_string())?;
    writer.write_all(plaintext).map_err(|e| e.to_string())?;
    writer.finish().map_err(|e| e.to_string())?;
    Ok(ciphertext)
}

/// Decrypts an `*.toml.age` pack in memory.
pub fn decrypt(identities: Option<&Identities>, ciphertext: &[u8]) -> Result<Vec<u8>, String> {
    match identities.filter(|i| !i.is_empty()) {
        Some(identities) => identities.decrypt(ciphertext),
        None => Err("the pack is encrypted and no identity was given".to_owned()),
    }
}
