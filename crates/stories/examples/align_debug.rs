//! Prints the sentence alignment of two plain-text reports: `cargo run -p storyline-stories
//! --example align_debug -- DERIVED SOURCE`. A tool for tuning, not part of the engine.

use storyline_fingerprint::{FingerprintConfig, MinHasher, containment};
use storyline_model::Report;
use storyline_stories::align::{AlignConfig, align};
use storyline_stories::analyze;

fn load(path: &str) -> Report {
    let text = std::fs::read_to_string(path).expect("readable file");
    Report::from_text(path, text)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let fp = FingerprintConfig::default();
    let h = MinHasher::new(fp.permutations);
    let d = analyze(&load(&args[1]), &fp, &h);
    let s = analyze(&load(&args[2]), &fp, &h);
    let a = align(&d, &s, &AlignConfig::default());
    for (i, ds) in d.sentences.iter().enumerate() {
        let best = s
            .sentences
            .iter()
            .enumerate()
            .map(|(j, ss)| {
                let shared = ds.terms.iter().filter(|t| ss.terms.contains(t)).count();
                (
                    j,
                    shared,
                    shared as f64 / ds.terms.len().max(1) as f64,
                    containment(&ds.shingles, &ss.shingles),
                )
            })
            .max_by(|x, y| x.2.total_cmp(&y.2))
            .unwrap_or((0, 0, 0.0, 0.0));
        let m = a.matches.iter().find(|m| m.derived == i);
        println!(
            "D{i:02} -> S{:02} shared {:>2}/{:<2} overlap {:.2} c3 {:.2} {:>10} | {}",
            best.0,
            best.1,
            ds.terms.len(),
            best.2,
            best.3,
            m.map(|m| m.kind.as_str()).unwrap_or("-"),
            &ds.normalized.chars().take(90).collect::<String>()
        );
    }
    println!(
        "reuse {:.2} verbatim {:.2} coverage {:.2} containment {:.2}",
        a.reuse(),
        a.verbatim(),
        a.source_coverage(),
        a.doc_containment
    );
}
