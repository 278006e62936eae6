//! Keystone v3 `POST /v3/auth/tokens` (pure): the request for each method, and the answer read
//! into a token with its expiry, project and service catalog.

use std::fmt;

use console_core::time::OffsetDateTime;
use console_core::{
    Error, HttpRequest, HttpResponse, Method as HttpMethod, Provider, ProviderError, Result,
    Secret, Url,
};
use serde_json::{json, Value};
use time::format_description::well_known::Rfc3339;

use crate::credentials::{Credentials, Interface, Method, Named};

/// A Keystone token: its value (a secret), when it expires, the project it is scoped to and
/// the catalog it came with.
#[derive(Clone)]
pub struct Token {
    /// `X-Subject-Token`.
    pub value: Secret,
    /// `token.expires_at`.
    pub expires_at: OffsetDateTime,
    /// `token.project.id`, for a project-scoped token.
    pub project_id: Option<String>,
    /// `token.catalog`.
    pub catalog: Vec<Service>,
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Token")
            .field("value", &self.value)
            .field("expires_at", &self.expires_at)
            .field("project_id", &self.project_id)
            .field("services", &self.catalog.len())
            .finish()
    }
}

/// One service of the catalog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Service {
    /// `type` (`compute`, `identity`, ...).
    pub kind: String,
    /// Its endpoints.
    pub endpoints: Vec<Endpoint>,
}

/// One endpoint of a service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// `interface`.
    pub interface: String,
    /// `region_id` (or `region`).
    pub region: Option<String>,
    /// `url`.
    pub url: String,
}

/// `{auth_url}/v3/auth/tokens`, or `{auth_url}/auth/tokens` when the URL already ends in
/// `/v3` (as `OS_AUTH_URL` often does).
///
/// ```
/// use console_core::Url;
/// use console_openstack::keystone::tokens_url;
/// assert_eq!(tokens_url(&Url::parse("https://k:5000").unwrap()).as_str(), "https://k:5000/v3/auth/tokens");
/// assert_eq!(tokens_url(&Url::parse("https://k/identity/v3/").unwrap()).as_str(), "https://k/identity/v3/auth/tokens");
/// ```
pub fn tokens_url(auth_url: &Url) -> Url {
    let mut url = auth_url.clone();
    let base = url.path().trim_end_matches('/').to_owned();
    let path = if base.ends_with("/v3") {
        format!("{base}/auth/tokens")
    } else {
        format!("{base}/v3/auth/tokens")
    };
    url.set_path(&path);
    url.set_query(None);
    url
}

/// The request body for `credentials` (the secret is in it: `HttpRequest`'s `Debug` never
/// shows a body).
fn body(credentials: &Credentials) -> Value {
    let identity = match credentials.method() {
        Method::Password { user, password } => {
            let mut user = user.to_json();
            user["password"] = Value::String(password.expose().to_owned());
            json!({"methods": ["password"], "password": {"user": user}})
        }
        Method::ApplicationCredential { credential, secret } => {
            let inner = match credential {
                Named::Id(id) => json!({"id": id, "secret": secret.expose()}),
                Named::Name { name, domain } => {
                    let mut c = json!({"name": name, "secret": secret.expose()});
                    if let Some(user) = domain {
                        c["user"] = user.to_json();
                    }
                    c
                }
            };
            json!({"methods": ["application_credential"], "application_credential": inner})
        }
        Method::Token { token } => {
            json!({"methods": ["token"], "token": {"id": token.expose()}})
        }
    };
    let mut auth = json!({ "identity": identity });
    if let Some(project) = credentials.project_scope() {
        auth["scope"] = json!({ "project": project.to_json() });
    }
    json!({ "auth": auth })
}

/// The unsigned `POST .../auth/tokens` for `credentials`.
pub fn build(credentials: &Credentials) -> HttpRequest {
    let mut request = HttpRequest::new(HttpMethod::POST, tokens_url(credentials.auth_url()));
    request.set_header("Content-Type", "application/json");
    request.body = serde_json::to_vec(&body(credentials)).expect("a JSON object serialises");
    request
}

fn keystone_error(provider: Provider, response: &HttpResponse) -> Error {
    let status = response.status;
    let body: Value = serde_json::from_slice(&response.body).unwrap_or(Value::Null);
    let err = body.get("error");
    let s = |k: &str| err.and_then(|e| e.get(k)).and_then(Value::as_str);
    let Some(title) = s("title") else {
        return Error::invalid_response(
            status,
            "Keystone error without an error envelope",
            &response.body,
        );
    };
    let rid = response.header("x-openstack-request-id").map(str::to_owned);
    let detail = ProviderError::new(provider, status, title, s("message").unwrap_or(""), rid);
    match status {
        401 | 403 => Error::Auth(detail),
        404 => Error::NotFound(detail),
        429 => Error::Throttled(detail),
        s if s >= 500 => Error::Provider(detail.retryable(true)),
        _ => Error::Provider(detail),
    }
}

