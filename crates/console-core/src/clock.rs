//! Where time and nonces come from: the system in production, fixed values in tests, so that
//! the providers' published worked examples become exact tests.

use std::fmt;
use time::OffsetDateTime;

/// A source of the current time and of request nonces.
pub trait Clock: Send + Sync + fmt::Debug {
    /// The current time.
    fn now(&self) -> OffsetDateTime;
    /// A fresh, unpredictable nonce (Alibaba's `x-acs-signature-nonce`).
    fn nonce(&self) -> String;
}

/// The system clock and a random 128-bit hex nonce.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc()
    }

    fn nonce(&self) -> String {
        // Into a buffer of its size: `hex::encode` collects a char iterator, regrowing.
        let mut buf = [0u8; 32];
        hex::encode_to_slice(rand::random::<[u8; 16]>(), &mut buf)
            .expect("16 bytes fill 32 hex digits");
        String::from_utf8_lossy(&buf).into_owned()
    }
}

/// A clock that always answers the same time and nonce (for tests and worked examples).
#[derive(Debug, Clone)]
pub struct FixedClock {
    /// The time [`Clock::now`] answers.
    pub now: OffsetDateTime,
    /// The nonce [`Clock::nonce`] answers.
    pub nonce: String,
}

impl Clock for FixedClock {
    fn now(&self) -> OffsetDateTime {
        self.now
    }

    fn nonce(&self) -> String {
        self.nonce.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn system_nonces_are_hex_and_differ() {
        let a = SystemClock.nonce();
        let b = SystemClock.nonce();
        assert_eq!(a.len(), 32);
        assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }
}
