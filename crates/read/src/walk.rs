//! Finding input files: explicit paths and folders walked recursively, with the format told by
//! the extension (`.gz` stripped first), and each file's report id (its stem, or its path under
//! the folder given). Symlink loops, unreadable folders, repeated ids and folders with no
//! report file are diagnostics; files of no report format are listed as skipped.

use std::path::{Path, PathBuf};

use storyline_model::Diagnostic;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    Text,
    Html,
    JsonLines,
    /// RSS or Atom (`.rss`, `.atom`, or `.xml` holding a feed).
    Feed,
    /// A web archive, streamed record by record.
    Warc,
    /// Reuters-21578 SGML (`.sgm`): many reports per file.
    Sgml,
}

/// How a file's report id is made.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum IdScheme {
    /// The file name without its format extensions: `bbc/tech/001.txt` → `001`.
    #[default]
    Stem,
    /// The path under the folder given, without format extensions: `bbc/tech/001.txt` under
    /// `bbc` → `tech/001`. For corpora whose file names repeat across folders.
    Path,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    pub path: PathBuf,
    pub format: InputFormat,
    pub gzipped: bool,
    /// The report id of a one-report file; for containers, the prefix of ids made up for
    /// items that have none (`<id>-<line>`).
    pub id: String,
    /// For a WARC file, the records to read (`first..end`, numbered from 1): a range of the
    /// archive queued as one job. `None`: all of it.
    pub records: Option<(u64, u64)>,
}

impl InputFile {
    /// A file given by itself: its id is its stem.
    pub fn new(path: PathBuf, format: InputFormat, gzipped: bool) -> InputFile {
        let id = crate::stem(&path);
        InputFile {
            path,
            format,
            gzipped,
            id,
            records: None,
        }
    }
}

impl InputFile {
    /// A file with the report id it was given before (a queued job's file): `None` when its
    /// name has no report format.
    pub fn with_id(path: PathBuf, id: String) -> Option<InputFile> {
        let (format, gzipped) = classify(&path)?;
        Some(InputFile {
            path,
            format,
            gzipped,
            id,
            records: None,
        })
    }
}

/// What [`find_inputs`] found.
#[derive(Debug, Default)]
pub struct FoundInputs {
    pub files: Vec<InputFile>,
    pub diagnostics: Vec<Diagnostic>,
    /// Files in the folders walked that hold no report format (or are a folder's notes, such
    /// as `README.TXT`), with why.
    pub skipped: Vec<(PathBuf, &'static str)>,
}

impl FoundInputs {
    /// One line saying what was skipped, by kind: `skipped 3 files: 1 README.TXT (a folder's
    /// notes), 2 .csv (no reader)`; `None` when nothing was.
    pub fn skipped_summary(&self) -> Option<String> {
        if self.skipped.is_empty() {
            return None;
        }
        let mut kinds: std::collections::BTreeMap<(String, &str), usize> = Default::default();
        for (path, why) in &self.skipped {
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
            let kind = match (*why, name) {
                (NOTES, Some(n)) => n,
                (_, Some(n)) => match n.rsplit_once('.') {
                    Some((stem, ext)) if !stem.is_empty() => format!(".{ext}"),
                    _ => n,
                },
                (_, None) => path.display().to_string(),
            };
            *kinds.entry((kind, why)).or_default() += 1;
        }
        let parts: Vec<String> = kinds
            .iter()
            .map(|((kind, why), n)| format!("{n} {kind} ({why})"))
            .collect();
        let n = self.skipped.len();
        Some(format!(
            "skipped {n} file{}: {}",
            if n == 1 { "" } else { "s" },
            parts.join(", ")
        ))
    }
}

const NO_READER: &str = "no reader";
const NOTES: &str = "a folder's notes, not a report";
const NOT_A_FEED: &str = "XML that is not a feed";

/// A corpus folder's own notes: `README`, `LICENSE`, `COPYING`, `CHANGES` and the like, in any
/// case and with any extension. Read as a report, BBC's `README.TXT` became a news item.
fn is_folder_notes(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_uppercase())
        .unwrap_or_default();
    let stem = name.split('.').next().unwrap_or("");
    matches!(
        stem,
        "README" | "LICENSE" | "LICENCE" | "COPYING" | "CHANGES" | "CHANGELOG" | "NOTICE"
    )
}

fn classify(path: &Path) -> Option<(InputFormat, bool)> {
    let name = path.file_name()?.to_string_lossy().to_lowercase();
    let (name, gz) = match name.strip_suffix(".gz") {
        Some(n) => (n.to_string(), true),
        None => (name, false),
    };
    let ext = name.rsplit_once('.').map(|(_, e)| e)?;
    let format = match ext {
        "txt" | "text" => InputFormat::Text,
        "html" | "htm" | "xhtml" => InputFormat::Html,
        "jsonl" | "ndjson" => InputFormat::JsonLines,
        "rss" | "atom" | "xml" => InputFormat::Feed,
        "warc" => InputFormat::Warc,
        "sgm" | "sgml" => InputFormat::Sgml,
        _ => return None,
    };
    Some((format, gz))
}

/// A `.xml` file in a folder that does not hold a feed (a sitemap, a config file): skipped
/// like any other file of unknown format. An unreadable one is kept, so reading names it.
fn is_other_xml(path: &Path, gzipped: bool) -> bool {
    use std::io::Read;
    let name = path.to_string_lossy().to_lowercase();
    if !name.trim_end_matches(".gz").ends_with(".xml") {
        return false;
    }
    let Ok(file) = std::fs::File::open(path) else {
        return false;
    };
    let mut head = Vec::new();
    let read = if gzipped {
        flate2::read::MultiGzDecoder::new(file)
            .take(4096)
            .read_to_end(&mut head)
    } else {
        file.take(4096).read_to_end(&mut head)
    };
    read.is_ok() && !crate::feed::looks_like_feed(&head)
}

