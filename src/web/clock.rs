//! The time, read in one place so handlers and the store agree on it.

use std::time::{SystemTime, UNIX_EPOCH};

/// Seconds since 1970 (UTC); 0 on a clock set before 1970.
pub fn now() -> i64 {
    now_ms() / 1000
}

/// Milliseconds since 1970 (UTC); 0 on a clock set before 1970.
pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// `seconds` since 1970 as ISO 8601 UTC, `2026-12-06T07:50:47Z`: the form
/// the response reader reads back without a date-order question.
pub fn iso(seconds: i64) -> String {
    let days = seconds.div_euclid(86_400);
    let clock = seconds.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        clock / 3600,
        clock % 3600 / 60,
        clock % 60
    )
}

/// Proleptic Gregorian date of a day count since 1970-01-01 (Hinnant's
/// `civil_from_days`, http://howardhinnant.github.io/date_algorithms.html).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates() {
        assert_eq!(iso(0), "1970-01-01T00:00:00Z");
        // 2024-06-10 = 19,884 days × 86,400 = 1,717,977,600; + 07:48:07 = 28,087 s.
        assert_eq!(iso(1_717_977_600 + 28_087), "2024-06-10T07:48:07Z");
        // 2024-02-29: 19,782 days after 1970-01-01.
        assert_eq!(iso(19_782 * 86_400), "2024-02-29T00:00:00Z");
        assert_eq!(iso(-1), "1969-12-31T23:59:59Z");
    }
}
