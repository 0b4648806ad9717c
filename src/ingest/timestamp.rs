//! Reading the submission times survey tools export, only to order duplicate
//! submissions and to measure time taken — never for scoring.
//!
//! Accepted: ISO `2024-06-10 07:48:07` (also with `T`, `Z` or `+02:00`;
//! Qualtrics, LimeSurvey, Typeform); slashed dates, year first
//! `2024/06/10 7:48:07 AM GMT+1` (Google Forms) or month first
//! `6/10/2024 7:48:07`, `6/10/24 7:48` (US spreadsheets, Microsoft Forms,
//! SurveyMonkey) — day first only when the first number cannot be a month;
//! dotted dates day first `10.06.2024 07:48` (German Excel). `AM`/`PM` and
//! `GMT±H[:MM]`/`UTC±H` zones are honoured; other zone names are ignored.

/// Seconds since 1970-01-01 00:00:00 UTC of a timestamp, if it is readable.
///
/// ```
/// use servicefit::ingest::timestamp::parse;
/// // 2024-06-10 is day 19,884 since 1970-01-01: 19,884 × 86,400 = 1,717,977,600.
/// assert_eq!(parse("2024-06-10 00:00:00"), Some(1_717_977_600));
/// assert_eq!(parse("2024/06/10 1:00:00 AM GMT+1"), Some(1_717_977_600));
/// assert_eq!(parse("soon"), None);
/// ```
pub fn parse(text: &str) -> Option<i64> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let (date, rest) = match text.find([' ', 'T']) {
        Some(i) => (&text[..i], text[i + 1..].trim()),
        None => (text, ""),
    };
    let (year, month, day) = parse_date(date)?;
    let (seconds, offset) = parse_time(rest)?;
    Some(days_from_civil(year, month, day) * 86_400 + seconds - offset)
}

fn numbers(text: &str, separator: char) -> Option<Vec<i64>> {
    text.split(separator).map(|p| p.parse().ok()).collect()
}

fn parse_date(date: &str) -> Option<(i64, i64, i64)> {
    let (parts, separator) = ['-', '/', '.']
        .iter()
        .find_map(|&s| numbers(date, s).filter(|p| p.len() == 3).map(|p| (p, s)))?;
    let four_digit_first = date.split(separator).next().is_some_and(|p| p.len() == 4);
    let (y, m, d) = match separator {
        _ if four_digit_first => (parts[0], parts[1], parts[2]),
        '/' if parts[0] > 12 => (parts[2], parts[1], parts[0]),
        '/' => (parts[2], parts[0], parts[1]),
        _ => (parts[2], parts[1], parts[0]),
    };
    let year = if y < 100 { 2000 + y } else { y };
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then_some((year, m, d))
}

/// Seconds into the day and the zone offset in seconds.
fn parse_time(rest: &str) -> Option<(i64, i64)> {
    if rest.is_empty() {
        return Some((0, 0));
    }
    let mut words = rest.split_whitespace();
    let clock = words.next()?;
    let (clock, mut offset) = split_offset(clock);
    let mut fields = clock.split(':');
    let hour: i64 = fields.next()?.parse().ok()?;
    let minute: i64 = fields.next()?.parse().ok()?;
    let second: f64 = fields.next().map_or(Some(0.0), |s| s.parse().ok())?;
    let mut hour = hour;
    for word in words {
        match word.to_ascii_uppercase().as_str() {
            "AM" if hour == 12 => hour = 0,
            "PM" if hour < 12 => hour += 12,
            zone => {
                if let Some(o) = zone_offset(zone) {
                    offset = o;
                }
            }
        }
    }
    ((0..24).contains(&hour) && (0..60).contains(&minute))
        .then_some((hour * 3600 + minute * 60 + second as i64, offset))
}

/// `07:48:07Z` or `07:48:07+02:00` → clock and offset.
fn split_offset(clock: &str) -> (&str, i64) {
    if let Some(c) = clock.strip_suffix(['Z', 'z']) {
        return (c, 0);
    }
    match clock.rfind(['+', '-']) {
        Some(i) => (&clock[..i], hours_minutes(&clock[i..]).unwrap_or(0)),
        None => (clock, 0),
    }
}

/// `GMT+1`, `GMT+5:30`, `UTC-3` → seconds east of UTC.
fn zone_offset(zone: &str) -> Option<i64> {
    let rest = zone
        .strip_prefix("GMT")
        .or_else(|| zone.strip_prefix("UTC"))?;
    if rest.is_empty() {
        return Some(0);
    }
    hours_minutes(rest)
}

fn hours_minutes(signed: &str) -> Option<i64> {
    let sign = if signed.starts_with('-') { -1 } else { 1 };
    let body = signed.get(1..)?;
    let (h, m) = match body.split_once(':') {
        Some((h, m)) => (h.parse::<i64>().ok()?, m.parse::<i64>().ok()?),
        None if body.len() == 4 => (body[..2].parse().ok()?, body[2..].parse().ok()?),
        None => (body.parse().ok()?, 0),
    };
    Some(sign * (h * 3600 + m * 60))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's
/// `days_from_civil`, http://howardhinnant.github.io/date_algorithms.html).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    // 2024-06-10 00:00:00 UTC = 1,717,977,600 (19,884 days × 86,400).
    const JUNE_10: i64 = 1_717_977_600;
    // 07:48:07 = 7×3600 + 48×60 + 7 = 28,087 seconds.
    const CLOCK: i64 = 28_087;

    #[test]
    fn civil_days() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017); // 30 years (7 leap) = 10,957 days + 60 (Jan+Feb 2000)
        assert_eq!(days_from_civil(2024, 6, 10), 19_884);
    }

    #[test]
    fn export_dialects() {
        let at = JUNE_10 + CLOCK;
        assert_eq!(parse("2024-06-10 07:48:07"), Some(at));
        assert_eq!(parse("2024-06-10T07:48:07Z"), Some(at));
        assert_eq!(parse("2024-06-10T09:48:07+02:00"), Some(at));
        assert_eq!(parse("2024/06/10 8:48:07 AM GMT+1"), Some(at));
        assert_eq!(parse("2024/06/10 7:48:07 AM EST"), Some(at));
        assert_eq!(parse("6/10/2024 7:48:07"), Some(at));
        assert_eq!(parse("06/10/2024 07:48:07 AM"), Some(at));
        assert_eq!(parse("6/10/24 7:48:07"), Some(at));
        assert_eq!(parse("10.06.2024 07:48:07"), Some(at));
        assert_eq!(parse("13/06/2024 00:00"), Some(JUNE_10 + 3 * 86_400));
        // 7:48:07 PM = 19:48:07 = 12 hours later.
        assert_eq!(parse("6/10/2024 7:48:07 PM"), Some(at + 12 * 3600));
        assert_eq!(
            parse("2024/06/10 12:00:00 AM GMT+5:30"),
            Some(JUNE_10 - 19_800)
        );
    }

    #[test]
    fn unreadable() {
        for text in ["", "yesterday", "2024-13-01", "1/2", "2024-06-10 25:00"] {
            assert_eq!(parse(text), None, "{text}");
        }
    }
}
