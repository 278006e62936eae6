//! The one round trip every provider client runs: for each attempt, build the request, stamp
//! it (time and nonce as one value), sign it, send it, parse the answer and check the URL is
//! still fresh; retries, the deadline and the clock are the [`ClientContext`]'s.

use std::future::Future;

use time::OffsetDateTime;
use url::Url;

use crate::client::ClientContext;
use crate::console::{Console, Provider};
use crate::error::{Error, Result};
use crate::http::{HttpRequest, HttpResponse};

/// The time and nonce one attempt is signed with, taken once from the client's clock and
/// handed to the signer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    /// When the attempt is sent (and when the provider's URL lifetime starts).
    pub time: OffsetDateTime,
    /// A fresh nonce; empty when the exchange said its scheme sends none
    /// ([`Exchange::uses_nonce`]).
    pub nonce: String,
}

/// What a round trip returns, checked once more when it arrives: a console whose URL expired
/// in transit is a retryable timeout; other answers (a looked-up project id) do not expire.
pub trait Fresh: Sized {
    /// `self`, or the error that it is no longer usable at `now`.
    fn ensure_fresh(self, now: OffsetDateTime) -> Result<Self>;
}

impl Fresh for Console {
    fn ensure_fresh(self, now: OffsetDateTime) -> Result<Self> {
        Console::ensure_fresh(self, now)
    }
}

/// Temporary credentials from an STS or metadata call: refused when they arrive already
/// expired (a skewed clock or a broken server), since every request signed with them would fail.
impl<C> Fresh for crate::credentials::Expiring<C> {
    fn ensure_fresh(self, now: OffsetDateTime) -> Result<Self> {
        match self.expires_at {
            Some(at) if at <= now => Err(Error::invalid_response(
                200,
                format!("the temporary credentials had expired ({at}) when they arrived (is the clock right?)"),
                &[],
            )),
            _ => Ok(self),
        }
    }
}

impl Fresh for crate::validate::ResourceId {
    fn ensure_fresh(self, _now: OffsetDateTime) -> Result<Self> {
        Ok(self)
    }
}

/// A provider's call, as the round trip runs it: three pure steps, plus an optional wait
/// before each attempt.
pub trait Exchange: Send + Sync {
    /// What the call is for (the provider's `ConsoleRequest`).
    type Target: Sync + ?Sized;

    /// What the call returns: a [`Console`], or for a lookup the value looked up.
    type Output: Fresh + Send;

    /// The provider, for errors the round trip names itself (a bare HTTP 429).
    const PROVIDER: Provider;

    /// Builds the unsigned request for `target` at `endpoint`.
    fn build(&self, endpoint: &Url, target: &Self::Target) -> Result<HttpRequest>;

    /// Signs (or authenticates) `request` for `target` with this attempt's stamp.
    fn sign(&self, request: &mut HttpRequest, target: &Self::Target, stamp: &Stamp) -> Result<()>;

    /// Turns the answer into the output (a console issued at `issued_at`), or the provider's
    /// error.
    fn parse(
        &self,
        response: &HttpResponse,
        target: &Self::Target,
        issued_at: OffsetDateTime,
    ) -> Result<Self::Output>;

    /// Whether this exchange's signer sends a nonce; by default it does. One that does not
    /// says so, and the round trip draws none (a random draw and an allocation a call).
    fn uses_nonce(&self) -> bool {
        true
    }

    /// The secrets this call holds (keys, tokens, passwords, the target's own), masked in any
    /// error text a server echoes them into; by default none.
    fn secrets<'a>(&'a self, target: &'a Self::Target) -> Vec<&'a str> {
        let _ = target;
        Vec::new()
    }

    /// Waits before each attempt (a client-side rate limit); by default not at all.
    fn ready(&self) -> impl Future<Output = ()> + Send {
        std::future::ready(())
    }
}