/// Reads Keystone's answer: 201 with `X-Subject-Token` and `{"token": {...}}`.
pub fn parse(provider: Provider, response: &HttpResponse) -> Result<Token> {
    let status = response.status;
    if !response.is_success() {
        return Err(keystone_error(provider, response));
    }
    let value = response
        .header("x-subject-token")
        .filter(|t| !t.is_empty())
        .ok_or_else(|| {
            Error::invalid_response(status, "no X-Subject-Token in Keystone's answer", &[])
        })?;
    let body = response.json()?;
    let token = body
        .get("token")
        .filter(|t| t.is_object())
        .ok_or_else(|| Error::invalid_response(status, "no `token` in Keystone's answer", &[]))?;
    let expires_at = token
        .get("expires_at")
        .and_then(Value::as_str)
        .and_then(|s| OffsetDateTime::parse(s, &Rfc3339).ok())
        .ok_or_else(|| Error::invalid_response(status, "no readable `token.expires_at`", &[]))?;
    let project_id = token
        .pointer("/project/id")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let catalog = token
        .get("catalog")
        .and_then(Value::as_array)
        .map(|services| {
            services
                .iter()
                .map(|s| Service {
                    kind: s
                        .get("type")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_owned(),
                    endpoints: s
                        .get("endpoints")
                        .and_then(Value::as_array)
                        .map(|eps| {
                            eps.iter()
                                .filter_map(|e| {
                                    Some(Endpoint {
                                        interface: e.get("interface")?.as_str()?.to_owned(),
                                        region: e
                                            .get("region_id")
                                            .or_else(|| e.get("region"))
                                            .and_then(Value::as_str)
                                            .map(str::to_owned),
                                        url: e.get("url")?.as_str()?.to_owned(),
                                    })
                                })
                                .collect()
                        })
                        .unwrap_or_default(),
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(Token {
        value: Secret::new(value.to_owned()),
        expires_at,
        project_id,
        catalog,
    })
}

/// The catalog's endpoint of `service_type` on `interface` in `region` (any region when
/// `None`); a missing one is an `InvalidInput` that says what the catalog has.
pub fn endpoint(
    catalog: &[Service],
    service_type: &str,
    interface: Interface,
    region: Option<&str>,
) -> Result<Url> {
    let endpoints: Vec<&Endpoint> = catalog
        .iter()
        .filter(|s| s.kind == service_type)
        .flat_map(|s| &s.endpoints)
        .collect();
    let found = endpoints.iter().find(|e| {
        e.interface == interface.name() && region.is_none_or(|r| e.region.as_deref() == Some(r))
    });
    match found {
        Some(e) => Url::parse(&e.url).map_err(|err| {
            Error::invalid_response(
                200,
                format!("the catalog's {service_type} URL is not a URL: {err}"),
                &[],
            )
        }),
        None => {
            let have: Vec<String> = endpoints
                .iter()
                .map(|e| {
                    format!(
                        "{} in {}",
                        e.interface,
                        e.region.as_deref().unwrap_or("any region")
                    )
                })
                .collect();
            Err(Error::invalid_input(
                if region.is_some() {
                    "region_name"
                } else {
                    "interface"
                },
                format!(
                    "the catalog has no {service_type} endpoint on interface {} in {}; it has: {}",
                    interface.name(),
                    region.unwrap_or("any region"),
                    if have.is_empty() {
                        "none".to_owned()
                    } else {
                        have.join(", ")
                    }
                ),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use console_core::error::ErrorKind;

    const P: Provider = Provider::new("openstack-test");

    fn creds(method: Method) -> Credentials {
        Credentials::new("https://k:5000/v3", method).unwrap()
    }

    #[test]
    fn each_method_has_keystone_s_body() {
        let pw = creds(Method::Password {
            user: Named::name_in("demo", Named::domain_name("Default")),
            password: "pw".into(),
        })
        .project(Named::name_in("demo", Named::id("default")));
        assert_eq!(
            body(&pw),
            json!({"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "demo", "domain": {"name": "Default"}, "password": "pw"}}},
                "scope": {"project": {"name": "demo", "domain": {"id": "default"}}}}})
        );
        let ac = creds(Method::ApplicationCredential {
            credential: Named::id("acid"),
            secret: "s".into(),
        });
        assert_eq!(
            body(&ac),
            json!({"auth": {"identity": {"methods": ["application_credential"], "application_credential": {"id": "acid", "secret": "s"}}}})
        );
        let ac_name = creds(Method::ApplicationCredential {
            credential: Named::Name {
                name: "portal".into(),
                domain: Some(Box::new(Named::id("uid"))),
            },
            secret: "s".into(),
        });
        assert_eq!(
            body(&ac_name)["auth"]["identity"]["application_credential"],
            json!({"name": "portal", "secret": "s", "user": {"id": "uid"}})
        );
        let tok = creds(Method::Token { token: "t0".into() }).project(Named::id("p"));
        assert_eq!(
            body(&tok),
            json!({"auth": {"identity": {"methods": ["token"], "token": {"id": "t0"}}, "scope": {"project": {"id": "p"}}}})
        );
        let req = build(&tok);
        assert_eq!(req.url.as_str(), "https://k:5000/v3/auth/tokens");
        assert_eq!(req.header("Content-Type"), Some("application/json"));
        assert!(!format!("{req:?}").contains("t0"));
    }

    fn answer() -> HttpResponse {
        HttpResponse::new(
            201,
            r#"{"token": {"expires_at": "2026-11-24T10:00:00.000000Z", "project": {"id": "p1"}, "catalog": [
                {"type": "identity", "endpoints": [{"interface": "public", "region": "R1", "url": "https://k/v3"}]},
                {"type": "compute", "endpoints": [
                    {"interface": "public", "region_id": "R1", "url": "https://nova-r1/v2.1"},
                    {"interface": "internal", "region_id": "R1", "url": "http://nova-int/v2.1"},
                    {"interface": "public", "region_id": "R2", "url": "https://nova-r2/v2.1"},
                    {"interface": "public"}]}]}}"#,
        )
        .with_header("X-Subject-Token", "gAAAA-token")
    }

    #[test]
    fn the_answer_gives_the_token_its_expiry_and_catalog() {
        let t = parse(P, &answer()).unwrap();
        assert_eq!(t.value.expose(), "gAAAA-token");
        assert_eq!(
            t.expires_at,
            console_core::time::macros::datetime!(2026-11-24 10:00 UTC)
        );
        assert_eq!(t.project_id.as_deref(), Some("p1"));
        let dbg = format!("{t:?}");
        assert!(
            !dbg.contains("gAAAA") && dbg.contains("Token") && dbg.contains("p1"),
            "{dbg}"
        );
        let url = |i, r| endpoint(&t.catalog, "compute", i, r).map(|u| u.to_string());
        assert_eq!(
            url(Interface::Public, Some("R2")).unwrap(),
            "https://nova-r2/v2.1"
        );
        assert_eq!(
            url(Interface::Public, None).unwrap(),
            "https://nova-r1/v2.1"
        );
        assert_eq!(
            url(Interface::Internal, Some("R1")).unwrap(),
            "http://nova-int/v2.1"
        );
        let e = url(Interface::Admin, Some("R1")).unwrap_err();
        assert!(
            e.to_string().contains("region_name") && e.to_string().contains("public in R2"),
            "{e}"
        );
        let e = endpoint(&t.catalog, "volume", Interface::Public, None).unwrap_err();
        assert!(
            e.to_string().contains("interface") && e.to_string().contains("none"),
            "{e}"
        );
    }

    #[test]
    fn keystone_errors_and_odd_answers() {
        let denied = HttpResponse::new(401, r#"{"error": {"code": 401, "title": "Unauthorized", "message": "The request you have made requires authentication."}}"#)
            .with_header("x-openstack-request-id", "req-1");
        let e = parse(P, &denied).unwrap_err();
        assert_eq!((e.kind(), e.request_id()), (ErrorKind::Auth, Some("req-1")));
        for (status, kind, retry) in [
            (403, ErrorKind::Auth, false),
            (404, ErrorKind::NotFound, false),
            (429, ErrorKind::Throttled, true),
            (503, ErrorKind::Provider, true),
            (400, ErrorKind::Provider, false),
        ] {
            let e = parse(
                P,
                &HttpResponse::new(status, r#"{"error": {"title": "T", "message": "m"}}"#),
            )
            .unwrap_err();
            assert_eq!((e.kind(), e.is_retryable()), (kind, retry), "{status}");
        }
        let bare = parse(P, &HttpResponse::new(502, "<html>")).unwrap_err();
        assert_eq!(bare.kind(), ErrorKind::InvalidResponse);
        let no_token_header =
            HttpResponse::new(201, r#"{"token": {"expires_at": "2026-11-24T10:00:00Z"}}"#);
        assert!(parse(P, &no_token_header)
            .unwrap_err()
            .to_string()
            .contains("X-Subject-Token"));
        let no_expiry =
            HttpResponse::new(201, r#"{"token": {}}"#).with_header("X-Subject-Token", "t");
        assert!(parse(P, &no_expiry)
            .unwrap_err()
            .to_string()
            .contains("expires_at"));
        let no_body = HttpResponse::new(201, r#"{}"#).with_header("X-Subject-Token", "t");
        assert!(parse(P, &no_body)
            .unwrap_err()
            .to_string()
            .contains("`token`"));
        let unscoped =
            HttpResponse::new(201, r#"{"token": {"expires_at": "2026-11-24T10:00:00Z"}}"#)
                .with_header("X-Subject-Token", "t");
        let t = parse(P, &unscoped).unwrap();
        assert!(t.catalog.is_empty() && t.project_id.is_none());
    }
}
