//! Alibaba Cloud's VNC viewer page.

use console_core::encoding::encode_uri_component;
use console_core::{Secret, ViewerPage};

/// The page the document names for opening a `VncUrl`.
pub const VIEWER_PAGE: &str = "https://g.alicdn.com/aliyun/ecs-console-vnc2/0.0.8/index.html";

/// The documented page as a [`ViewerPage`].
pub fn default_page() -> ViewerPage {
    ViewerPage::new(VIEWER_PAGE).expect("the documented page is a valid viewer page")
}

/// The viewer URL: `vncUrl` as the API returned it (already encoded, its inner `%252F` kept),
/// `instanceId`, `isWindows`, and the optional six-character `password`.
///
/// ```
/// use console_aliyun::viewer;
/// // The document's two examples.
/// assert_eq!(
///     viewer::url("ws%3A%2F%xxx", "i-wz9hhwq5a6tmxxxxxxx", true, None),
///     "https://g.alicdn.com/aliyun/ecs-console-vnc2/0.0.8/index.html?vncUrl=ws%3A%2F%xxx&instanceId=i-wz9hhwq5a6tmxxxxxxx&isWindows=true"
/// );
/// assert_eq!(
///     viewer::url("ws%3A%2F%xxx", "i-wz9hhwq5a6tmxxxxxxx", true, Some(&"111111".into())),
///     "https://g.alicdn.com/aliyun/ecs-console-vnc2/0.0.8/index.html?vncUrl=ws%3A%2F%xxx&instanceId=i-wz9hhwq5a6tmxxxxxxx&isWindows=true&password=111111"
/// );
/// ```
pub fn url(
    vnc_url: &str,
    instance_id: &str,
    is_windows: bool,
    password: Option<&Secret>,
) -> String {
    url_on(&default_page(), vnc_url, instance_id, is_windows, password)
}

/// The viewer URL on `page`: a moved or private (Apsara Stack) copy of the viewer taking the
/// same parameters.
///
/// ```
/// use console_core::ViewerPage;
/// let page = ViewerPage::new("https://vnc.apsara.example/ecs/index.html")?;
/// assert_eq!(
///     console_aliyun::viewer::url_on(&page, "ws%3A%2F%2Fh", "i-1", false, None),
///     "https://vnc.apsara.example/ecs/index.html?vncUrl=ws%3A%2F%2Fh&instanceId=i-1&isWindows=false"
/// );
/// # Ok::<(), console_core::Error>(())
/// ```
pub fn url_on(
    page: &ViewerPage,
    vnc_url: &str,
    instance_id: &str,
    is_windows: bool,
    password: Option<&Secret>,
) -> String {
    let instance_id = encode_uri_component(instance_id);
    let is_windows = if is_windows { "true" } else { "false" };
    let password = password.map(|p| encode_uri_component(p.expose()));
    let parts = [
        "vncUrl=",
        vnc_url,
        "&instanceId=",
        &instance_id,
        "&isWindows=",
        is_windows,
        "&password=",
        password.as_deref().unwrap_or(""),
    ];
    // The last pair only with a password.
    let n = if password.is_some() { 8 } else { 6 };
    page.with_query_parts(&parts[..n])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_page_with_its_four_parameters() {
        // The document's two examples.
        assert_eq!(
            url("ws%3A%2F%xxx", "i-wz9hhwq5a6tmxxxxxxx", true, None),
            "https://g.alicdn.com/aliyun/ecs-console-vnc2/0.0.8/index.html?vncUrl=ws%3A%2F%xxx&instanceId=i-wz9hhwq5a6tmxxxxxxx&isWindows=true"
        );
        assert_eq!(
            url("ws%3A%2F%xxx", "i-wz9hhwq5a6tmxxxxxxx", false, Some(&"111111".into())),
            "https://g.alicdn.com/aliyun/ecs-console-vnc2/0.0.8/index.html?vncUrl=ws%3A%2F%xxx&instanceId=i-wz9hhwq5a6tmxxxxxxx&isWindows=false&password=111111"
        );
        assert_eq!(default_page().as_str(), VIEWER_PAGE);
        // An id that needs encoding is encoded; so is a password.
        let page = ViewerPage::new("http://127.0.0.1:9/v?x=1").unwrap();
        assert_eq!(
            url_on(&page, "ws%3A", "i-1 2", true, Some(&"a&b".into())),
            "http://127.0.0.1:9/v?x=1&vncUrl=ws%3A&instanceId=i-1%202&isWindows=true&password=a%26b"
        );
    }
}
