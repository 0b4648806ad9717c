//! Reading the submission times survey tools export, only to order duplicate
//! submissions and to measure time taken — never for scoring.
//!
//! Accepted: ISO `2024-06-10 07:48:07` (also with `T`, `Z` or `+02:00`;
//! Qualtrics, LimeSurvey, Typeform); slashed dates, year first
//! `2024/06/10 7:48:07 AM GMT+1` (Google Forms), month first
//! `6/10/2024 7:48:07`, `6/10/24 7:48` (US spreadsheets, Microsoft Forms,
//! SurveyMonkey) or day first `10/06/2024 07:48` (the same tools in Europe);
//! dotted dates day first `10.06.2024 07:48` (German Excel). `AM`/`PM` and
//! `GMT±H[:MM]`/`UTC±H` zones are honoured; other zone names are ignored.
//!
//! Whether a slashed date is month or day first is a property of the whole
//! column, never guessed cell by cell (which would read `10/06` month first
//! and `13/06` day first in one column): [`decide`] settles it from the
//! column's cells — a first number above 12 shows day first, a second
//! number above 12 month first — and every cell is then read that one way
//! ([`parse`]), a date impossible in that order not at all.

use serde::Serialize;

/// Which number of a slashed date `a/b/yyyy` is the month.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DateOrder {
    /// `6/10/2024` is June 10 (US; the reading when nothing says otherwise).
    #[default]
    MonthFirst,
    /// `6/10/2024` is 6 October (most of the world).
    DayFirst,
}

impl DateOrder {
    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            DateOrder::MonthFirst => "mdy",
            DateOrder::DayFirst => "dmy",
        }
    }

    /// In words, for messages.
    pub fn describe(self) -> &'static str {
        match self {
            DateOrder::MonthFirst => "month-first",
            DateOrder::DayFirst => "day-first",
        }
    }

    /// The other order, the one to suggest when this one was a default.
    pub fn other(self) -> DateOrder {
        match self {
            DateOrder::MonthFirst => DateOrder::DayFirst,
            DateOrder::DayFirst => DateOrder::MonthFirst,
        }
    }
}

/// Why a column's slashed dates are read in the order they are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "basis")]
pub enum OrderBasis {
    /// The user chose it (`--date-order`).
    Chosen,
    /// No cell is a slashed date with the year last: no order is needed.
    NotNeeded,
    /// A cell that can be read only one way, such as `13/06/2024`.
    Shown {
        /// The first such cell.
        example: String,
    },
    /// Every slashed date could be read either way, such as `05/07/2024`.
    Ambiguous {
        /// The first such cell.
        example: String,
    },
    /// Some cells can be read only day first, others only month first.
    Contradictory {
        /// The first cell that can only be day first.
        day_first: String,
        /// The first cell that can only be month first.
        month_first: String,
    },
}

/// How a column's slashed dates are read: the order and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DateReading {
    /// The order every slashed date is read in.
    pub order: DateOrder,
    /// Why.
    pub basis: OrderBasis,
}

impl DateReading {
    /// The order the user chose.
    pub fn chosen(order: DateOrder) -> DateReading {
        DateReading {
            order,
            basis: OrderBasis::Chosen,
        }
    }
}

