//! Fingerprints for near-duplicate search: word k-gram shingles hashed with xxh3 (stable across
//! platforms and versions, so safe to persist), MinHash signatures whose permutations come from
//! seeds this crate owns (never from a RNG crate whose stream may change), and LSH band keys.

mod band_index;

pub use band_index::BandIndex;
use xxhash_rust::xxh3::{xxh3_64, xxh3_64_with_seed};

/// Shape of the near-duplicate fingerprint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FingerprintConfig {
    /// Words per shingle. 5 is the size datasketch users and the text-reuse literature use for
    /// news near-duplicates; it matches the peer run of issue "scale".
    pub shingle_words: usize,
    /// MinHash permutations; 128 as in the datasketch peer run.
    pub permutations: usize,
    /// LSH bands; `permutations / bands` rows per band. 32 bands of 4 rows put the LSH
    /// threshold at (1/32)^(1/4) ≈ 0.42 Jaccard, under the 0.5 the peer run uses, so that
    /// pairs at 0.5 are found with probability 1-(1-0.5^4)^32 ≈ 0.87.
    pub bands: usize,
}

impl Default for FingerprintConfig {
    fn default() -> Self {
        FingerprintConfig {
            shingle_words: 5,
            permutations: 128,
            bands: 32,
        }
    }
}

/// Hashes of the word k-grams of `tokens`: xxh3 of the k words joined by one space, sorted and
/// deduplicated; a text shorter than k gives one shingle of all its words, so that short texts
/// still have a fingerprint.
pub fn shingles<S: AsRef<str>>(tokens: &[S], k: usize) -> Vec<u64> {
    let k = k.max(1);
    if tokens.is_empty() {
        return Vec::new();
    }
    // The tokens joined once, each followed by a space, with where each starts: a window's
    // bytes are then one slice of it (the same bytes as joining that window), with no copy per
    // shingle. Half the time of joining each window into a buffer (`neardup --parts`, issue 7).
    let mut joined: Vec<u8> = Vec::with_capacity(tokens.iter().map(|t| t.as_ref().len() + 1).sum());
    let mut starts: Vec<usize> = Vec::with_capacity(tokens.len() + 1);
    for t in tokens {
        starts.push(joined.len());
        joined.extend_from_slice(t.as_ref().as_bytes());
        joined.push(b' ');
    }
    starts.push(joined.len());
    // Window [i, i + n) ends before the space after its last token.
    let window = |i: usize, n: usize| xxh3_64(&joined[starts[i]..starts[i + n] - 1]);
    if tokens.len() < k {
        return vec![window(0, tokens.len())];
    }
    let mut out: Vec<u64> = (0..=tokens.len() - k).map(|i| window(i, k)).collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// MinHash over 64-bit shingle hashes with `n` multiply-shift permutations.
#[derive(Debug, Clone)]
pub struct MinHasher {
    mul: Vec<u64>,
    add: Vec<u64>,
}

/// splitmix64: a fixed, documented generator, so permutations never change under us.
fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Seed of the permutations. Changing it invalidates every stored signature.
const PERMUTATION_SEED: u64 = 0x5354_4f52_594c_494e; // "STORYLIN"

impl MinHasher {
    pub fn new(permutations: usize) -> MinHasher {
        let mut state = PERMUTATION_SEED;
        let mut mul = Vec::with_capacity(permutations);
        let mut add = Vec::with_capacity(permutations);
        for _ in 0..permutations {
            mul.push(splitmix64(&mut state) | 1);
            add.push(splitmix64(&mut state));
        }
        MinHasher { mul, add }
    }

    /// The signature: for each permutation, the least permuted value (upper 32 bits of the
    /// multiply-shift hash). An empty set gives all `u32::MAX`.
    pub fn signature(&self, shingles: &[u64]) -> Vec<u32> {
        let mut sig = vec![u32::MAX; self.mul.len()];
        #[cfg(target_arch = "x86_64")]
        {
            if std::arch::is_x86_feature_detected!("avx512f")
                && std::arch::is_x86_feature_detected!("avx512dq")
            {
                // SAFETY: the CPU has the features `signature_avx512` is compiled for.
                unsafe { signature_avx512(&self.mul, &self.add, shingles, &mut sig) };
                return sig;
            }
            if std::arch::is_x86_feature_detected!("avx2") {
                // SAFETY: the CPU has the feature `signature_avx2` is compiled for.
                unsafe { signature_avx2(&self.mul, &self.add, shingles, &mut sig) };
                return sig;
            }
        }
        signature_into(&self.mul, &self.add, shingles, &mut sig);
        sig
    }
}

/// [`signature_into`] compiled for AVX-512 (8 × 64-bit multiplies per instruction, `vpmullq`):
/// the same values, the MinHash loop about 8× faster than the baseline x86-64 build
/// (`neardup --parts`, issue 7). Chosen at run time, so one binary runs everywhere.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512dq")]
fn signature_avx512(mul: &[u64], add: &[u64], shingles: &[u64], sig: &mut [u32]) {
    signature_into(mul, add, shingles, sig);
}

/// [`signature_into`] compiled for AVX2, for CPUs without AVX-512.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn signature_avx2(mul: &[u64], add: &[u64], shingles: &[u64], sig: &mut [u32]) {
    signature_into(mul, add, shingles, sig);
}

