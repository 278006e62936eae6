//! The two noVNC websocket URLs the document builds from the VNC information.
//!
//! Open either with noVNC (`new RFB(element, url)`) or react-vnc (`<VncScreen url={url} />`).

use std::borrow::Cow;

use console_core::encoding::push_uri_component;
use console_core::http::authority_str;
use console_core::Url;

use crate::response::{VncFields, VncInfo};

fn ws_scheme(secure: bool) -> &'static str {
    if secure {
        "wss"
    } else {
        "ws"
    }
}

fn host_for_url(host: &str) -> Cow<'_, str> {
    // An IPv6 address needs brackets in a URL.
    if host.contains(':') && !host.starts_with('[') {
        Cow::Owned(format!("[{host}]"))
    } else {
        Cow::Borrowed(host)
    }
}

/// Straight to the cluster: `wss://{cluster_ip}/websockify/?uuid={vm_uuid}&token={raw_token}&host={host_ip}`
/// (`ws://` when `secure` is false).
///
/// ```
/// use console_smartx::{viewer, VncInfo};
/// let info = VncInfo::new("1a2bc3d4567e89f0a1b2c3d4e5f6a7b8", "MTIzNDU2Nzg5YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXo=",
///     "00000000-0000-0000-0000-000000000000", "192.168.5.2", "192.168.5.4");
/// assert_eq!(viewer::direct_url(&info, true),
///     "wss://192.168.5.2/websockify/?uuid=00000000-0000-0000-0000-000000000000&token=1a2bc3d4567e89f0a1b2c3d4e5f6a7b8&host=192.168.5.4");
/// ```
pub fn direct_url(info: &VncInfo, secure: bool) -> String {
    direct_url_of(&info.fields(), secure)
}

/// [`direct_url`] of borrowed fields.
pub(crate) fn direct_url_of(info: &VncFields<'_>, secure: bool) -> String {
    let mut url = with_room(&[info.cluster_ip, info.vm_uuid, info.raw_token, info.host_ip]);
    url.push_str(ws_scheme(secure));
    url.push_str("://");
    url.push_str(&host_for_url(info.cluster_ip));
    url.push_str("/websockify/?uuid=");
    push_uri_component(&mut url, info.vm_uuid);
    url.push_str("&token=");
    push_uri_component(&mut url, info.raw_token);
    url.push_str("&host=");
    push_uri_component(&mut url, info.host_ip);
    url
}

/// An empty URL with room for the fixed parts and `values`, each as if fully encoded: the
/// URL is put together in one allocation.
fn with_room(values: &[&str]) -> String {
    String::with_capacity(64 + values.iter().map(|v| 3 * v.len()).sum::<usize>())
}

/// Through CloudTower at `cloudtower` (its scheme picks `wss://` or `ws://`; its host, port and
/// any path prefix a reverse proxy mounts it under are kept): `wss://{cloudtower}/websockify/?token={encodeURIComponent(token)}&uuid={vm_uuid}&host={host_ip}`.
///
/// ```
/// use console_core::Url;
/// use console_smartx::{viewer, VncInfo};
/// let info = VncInfo::new("1a2bc3d4567e89f0a1b2c3d4e5f6a7b8", "MTIzNDU2Nzg5YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXo=",
///     "00000000-0000-0000-0000-000000000000", "192.168.5.2", "192.168.5.4");
/// assert_eq!(viewer::proxied_url(&info, &Url::parse("https://192.168.5.1").unwrap()),
///     "wss://192.168.5.1/websockify/?token=MTIzNDU2Nzg5YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXo%3D&uuid=00000000-0000-0000-0000-000000000000&host=192.168.5.4");
/// ```
pub fn proxied_url(info: &VncInfo, cloudtower: &Url) -> String {
    proxied_url_of(&info.fields(), cloudtower)
}

/// [`proxied_url`] of borrowed fields.
pub(crate) fn proxied_url_of(info: &VncFields<'_>, cloudtower: &Url) -> String {
    let (authority, path) = (authority_str(cloudtower), cloudtower.path());
    let token = info.token;
    let mut url = with_room(&[authority, path, token, info.vm_uuid, info.host_ip]);
    url.push_str(ws_scheme(cloudtower.scheme() == "https"));
    url.push_str("://");
    url.push_str(authority);
    url.push_str(path.trim_end_matches('/'));
    url.push_str("/websockify/?token=");
    push_uri_component(&mut url, token);
    url.push_str("&uuid=");
    push_uri_component(&mut url, info.vm_uuid);
    url.push_str("&host=");
    push_uri_component(&mut url, info.host_ip);
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info() -> VncInfo {
        VncInfo::new("raw", "a/b+c=", "uuid", "fe80::1", "10.0.0.4")
    }

    #[test]
    fn plain_http_gives_ws_and_ports_are_kept() {
        let url = proxied_url(&info(), &Url::parse("http://tower.local:8080/").unwrap());
        assert_eq!(
            url,
            "ws://tower.local:8080/websockify/?token=a%2Fb%2Bc%3D&uuid=uuid&host=10.0.0.4"
        );
    }

    #[test]
    fn a_path_prefix_of_cloudtower_is_kept() {
        let url = proxied_url(&info(), &Url::parse("https://gw.example/tower/").unwrap());
        assert!(
            url.starts_with("wss://gw.example/tower/websockify/?token="),
            "{url}"
        );
    }

    /// Put together piece by piece, the URLs are what the document's formula gives (as
    /// `format!` wrote them), whatever the values hold.
    #[test]
    fn the_urls_are_the_document_s_formula() {
        use console_core::encoding::encode_uri_component as e;
        for (v, base) in [
            (
                ["r a", "t/+=", "u&x", "10.0.0.1", "h?"],
                "https://tower:8443/p/",
            ),
            (["", "", "", "fe80::1", ""], "http://tower"),
            (
                ["\u{e9}", "%", "#", "h.example", "\u{1f600}"],
                "https://[::1]/",
            ),
        ] {
            let info = VncInfo::new(v[0], v[1], v[2], v[3], v[4]);
            let base = Url::parse(base).unwrap();
            let secure = base.scheme() == "https";
            assert_eq!(
                proxied_url(&info, &base),
                format!(
                    "{}://{}{}/websockify/?token={}&uuid={}&host={}",
                    ws_scheme(secure),
                    console_core::http::authority(&base),
                    base.path().trim_end_matches('/'),
                    e(v[1]),
                    e(v[2]),
                    e(v[4])
                )
            );
            assert_eq!(
                direct_url(&info, secure),
                format!(
                    "{}://{}/websockify/?uuid={}&token={}&host={}",
                    ws_scheme(secure),
                    host_for_url(v[3]),
                    e(v[2]),
                    e(v[0]),
                    e(v[4])
                )
            );
        }
    }

    #[test]
    fn the_url_is_sized_for_its_values_encoded() {
        assert!(with_room(&["abc", "de"]).capacity() >= 64 + 15);
    }

    #[test]
    fn ipv6_cluster_addresses_are_bracketed() {
        assert!(direct_url(&info(), false).starts_with("ws://[fe80::1]/websockify/"));
    }
}
