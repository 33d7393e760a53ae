//! Calendar arithmetic without a date crate.
//!
//! The sandbox writes `createDate`/`usedDate`/`statusDate` as `yyyy-mm-ddThh:mm:ss`, checks that
//! `expirationDate` and the report's `dateRange` name real calendar days, and compares creation
//! days with that range. Howard Hinnant's `days_from_civil`/`civil_from_days` algorithms do all of
//! it exactly for the proleptic Gregorian calendar, so `chrono` is not needed.
//!
//! All times are UTC. InPost's time zone is unknown (the spec marks it so); the sandbox says so in
//! its README rather than guessing Europe/Warsaw.

use std::time::{SystemTime, UNIX_EPOCH};

/// Seconds since the Unix epoch, now. A clock before 1970 reads as 0 instead of panicking.
pub fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// Days since 1970-01-01 of the civil date `y-m-d` (`m` 1–12, `d` 1–31; not range-checked here).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400; // [0, 399]
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1; // [0, 365]
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; // [0, 146096]
    era * 146_097 + doe - 719_468
}

/// The civil date `(year, month, day)` of a day count since 1970-01-01.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097; // [0, 146096]
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365]
    let mp = (5 * doy + 2) / 153; // [0, 11]
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32; // [1, 31]
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32; // [1, 12]
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Whether `y` is a Gregorian leap year.
fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

/// Number of days in month `m` of year `y`.
fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        _ => 28,
    }
}

/// Formats a Unix timestamp as `yyyy-mm-ddThh:mm:ss` (UTC), the sandbox's date format for
/// report fields.
pub fn format_datetime(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
        rem / 3600,
        (rem / 60) % 60,
        rem % 60
    )
}

/// Formats a Unix timestamp as an HTTP `Date` header value (IMF-fixdate, RFC 9110 §5.6.7).
pub fn format_http_date(secs: u64) -> String {
    const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let (y, m, d) = civil_from_days(days);
    format!(
        "{}, {d:02} {} {y:04} {:02}:{:02}:{:02} GMT",
        WEEKDAYS[days.rem_euclid(7) as usize],
        MONTHS[(m - 1) as usize],
        rem / 3600,
        (rem / 60) % 60,
        rem % 60
    )
}

/// Reads exactly `n` ASCII digits starting at `s[at..]`.
fn digits(s: &[u8], at: usize, n: usize) -> Option<u32> {
    let part = s.get(at..at + n)?;
    if !part.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(
        part.iter()
            .fold(0u32, |acc, b| acc * 10 + u32::from(b - b'0')),
    )
}

/// Parses a strict `yyyy-mm-dd` that names a real calendar day; returns its day number since
/// 1970-01-01. Anything else (other separators, missing zero padding, 2023-02-29) is `None`.
pub fn parse_date(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let y = i64::from(digits(b, 0, 4)?);
    let m = digits(b, 5, 2)?;
    let d = digits(b, 8, 2)?;
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
        return None;
    }
    Some(days_from_civil(y, m, d))
}

/// Checks a strict `yyyy-mm-ddThh:mm:ss` with a real calendar day and a real time of day
/// (00:00:00–23:59:59; no leap second, no fraction, no zone — the spec's format has none).
pub fn is_valid_datetime(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 19 || b[10] != b'T' || b[13] != b':' || b[16] != b':' {
        return false;
    }
    let (Some(h), Some(mi), Some(se)) = (digits(b, 11, 2), digits(b, 14, 2), digits(b, 17, 2))
    else {
        return false;
    };
    // `get` keeps a multi-byte character at byte 10 from panicking; the `T` check above already
    // guarantees byte 10 is ASCII, so this is a plain slice.
    s.get(..10).and_then(parse_date).is_some() && h < 24 && mi < 60 && se < 60
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_days() {
        for z in -800_000..800_000i64 {
            if z % 997 != 0 {
                continue;
            }
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
        }
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(civil_from_days(19_000), (2022, 1, 8));
    }

    #[test]
    fn formats() {
        assert_eq!(format_datetime(0), "1970-01-01T00:00:00");
        assert_eq!(format_datetime(1_665_399_600), "2022-10-10T11:00:00");
        assert_eq!(format_datetime(951_782_400), "2000-02-29T00:00:00");
        assert_eq!(
            format_http_date(784_111_777),
            "Sun, 06 Nov 1994 08:49:37 GMT"
        );
    }

    #[test]
    fn dates() {
        assert_eq!(
            parse_date("2022-10-10"),
            Some(days_from_civil(2022, 10, 10))
        );
        assert!(parse_date("2024-02-29").is_some());
        assert!(parse_date("2000-02-29").is_some());
        for bad in [
            "2023-02-29",
            "1900-02-29",
            "2022-13-01",
            "2022-00-10",
            "2022-04-31",
            "2022-4-01",
            "2022/04/01",
            "22-04-01",
            "2022-04-01 ",
            "",
            "2022-04-0ą",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn datetimes() {
        assert!(is_valid_datetime("2022-10-10T11:00:00"));
        assert!(is_valid_datetime("2024-02-29T23:59:59"));
        for bad in [
            "2022-10-10 11:00:00",
            "2022-10-10T24:00:00",
            "2022-10-10T11:60:00",
            "2022-10-10T11:00:60",
            "2022-10-10T11:00",
            "2022-10-10T11:00:00Z",
            "2023-02-29T11:00:00",
            "2022-10-10T11:00:0ą",
            "ąąąąąąąąąą",
        ] {
            assert!(!is_valid_datetime(bad), "{bad}");
        }
    }
}
