//! Input checks every provider makes before it sends anything. Each failure is an
//! [`Error::InvalidInput`] naming the field.

use url::Url;

use crate::error::{Error, Result};

/// The longest id any of the providers issues is well under this; longer input is a mistake.
const MAX_ID_LEN: usize = 256;

/// Characters that reorder or hide text (bidi controls, zero-width marks): an id holding one
/// reads differently from what is sent.
fn is_format_control(c: char) -> bool {
    matches!(c,
        '\u{061C}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

/// An id that goes into a request (instance, server, project, VM): not empty, not `.` or `..`
/// (a path would resolve them), no `/`, no whitespace, control or bidi characters, at most 256
/// bytes.
///
/// ```
/// use console_core::validate::resource_id;
/// assert!(resource_id("instance_id", "ins-r9hr2upy").is_ok());
/// let err = resource_id("instance_id", "ins/../x").unwrap_err();
/// assert_eq!(err.to_string(), "invalid input: instance_id: must not contain '/'");
/// assert!(resource_id("instance_id", "..").is_err());
/// assert!(resource_id("instance_id", "ins-\u{202E}1").is_err());
/// ```
pub fn resource_id(field: &'static str, value: &str) -> Result<()> {
    if value.is_empty() {
        return Err(Error::invalid_input(field, "must not be empty"));
    }
    if value == "." || value == ".." {
        return Err(Error::invalid_input(
            field,
            "must not be a dot segment ('.' or '..')",
        ));
    }
    if value.len() > MAX_ID_LEN {
        return Err(Error::invalid_input(
            field,
            format!("must be at most {MAX_ID_LEN} bytes"),
        ));
    }
    if value.contains('/') {
        return Err(Error::invalid_input(field, "must not contain '/'"));
    }
    if value.chars().any(char::is_whitespace) {
        return Err(Error::invalid_input(field, "must not contain whitespace"));
    }
    if value
        .chars()
        .any(|c| c.is_control() || is_format_control(c))
    {
        return Err(Error::invalid_input(
            field,
            "must not contain control or bidi characters",
        ));
    }
    Ok(())
}

/// A credential value that goes on the wire (a key, a session or login token): not empty or
/// whitespace only, and no control characters (a CR or LF would split the header it goes in).
/// `field` is what the caller knows it by: the environment variable it came from, or the
/// parameter's name.
///
/// ```
/// use console_core::validate::credential;
/// assert!(credential("TENCENTCLOUD_SESSION_TOKEN", "tok-123").is_ok());
/// let e = credential("TENCENTCLOUD_SESSION_TOKEN", "tok\r\nX-Evil: 1").unwrap_err();
/// assert!(e.to_string().starts_with("invalid input: TENCENTCLOUD_SESSION_TOKEN:"));
/// assert!(credential("secret_key", "   ").is_err());
/// ```
pub fn credential(field: &'static str, value: &str) -> Result<()> {
    if value.trim().is_empty() {
        return Err(Error::invalid_input(
            field,
            "must not be empty or only whitespace",
        ));
    }
    if value
        .chars()
        .any(|c| c.is_control() || is_format_control(c))
    {
        return Err(Error::invalid_input(
            field,
            "must not contain control characters (CR, LF, ...)",
        ));
    }
    Ok(())
}

/// An id checked by [`resource_id`]: inner code that takes one cannot receive an unchecked
/// value.
///
/// ```
/// use console_core::validate::ResourceId;
/// let id = ResourceId::new("instance_id", "ins-r9hr2upy").unwrap();
/// assert_eq!(id.as_str(), "ins-r9hr2upy");
/// assert!(ResourceId::new("instance_id", "a b").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ResourceId(String);

impl ResourceId {
    /// Checks `value` as the id named `field`.
    pub fn new(field: &'static str, value: impl Into<String>) -> Result<Self> {
        let value = value.into();
        resource_id(field, &value)?;
        Ok(Self(value))
    }

    /// The id.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for ResourceId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A region checked by [`region`].
///
/// ```
/// use console_core::validate::Region;
/// assert_eq!(Region::new("ap-beijing").unwrap().as_str(), "ap-beijing");
/// assert!(Region::new("AP_Beijing").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Region(String);

impl Region {
    /// Checks `value` as a region.
    pub fn new(value: impl Into<String>) -> Result<Self> {
        let value = value.into();
        region(&value)?;
        Ok(Self(value))
    }

    /// The region.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Region {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A region id: `[a-z0-9-]+`, at most 64 bytes.
///
/// ```
/// use console_core::validate::region;
/// assert!(region("ap-beijing").is_ok());
/// assert!(region("AP_Beijing").is_err());
/// ```
pub fn region(value: &str) -> Result<()> {
    if value.is_empty() {
        return Err(Error::invalid_input("region", "must not be empty"));
    }
    if value.len() > 64 {
        return Err(Error::invalid_input("region", "must be at most 64 bytes"));
    }
    if !value
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err(Error::invalid_input(
            "region",
            "must match [a-z0-9-]+ (lowercase letters, digits and '-')",
        ));
    }
    Ok(())
}

/// An endpoint: an absolute `http` or `https` URL with a host and no query or fragment.
/// A path prefix is kept (a gateway may mount the API under one).
///
/// ```
/// use console_core::validate::endpoint;
/// assert_eq!(endpoint("endpoint", "https://cvm.tencentcloudapi.com").unwrap().as_str(),
///            "https://cvm.tencentcloudapi.com/");
/// assert!(endpoint("endpoint", "ftp://example.com").is_err());
/// ```
pub fn endpoint(field: &'static str, value: &str) -> Result<Url> {
    // The URL parser would quietly trim these; a value that needs trimming is a mistake.
    if value.trim() != value
        || value
            .chars()
            .any(|c| c.is_control() || is_format_control(c))
    {
        return Err(Error::invalid_input(
            field,
            "must not have surrounding whitespace or control characters",
        ));
    }
    let url = Url::parse(value)
        .map_err(|e| Error::invalid_input(field, format!("not an absolute URL ({e})")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(Error::invalid_input(
            field,
            format!("scheme must be http or https, not {:?}", url.scheme()),
        ));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(Error::invalid_input(field, "must have a host"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::invalid_input(
            field,
            "must not have a query or fragment",
        ));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::invalid_input(
            field,
            "must not carry credentials; use the credentials type",
        ));
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field_of(e: Error) -> &'static str {
        match e {
            Error::InvalidInput { field, .. } => field,
            other => panic!("expected InvalidInput, got {other:?}"),
        }
    }

    #[test]
    fn resource_ids() {
        for bad in ["", "a b", "a\tb", "a/b", "a\u{7}b", "a\nb"] {
            assert_eq!(
                field_of(resource_id("server_id", bad).unwrap_err()),
                "server_id",
                "{bad:?}"
            );
        }
        assert!(resource_id("x", &"a".repeat(257)).is_err());
        assert!(resource_id("x", "47bc79ae-df61-4ade-9197-283a74e5d70e").is_ok());
        assert!(resource_id("x", "i-bp1hzoinajzkh91h****").is_ok());
    }

    #[test]
    fn regions() {
        for bad in [
            "",
            "Cn-hangzhou",
            "cn_hangzhou",
            "cn hangzhou",
            "cn-hangzhou/",
            "é",
        ] {
            assert_eq!(field_of(region(bad).unwrap_err()), "region", "{bad:?}");
        }
        assert!(region("cn-north-4").is_ok());
    }

    #[test]
    fn endpoints() {
        for bad in [
            "",
            "example.com",
            "ftp://example.com",
            "file:///etc/passwd",
            "https://example.com/?a=1",
            "https://user:pw@example.com",
            "https://example.com/#x",
        ] {
            assert_eq!(
                field_of(endpoint("endpoint", bad).unwrap_err()),
                "endpoint",
                "{bad:?}"
            );
        }
        assert_eq!(
            endpoint("endpoint", "http://127.0.0.1:8080/prefix")
                .unwrap()
                .path(),
            "/prefix"
        );
    }

    #[test]
    fn ids_refuse_dot_segments_and_hidden_characters_and_keep_their_value() {
        for bad in [
            ".",
            "..",
            "a\u{200B}b",
            "\u{202E}ab",
            "a\u{FEFF}",
            "a\u{2066}b",
        ] {
            assert_eq!(
                field_of(resource_id("vm_id", bad).unwrap_err()),
                "vm_id",
                "{bad:?}"
            );
        }
        for ok in ["...", ".a", "a.", "a..b"] {
            assert!(resource_id("vm_id", ok).is_ok(), "{ok:?}");
        }
        assert!(resource_id("x", &"a".repeat(MAX_ID_LEN)).is_ok());
        let id = ResourceId::new("x", "ins-1").unwrap();
        assert_eq!(id.as_str(), "ins-1");
        assert_eq!(id.to_string(), "ins-1");
        assert!(ResourceId::new("x", "a/b").is_err());
    }

    #[test]
    fn regions_are_at_most_64_bytes_and_keep_their_value() {
        assert!(region(&"a".repeat(64)).is_ok());
        assert_eq!(field_of(region(&"a".repeat(65)).unwrap_err()), "region");
        let r = Region::new("eu-west-101").unwrap();
        assert_eq!(r.as_str(), "eu-west-101");
        assert_eq!(r.to_string(), "eu-west-101");
        assert!(Region::new("EU").is_err());
    }

    #[test]
    fn credentials_refuse_blank_control_and_bidi_values() {
        for bad in [
            "",
            "   ",
            "tok\r\nX-Evil: 1",
            "tok\u{7}",
            "tok\u{202E}x",
            "\u{200B}",
        ] {
            assert_eq!(
                field_of(credential("TOKEN", bad).unwrap_err()),
                "TOKEN",
                "{bad:?}"
            );
        }
        assert!(credential("TOKEN", "tok-123 with spaces").is_ok());
    }

    #[test]
    fn endpoints_refuse_what_the_parser_would_quietly_fix() {
        for bad in [
            " https://example.com",
            "https://example.com/\u{7}",
            "https://example.com/\u{200B}",
            "https://user@example.com",
            "https://:pw@example.com",
        ] {
            assert_eq!(
                field_of(endpoint("iam_endpoint", bad).unwrap_err()),
                "iam_endpoint",
                "{bad:?}"
            );
        }
    }
}