/// The input files under `paths`, in a stable order (paths as given; folder contents sorted by
/// name), each with its report id by `ids`. Inside folders, files of unknown format and a
/// folder's notes (`README.TXT`) are skipped and listed; an explicit path of unknown format is
/// a diagnostic, and so is a folder with no report file in it. (Two files that get the same id
/// are the ingest's to name: the same report twice is a duplicate, not an error.)
pub fn find_inputs(paths: &[PathBuf], ids: IdScheme) -> FoundInputs {
    let mut found = FoundInputs::default();
    for path in paths {
        let meta = match std::fs::metadata(path) {
            Ok(m) => m,
            Err(e) => {
                found.diagnostics.push(Diagnostic {
                    input: path.display().to_string(),
                    message: format!("cannot read: {e}"),
                });
                continue;
            }
        };
        if meta.is_dir() {
            let before = found.files.len();
            let skipped_before = found.skipped.len();
            walk_folder(path, ids, &mut found);
            if found.files.len() == before {
                let skipped = found.skipped.len() - skipped_before;
                found.diagnostics.push(Diagnostic {
                    input: path.display().to_string(),
                    message: if skipped == 0 {
                        "no report files in this folder (it is empty)".into()
                    } else {
                        format!(
                            "no report files in this folder ({skipped} file{} of other kinds skipped): {FORMATS}",
                            if skipped == 1 { "" } else { "s" }
                        )
                    },
                });
            }
        } else {
            match classify(path) {
                Some((format, gzipped)) => {
                    found
                        .files
                        .push(InputFile::new(path.clone(), format, gzipped))
                }
                None => found.diagnostics.push(Diagnostic {
                    input: path.display().to_string(),
                    message: format!(
                        "unknown input format: {FORMATS}; OPML lists are for `storyline follow`"
                    ),
                }),
            }
        }
    }
    found
}

/// The formats read, for messages.
const FORMATS: &str = "expected .txt, .html, .htm, .jsonl, .rss, .atom, .xml (a feed), .warc or .sgm (Reuters-21578), optionally .gz";

fn walk_folder(root: &Path, ids: IdScheme, found: &mut FoundInputs) {
    let walker = walkdir::WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name();
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_file() => {
                let path = e.path();
                let Some((format, gzipped)) = classify(path) else {
                    found.skipped.push((path.to_path_buf(), NO_READER));
                    continue;
                };
                if is_folder_notes(path) {
                    found.skipped.push((path.to_path_buf(), NOTES));
                    continue;
                }
                if is_other_xml(path, gzipped) {
                    found.skipped.push((path.to_path_buf(), NOT_A_FEED));
                    continue;
                }
                let mut file = InputFile::new(path.to_path_buf(), format, gzipped);
                if ids == IdScheme::Path {
                    file.id = path_id(root, path);
                }
                found.files.push(file);
            }
            Ok(_) => {}
            Err(e) => {
                let at = e.path().unwrap_or(root).display().to_string();
                let message = if e.loop_ancestor().is_some() {
                    "symlink loop: this folder links back to one of its parents; skipped"
                        .to_string()
                } else {
                    format!(
                        "cannot read: {}",
                        e.io_error()
                            .map(|io| io.to_string())
                            .unwrap_or_else(|| e.to_string())
                    )
                };
                found.diagnostics.push(Diagnostic { input: at, message });
            }
        }
    }
}

/// `root/tech/001.txt.gz` → `tech/001`: the folders under `root`, `/`-separated, and the stem.
fn path_id(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let mut parts: Vec<String> = rel
        .parent()
        .into_iter()
        .flat_map(|p| p.components())
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.push(crate::stem(path));
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(files: &[&str]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for f in files {
            let p = dir.path().join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(&p, "Some report text.").unwrap();
        }
        dir
    }

    #[test]
    fn path_ids_keep_files_with_repeated_names_apart() {
        let dir = tree(&["business/001.txt", "tech/001.txt", "README.TXT"]);
        let root = dir.path().to_path_buf();
        let found = find_inputs(std::slice::from_ref(&root), IdScheme::Path);
        let ids: Vec<&str> = found.files.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(ids, ["business/001", "tech/001"]);
        assert!(found.diagnostics.is_empty());
        assert_eq!(
            found.skipped_summary().as_deref(),
            Some("skipped 1 file: 1 README.TXT (a folder's notes, not a report)")
        );
    }

    #[test]
    fn files_of_no_report_format_are_listed_and_an_empty_folder_is_an_error() {
        let dir = tree(&["a.csv", "b.csv", "notes/x.pdf"]);
        let found = find_inputs(&[dir.path().to_path_buf()], IdScheme::Stem);
        assert_eq!(
            found.skipped_summary().as_deref(),
            Some("skipped 3 files: 2 .csv (no reader), 1 .pdf (no reader)")
        );
        assert_eq!(found.diagnostics.len(), 1);
        assert!(found.diagnostics[0].message.contains("no report files"));
        let empty = tempfile::tempdir().unwrap();
        let found = find_inputs(&[empty.path().to_path_buf()], IdScheme::Stem);
        assert!(found.diagnostics[0].message.contains("it is empty"));
    }

    #[test]
    fn reuters_sgml_is_a_report_format() {
        let dir = tree(&["reut2-000.sgm"]);
        let found = find_inputs(&[dir.path().to_path_buf()], IdScheme::Stem);
        assert_eq!(found.files[0].format, InputFormat::Sgml);
    }
}
