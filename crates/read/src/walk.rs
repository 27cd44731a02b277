//! Finding input files: explicit paths and folders walked recursively, with the format told by
//! the extension (`.gz` stripped first). Symlink loops and unreadable folders are diagnostics.

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
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    pub path: PathBuf,
    pub format: InputFormat,
    pub gzipped: bool,
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
/// name). Files of unknown format inside folders are skipped silently (a folder of reports often
/// holds a README); an explicit path of unknown format is a diagnostic.
pub fn find_inputs(paths: &[PathBuf]) -> (Vec<InputFile>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut diags = Vec::new();
    for path in paths {
        let meta = match std::fs::metadata(path) {
            Ok(m) => m,
            Err(e) => {
                diags.push(Diagnostic {
                    input: path.display().to_string(),
                    message: format!("cannot read: {e}"),
                });
                continue;
            }
        };
        if meta.is_dir() {
            let walker = walkdir::WalkDir::new(path)
                .follow_links(true)
                .sort_by_file_name();
            for entry in walker {
                match entry {
                    Ok(e) if e.file_type().is_file() => {
                        if let Some((format, gzipped)) = classify(e.path())
                            && !is_other_xml(e.path(), gzipped)
                        {
                            files.push(InputFile {
                                path: e.path().to_path_buf(),
                                format,
                                gzipped,
                            });
                        }
                    }
                    Ok(_) => {}
                    Err(e) => {
                        let at = e.path().unwrap_or(path).display().to_string();
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
                        diags.push(Diagnostic { input: at, message });
                    }
                }
            }
        } else {
            match classify(path) {
                Some((format, gzipped)) => files.push(InputFile { path: path.clone(), format, gzipped }),
                None => diags.push(Diagnostic {
                    input: path.display().to_string(),
                    message: "unknown input format: expected .txt, .html, .htm, .jsonl, .rss, .atom, .xml (a feed) or .warc (optionally .gz); OPML lists are for `storyline follow`".into(),
                }),
            }
        }
    }
    (files, diags)
}
