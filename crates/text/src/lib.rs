//! Text helpers every stage shares: paragraph and sentence segmentation, word tokens, and the
//! stemmed content terms that similarity and alignment work on. Pure functions, no IO.

mod segment;
mod stopwords;
mod tokens;

pub use segment::{paragraphs, sentences};
pub use stopwords::{is_calendar_word, is_stopword};
pub use tokens::{ContentTerms, normalize_for_match, with_word_tokens, word_tokens};
