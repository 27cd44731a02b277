//! Storyline's benches on real corpora: the corpus loaders, the scale-bench corpus generator
//! and its scoring. The binaries (`ingest-bench`, `scale-bench`) are thin drivers.

pub mod corpora;
pub mod generate;

/// Peak resident set size of this process (Linux `VmHWM`), in bytes.
pub fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}
pub mod stories;