/// Permutations kept in registers at a time: one 512-bit vector of 64-bit lanes. Eight was
/// about twice as fast as one at a time on the baseline build, and maps to one `vpmullq` with
/// AVX-512.
const LANES: usize = 8;

/// The MinHash loop, inlined into each feature-specific copy above.
#[inline(always)]
fn signature_into(mul: &[u64], add: &[u64], shingles: &[u64], sig: &mut [u32]) {
    // LANES permutations at a time over all shingles: their minima stay in registers (the same
    // values as one permutation at a time).
    for ((out, mul), add) in sig
        .chunks_mut(LANES)
        .zip(mul.chunks(LANES))
        .zip(add.chunks(LANES))
    {
        if let (Ok(m), Ok(a)) = (
            <&[u64; LANES]>::try_from(mul),
            <&[u64; LANES]>::try_from(add),
        ) {
            let mut best = [u64::from(u32::MAX); LANES];
            for &s in shingles {
                for j in 0..LANES {
                    let h = m[j].wrapping_mul(s).wrapping_add(a[j]) >> 32;
                    best[j] = best[j].min(h);
                }
            }
            for (o, b) in out.iter_mut().zip(best) {
                *o = b as u32;
            }
        } else {
            for &s in shingles {
                for (slot, (&m, &a)) in out.iter_mut().zip(mul.iter().zip(add)) {
                    let h = (m.wrapping_mul(s).wrapping_add(a) >> 32) as u32;
                    *slot = (*slot).min(h);
                }
            }
        }
    }
}

/// Estimated Jaccard similarity of two signatures of the same hasher.
pub fn estimated_jaccard(a: &[u32], b: &[u32]) -> f64 {
    if a.is_empty() || a.len() != b.len() {
        return 0.0;
    }
    let same = a.iter().zip(b).filter(|(x, y)| x == y).count();
    same as f64 / a.len() as f64
}

/// One key per band: reports that share any band key are near-duplicate candidates.
pub fn band_keys(signature: &[u32], bands: usize) -> Vec<u64> {
    if bands == 0 || signature.is_empty() {
        return Vec::new();
    }
    let rows = (signature.len() / bands).max(1);
    signature
        .chunks(rows)
        .take(bands)
        .enumerate()
        .map(|(band, rows)| {
            // The band's rows as little-endian bytes, on the stack for up to 16 rows (the
            // default is 4): no allocation per band.
            let mut stack = [0u8; 64];
            let mut heap = Vec::new();
            let bytes: &mut [u8] = if rows.len() * 4 <= stack.len() {
                &mut stack[..rows.len() * 4]
            } else {
                heap.resize(rows.len() * 4, 0);
                &mut heap
            };
            for (b, r) in bytes.chunks_exact_mut(4).zip(rows) {
                b.copy_from_slice(&r.to_le_bytes());
            }
            xxh3_64_with_seed(bytes, band as u64)
        })
        .collect()
}

/// Exact Jaccard of two sorted, deduplicated shingle sets.
pub fn jaccard(a: &[u64], b: &[u64]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 0.0;
    }
    let inter = sorted_intersection(a, b);
    inter as f64 / (a.len() + b.len() - inter) as f64
}

/// Share of `a`'s shingles found in `b` (both sorted and deduplicated).
pub fn containment(a: &[u64], b: &[u64]) -> f64 {
    if a.is_empty() {
        return 0.0;
    }
    sorted_intersection(a, b) as f64 / a.len() as f64
}

