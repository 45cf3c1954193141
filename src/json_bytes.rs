//! The bytes a JSON string holds only escaped: `"`, `\` and the C0 controls. Writing a
//! string escapes them; reading one stops at them. Both look at eight bytes at a time, and
//! on a catalogue both are hot: every key and value of every product passes through here.

/// The first byte at or after `from` that a JSON string holds only escaped, found eight
/// bytes at a time.
pub fn next_special(bytes: &[u8], from: usize) -> Option<usize> {
    let rest = bytes.get(from..)?;
    let mut words = rest.chunks_exact(8);
    let mut at = from;
    for word in &mut words {
        let mut chunk = [0u8; 8];
        chunk.copy_from_slice(word);
        if let Some(i) = first_to_escape(u64::from_le_bytes(chunk)) {
            return Some(at + i);
        }
        at += 8;
    }
    // Under eight bytes: a byte at a time, by table (a copy into a word would be a call).
    let tail = words.remainder();
    tail.iter()
        .position(|&b| ESCAPED[usize::from(b)])
        .map(|i| at + i)
}

/// The bytes JSON escapes: the C0 controls, `"` and `\`.
const ESCAPED: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = true;
        b += 1;
    }
    table[b'"' as usize] = true;
    table[b'\\' as usize] = true;
    table
};

/// Which of eight bytes (little-endian) is the first below 0x20, `"` or `\`: the classic
/// "has a zero byte" test (`(x - 0x01…) & !x & 0x80…`), on the word itself for "below 0x20"
/// and on the word xored with each quote byte for "equals". A borrow can mark a byte above
/// a true one, never below it, so the lowest mark is exact.
fn first_to_escape(word: u64) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let below = |x: u64, n: u64| x.wrapping_sub(ONES * n) & !x & HIGH;
    let control = below(word, 0x20);
    let quote = below(word ^ (ONES * u64::from(b'"')), 1);
    let backslash = below(word ^ (ONES * u64::from(b'\\')), 1);
    let marks = control | quote | backslash;
    (marks != 0).then(|| marks.trailing_zeros() as usize / 8)
}