/// The order of a column's slashed dates, decided from its `cells`: day
/// first when some date's first number exceeds 12, month first when some
/// date's second number does; month first when none does (every date
/// ambiguous) or both do (the column contradicts itself), and the
/// [`OrderBasis`] says which, so that the user can be warned.
///
/// ```
/// use servicefit::ingest::timestamp::{decide, DateOrder, OrderBasis};
/// let uk = decide(["10/06/2024 09:00", "13/06/2024 09:00"]);
/// assert_eq!(uk.order, DateOrder::DayFirst);
/// assert_eq!(uk.basis, OrderBasis::Shown { example: "13/06/2024".into() });
/// assert_eq!(decide(["10/06/2024"]).order, DateOrder::MonthFirst);
/// ```
pub fn decide<'a>(cells: impl IntoIterator<Item = &'a str>) -> DateReading {
    let (mut month_first, mut day_first, mut either) = (None, None, None);
    for cell in cells {
        let date = cell
            .split([' ', 'T'])
            .find(|part| !part.is_empty())
            .unwrap_or("");
        let first = match shown_order(date) {
            Some(Some(DateOrder::MonthFirst)) => &mut month_first,
            Some(Some(DateOrder::DayFirst)) => &mut day_first,
            Some(None) => &mut either,
            None => continue,
        };
        first.get_or_insert(date);
        if month_first.is_some() && day_first.is_some() {
            break;
        }
    }
    let text = |cell: Option<&str>| cell.map(str::to_string);
    let (order, basis) = match (text(month_first), text(day_first)) {
        (Some(month_first), Some(day_first)) => (
            DateOrder::MonthFirst,
            OrderBasis::Contradictory {
                day_first,
                month_first,
            },
        ),
        (Some(example), None) => (DateOrder::MonthFirst, OrderBasis::Shown { example }),
        (None, Some(example)) => (DateOrder::DayFirst, OrderBasis::Shown { example }),
        (None, None) => match either {
            Some(example) => (
                DateOrder::MonthFirst,
                OrderBasis::Ambiguous {
                    example: example.to_string(),
                },
            ),
            None => (DateOrder::MonthFirst, OrderBasis::NotNeeded),
        },
    };
    DateReading { order, basis }
}

/// What the date of one cell says about its column's order: `None` when it
/// is not a slashed date with the year last (or no date at all),
/// `Some(None)` when it reads either way, else the only order it can be
/// read in.
fn shown_order(date: &str) -> Option<Option<DateOrder>> {
    let parts = numbers(date, '/').filter(|p| p.len() == 3)?;
    if date.split('/').next().is_some_and(|p| p.len() == 4) {
        return None;
    }
    let readable = |order| parse_date(date, order).is_some();
    match (
        readable(DateOrder::MonthFirst),
        readable(DateOrder::DayFirst),
    ) {
        (true, true) if parts[0] != parts[1] => Some(None),
        // 06/06/2024 reads the same either way: it says nothing, and needs nothing.
        (true, true) => None,
        (true, false) => Some(Some(DateOrder::MonthFirst)),
        (false, true) => Some(Some(DateOrder::DayFirst)),
        (false, false) => None,
    }
}

/// Seconds since 1970-01-01 00:00:00 UTC of a timestamp, if it is
/// readable, a slashed date with the year last read in `order`.
///
/// ```
/// use servicefit::ingest::timestamp::{parse, DateOrder::{DayFirst, MonthFirst}};
/// // 2024-06-10 is day 19,884 since 1970-01-01: 19,884 × 86,400 = 1,717,977,600.
/// assert_eq!(parse("2024-06-10 00:00:00", MonthFirst), Some(1_717_977_600));
/// assert_eq!(parse("2024/06/10 1:00:00 AM GMT+1", DayFirst), Some(1_717_977_600));
/// assert_eq!(parse("10/06/2024", DayFirst), parse("06/10/2024", MonthFirst));
/// assert_eq!(parse("13/06/2024", MonthFirst), None);
/// assert_eq!(parse("soon", MonthFirst), None);
/// ```
pub fn parse(text: &str, order: DateOrder) -> Option<i64> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let (date, rest) = match text.find([' ', 'T']) {
        Some(i) => (&text[..i], text[i + 1..].trim()),
        None => (text, ""),
    };
    let (year, month, day) = parse_date(date, order)?;
    let (seconds, offset) = parse_time(rest)?;
    Some(days_from_civil(year, month, day) * 86_400 + seconds - offset)
}

fn numbers(text: &str, separator: char) -> Option<Vec<i64>> {
    text.split(separator).map(|p| p.parse().ok()).collect()
}

