//! Bounded retries: exponential backoff with full jitter, only for retryable errors, inside a
//! total deadline.

#[cfg(feature = "runtime")]
use std::future::Future;
use std::time::Duration;

#[cfg(feature = "runtime")]
use crate::error::{Error, Result};

/// When and how often to send a request again.
///
/// Only errors whose [`Error::is_retryable`] is true are retried: throttling, 5xx, timeouts,
/// connection faults. Each attempt is a freshly built and signed request (new time, new nonce),
/// and no attempt starts or runs past `deadline`, counted from the first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1 = no retry).
    pub max_attempts: u32,
    /// The backoff ceiling before the second attempt; it doubles for each attempt after.
    pub initial_backoff: Duration,
    /// The largest backoff ceiling.
    pub max_backoff: Duration,
    /// The time all attempts together may take.
    pub deadline: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(2),
            deadline: Duration::from_secs(20),
        }
    }
}

impl RetryPolicy {
    /// One attempt, no retry (within the same deadline).
    pub fn none() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// The backoff ceiling after attempt `attempt` (0-based) failed.
    pub fn ceiling(&self, attempt: u32) -> Duration {
        let factor = 1u32.checked_shl(attempt.min(31)).unwrap_or(u32::MAX);
        self.initial_backoff
            .saturating_mul(factor)
            .min(self.max_backoff)
    }

    /// A jittered backoff: uniformly random in `[0, ceiling(attempt)]` ("full jitter"), so that
    /// many clients throttled together do not come back together.
    pub fn backoff(&self, attempt: u32) -> Duration {
        let ceiling = self.ceiling(attempt);
        let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(rand::random_range(0..=nanos))
    }

    /// Runs `op` (given the 0-based attempt number) until it succeeds, fails with an error that
    /// is not retryable, runs out of attempts, or would pass the deadline.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// use std::time::Duration;
    /// use console_core::{Error, RetryPolicy};
    /// let policy = RetryPolicy { initial_backoff: Duration::from_millis(1), ..RetryPolicy::default() };
    /// let out = policy.run(|attempt| async move {
    ///     if attempt == 0 { Err(Error::Timeout(Duration::from_secs(1))) } else { Ok(attempt) }
    /// }).await;
    /// assert_eq!(out.unwrap(), 1);
    /// # }
    /// ```
    #[cfg(feature = "runtime")]
    pub async fn run<T, F, Fut>(&self, mut op: F) -> Result<T>
    where
        F: FnMut(u32) -> Fut,
        Fut: Future<Output = Result<T>>,
    {
        let deadline = self.deadline;
        self.run_until(|attempt, until| {
            let attempt = op(attempt);
            async move {
                match tokio::time::timeout_at(until, attempt).await {
                    Ok(r) => r,
                    Err(_) => Err(Error::Timeout(deadline)),
                }
            }
        })
        .await
    }

    /// Like [`RetryPolicy::run`], but `op` is given the deadline (an instant) and keeps it
    /// itself: the round trip hands it to the transport, so an attempt arms one timer, not two.
    #[cfg(feature = "runtime")]
    pub async fn run_until<T, F, Fut>(&self, mut op: F) -> Result<T>
    where
        F: FnMut(u32, tokio::time::Instant) -> Fut,
        Fut: Future<Output = Result<T>>,
    {
        let start = tokio::time::Instant::now();
        let until = start + self.deadline;
        let mut attempt = 0;
        loop {
            let result = op(attempt, until).await;
            let err = match result {
                Ok(v) => return Ok(v),
                Err(e) => e,
            };
            if !err.is_retryable() || attempt + 1 >= self.max_attempts {
                return Err(err);
            }
            // The provider's own Retry-After, when it gave one, is the least wait; past the
            // deadline the error is returned, and says when to come back.
            let delay = match err.retry_after() {
                Some(after) => after.max(self.backoff(attempt)),
                None => self.backoff(attempt),
            };
            if start.elapsed() + delay >= self.deadline {
                return Err(err);
            }
            tracing::debug!(
                attempt,
                kind = %err.kind(),
                delay_ms = delay.as_millis() as u64,
                "retrying after a retryable error"
            );
            tokio::time::sleep(delay).await;
            attempt += 1;
        }
    }
}

#[cfg(all(test, feature = "runtime"))]
mod tests {
    use super::*;
    use crate::error::Error;
    use std::sync::atomic::{AtomicU32, Ordering};

    fn fast() -> RetryPolicy {
        RetryPolicy {
            max_attempts: 4,
            initial_backoff: Duration::from_millis(1),
            max_backoff: Duration::from_millis(4),
            deadline: Duration::from_secs(5),
        }
    }