impl ClientContext {
    /// Runs `exchange` for `target` at `endpoint`: retries what is retryable within the
    /// policy's deadline, a fresh stamp and signature each attempt, and never returns a
    /// console whose URL expired in transit (that is a retryable timeout).
    pub async fn round_trip<E: Exchange>(
        &self,
        exchange: &E,
        endpoint: &Url,
        target: &E::Target,
    ) -> Result<E::Output> {
        self.retry
            .run_until(|_attempt, until| async move {
                tokio::time::timeout_at(until, exchange.ready())
                    .await
                    .map_err(|_| Error::Timeout(self.retry.deadline))?;
                let mut request = exchange.build(endpoint, target)?;
                // The URL's lifetime counts from here: the provider issues it after this.
                let stamp = Stamp {
                    time: self.clock.now(),
                    nonce: if exchange.uses_nonce() {
                        self.clock.nonce()
                    } else {
                        String::new()
                    },
                };
                exchange.sign(&mut request, target, &stamp)?;
                let response = self.transport.send_until(request, Some(until)).await?;
                exchange
                    .parse(&response, target, stamp.time)
                    // A 429 is throttling whatever its body, and its Retry-After is kept (an HTTP
                    // date is read against the stamp, so a failed attempt reads the clock once).
                    .map_err(|e| e.from_answer(E::PROVIDER, &response, stamp.time))?
                    .ensure_fresh(self.clock.now())
            })
            .await
            .map_err(|e| e.redact_secrets(&exchange.secrets(target)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::Expiring;
    use crate::validate::ResourceId;
    use std::sync::Mutex;
    use time::macros::datetime;

    /// Records the stamp it is signed with.
    struct Recording {
        nonce: bool,
        seen: Mutex<Option<Stamp>>,
    }

    impl Exchange for Recording {
        type Target = ();
        type Output = ResourceId;
        const PROVIDER: Provider = Provider::new("test");

        fn build(&self, endpoint: &Url, _: &()) -> Result<HttpRequest> {
            Ok(HttpRequest::new(crate::Method::POST, endpoint.clone()))
        }

        fn sign(&self, _: &mut HttpRequest, _: &(), stamp: &Stamp) -> Result<()> {
            *self.seen.lock().unwrap() = Some(stamp.clone());
            Ok(())
        }

        fn parse(&self, _: &HttpResponse, _: &(), _: OffsetDateTime) -> Result<ResourceId> {
            ResourceId::new("id", "x")
        }

        fn uses_nonce(&self) -> bool {
            self.nonce
        }
    }

    #[tokio::test]
    async fn a_nonce_is_drawn_only_for_a_scheme_that_sends_one() {
        let server = httpmock::MockServer::start_async().await;
        server.mock(|when, then| {
            when.method("POST");
            then.status(200);
        });
        let fixed = crate::FixedClock {
            now: datetime!(2026-01-01 0:00 UTC),
            nonce: "n-1".into(),
        };
        let context = crate::ClientOptions {
            clock: std::sync::Arc::new(fixed.clone()),
            ..Default::default()
        }
        .resolve()
        .unwrap();
        let endpoint = Url::parse(&server.base_url()).unwrap();
        for (nonce, expected) in [(false, ""), (true, "n-1")] {
            let exchange = Recording {
                nonce,
                seen: Mutex::new(None),
            };
            context.round_trip(&exchange, &endpoint, &()).await.unwrap();
            let stamp = exchange.seen.into_inner().unwrap().unwrap();
            assert_eq!(stamp.nonce, expected, "uses_nonce {nonce}");
            assert_eq!(stamp.time, fixed.now);
        }
    }

    #[test]
    fn temporary_credentials_that_arrive_expired_are_refused() {
        let now = datetime!(2026-01-01 0:00 UTC);
        let at = |t| Expiring {
            value: "key",
            expires_at: t,
        };
        assert!(at(None).ensure_fresh(now).is_ok());
        assert!(at(Some(now + time::Duration::seconds(1)))
            .ensure_fresh(now)
            .is_ok());
        let e = at(Some(now)).ensure_fresh(now).unwrap_err();
        assert_eq!(e.kind(), crate::error::ErrorKind::InvalidResponse, "{e}");
        assert!(e.to_string().contains("expired"), "{e}");
    }
}
