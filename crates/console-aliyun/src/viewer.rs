//! Alibaba Cloud's VNC viewer page.

use console_core::encoding::encode_uri_component;
use console_core::Secret;

/// The page the document names for opening a `VncUrl`.
pub const VIEWER_PAGE: &str = "https://g.alicdn.com/aliyun/ecs-console-vnc2/0.0.8/index.html";

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
    let mut url = format!(
        "{VIEWER_PAGE}?vncUrl={vnc_url}&instanceId={}&isWindows={is_windows}",
        encode_uri_component(instance_id)
    );
    if let Some(p) = password {
        url.push_str("&password=");
        url.push_str(&encode_uri_component(p.expose()));
    }
    url
}
