//! Nova calls are authenticated with a Keystone token in `X-Auth-Token` (there is no request
//! signature in OpenStack); the header is marked sensitive where it is set.

use console_core::{HttpRequest, Secret};

/// Puts `token` in `X-Auth-Token`, marked sensitive.
///
/// ```
/// use console_core::{HttpRequest, Method, Url};
/// let mut req = HttpRequest::new(Method::GET, Url::parse("http://nova.example/v2.1").unwrap());
/// console_openstack::sign::authenticate(&mut req, &"gAAAA-token".into());
/// assert_eq!(req.header("X-Auth-Token"), Some("gAAAA-token"));
/// assert!(!format!("{req:?}").contains("gAAAA"));
/// ```
pub fn authenticate(request: &mut HttpRequest, token: &Secret) {
    request.set_sensitive_header("X-Auth-Token", token.expose().to_owned());
}
