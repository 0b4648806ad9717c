//! Text shown to people and read from them — the ground floor every other
//! module may stand on, and which stands on nothing of ours.
//!
//! - [`escape`]: one escaper per output kind for text a user supplied
//!   (terminal, HTML, Markdown, CSV), so that an id, group value or file
//!   name is shown as text and never acts (moves a cursor, opens a link,
//!   runs a formula, reorders the line after it);
//! - [`words`]: numbers and levels as people read them, and the words that
//!   mean "not answered";
//! - [`label`]: normalising the headers and labels people typed, so that
//!   what a form tool exported matches what a questionnaire says.
//!
//! Pure string functions only: nothing here knows of items, scales or reports.

pub mod escape;
pub mod label;
pub mod words;

pub use escape::{
    csv_safe, csv_unescape, hidden_effect, html, markdown, markdown_code, printable, terminal,
    terminal_lines,
};
pub use label::{decode_entities, normalise};
pub use words::{level_words, number, MISSING_WORDS};
