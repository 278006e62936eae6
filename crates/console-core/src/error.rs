//! One error type for every provider, with kinds a caller can act on.

use std::fmt;
use std::time::Duration;

use crate::console::Provider;
use crate::redact;

/// Shorthand for results in the console crates.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The boxed cause of a transport error.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// An underlying error, shared so that an [`Error`] can be cloned (one login failure handed to
/// every caller that waited on it).
pub type SharedError = std::sync::Arc<dyn std::error::Error + Send + Sync + 'static>;

/// What a provider said when it refused: its code, message and request id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderError {
    /// Which provider answered.
    pub provider: Provider,
    /// The HTTP status of the answer (Tencent answers errors with 200).
    pub status: u16,
    /// The provider's error code (`UnsupportedOperation.InstanceStateStopped`, `APIGW.0301`, ...).
    pub code: String,
    /// The provider's message, as sent.
    pub message: String,
    /// The provider's request id, for a support ticket.
    pub request_id: Option<String>,
    /// Whether the same request may succeed if sent again later.
    pub retryable: bool,
    /// How many seconds the provider asked to wait before sending again (`Retry-After`), if it
    /// said (whole seconds, as the header gives them; kept small so errors stay cheap to move).
    pub retry_after_secs: Option<u32>,
}

impl ProviderError {
    /// A provider error that is not retryable; see [`ProviderError::retryable`].
    pub fn new(
        provider: Provider,
        status: u16,
        code: impl Into<String>,
        message: impl Into<String>,
        request_id: Option<String>,
    ) -> Self {
        Self {
            provider,
            status,
            code: code.into(),
            message: message.into(),
            request_id,
            retryable: false,
            retry_after_secs: None,
        }
    }

    /// Marks the error retryable (or not).
    pub fn retryable(mut self, retryable: bool) -> Self {
        self.retryable = retryable;
        self
    }
}

impl fmt::Display for ProviderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}: {} (HTTP {}",
            self.provider, self.code, self.message, self.status
        )?;
        if let Some(id) = &self.request_id {
            write!(f, ", request id {id}")?;
        }
        if let Some(after) = self.retry_after_secs {
            write!(f, ", retry after {after} s")?;
        }
        f.write_str(")")
    }
}

/// Every way getting a console can fail.
///
/// Match on the variant, or on [`Error::kind`] for a flat, copyable view; ask
/// [`Error::is_retryable`] before sending the same request again.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The caller's input is unusable; nothing was sent.
    #[error("invalid input: {field}: {reason}")]
    InvalidInput {
        /// The offending field (`instance_id`, `region`, `endpoint`, `password`, ...).
        field: &'static str,
        /// Why it is unusable.
        reason: String,
    },
    /// The credentials were refused (wrong key, bad signature, expired token, MFA).
    #[error("authentication failed: {0}")]
    Auth(ProviderError),
    /// The instance (or region) does not exist.
    #[error("not found: {0}")]
    NotFound(ProviderError),
    /// The instance exists but its state has no console (stopped, rebooting, not yet built).
    #[error("instance state {state} has no console: {detail}")]
    InstanceState {
        /// The state, as the provider names it where it does (`STOPPED`, `REBOOTING`, ...).
        state: String,
        /// What the provider said.
        detail: ProviderError,
    },
    /// Too many requests; retry later.
    #[error("throttled: {0}")]
    Throttled(ProviderError),
    /// Any other documented refusal by the provider.
    #[error("provider error: {0}")]
    Provider(ProviderError),
    /// The request did not complete: connection refused or reset, TLS, DNS.
    #[error("transport error: {message}")]
    Transport {
        /// What went wrong, without URLs or secrets.
        message: String,
        /// The underlying error.
        #[source]
        source: Option<SharedError>,
    },
    /// The server's TLS certificate was not accepted (unknown CA, wrong name, expired): not
    /// transient, so never retried. Trust a private CA with the client's CA option.
    #[error("TLS verification failed: {message}")]
    Tls {
        /// What was wrong, without URLs or secrets.
        message: String,
        /// The underlying error.
        #[source]
        source: Option<SharedError>,
    },
    /// No answer within the time allowed.
    #[error("timed out after {0:?}")]
    Timeout(Duration),
    /// An answer came but it is not what the provider documents.
    #[error("invalid response (HTTP {status}): {reason}; body: {excerpt}")]
    InvalidResponse {
        /// The HTTP status of the answer.
        status: u16,
        /// What is wrong with it.
        reason: String,
        /// A short, redacted excerpt of the body.
        excerpt: String,
    },
}