/// How many values two sorted, deduplicated slices share.
pub fn sorted_intersection(a: &[u64], b: &[u64]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use storyline_text::word_tokens;

    const PINNED: [u32; 4] = [1290463841, 1304852375, 299947326, 636634885];

    fn sig(text: &str) -> Vec<u32> {
        MinHasher::new(128).signature(&shingles(&word_tokens(text), 5))
    }

    #[test]
    fn identical_texts_have_identical_signatures() {
        let a = sig("The U.S. military could fly the migrants to the North African country.");
        assert_eq!(
            a,
            sig("The U.S. military could fly the migrants to the North African country.")
        );
        assert_eq!(estimated_jaccard(&a, &a), 1.0);
    }

    #[test]
    fn estimate_tracks_exact_jaccard() {
        let words: Vec<String> = (0..400).map(|i| format!("w{i}")).collect();
        let a = shingles(&words[..300], 5);
        let b = shingles(&words[100..], 5);
        let exact = jaccard(&a, &b);
        let h = MinHasher::new(128);
        let est = estimated_jaccard(&h.signature(&a), &h.signature(&b));
        assert!((exact - est).abs() < 0.12, "exact {exact} estimate {est}");
    }

    #[test]
    fn permutations_are_stable_across_builds() {
        // A stored signature must stay valid: pin hashes and the first permutations' output.
        assert_eq!(shingles(&["a", "b"], 5), vec![xxh3_64(b"a b")]);
        let got = MinHasher::new(4).signature(&[xxh3_64(b"libya"), xxh3_64(b"rwanda")]);
        assert_eq!(got, PINNED.to_vec());
    }

    #[test]
    fn near_duplicates_share_a_band_unrelated_do_not() {
        let base = "Two of the officials said the U.S. military could fly the migrants to the North African country as soon as Wednesday, but stressed that plans could change. Reuters could not determine how many migrants would be sent to Libya or the nationalities of the individuals.";
        let copy = format!("{base} Subscribe to our newsletter.");
        let other = "The Justice Department and federal courts are struggling to keep up with the exponential increase in federal court cases of immigrants in custody.";
        let shared = |x: &str, y: &str| {
            let (kx, ky) = (band_keys(&sig(x), 32), band_keys(&sig(y), 32));
            kx.iter().zip(&ky).any(|(p, q)| p == q)
        };
        assert!(shared(base, &copy));
        assert!(!shared(base, other));
    }

    /// Shingles as first written: each window joined into a string, then hashed.
    fn shingles_reference(tokens: &[String], k: usize) -> Vec<u64> {
        let k = k.max(1);
        if tokens.is_empty() {
            return Vec::new();
        }
        if tokens.len() < k {
            return vec![xxh3_64(tokens.join(" ").as_bytes())];
        }
        let mut out: Vec<u64> = tokens
            .windows(k)
            .map(|w| xxh3_64(w.join(" ").as_bytes()))
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// MinHash as first written: one permutation at a time.
    fn signature_reference(h: &MinHasher, shingles: &[u64]) -> Vec<u32> {
        h.mul
            .iter()
            .zip(&h.add)
            .map(|(&m, &a)| {
                shingles
                    .iter()
                    .map(|&s| (m.wrapping_mul(s).wrapping_add(a) >> 32) as u32)
                    .min()
                    .unwrap_or(u32::MAX)
            })
            .collect()
    }

    /// Band keys as first written: each band's rows copied into a new vector.
    fn band_keys_reference(signature: &[u32], bands: usize) -> Vec<u64> {
        if bands == 0 || signature.is_empty() {
            return Vec::new();
        }
        let rows = (signature.len() / bands).max(1);
        signature
            .chunks(rows)
            .take(bands)
            .enumerate()
            .map(|(band, rows)| {
                let bytes: Vec<u8> = rows.iter().flat_map(|r| r.to_le_bytes()).collect();
                xxh3_64_with_seed(&bytes, band as u64)
            })
            .collect()
    }

    proptest! {
        #[test]
        fn band_keys_match_the_reference(sig in proptest::collection::vec(any::<u32>(), 0..200), bands in 0usize..40) {
            prop_assert_eq!(band_keys(&sig, bands), band_keys_reference(&sig, bands));
        }

        #[test]
        fn signature_matches_the_reference(set in proptest::collection::vec(any::<u64>(), 0..300), n in prop_oneof![Just(128usize), 1usize..40]) {
            let h = MinHasher::new(n);
            prop_assert_eq!(h.signature(&set), signature_reference(&h, &set));
            let mut portable = vec![u32::MAX; n];
            signature_into(&h.mul, &h.add, &set, &mut portable);
            prop_assert_eq!(&portable, &signature_reference(&h, &set));
            #[cfg(target_arch = "x86_64")]
            if std::arch::is_x86_feature_detected!("avx2") {
                let mut avx2 = vec![u32::MAX; n];
                // SAFETY: the CPU has AVX2, checked above.
                unsafe { signature_avx2(&h.mul, &h.add, &set, &mut avx2) };
                prop_assert_eq!(avx2, portable);
            }
        }

        #[test]
        fn shingles_match_the_reference(tokens in proptest::collection::vec("\\PC{0,6}", 0..40), k in 0usize..7) {
            prop_assert_eq!(shingles(&tokens, k), shingles_reference(&tokens, k));
        }

        #[test]
        fn signature_unchanged_by_whitespace(words in proptest::collection::vec("[a-zA-Z]{1,10}", 1..60), wide in proptest::collection::vec(prop_oneof![Just(" "), Just("\n"), Just("  \t"), Just("\r\n")], 60)) {
            let plain = words.join(" ");
            let spaced: String = words.iter().enumerate().map(|(i, w)| format!("{w}{}", wide[i])).collect();
            prop_assert_eq!(sig(&plain), sig(&spaced));
        }
    }
}
