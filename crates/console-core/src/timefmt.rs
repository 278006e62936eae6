//! The UTC time formats the signing schemes put on the wire, formatted by the `time` crate.

use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{OffsetDateTime, UtcOffset};

fn utc(t: OffsetDateTime) -> OffsetDateTime {
    t.to_offset(UtcOffset::UTC)
}

/// Unix seconds (Tencent `X-TC-Timestamp`).
pub fn unix_seconds(t: OffsetDateTime) -> i64 {
    t.unix_timestamp()
}

/// `2019-02-25`: the UTC date (Tencent's credential scope).
pub fn date(t: OffsetDateTime) -> String {
    let t = utc(t);
    digits(t, b"Y-M-D").unwrap_or_else(|| {
        t.format(format_description!("[year]-[month]-[day]"))
            .expect("a UTC date always formats")
    })
}

/// `20191115T033655Z`: ISO 8601 basic format (Huawei `X-Sdk-Date`).
pub fn iso8601_basic(t: OffsetDateTime) -> String {
    let t = utc(t);
    digits(t, b"YMDThmsZ").unwrap_or_else(|| {
        t.format(format_description!(
            "[year][month][day]T[hour][minute][second]Z"
        ))
        .expect("a UTC time always formats")
    })
}

/// `2023-10-26T10:22:32Z`: ISO 8601 extended format, whole seconds (Alibaba `x-acs-date`).
pub fn iso8601_extended(t: OffsetDateTime) -> String {
    let t = utc(t);
    digits(t, b"Y-M-DTh:m:sZ").unwrap_or_else(|| {
        t.format(format_description!(
            "[year]-[month]-[day]T[hour]:[minute]:[second]Z"
        ))
        .expect("a UTC time always formats")
    })
}

/// Writes `pattern` with `Y` as the four-digit year, `M`, `D`, `h`, `m`, `s` as two-digit
/// month, day, hour, minute and second, and any other byte as itself; `None` for a year
/// outside 0..=9999, which the `time` formatter writes instead. Every signature stamps a
/// time, and the formatter's interpreter of format descriptions cost more than the rest.
fn digits(t: OffsetDateTime, pattern: &[u8]) -> Option<String> {
    // The calendar date once: each of `year()`, `month()` and `day()` works it out anew.
    let (year, month, day) = t.to_calendar_date();
    let year = u16::try_from(year).ok().filter(|y| *y <= 9999)?;
    let (hour, minute, second) = t.to_hms();
    let mut out = String::with_capacity(pattern.len() + 8);
    let two = |out: &mut String, n: u8| {
        out.push(char::from(b'0' + n / 10));
        out.push(char::from(b'0' + n % 10));
    };
    for &p in pattern {
        match p {
            b'Y' => {
                two(&mut out, (year / 100) as u8);
                two(&mut out, (year % 100) as u8);
            }
            b'M' => two(&mut out, u8::from(month)),
            b'D' => two(&mut out, day),
            b'h' => two(&mut out, hour),
            b'm' => two(&mut out, minute),
            b's' => two(&mut out, second),
            other => out.push(char::from(other)),
        }
    }
    Some(out)
}

/// RFC 3339 with the fractional seconds the time has (what the CLI prints).
pub fn rfc3339(t: OffsetDateTime) -> String {
    utc(t).format(&Rfc3339).expect("a UTC time always formats")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::datetime;

    #[test]
    fn formats_the_documents_examples() {
        let tc = OffsetDateTime::from_unix_timestamp(1551113065).unwrap();
        assert_eq!(unix_seconds(tc), 1551113065);
        assert_eq!(date(tc), "2019-02-25");
        let hw = datetime!(2019-11-15 03:36:55 UTC);
        assert_eq!(iso8601_basic(hw), "20191115T033655Z");
        let ali = datetime!(2023-10-26 10:22:32 UTC);
        assert_eq!(iso8601_extended(ali), "2023-10-26T10:22:32Z");
        assert_eq!(rfc3339(ali), "2023-10-26T10:22:32Z");
    }

    #[test]
    fn the_digit_writer_agrees_with_the_time_formatter() {
        let formatted = |t: OffsetDateTime| {
            (
                t.format(format_description!("[year]-[month]-[day]"))
                    .unwrap(),
                t.format(format_description!(
                    "[year][month][day]T[hour][minute][second]Z"
                ))
                .unwrap(),
                t.format(format_description!(
                    "[year]-[month]-[day]T[hour]:[minute]:[second]Z"
                ))
                .unwrap(),
            )
        };
        // Year 0 to 9999 and beyond, either side of each field's carry.
        let edges = [
            datetime!(0000-01-01 00:00:00 UTC),
            datetime!(0009-09-09 09:09:09 UTC),
            datetime!(1999-12-31 23:59:59 UTC),
            datetime!(2000-02-29 12:00:00 UTC),
            datetime!(9999-12-31 23:59:59.999 UTC),
            datetime!(-0001-06-15 00:00:00 UTC),
        ];
        let seconds = proptest::num::i64::ANY.prop_map(|s| {
            let s = s.rem_euclid(253_402_300_800 + 62_167_219_200 * 2) - 62_167_219_200 * 2;
            OffsetDateTime::from_unix_timestamp(s).unwrap()
        });
        // The digit writer itself answers for every year it can write, and only those.
        assert!(edges[..5].iter().all(|t| digits(*t, b"Y").is_some()));
        assert_eq!(digits(edges[5], b"Y"), None);
        for t in edges {
            assert_eq!(
                (date(t), iso8601_basic(t), iso8601_extended(t)),
                formatted(t),
                "{t}"
            );
        }
        proptest!(|(t in seconds)| {
            prop_assert_eq!((date(t), iso8601_basic(t), iso8601_extended(t)), formatted(t));
        });
    }

    #[test]
    fn converts_other_offsets_to_utc() {
        // 2019-02-26 01:00 in UTC+8 is still 2019-02-25 in UTC: the scope date must follow UTC.
        let t = datetime!(2019-02-26 01:00:00 +8);
        assert_eq!(date(t), "2019-02-25");
        assert_eq!(iso8601_basic(t), "20190225T170000Z");
    }
}
