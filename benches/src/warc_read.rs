//! `warc-read`: the read-only pass over a WARC file (gzip, record parsing, HTTP payload,
//! decoding, canonical URL), optionally with the clean stage per record, without the store.
//! Prints one Markdown table row with records/s, MB/s and peak memory; `benches/warc-bench`
//! builds the WARC from the L3S pages and compares it with a full `storyline ingest`.
//!
//! `cargo run --release -p storyline-bench --bin warc-read -- FILE.warc.gz [--clean]`

use std::path::PathBuf;
use std::time::Instant;

use anyhow::Result;
use clap::Parser;

#[derive(Parser)]
struct Args {
    /// The WARC file (`.warc` or `.warc.gz`).
    warc: PathBuf,
    /// Also clean each record's page (one thread), as the ingest does before analysis.
    #[arg(long)]
    clean: bool,
}

/// Peak resident set size of this process (Linux `VmHWM`), in bytes.
fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

fn main() -> Result<()> {
    let args = Args::parse();
    let gz = args.warc.extension().is_some_and(|e| e == "gz");
    let file_bytes = std::fs::metadata(&args.warc)?.len();
    let start = Instant::now();
    let mut records =
        storyline_read::open_warc(&args.warc, gz).map_err(|d| anyhow::anyhow!("{d}"))?;
    let (mut ok, mut bad, mut text_bytes) = (0u64, 0u64, 0usize);
    for r in records.by_ref() {
        match r {
            Ok(raw) => {
                ok += 1;
                if args.clean {
                    text_bytes += storyline_clean::clean_report(raw).text.len();
                }
            }
            Err(_) => bad += 1,
        }
    }
    let secs = start.elapsed().as_secs_f64();
    let warc_mb = records.bytes_read as f64 / 1e6;
    println!(
        "| {} | {ok} | {bad} | {:.1} | {warc_mb:.1} | {secs:.2} | {:.0} | {:.1} | {:.0} |",
        if args.clean {
            "read + clean (1 thread)"
        } else {
            "read only"
        },
        file_bytes as f64 / 1e6,
        ok as f64 / secs,
        warc_mb / secs,
        peak_rss().unwrap_or(0) as f64 / 1e6,
    );
    if args.clean {
        eprintln!("cleaned text: {:.1} MB", text_bytes as f64 / 1e6);
    }
    Ok(())
}