    /// A Retry-After beyond the deadline ends the call at once with the error that says when
    /// to come back; one within it is waited, however small the backoff.
    #[tokio::test(start_paused = true)]
    async fn retry_after_is_honoured_within_the_deadline() {
        use crate::error::ProviderError;
        let throttled = |secs| {
            let mut p =
                ProviderError::new(crate::Provider::new("t"), 429, "TooManyRequests", "m", None);
            p.retry_after_secs = Some(secs);
            Error::Throttled(p)
        };
        let policy = RetryPolicy {
            initial_backoff: Duration::from_millis(1),
            deadline: Duration::from_secs(10),
            ..RetryPolicy::default()
        };
        let start = tokio::time::Instant::now();
        let tries = AtomicU32::new(0);
        let out = policy
            .run(|_| {
                let n = tries.fetch_add(1, Ordering::SeqCst);
                async move {
                    if n == 0 {
                        Err(throttled(3))
                    } else {
                        Ok(n)
                    }
                }
            })
            .await;
        assert_eq!(out.unwrap(), 1);
        assert!(
            start.elapsed() >= Duration::from_secs(3),
            "{:?}",
            start.elapsed()
        );
        let start = tokio::time::Instant::now();
        let e = policy
            .run(|_| async { Err::<u32, _>(throttled(60)) })
            .await
            .unwrap_err();
        assert_eq!(e.retry_after(), Some(Duration::from_secs(60)));
        assert!(start.elapsed() < Duration::from_secs(1));
    }

    /// Backoff is real time between attempts, not zero: a throttled API is not hammered.
    #[tokio::test(start_paused = true)]
    async fn attempts_are_spaced_by_the_backoff() {
        let policy = RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(1),
            deadline: Duration::from_secs(60),
        };
        let mut seen = Vec::new();
        let start = tokio::time::Instant::now();
        let _ = policy
            .run(|_| {
                seen.push(start.elapsed());
                async { Err::<(), _>(Error::Timeout(Duration::from_secs(1))) }
            })
            .await;
        assert_eq!(seen.len(), 3);
        // Full jitter can draw 0; over two waits of up to 1 s each, the draws are spread.
        assert!(seen[2] <= Duration::from_secs(2));
        for _ in 0..50 {
            if policy.backoff(0) > Duration::ZERO {
                return;
            }
        }
        panic!("50 backoffs drawn in [0, 1 s] were all zero");
    }

    /// `none` means exactly one attempt, whatever the error, within the default deadline.
    #[tokio::test(start_paused = true)]
    async fn none_is_one_attempt() {
        let policy = RetryPolicy::none();
        assert_eq!(policy.max_attempts, 1);
        assert_eq!(policy.deadline, RetryPolicy::default().deadline);
        let tries = AtomicU32::new(0);
        let e = policy
            .run(|_| {
                tries.fetch_add(1, Ordering::SeqCst);
                async { Err::<(), _>(Error::Timeout(Duration::from_secs(1))) }
            })
            .await
            .unwrap_err();
        assert!(e.is_retryable());
        assert_eq!(tries.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn ceiling_doubles_and_caps() {
        let p = RetryPolicy::default();
        assert_eq!(p.ceiling(0), Duration::from_millis(100));
        assert_eq!(p.ceiling(1), Duration::from_millis(200));
        assert_eq!(p.ceiling(4), Duration::from_millis(1600));
        assert_eq!(p.ceiling(5), Duration::from_secs(2));
        assert_eq!(p.ceiling(40), Duration::from_secs(2));
        for a in 0..10 {
            assert!(p.backoff(a) <= p.ceiling(a));
        }
    }

    #[tokio::test]
    async fn stops_at_a_non_retryable_error() {
        let calls = AtomicU32::new(0);
        let r: Result<()> = fast()
            .run(|_| {
                calls.fetch_add(1, Ordering::SeqCst);
                async { Err(Error::invalid_input("region", "bad")) }
            })
            .await;
        assert!(r.is_err());
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn gives_up_after_max_attempts() {
        let calls = AtomicU32::new(0);
        let r: Result<()> = fast()
            .run(|_| {
                calls.fetch_add(1, Ordering::SeqCst);
                async { Err(Error::Timeout(Duration::from_millis(1))) }
            })
            .await;
        assert!(matches!(r, Err(Error::Timeout(_))));
        assert_eq!(calls.load(Ordering::SeqCst), 4);
    }

    #[tokio::test(start_paused = true)]
    async fn never_runs_past_the_deadline() {
        let policy = RetryPolicy {
            max_attempts: 100,
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(1),
            deadline: Duration::from_secs(3),
        };
        let start = tokio::time::Instant::now();
        let r: Result<()> = policy
            .run(|_| async {
                tokio::time::sleep(Duration::from_millis(900)).await;
                Err(Error::Timeout(Duration::from_millis(900)))
            })
            .await;
        assert!(r.is_err());
        assert!(
            start.elapsed() <= Duration::from_secs(3),
            "{:?}",
            start.elapsed()
        );
    }
}