fn parse_date(date: &str, order: DateOrder) -> Option<(i64, i64, i64)> {
    let (parts, separator) = ['-', '/', '.']
        .iter()
        .find_map(|&s| numbers(date, s).filter(|p| p.len() == 3).map(|p| (p, s)))?;
    let four_digit_first = date.split(separator).next().is_some_and(|p| p.len() == 4);
    let (y, m, d) = match separator {
        _ if four_digit_first => (parts[0], parts[1], parts[2]),
        '/' if order == DateOrder::MonthFirst => (parts[2], parts[0], parts[1]),
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
    use super::DateOrder::{DayFirst, MonthFirst};
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
        for order in [MonthFirst, DayFirst] {
            assert_eq!(parse("2024-06-10 07:48:07", order), Some(at));
            assert_eq!(parse("2024-06-10T07:48:07Z", order), Some(at));
            assert_eq!(parse("2024-06-10T09:48:07+02:00", order), Some(at));
            assert_eq!(parse("2024/06/10 8:48:07 AM GMT+1", order), Some(at));
            assert_eq!(parse("2024/06/10 7:48:07 AM EST", order), Some(at));
            assert_eq!(parse("10.06.2024 07:48:07", order), Some(at));
        }
        assert_eq!(parse("6/10/2024 7:48:07", MonthFirst), Some(at));
        assert_eq!(parse("06/10/2024 07:48:07 AM", MonthFirst), Some(at));
        assert_eq!(parse("6/10/24 7:48:07", MonthFirst), Some(at));
        assert_eq!(parse("10/6/24 7:48:07", DayFirst), Some(at));
        assert_eq!(
            parse("13/06/2024 00:00", DayFirst),
            Some(JUNE_10 + 3 * 86_400)
        );
        // 7:48:07 PM = 19:48:07 = 12 hours later.
        assert_eq!(
            parse("6/10/2024 7:48:07 PM", MonthFirst),
            Some(at + 12 * 3600)
        );
        assert_eq!(
            parse("2024/06/10 12:00:00 AM GMT+5:30", MonthFirst),
            Some(JUNE_10 - 19_800)
        );
    }

    #[test]
    fn one_order_for_every_slashed_date() {
        // 6 October and 10 June, never one of each in one column.
        assert_eq!(parse("06/10/2024", DayFirst), Some(JUNE_10 + 118 * 86_400));
        assert_eq!(parse("10/06/2024", DayFirst), Some(JUNE_10));
        // A date impossible in the order is not read, not read the other way.
        assert_eq!(parse("13/06/2024", MonthFirst), None);
        assert_eq!(parse("06/13/2024", DayFirst), None);
    }

    #[test]
    fn a_columns_order_from_its_cells() {
        let reading = |cells: &[&str]| decide(cells.iter().copied());
        // Google Forms in the UK: 13/06 can only be day first.
        assert_eq!(
            reading(&[
                "10/06/2024 09:00:00",
                "13/06/2024 09:00:00",
                "05/07/2024 09:00:00"
            ]),
            DateReading {
                order: DayFirst,
                basis: OrderBasis::Shown {
                    example: "13/06/2024".into()
                }
            }
        );
        assert_eq!(
            reading(&["6/10/24 9:02", "6/13/24 9:02"]),
            DateReading {
                order: MonthFirst,
                basis: OrderBasis::Shown {
                    example: "6/13/24".into()
                }
            }
        );
        // Every date either way (06/06 reads the same both ways and is no example).
        assert_eq!(
            reading(&["", "06/06/2024", " 10/06/2024 ", "05/07/2024"]),
            DateReading {
                order: MonthFirst,
                basis: OrderBasis::Ambiguous {
                    example: "10/06/2024".into()
                }
            }
        );
        assert_eq!(
            reading(&["13/06/2024", "06/14/2024", "20/06/2024"]).basis,
            OrderBasis::Contradictory {
                day_first: "13/06/2024".into(),
                month_first: "06/14/2024".into()
            }
        );
        // ISO, year first and dotted dates need no order; nor does no date.
        assert_eq!(
            reading(&[
                "2024-06-10 07:48",
                "2024/06/13 1:00:00 AM GMT+1",
                "13.06.2024",
                "soon",
                "06/06/2024"
            ])
            .basis,
            OrderBasis::NotNeeded
        );
        assert_eq!(reading(&[]).basis, OrderBasis::NotNeeded);
    }

    #[test]
    fn unreadable() {
        for text in [
            "",
            "yesterday",
            "2024-13-01",
            "1/2",
            "2024-06-10 25:00",
            "13/13/2024",
        ] {
            assert_eq!(parse(text, MonthFirst), None, "{text}");
            assert_eq!(parse(text, DayFirst), None, "{text}");
        }
    }
}
