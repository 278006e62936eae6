//! Huawei's console URL is itself the viewer: the noVNC page Huawei hosts (`vnc_auto.html`),
//! with its token in the query. It is used as returned.

use console_core::Url;

/// Whether `url` is usable as a viewer page: an absolute http(s) URL with a host.
///
/// ```
/// assert!(console_huawei::viewer::is_viewer_url(
///     "https://nova-novncproxy.az1.dc1.domainname.com:8002/vnc_auto.html?token=0fda3eca&lang=EN&tLength=70"));
/// assert!(!console_huawei::viewer::is_viewer_url("javascript:alert(1)"));
/// ```
pub fn is_viewer_url(url: &str) -> bool {
    Url::parse(url).is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some())
}

/// The URL in normal form, as a browser would read it, if it is usable as a viewer page.
///
/// ```
/// assert_eq!(
///     console_huawei::viewer::normalize("https:novnc.example/vnc_auto.html?token=t").as_deref(),
///     Some("https://novnc.example/vnc_auto.html?token=t")
/// );
/// ```
pub fn normalize(url: &str) -> Option<String> {
    Url::parse(url)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some())
        .map(String::from)
}
