//! CloudTower has no request signing: every request after login carries the token itself as
//! `Authorization` (the bare token, no `Bearer` prefix).

use console_core::{HttpRequest, Secret};

/// Adds the token to `request`, marked sensitive so `Debug` never prints it.
///
/// ```
/// use console_core::{HttpRequest, Method, Secret, Url};
/// let mut req = HttpRequest::new(Method::POST, Url::parse("https://tower/api").unwrap());
/// console_smartx::sign::authorize(&mut req, &Secret::new("tok"));
/// assert_eq!(req.header("Authorization"), Some("tok"));
/// assert!(!format!("{req:?}").contains("tok"));
/// ```
pub fn authorize(request: &mut HttpRequest, token: &Secret) {
    request.set_sensitive_header("Authorization", token.expose().to_owned());
}
