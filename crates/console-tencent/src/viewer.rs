//! Tencent's VNC viewer page.

/// The page Tencent documents for opening an `InstanceVncUrl`.
pub const VIEWER_PAGE: &str = "https://img.qcloud.com/qcloud/app/active_vnc/index.html";

/// The viewer URL: the page with `InstanceVncUrl=` and the value as the API returned it (it
/// comes encoded once, ready to be a query value).
///
/// ```
/// assert_eq!(
///     console_tencent::viewer::url("wss%3A%2F%2Fbjvnc.qcloud.com%3A26789%2Fvnc%3Fs%3Dabc"),
///     "https://img.qcloud.com/qcloud/app/active_vnc/index.html?InstanceVncUrl=wss%3A%2F%2Fbjvnc.qcloud.com%3A26789%2Fvnc%3Fs%3Dabc"
/// );
/// ```
pub fn url(instance_vnc_url: &str) -> String {
    format!("{VIEWER_PAGE}?InstanceVncUrl={instance_vnc_url}")
}
