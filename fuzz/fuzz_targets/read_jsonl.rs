//! The JSON Lines reader on arbitrary bytes: never panics, every line is a report or a
//! diagnostic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let dir = std::env::temp_dir().join(format!("storyline-fuzz-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join("input.jsonl");
    if std::fs::write(&path, data).is_err() {
        return;
    }
    let file =
        storyline_read::InputFile::new(path, storyline_read::InputFormat::JsonLines, false);
    let _ = storyline_read::read_input(&file);
});
