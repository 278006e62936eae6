//! Tencent's VNC viewer page: the documented one, or any page given as a client setting.

use console_core::ViewerPage;

/// The page Tencent documents for opening an `InstanceVncUrl` (CVM and Lighthouse alike).
pub const VIEWER_PAGE: &str = "https://img.qcloud.com/qcloud/app/active_vnc/index.html";

/// The documented page as a [`ViewerPage`].
pub fn default_page() -> ViewerPage {
    ViewerPage::new(VIEWER_PAGE).expect("the documented page is a valid viewer page")
}

/// The viewer URL on the documented page: `InstanceVncUrl=` and the value as the API
/// returned it (it comes encoded once, ready to be a query value).
///
/// ```
/// assert_eq!(
///     console_tencent::viewer::url("wss%3A%2F%2Fbjvnc.qcloud.com%3A26789%2Fvnc%3Fs%3Dabc"),
///     "https://img.qcloud.com/qcloud/app/active_vnc/index.html?InstanceVncUrl=wss%3A%2F%2Fbjvnc.qcloud.com%3A26789%2Fvnc%3Fs%3Dabc"
/// );
/// ```
pub fn url(instance_vnc_url: &str) -> String {
    url_on(&default_page(), instance_vnc_url)
}

/// The viewer URL on `page`, a private or moved copy of the viewer taking the same parameter.
///
/// ```
/// use console_core::ViewerPage;
/// let page = ViewerPage::new("http://127.0.0.1:8080/tencent/index.html")?;
/// assert_eq!(
///     console_tencent::viewer::url_on(&page, "wss%3A%2F%2Fh%2Fvnc"),
///     "http://127.0.0.1:8080/tencent/index.html?InstanceVncUrl=wss%3A%2F%2Fh%2Fvnc"
/// );
/// # Ok::<(), console_core::Error>(())
/// ```
pub fn url_on(page: &ViewerPage, instance_vnc_url: &str) -> String {
    page.with_query_parts(&["InstanceVncUrl=", instance_vnc_url])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_page_or_the_one_given() {
        // The document's example.
        assert_eq!(
            url("wss%3A%2F%2Fbjvnc.qcloud.com%3A26789%2Fvnc%3Fs%3Dabc"),
            "https://img.qcloud.com/qcloud/app/active_vnc/index.html?InstanceVncUrl=wss%3A%2F%2Fbjvnc.qcloud.com%3A26789%2Fvnc%3Fs%3Dabc"
        );
        assert_eq!(default_page().as_str(), VIEWER_PAGE);
        let page = ViewerPage::new("http://127.0.0.1:9/t/?lang=en").unwrap();
        assert_eq!(
            url_on(&page, "wss%3A%2F%2Fh"),
            "http://127.0.0.1:9/t/?lang=en&InstanceVncUrl=wss%3A%2F%2Fh"
        );
    }
}
