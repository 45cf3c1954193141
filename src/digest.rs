//! SHA-256 digests, written one way: what pins, matrices and fingerprints certify. A leaf.

use sha2::{Digest, Sha256};

/// `sha256:<hex>` of some bytes: the form pins and the matrix's audit header carry.
pub fn sha256(bytes: &[u8]) -> String {
    format!("sha256:{}", hex(&Sha256::digest(bytes)))
}

/// The SHA-256 (hex) of some texts, each ended by a NUL so that no two lists collide.
pub fn of_parts(parts: &[&str]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part.as_bytes());
        hasher.update([0]);
    }
    hex(&hasher.finalize())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn digests_are_lowercase_hex_of_sha256() {
        assert_eq!(
            super::sha256(b"abc"),
            "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_ne!(super::of_parts(&["ab", "c"]), super::of_parts(&["a", "bc"]));
    }
}
