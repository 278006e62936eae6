//! The compute API's version document (`GET` of its root or of `/v2.1`): the microversion
//! range a deployment serves.

use console_core::{Error, Result};
use serde_json::Value;

use crate::Microversion;

/// The microversions a deployment serves: `min..=max`, or none (a server that predates
/// microversions speaks 2.1 and takes no header).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Range {
    /// `min_version`.
    pub min: Microversion,
    /// `version`.
    pub max: Microversion,
}

/// Reads the range from a version document: `{"version": {...}}` or `{"versions": [...]}`
/// (the `v2.1` entry, else the `CURRENT` one); `Ok(None)` when the deployment announces no
/// microversions (`"version": ""`).
///
/// ```
/// use console_nova::{versions, Microversion};
/// let doc = serde_json::json!({"version": {"id": "v2.1", "status": "CURRENT", "version": "2.96", "min_version": "2.1"}});
/// let r = versions::parse(200, &doc).unwrap().unwrap();
/// assert_eq!((r.min, r.max), (Microversion::new(2, 1), Microversion::new(2, 96)));
/// ```
pub fn parse(status: u16, document: &Value) -> Result<Option<Range>> {
    let bad = |why: &str| {
        Error::invalid_response(status, format!("compute version document: {why}"), &[])
    };
    let entry = match (document.get("version"), document.get("versions")) {
        (Some(v), _) if v.is_object() => v,
        (_, Some(Value::Array(list))) => list
            .iter()
            .find(|v| v.get("id").and_then(Value::as_str) == Some("v2.1"))
            .or_else(|| {
                list.iter()
                    .find(|v| v.get("status").and_then(Value::as_str) == Some("CURRENT"))
            })
            .ok_or_else(|| bad("no v2.1 or CURRENT version listed"))?,
        _ => return Err(bad("neither `version` nor `versions`")),
    };
    let field = |k: &str| entry.get(k).and_then(Value::as_str).unwrap_or("");
    let (max, min) = (field("version"), field("min_version"));
    if max.is_empty() {
        return Ok(None);
    }
    let parse = |s: &str| {
        s.parse::<Microversion>()
            .map_err(|_| bad("a version is not 2.N"))
    };
    let max = parse(max)?;
    let min = if min.is_empty() {
        Microversion::BASE
    } else {
        parse(min)?
    };
    if min > max {
        return Err(bad("min_version is above version"));
    }
    Ok(Some(Range { min, max }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use console_core::error::ErrorKind;
    use serde_json::json;

    #[test]
    fn both_document_shapes_and_servers_without_microversions() {
        let list = json!({"versions": [
            {"id": "v2.0", "status": "SUPPORTED", "version": "", "min_version": ""},
            {"id": "v2.1", "status": "CURRENT", "version": "2.99", "min_version": "2.1"}]});
        let r = parse(200, &list).unwrap().unwrap();
        assert_eq!(
            (r.min.to_string(), r.max.to_string()),
            ("2.1".into(), "2.99".into())
        );
        let current_only = json!({"versions": [{"id": "v2.2x", "status": "CURRENT", "version": "2.60", "min_version": "2.10"}]});
        let r = parse(200, &current_only).unwrap().unwrap();
        assert_eq!(
            (r.min, r.max),
            (Microversion::new(2, 10), Microversion::new(2, 60))
        );
        let old = json!({"version": {"id": "v2.0", "status": "CURRENT", "version": "", "min_version": ""}});
        assert_eq!(parse(200, &old).unwrap(), None);
        // A `version` that is not an object does not hide the list.
        let mixed = json!({"version": "v2.1", "versions": [{"id": "v2.1", "version": "2.9", "min_version": "2.9"}]});
        let r = parse(200, &mixed).unwrap().unwrap();
        assert_eq!(
            (r.min, r.max),
            (Microversion::new(2, 9), Microversion::new(2, 9))
        );
        let no_min = json!({"version": {"id": "v2.1", "version": "2.5"}});
        assert_eq!(
            parse(200, &no_min).unwrap().unwrap().min,
            Microversion::BASE
        );
    }

    #[test]
    fn a_malformed_document_is_an_invalid_response() {
        for doc in [
            json!({}),
            json!({"versions": []}),
            json!({"versions": [{"id": "v3", "status": "SUPPORTED"}]}),
            json!({"version": {"version": "two"}}),
            json!({"version": {"version": "2.5", "min_version": "2.9"}}),
        ] {
            let e = parse(300, &doc).unwrap_err();
            assert_eq!(
                (e.kind(), e.http_status()),
                (ErrorKind::InvalidResponse, Some(300)),
                "{doc}"
            );
        }
    }
}
