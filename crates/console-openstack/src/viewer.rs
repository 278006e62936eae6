//! Nova's console URL is itself the page a person opens (noVNC's `vnc_auto.html` or
//! `vnc_lite.html`, spice-html5, WebMKS), used as returned; a serial console's is a websocket.

/// The URL in normal form, if it is an http(s) page.
///
/// ```
/// assert_eq!(
///     console_openstack::viewer::normalize("http://example.com:6080/vnc_auto.html?path=%3Ftoken%3Db60b").as_deref(),
///     Some("http://example.com:6080/vnc_auto.html?path=%3Ftoken%3Db60b")
/// );
/// ```
pub fn normalize(url: &str) -> Option<String> {
    console_nova::response::normalize_page(url)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_page_is_normalised_and_anything_else_is_not_a_page() {
        assert_eq!(
            super::normalize("HTTPS://Novnc.Example:443/vnc_auto.html?token=t").as_deref(),
            Some("https://novnc.example/vnc_auto.html?token=t")
        );
        assert_eq!(super::normalize("ws://h/?token=t"), None);
        assert_eq!(super::normalize("not a url"), None);
    }
}
