//! A viewer page a console URL is handed to: a setting, because providers move their pages
//! (Alibaba's has moved at least twice) and private clouds host their own.

use std::fmt;

use crate::{Error, Result, Url};

/// The base URL of a viewer page, checked once: `http(s)`, with a host, no fragment. The
/// provider's parameters are appended to its query.
///
/// ```
/// use console_core::viewer::ViewerPage;
/// let page = ViewerPage::new("https://vnc.example.com/index.html")?;
/// assert_eq!(page.with_query("a=1"), "https://vnc.example.com/index.html?a=1");
/// let page = ViewerPage::new("https://vnc.example.com/index.html?theme=dark")?;
/// assert_eq!(page.with_query("a=1"), "https://vnc.example.com/index.html?theme=dark&a=1");
/// assert!(ViewerPage::new("javascript:alert(1)").is_err());
/// # Ok::<(), console_core::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ViewerPage(String);

impl ViewerPage {
    /// Checks `url`; a bad one is an `InvalidInput` naming `viewer_page`.
    pub fn new(url: impl Into<String>) -> Result<Self> {
        let url = url.into();
        let bad = |why: &str| Error::invalid_input("viewer_page", why.to_owned());
        if url.trim() != url || url.chars().any(char::is_control) {
            return Err(bad("has whitespace or control characters"));
        }
        let parsed = Url::parse(&url).map_err(|e| bad(&format!("is not a URL: {e}")))?;
        if !matches!(parsed.scheme(), "https" | "http") {
            return Err(bad("must be an http(s) URL"));
        }
        // The parser reads `https:///x` as host `x`; a page written so is a mistake.
        let after_scheme = &url[parsed.scheme().len()..];
        if parsed.host_str().is_none_or(str::is_empty) || after_scheme.starts_with(":///") {
            return Err(bad("has no host"));
        }
        if parsed.fragment().is_some() {
            return Err(bad(
                "must not have a fragment (the parameters go in the query)",
            ));
        }
        Ok(Self(url))
    }

    /// The page as given.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The page with `query` appended: after `?`, or after `&` when the page has a query.
    pub fn with_query(&self, query: &str) -> String {
        self.with_query_parts(&[query])
    }

    /// [`with_query`](Self::with_query) of the parts joined, written into one string: a
    /// provider's viewer URL is made on every call, and `format!` then a copy made it twice.
    ///
    /// ```
    /// use console_core::viewer::ViewerPage;
    /// let page = ViewerPage::new("https://viewer.example/?lang=en").unwrap();
    /// assert_eq!(page.with_query_parts(&["a=", "1", "&b=2"]), "https://viewer.example/?lang=en&a=1&b=2");
    /// ```
    pub fn with_query_parts(&self, parts: &[&str]) -> String {
        let sep = if self.0.contains('?') {
            if self.0.ends_with('?') || self.0.ends_with('&') {
                ""
            } else {
                "&"
            }
        } else {
            "?"
        };
        let len = parts.iter().map(|p| p.len()).sum::<usize>();
        let mut out = String::with_capacity(self.0.len() + sep.len() + len);
        out.push_str(&self.0);
        out.push_str(sep);
        for part in parts {
            out.push_str(part);
        }
        out
    }
}

impl fmt::Debug for ViewerPage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ViewerPage").field(&self.0).finish()
    }
}

impl fmt::Display for ViewerPage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    #[test]
    fn rejects_what_no_browser_should_open_naming_the_field() {
        for bad in [
            "",
            "g.alicdn.com/index.html",
            "javascript:alert(1)",
            "file:///etc/passwd",
            "ws://host/vnc",
            "https:///index.html",
            "https://host/index.html#x",
            " https://host/index.html",
            "https://host/in\ndex.html",
        ] {
            let e = ViewerPage::new(bad).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidInput, "{bad:?}");
            assert!(e.to_string().contains("viewer_page"), "{e}");
        }
    }

    #[test]
    fn parts_are_joined_into_one_string_of_their_size() {
        let page = ViewerPage::new("https://h/v.html?a=b").unwrap();
        let url = page.with_query_parts(&["k=", "v", "&x=", "y"]);
        assert_eq!(url, "https://h/v.html?a=b&k=v&x=y");
        assert_eq!(url.capacity(), url.len());
        assert_eq!(page.with_query_parts(&[]), "https://h/v.html?a=b&");
        assert_eq!(page.with_query_parts(&["k=v"]), "https://h/v.html?a=b&k=v");
    }

    #[test]
    fn appends_after_question_mark_or_ampersand() {
        let q = |p: &str| ViewerPage::new(p).unwrap().with_query("k=v");
        assert_eq!(
            q("http://127.0.0.1:8080/v.html"),
            "http://127.0.0.1:8080/v.html?k=v"
        );
        assert_eq!(q("https://h/v.html?"), "https://h/v.html?k=v");
        assert_eq!(q("https://h/v.html?a=b"), "https://h/v.html?a=b&k=v");
        assert_eq!(q("https://h/v.html?a=b&"), "https://h/v.html?a=b&k=v");
        assert_eq!(
            ViewerPage::new("https://h/").unwrap().as_str(),
            "https://h/"
        );
        assert_eq!(
            ViewerPage::new("https://h/").unwrap().to_string(),
            "https://h/"
        );
        assert_eq!(
            format!("{:?}", ViewerPage::new("https://h/").unwrap()),
            "ViewerPage(\"https://h/\")"
        );
    }
}