/// A flat, copyable view of an [`Error`]'s variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// [`Error::InvalidInput`].
    InvalidInput,
    /// [`Error::Auth`].
    Auth,
    /// [`Error::NotFound`].
    NotFound,
    /// [`Error::InstanceState`].
    InstanceState,
    /// [`Error::Throttled`].
    Throttled,
    /// [`Error::Provider`].
    Provider,
    /// [`Error::Transport`].
    Transport,
    /// [`Error::Tls`].
    Tls,
    /// [`Error::Timeout`].
    Timeout,
    /// [`Error::InvalidResponse`].
    InvalidResponse,
}

impl ErrorKind {
    /// The snake_case name used in fixtures, the CLI and logs.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::InvalidInput => "invalid_input",
            ErrorKind::Auth => "auth",
            ErrorKind::NotFound => "not_found",
            ErrorKind::InstanceState => "instance_state",
            ErrorKind::Throttled => "throttled",
            ErrorKind::Provider => "provider",
            ErrorKind::Transport => "transport",
            ErrorKind::Tls => "tls",
            ErrorKind::Timeout => "timeout",
            ErrorKind::InvalidResponse => "invalid_response",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Error {
    /// An [`Error::InvalidInput`] naming `field`.
    pub fn invalid_input(field: &'static str, reason: impl Into<String>) -> Self {
        Error::InvalidInput {
            field,
            reason: reason.into(),
        }
    }

    /// An [`Error::InvalidResponse`] quoting a redacted excerpt of `body`.
    pub fn invalid_response(status: u16, reason: impl Into<String>, body: &[u8]) -> Self {
        Error::InvalidResponse {
            status,
            reason: reason.into(),
            excerpt: redact::excerpt(body),
        }
    }

    /// An [`Error::Transport`] with its cause.
    pub fn transport(message: impl Into<String>, source: impl Into<BoxError>) -> Self {
        Error::Transport {
            message: message.into(),
            source: Some(SharedError::from(source.into())),
        }
    }

    /// The variant, as a copyable value.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::InvalidInput { .. } => ErrorKind::InvalidInput,
            Error::Auth(_) => ErrorKind::Auth,
            Error::NotFound(_) => ErrorKind::NotFound,
            Error::InstanceState { .. } => ErrorKind::InstanceState,
            Error::Throttled(_) => ErrorKind::Throttled,
            Error::Provider(_) => ErrorKind::Provider,
            Error::Transport { .. } => ErrorKind::Transport,
            Error::Tls { .. } => ErrorKind::Tls,
            Error::Timeout(_) => ErrorKind::Timeout,
            Error::InvalidResponse { .. } => ErrorKind::InvalidResponse,
        }
    }

    /// What the provider said, for the kinds that come from a provider's error envelope.
    pub fn provider_error(&self) -> Option<&ProviderError> {
        match self {
            Error::Auth(p)
            | Error::NotFound(p)
            | Error::Throttled(p)
            | Error::Provider(p)
            | Error::InstanceState { detail: p, .. } => Some(p),
            _ => None,
        }
    }

    /// The provider's error code, where there is one.
    pub fn code(&self) -> Option<&str> {
        self.provider_error().map(|p| p.code.as_str())
    }

    /// The provider's request id, where there is one.
    pub fn request_id(&self) -> Option<&str> {
        self.provider_error().and_then(|p| p.request_id.as_deref())
    }

    /// The HTTP status of the answer, where one came.
    pub fn http_status(&self) -> Option<u16> {
        match self {
            Error::InvalidResponse { status, .. } => Some(*status),
            _ => self.provider_error().map(|p| p.status),
        }
    }

    /// How long the provider asked to wait before sending again, where it said.
    pub fn retry_after(&self) -> Option<std::time::Duration> {
        self.provider_error()
            .and_then(|p| p.retry_after_secs)
            .map(|s| std::time::Duration::from_secs(u64::from(s)))
    }

    /// This error as the answer `response` makes it: an HTTP 429 is throttling whatever its
    /// body (a proxy's page, an envelope the parser did not know), and a `Retry-After` the
    /// answer carries (seconds or an HTTP date, read against `now`) is kept on it.
    pub fn from_answer(
        self,
        provider: Provider,
        response: &crate::HttpResponse,
        now: time::OffsetDateTime,
    ) -> Self {
        let after = retry_after_header(response, now);
        let mut err = match self {
            Error::Throttled(_) => self,
            e if response.status == 429 => {
                let detail = e.provider_error().cloned().unwrap_or_else(|| {
                    ProviderError::new(
                        provider,
                        429,
                        "TooManyRequests",
                        "HTTP 429 Too Many Requests",
                        None,
                    )
                });
                Error::Throttled(detail)
            }
            e => e,
        };
        if let (Some(after), Some(p)) = (after, err.provider_error_mut()) {
            // Rounded up: waiting a fraction longer than asked is never too early.
            let secs = after.as_secs() + u64::from(after.subsec_nanos() > 0);
            p.retry_after_secs = Some(u32::try_from(secs).unwrap_or(u32::MAX));
        }
        err
    }

    /// This error with every secret the client holds (keys, passwords, session and login
    /// tokens) masked wherever a server echoed it into the error's texts, whatever its length;
    /// a cut excerpt loses any tail that begins a secret.
    pub fn redact_secrets(mut self, secrets: &[&str]) -> Self {
        let scrub = |s: &mut String| *s = crate::redact::secrets(s, secrets);
        if secrets.iter().all(|s| s.is_empty()) {
            return self;
        }
        match &mut self {
            Error::InvalidInput { reason, .. } => scrub(reason),
            Error::InvalidResponse {
                reason, excerpt, ..
            } => {
                scrub(reason);
                scrub(excerpt);
            }
            Error::Transport { message, .. } | Error::Tls { message, .. } => scrub(message),
            Error::InstanceState { state, .. } => scrub(state),
            _ => {}
        }
        if let Some(p) = self.provider_error_mut() {
            scrub(&mut p.code);
            scrub(&mut p.message);
            if let Some(id) = &mut p.request_id {
                scrub(id);
            }
        }
        self
    }

    fn provider_error_mut(&mut self) -> Option<&mut ProviderError> {
        match self {
            Error::Auth(p)
            | Error::NotFound(p)
            | Error::Throttled(p)
            | Error::Provider(p)
            | Error::InstanceState { detail: p, .. } => Some(p),
            _ => None,
        }
    }

    /// Whether sending the same request again later may succeed: throttling, timeouts,
    /// connection faults, 5xx answers and the provider codes documented as transient. Never
    /// input, authentication, not-found or state errors.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Throttled(_) | Error::Timeout(_) | Error::Transport { .. } => true,
            Error::Provider(p) => p.retryable,
            Error::InvalidResponse { status, .. } => *status >= 500,
            Error::InvalidInput { .. }
            | Error::Tls { .. }
            | Error::Auth(_)
            | Error::NotFound(_)
            | Error::InstanceState { .. } => false,
        }
    }
}

