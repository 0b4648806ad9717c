//! The parse floor of the whole-CLI benchmark (scripts/bench.sh): reads every
//! record of a CSV with the csv crate's `ByteRecord` and does nothing else,
//! so that `servicefit score` can be compared with the fastest a CSV can be read.
//!
//! Run: `cargo run --release --example parse_floor -- FILE` (prints the record count).

use std::error::Error;
use std::fs::File;

fn main() -> Result<(), Box<dyn Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: parse_floor FILE.csv")?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(File::open(&path)?);
    let mut record = csv::ByteRecord::new();
    let mut records = 0u64;
    while reader.read_byte_record(&mut record)? {
        records += 1;
    }
    println!("{records}");
    Ok(())
}
