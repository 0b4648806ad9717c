//! One spreadsheet cell as the text a CSV export of the sheet would hold,
//! for the reader to read as it reads any export: whole numbers without a
//! fraction, dates as timestamps, booleans and errors as Excel shows them.

use calamine::{Data, ExcelDateTime, ExcelDateTimeType};

/// The serial day after the latest date Excel shows (9999-12-31 is day
/// 2,958,465); from it on, and below 0, a date cell is shown as its number.
const LAST_EXCEL_DAY: f64 = 2_958_466.0;

/// A cell as a CSV export of the sheet would write it.
pub fn cell_text(value: &Data) -> String {
    match value {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number_text(*f),
        Data::Bool(true) => "TRUE".into(),
        Data::Bool(false) => "FALSE".into(),
        Data::DateTime(d) if d.is_datetime() && (0.0..LAST_EXCEL_DAY).contains(&d.as_f64()) => {
            date_text(d)
        }
        Data::DateTime(d) => number_text(d.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => e.to_string(),
    }
}

/// A date cell as `YYYY-MM-DD HH:MM:SS`, rounded to the second as Excel
/// shows it (a serial's fraction of a day is rarely a whole number of
/// seconds: 07:48:07 is stored as 07:48:06.9998).
fn date_text(date: &ExcelDateTime) -> String {
    // The epoch is not exposed, but a date equals its value rebuilt with the right one.
    let is_1904 = *date == ExcelDateTime::new(date.as_f64(), ExcelDateTimeType::DateTime, true);
    let half_second = 0.5 / 86_400.0;
    let rounded = ExcelDateTime::new(
        date.as_f64() + half_second,
        ExcelDateTimeType::DateTime,
        is_1904,
    );
    let (year, month, day, hour, minute, second, _) = rounded.to_ymd_hms_milli();
    format!("{year:04}-{month:02}-{day:02} {hour:02}:{minute:02}:{second:02}")
}

/// A float as text: whole numbers without a fraction (`4.0` is the answer
/// `4`; an id `118052219061.0` keeps every digit), others in the shortest
/// form that reads back the same.
fn number_text(f: f64) -> String {
    // 2^53: every whole float below it is exact as an i64.
    if f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0 {
        (f as i64).to_string()
    } else {
        f.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_read_as_a_csv_export_writes_them() {
        assert_eq!(cell_text(&Data::Float(4.0)), "4");
        assert_eq!(cell_text(&Data::Float(118_052_219_061.0)), "118052219061");
        assert_eq!(cell_text(&Data::Float(3.5)), "3.5");
        assert_eq!(cell_text(&Data::Int(-2)), "-2");
        assert_eq!(cell_text(&Data::Bool(true)), "TRUE");
        assert_eq!(cell_text(&Data::String("=1+2".into())), "=1+2");
        // Serial 45453.325081 = 2024-06-10 (45453 days after 1899-12-30) at 0.325081 × 86400 s
        // = 28,087 s = 07:48:07.
        let date = ExcelDateTime::new(45_453.325_081, ExcelDateTimeType::DateTime, false);
        assert_eq!(cell_text(&Data::DateTime(date)), "2024-06-10 07:48:07");
        // Out of Excel's date range: the number, not a made-up date.
        let far = ExcelDateTime::new(-3.0, ExcelDateTimeType::DateTime, false);
        assert_eq!(cell_text(&Data::DateTime(far)), "-3");
        assert_eq!(
            cell_text(&Data::DateTimeIso("2024-06-10T07:48:07".into())),
            "2024-06-10T07:48:07"
        );
    }
}