/// The `Retry-After` of an answer: delay seconds, or an HTTP date (IMF-fixdate, which RFC 2822
/// parsing reads) counted from `now`; a date in the past is no wait.
pub fn retry_after_header(
    response: &crate::HttpResponse,
    now: time::OffsetDateTime,
) -> Option<std::time::Duration> {
    let value = response.header("retry-after")?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(std::time::Duration::from_secs(seconds));
    }
    let at =
        time::OffsetDateTime::parse(value, &time::format_description::well_known::Rfc2822).ok()?;
    Some(std::time::Duration::try_from(at - now).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pe(retryable: bool) -> ProviderError {
        ProviderError::new(
            Provider::new("tencent"),
            200,
            "InternalError",
            "boom",
            Some("rid-1".into()),
        )
        .retryable(retryable)
    }

    #[test]
    fn a_bare_429_is_throttling_and_keeps_its_retry_after() {
        use crate::HttpResponse;
        let now = time::macros::datetime!(2015-10-21 07:28:00 UTC);
        let resp = HttpResponse::new(429, "<html>slow down</html>").with_header("Retry-After", "7");
        let e = Error::invalid_response(429, "body is not JSON", &resp.body).from_answer(
            Provider::new("tencent"),
            &resp,
            now,
        );
        assert_eq!(e.kind(), ErrorKind::Throttled);
        assert!(e.is_retryable());
        assert_eq!(e.retry_after(), Some(std::time::Duration::from_secs(7)));
        assert!(e.to_string().contains("retry after 7 s"), "{e}");
        let resp =
            HttpResponse::new(429, "").with_header("retry-after", "Wed, 21 Oct 2015 07:28:30 GMT");
        assert_eq!(
            retry_after_header(&resp, now),
            Some(std::time::Duration::from_secs(30))
        );
        let past =
            HttpResponse::new(429, "").with_header("retry-after", "Wed, 21 Oct 2015 07:00:00 GMT");
        assert_eq!(
            retry_after_header(&past, now),
            Some(std::time::Duration::ZERO)
        );
        // Other answers keep their kind; a provider's own throttling error gets the header.
        let ok = HttpResponse::new(400, "{}").with_header("retry-after", "3");
        let e = Error::Auth(pe(false)).from_answer(Provider::new("tencent"), &ok, now);
        assert_eq!(
            (e.kind(), e.retry_after()),
            (ErrorKind::Auth, Some(std::time::Duration::from_secs(3)))
        );
    }

    #[test]
    fn display_names_code_status_and_request_id() {
        let e = Error::Provider(pe(true));
        assert_eq!(
            e.to_string(),
            "provider error: tencent InternalError: boom (HTTP 200, request id rid-1)"
        );
        assert_eq!(e.code(), Some("InternalError"));
        assert_eq!(e.request_id(), Some("rid-1"));
        assert_eq!(e.http_status(), Some(200));
        let e = Error::invalid_input("instance_id", "must not be empty");
        assert_eq!(
            e.to_string(),
            "invalid input: instance_id: must not be empty"
        );
    }

    #[test]
    fn retryability_by_kind() {
        assert!(Error::Provider(pe(true)).is_retryable());
        assert!(!Error::Provider(pe(false)).is_retryable());
        assert!(Error::Throttled(pe(false)).is_retryable());
        assert!(Error::Timeout(Duration::from_secs(1)).is_retryable());
        assert!(Error::invalid_response(502, "html", b"<html>").is_retryable());
        assert!(!Error::invalid_response(200, "missing url", b"{}").is_retryable());
        assert!(!Error::Auth(pe(true)).is_retryable());
        assert!(!Error::NotFound(pe(true)).is_retryable());
        let state = Error::InstanceState {
            state: "STOPPED".into(),
            detail: pe(true),
        };
        assert!(!state.is_retryable());
        assert_eq!(state.kind(), ErrorKind::InstanceState);
        assert!(!Error::invalid_input("region", "x").is_retryable());
    }
}
