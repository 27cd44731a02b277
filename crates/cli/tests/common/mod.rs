//! Helpers for the CLI tests: a temporary store and a way to run the binary against it.

#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Command;

/// The seeds, beside the repository (`../shared/fixtures/seeds`). Missing seeds fail the test:
/// CI always has `../shared` beside the clone.
pub fn seeds_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures/seeds");
    assert!(
        dir.is_dir(),
        "the seeds are missing: expected {}",
        dir.display()
    );
    dir.canonicalize().unwrap()
}

pub struct Run {
    pub dir: tempfile::TempDir,
}

pub struct Output {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

pub fn storyline(run: &Run, args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_storyline"))
        .arg("--db")
        .arg(run.db())
        .args(args)
        .output()
        .expect("the storyline binary runs");
    Output {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

impl Run {
    pub fn new() -> Run {
        Run {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn db(&self) -> PathBuf {
        self.dir.path().join("test.db")
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Runs and expects success; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = storyline(self, args);
        assert_eq!(
            out.code,
            Some(0),
            "storyline {args:?} failed: {}",
            out.stderr
        );
        out.stdout
    }
}
