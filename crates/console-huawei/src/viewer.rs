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
