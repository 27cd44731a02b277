//! The near-duplicate index: LSH band key → reports, as one open-addressing multimap of
//! `(u32 key, u32 report)` slots. A report's band keys are 64-bit xxh3 values; the index keeps
//! their low 32 bits (a collision only adds a candidate, which placement scores anyway) and no
//! per-key vector, so a report costs `bands × 8 bytes / load` — about 160–240 bytes for 16
//! bands — where a `HashMap<u64, Vec<u32>>` cost about 1.7 KB (scale bench, 10k reports).

/// Slot value marking an empty slot.
const EMPTY: u32 = u32::MAX;

/// Most occupied share of the slots before the table grows. Linear probing stays short below
/// 0.8 (about 3 probes per successful lookup on average).
const MAX_LOAD: f64 = 0.8;

/// Growth factor: 1.5 keeps the load between 0.53 and 0.8, so memory per report stays under
/// 16 × 8 / 0.53 ≈ 240 bytes with 16 bands.
const GROWTH: f64 = 1.5;

/// LSH buckets for incremental insert and query.
#[derive(Debug, Clone, Default)]
pub struct BandIndex {
    slots: Vec<(u32, u32)>,
    len: usize,
}

impl BandIndex {
    pub fn new() -> BandIndex {
        BandIndex::default()
    }

    /// Reports ever inserted under some key (one per key inserted).
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Heap bytes held.
    pub fn heap_bytes(&self) -> usize {
        self.slots.capacity() * std::mem::size_of::<(u32, u32)>()
    }

    fn home(&self, key: u32) -> usize {
        // Lemire's multiply-shift range reduction of an already well-mixed key.
        ((key as u64 * self.slots.len() as u64) >> 32) as usize
    }

    /// Files `report` under each of `keys`.
    pub fn insert(&mut self, report: u32, keys: &[u64]) {
        debug_assert!(report != EMPTY, "report numbers stop below u32::MAX");
        for &k in keys {
            if (self.len + 1) as f64 > self.slots.len() as f64 * MAX_LOAD {
                self.grow();
            }
            self.put(k as u32, report);
            self.len += 1;
        }
    }

    fn put(&mut self, key: u32, report: u32) {
        let n = self.slots.len();
        let mut i = self.home(key);
        while self.slots[i].1 != EMPTY {
            i = if i + 1 == n { 0 } else { i + 1 };
        }
        self.slots[i] = (key, report);
    }

    fn grow(&mut self) {
        let size = ((self.slots.len() as f64 * GROWTH) as usize).max(64);
        let old = std::mem::replace(&mut self.slots, vec![(0, EMPTY); size]);
        for (k, r) in old {
            if r != EMPTY {
                self.put(k, r);
            }
        }
    }

    /// Every report filed under any of `keys`, in no particular order, with repeats when a
    /// report shares several bands.
    pub fn query(&self, keys: &[u64], out: &mut Vec<u32>) {
        if self.slots.is_empty() {
            return;
        }
        let n = self.slots.len();
        for &k in keys {
            let key = k as u32;
            let mut i = self.home(key);
            loop {
                let (sk, r) = self.slots[i];
                if r == EMPTY {
                    break;
                }
                if sk == key {
                    out.push(r);
                }
                i = if i + 1 == n { 0 } else { i + 1 };
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::{HashMap, HashSet};

    proptest! {
        #[test]
        fn answers_like_a_map_of_sets(
            reports in prop::collection::vec(prop::collection::vec(0u64..40, 1..6), 1..300),
            probe in prop::collection::vec(0u64..45, 1..6),
        ) {
            let mut index = BandIndex::new();
            let mut model: HashMap<u32, HashSet<u32>> = HashMap::new();
            for (r, keys) in reports.iter().enumerate() {
                // Keys spread over 64 bits, as xxh3 band keys are.
                let keys: Vec<u64> = keys.iter().map(|k| k.wrapping_mul(0x9e37_79b9_7f4a_7c15)).collect();
                index.insert(r as u32, &keys);
                for k in keys {
                    model.entry(k as u32).or_default().insert(r as u32);
                }
            }
            let probe: Vec<u64> = probe.iter().map(|k| k.wrapping_mul(0x9e37_79b9_7f4a_7c15)).collect();
            let mut got = Vec::new();
            index.query(&probe, &mut got);
            let got: HashSet<u32> = got.into_iter().collect();
            let want: HashSet<u32> = probe
                .iter()
                .flat_map(|k| model.get(&(*k as u32)).into_iter().flatten().copied())
                .collect();
            prop_assert_eq!(got, want);
            let load = index.len() as f64 / (index.heap_bytes() / 8) as f64;
            prop_assert!(load <= MAX_LOAD + 1e-9);
        }
    }
}
