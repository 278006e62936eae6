//! Huawei's console URL is itself the viewer: the noVNC page Huawei hosts (`vnc_auto.html`),
//! with its token in the query. It is used as returned.

/// The URL in normal form, as a browser would read it, if it is usable as a viewer page.
///
/// ```
/// assert_eq!(
///     console_huawei::viewer::normalize("https:novnc.example/vnc_auto.html?token=t").as_deref(),
///     Some("https://novnc.example/vnc_auto.html?token=t")
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
