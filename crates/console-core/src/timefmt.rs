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
    utc(t)
        .format(format_description!("[year]-[month]-[day]"))
        .expect("a UTC date always formats")
}

/// `20191115T033655Z`: ISO 8601 basic format (Huawei `X-Sdk-Date`).
pub fn iso8601_basic(t: OffsetDateTime) -> String {
    utc(t)
        .format(format_description!(
            "[year][month][day]T[hour][minute][second]Z"
        ))
        .expect("a UTC time always formats")
}

/// `2023-10-26T10:22:32Z`: ISO 8601 extended format, whole seconds (Alibaba `x-acs-date`).
pub fn iso8601_extended(t: OffsetDateTime) -> String {
    utc(t)
        .format(format_description!(
            "[year]-[month]-[day]T[hour]:[minute]:[second]Z"
        ))
        .expect("a UTC time always formats")
}

/// RFC 3339 with the fractional seconds the time has (what the CLI prints).
pub fn rfc3339(t: OffsetDateTime) -> String {
    utc(t).format(&Rfc3339).expect("a UTC time always formats")
}

#[cfg(test)]
mod tests {
    use super::*;
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
    fn converts_other_offsets_to_utc() {
        // 2019-02-26 01:00 in UTC+8 is still 2019-02-25 in UTC: the scope date must follow UTC.
        let t = datetime!(2019-02-26 01:00:00 +8);
        assert_eq!(date(t), "2019-02-25");
        assert_eq!(iso8601_basic(t), "20190225T170000Z");
    }
}
