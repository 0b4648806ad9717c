//! Reading what users actually have: survey-tool exports and spreadsheet
//! CSVs in several encodings, delimiters and header layouts.
//!
//! The pieces, in the order a file meets them: [`decode`] (bytes → UTF-8,
//! streaming), [`sniff`] (delimiter), [`format`] (which tool, how many header
//! rows, which header texts to match), [`identity`] (id and metadata
//! columns), [`matching`] (columns → items; [`nearest`]
//! suggests an item for a column that matched none), [`label`] (cell → answer, with
//! [`answer_code`] for codes and abbreviations),
//! [`timestamp`] and [`duplicate`] (which of a candidate's submissions
//! counts). [`spreadsheet`] turns a workbook's sheet into the CSV text
//! the rest reads. [`records`] reads the rows after the header, for
//! [`crate::response::RowParser`] to parse (on another thread in
//! [`crate::stream`]); [`crate::response::ResponseReader`] ties them together;
//! [`template`] goes the other way and writes blank forms. Nothing here
//! prints: notes and warnings come back as values.

pub mod answer_code;
pub mod decode;
pub mod duplicate;
pub mod form_tools;
pub mod format;
pub mod header_names;
pub mod identity;
pub mod label;
pub mod layout;
pub mod matching;
pub mod nearest;
pub mod records;
pub mod sniff;
pub mod spreadsheet;
pub mod template;
pub mod timestamp;
pub mod validity_items;
