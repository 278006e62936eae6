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
