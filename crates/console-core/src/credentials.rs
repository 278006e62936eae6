//! Credentials that come from somewhere and may expire: a provider trait, a chain that tries
//! providers in order and says what each one said, and a cache that refreshes ahead of expiry
//! with one refresh in flight (the shape of `aws-config`'s provider chain and `object_store`'s
//! token cache).
//!
//! Each provider crate defines its sources (environment, profile file, instance metadata,
//! STS) and its default chain in the official SDK's order; this module knows none of them.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")] async fn main() -> console_core::Result<()> {
//! use std::sync::Arc;
//! use console_core::credentials::{Cache, Chain, Fixed, Provided, ProvideCredentials};
//! let chain = Chain::new("demo chain")
//!     .with(Arc::new(Fixed::not_here("environment", "DEMO_KEY is not set")))
//!     .with(Arc::new(Fixed::new("profile file", "key-from-file".to_owned(), None)));
//! let cache = Cache::new(Arc::new(chain));
//! assert_eq!(*cache.get().await?, "key-from-file");
//! # Ok(()) }
//! ```

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::future::{BoxFuture, FutureExt, Shared};
use time::OffsetDateTime;

use crate::clock::{Clock, SystemClock};
use crate::error::{Error, Result};

/// Credentials and when they stop working (`None`: they do not expire).
#[derive(Clone, PartialEq, Eq)]
pub struct Expiring<C> {
    /// The credentials.
    pub value: C,
    /// When they expire.
    pub expires_at: Option<OffsetDateTime>,
}

impl<C> fmt::Debug for Expiring<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The value holds secrets; only when it expires is shown.
        f.debug_struct("Expiring")
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

/// What a provider found.
#[derive(Debug, Clone)]
pub enum Provided<C> {
    /// Credentials.
    Credentials(Expiring<C>),
    /// This source is not configured here (no variable, no file, not on an instance); the
    /// reason says what was looked for, and never holds a secret. A chain goes on.
    NotHere(String),
}

impl<C> Provided<C> {
    /// Credentials that do not expire (keys from a variable or a file).
    pub fn fixed(value: C) -> Self {
        Provided::Credentials(Expiring {
            value,
            expires_at: None,
        })
    }
}

/// Reads a web identity / OIDC token from `path` (a Kubernetes projected token, rotated, so
/// read at each refresh); an unreadable or empty file is an `InvalidInput` naming `field` and
/// the file. The token itself is never quoted.
pub fn read_token_file(field: &'static str, path: &std::path::Path) -> Result<String> {
    let token = std::fs::read_to_string(path)
        .map_err(|e| Error::invalid_input(field, format!("cannot read {}: {e}", path.display())))?;
    let token = token.trim();
    if token.is_empty() {
        return Err(Error::invalid_input(
            field,
            format!("{} is empty", path.display()),
        ));
    }
    Ok(token.to_owned())
}

/// A source of credentials. `provide` is called when the cache needs credentials: first, and
/// ahead of each expiry. A source that is configured but fails (a malformed file, a refused
/// role) returns an error, which ends a chain.
pub trait ProvideCredentials<C>: Send + Sync + fmt::Debug {
    /// What the source is, for messages (`environment`, `profile file ~/.x/credentials`, ...).
    fn name(&self) -> String;

    /// Looks for credentials.
    fn provide(&self) -> BoxFuture<'_, Result<Provided<C>>>;
}

/// A source with a fixed answer: credentials given in code, or a source known to be absent.
#[derive(Clone)]
pub struct Fixed<C> {
    name: String,
    answer: Provided<C>,
}

impl<C> fmt::Debug for Fixed<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Fixed")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

impl<C> Fixed<C> {
    /// Always these credentials.
    pub fn new(name: impl Into<String>, value: C, expires_at: Option<OffsetDateTime>) -> Self {
        Self {
            name: name.into(),
            answer: Provided::Credentials(Expiring { value, expires_at }),
        }
    }

    /// Never any credentials, for `why`.
    pub fn not_here(name: impl Into<String>, why: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            answer: Provided::NotHere(why.into()),
        }
    }
}

impl<C: Clone + Send + Sync> ProvideCredentials<C> for Fixed<C> {
    fn name(&self) -> String {
        self.name.clone()
    }

    fn provide(&self) -> BoxFuture<'_, Result<Provided<C>>> {
        let answer = self.answer.clone();
        async move { Ok(answer) }.boxed()
    }
}

/// Providers tried in order: the first that has credentials gives them; one that fails ends
/// the chain with its error; when none has any, the answer says what each one said.
pub struct Chain<C> {
    name: String,
    providers: Vec<Arc<dyn ProvideCredentials<C>>>,
}

impl<C> fmt::Debug for Chain<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Chain")
            .field("name", &self.name)
            .field("providers", &self.providers)
            .finish()
    }
}

impl<C> Chain<C> {
    /// An empty chain named `name` (the provider's default chain, say).
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            providers: Vec::new(),
        }
    }

    /// Adds a provider after the others.
    pub fn with(mut self, provider: Arc<dyn ProvideCredentials<C>>) -> Self {
        self.providers.push(provider);
        self
    }
}

impl<C: Send + Sync> ProvideCredentials<C> for Chain<C> {
    fn name(&self) -> String {
        self.name.clone()
    }

    fn provide(&self) -> BoxFuture<'_, Result<Provided<C>>> {
        async move {
            let mut said = Vec::with_capacity(self.providers.len());
            for p in &self.providers {
                match p.provide().await? {
                    Provided::Credentials(c) => return Ok(Provided::Credentials(c)),
                    Provided::NotHere(why) => said.push(format!("{}: {why}", p.name())),
                }
            }
            Ok(Provided::NotHere(if said.is_empty() {
                "no source in the chain".to_owned()
            } else {
                said.join("; ")
            }))
        }
        .boxed()
    }
}

/// What every provider's default chain can be told, the same in each crate: the profile to
/// read, and where its network sources are (each provider's own addresses by default; tests
/// and private clouds point them elsewhere). A provider ignores what it has no source for.
///
/// ```
/// use console_core::credentials::ChainSettings;
/// let s = ChainSettings::default().profile("prod").metadata_endpoint("http://127.0.0.1:9");
/// assert_eq!(s.profile.as_deref(), Some("prod"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ChainSettings {
    /// The profile of the profile files (the provider's default when `None`).
    pub profile: Option<String>,
    /// The instance metadata service's base URL.
    pub metadata_endpoint: Option<String>,
    /// The STS endpoint roles are assumed at.
    pub sts_endpoint: Option<String>,
}

impl ChainSettings {
    /// Reads profile `name`.
    pub fn profile(mut self, name: impl Into<String>) -> Self {
        self.profile = Some(name.into());
        self
    }

    /// Asks the instance metadata service at `url`.
    pub fn metadata_endpoint(mut self, url: impl Into<String>) -> Self {
        self.metadata_endpoint = Some(url.into());
        self
    }

    /// Assumes roles at the STS endpoint `url`.
    pub fn sts_endpoint(mut self, url: impl Into<String>) -> Self {
        self.sts_endpoint = Some(url.into());
        self
    }
}

/// How long before expiry credentials are refreshed, by default: five minutes, the window in
/// which Tencent's SDK refreshes a role's keys (a request signed with keys about to expire may
/// arrive after they did).
pub const DEFAULT_REFRESH_MARGIN: Duration = Duration::from_secs(300);

// Kept behind an `Arc`: every call takes the credentials, and cloning them copied each key
// and token into new strings (and freed them after) on every call.
type Flight<C> = Shared<BoxFuture<'static, Result<Expiring<Arc<C>>>>>;

struct State<C> {
    current: Option<Expiring<Arc<C>>>,
    flight: Option<Flight<C>>,
}

/// Credentials from a provider, kept until `margin` before they expire and refreshed then,
/// with one refresh in flight: callers that need credentials meanwhile wait for it and share
/// its outcome, failure included, each within its own deadline. A refresh that fails while
/// the kept credentials have not yet expired hands out the kept ones.
pub struct Cache<C> {
    provider: Arc<dyn ProvideCredentials<C>>,
    margin: Duration,
    clock: Arc<dyn Clock>,
    state: Arc<Mutex<State<C>>>,
}

impl<C> fmt::Debug for Cache<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cache")
            .field("provider", &self.provider)
            .field("margin", &self.margin)
            .finish_non_exhaustive()
    }
}

impl<C: Send + Sync + 'static> Cache<C> {
    /// A cache over `provider` with the default margin and the system clock.
    pub fn new(provider: Arc<dyn ProvideCredentials<C>>) -> Self {
        Self {
            provider,
            margin: DEFAULT_REFRESH_MARGIN,
            clock: Arc::new(SystemClock),
            state: Arc::new(Mutex::new(State {
                current: None,
                flight: None,
            })),
        }
    }

    /// Refreshes this long before expiry.
    pub fn margin(mut self, margin: Duration) -> Self {
        self.margin = margin;
        self
    }

    /// Reads the time from `clock` (tests pin it).
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// The provider's name.
    pub fn source(&self) -> String {
        self.provider.name()
    }

    fn usable<V>(&self, c: &Expiring<V>, within_margin: bool) -> bool {
        let now = self.clock.now();
        match c.expires_at {
            None => true,
            Some(at) if within_margin => at - now > self.margin,
            Some(at) => at > now,
        }
    }

    /// Credentials, waiting at most 30 seconds for a refresh.
    pub async fn get(&self) -> Result<Arc<C>> {
        self.get_within(Duration::from_secs(30)).await
    }

    /// Credentials, waiting at most `wait` for a refresh (a timeout is an `Error::Timeout`).
    pub async fn get_within(&self, wait: Duration) -> Result<Arc<C>> {
        let flight = {
            let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
            if let Some(c) = state.current.as_ref().filter(|c| self.usable(c, true)) {
                return Ok(c.value.clone());
            }
            match &state.flight {
                Some(f) => f.clone(),
                None => {
                    let f = self.start_refresh();
                    state.flight = Some(f.clone());
                    f
                }
            }
        };
        match tokio::time::timeout(wait, flight).await {
            Ok(Ok(c)) => Ok(c.value),
            Ok(Err(e)) => {
                let state = self.state.lock().unwrap_or_else(|p| p.into_inner());
                match state.current.as_ref().filter(|c| self.usable(c, false)) {
                    Some(c) => Ok(c.value.clone()),
                    None => Err(e),
                }
            }
            Err(_) => Err(Error::Timeout(wait)),
        }
    }

    /// Starts the one refresh, as its own task so that it completes (and its outcome is kept)
    /// whoever stops waiting for it.
    fn start_refresh(&self) -> Flight<C> {
        let provider = Arc::clone(&self.provider);
        let state = Arc::clone(&self.state);
        let task = tokio::spawn(async move {
            let outcome = match provider.provide().await {
                Ok(Provided::Credentials(c)) => Ok(Expiring {
                    value: Arc::new(c.value),
                    expires_at: c.expires_at,
                }),
                Ok(Provided::NotHere(why)) => Err(Error::invalid_input(
                    "credentials",
                    format!("none found ({}: {why})", provider.name()),
                )),
                Err(e) => Err(e),
            };
            let mut s = state.lock().unwrap_or_else(|p| p.into_inner());
            if let Ok(c) = &outcome {
                s.current = Some(c.clone());
            }
            s.flight = None;
            outcome
        });
        async move {
            task.await.unwrap_or_else(|e| {
                Err(Error::invalid_input(
                    "credentials",
                    format!("the refresh stopped: {e}"),
                ))
            })
        }
        .boxed()
        .shared()
    }
}

/// Where a client's credentials come from: given once, or from a provider through a [`Cache`].
/// Every provider client holds one, so that each gets both ways the same.
#[derive(Debug)]
pub enum Source<C> {
    /// Given once (checked by the client when it is built); shared, not copied, by calls.
    Fixed(Arc<C>),
    /// From a provider, kept and refreshed ahead of expiry.
    Provided(Cache<C>),
}

impl<C: Send + Sync + 'static> Source<C> {
    /// Credentials from `provider`, through a cache with the default margin.
    pub fn provided(provider: Arc<dyn ProvideCredentials<C>>) -> Self {
        Source::Provided(Cache::new(provider))
    }

    /// Refreshes provided credentials `margin` before they expire (no effect on fixed ones).
    pub fn refresh_margin(self, margin: Duration) -> Self {
        match self {
            Source::Provided(cache) => Source::Provided(cache.margin(margin)),
            fixed => fixed,
        }
    }

    /// The credentials given once, if that is where they come from.
    pub fn fixed(&self) -> Option<&C> {
        match self {
            Source::Fixed(c) => Some(&**c),
            Source::Provided(_) => None,
        }
    }

    /// Credentials for a call, waiting at most `wait` for a refresh.
    pub async fn get_within(&self, wait: Duration) -> Result<Arc<C>> {
        match self {
            Source::Fixed(c) => Ok(Arc::clone(c)),
            Source::Provided(cache) => cache.get_within(wait).await,
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn token_files_and_fixed_credentials() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("token");
        std::fs::write(&path, "  jwt-value\n").unwrap();
        assert_eq!(read_token_file("token_file", &path).unwrap(), "jwt-value");
        std::fs::write(&path, " \n").unwrap();
        let e = read_token_file("token_file", &path)
            .unwrap_err()
            .to_string();
        assert!(e.contains("token_file") && e.contains("is empty"), "{e}");
        let e = read_token_file("token_file", &dir.path().join("none"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("cannot read"), "{e}");
        match Provided::fixed("k") {
            Provided::Credentials(c) => assert_eq!((c.value, c.expires_at), ("k", None)),
            Provided::NotHere(_) => panic!("fixed credentials are here"),
        }
    }

    use super::*;
    use crate::error::ErrorKind;
    use crate::FixedClock;
    use std::sync::atomic::{AtomicU32, Ordering};

    /// Counts calls; answers with a key numbered by the call, expiring `ttl` after `now`.
    #[derive(Debug)]
    struct Counting {
        calls: AtomicU32,
        ttl: Option<time::Duration>,
        now: OffsetDateTime,
        fail_from: u32,
        delay: Duration,
    }

    impl ProvideCredentials<String> for Counting {
        fn name(&self) -> String {
            "counting".to_owned()
        }
        fn provide(&self) -> BoxFuture<'_, Result<Provided<String>>> {
            async move {
                tokio::time::sleep(self.delay).await;
                let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
                if n >= self.fail_from {
                    return Err(Error::invalid_input("role", "refused"));
                }
                Ok(Provided::Credentials(Expiring {
                    value: format!("key-{n}"),
                    expires_at: self.ttl.map(|t| self.now + t),
                }))
            }
            .boxed()
        }
    }

    fn counting(ttl: Option<i64>, fail_from: u32, delay_ms: u64) -> Arc<Counting> {
        Arc::new(Counting {
            calls: AtomicU32::new(0),
            ttl: ttl.map(time::Duration::seconds),
            now: OffsetDateTime::UNIX_EPOCH,
            fail_from,
            delay: Duration::from_millis(delay_ms),
        })
    }

    fn clock(at_secs: i64) -> Arc<dyn Clock> {
        Arc::new(FixedClock {
            now: OffsetDateTime::UNIX_EPOCH + time::Duration::seconds(at_secs),
            nonce: "n".into(),
        })
    }

    #[tokio::test]
    async fn concurrent_callers_share_one_refresh() {
        let p = counting(Some(3600), u32::MAX, 20);
        let cache = Arc::new(Cache::new(p.clone()).clock(clock(0)));
        let calls = (0..16).map(|_| {
            let c = Arc::clone(&cache);
            tokio::spawn(async move { c.get().await.unwrap() })
        });
        for r in futures_util::future::join_all(calls).await {
            assert_eq!(*r.unwrap(), "key-1");
        }
        assert_eq!(p.calls.load(Ordering::SeqCst), 1);
        assert_eq!(*cache.get().await.unwrap(), "key-1", "kept");
        assert_eq!(p.calls.load(Ordering::SeqCst), 1);
    }

    /// Credentials that cannot be copied (a key held in place): the cache and a client's source
    /// share them behind an `Arc`, so they need not be `Clone`.
    #[derive(Debug, PartialEq)]
    struct Uncopied(&'static str);

    #[derive(Debug)]
    struct GivesUncopied;

    impl ProvideCredentials<Uncopied> for GivesUncopied {
        fn name(&self) -> String {
            "uncopied".to_owned()
        }
        fn provide(&self) -> BoxFuture<'_, Result<Provided<Uncopied>>> {
            async { Ok(Provided::fixed(Uncopied("k"))) }.boxed()
        }
    }

    #[tokio::test]
    async fn credentials_need_not_be_clone_to_be_kept_or_shared() {
        let source = Source::provided(Arc::new(GivesUncopied));
        let first = source.get_within(Duration::from_secs(1)).await.unwrap();
        let again = source.get_within(Duration::from_secs(1)).await.unwrap();
        assert_eq!(*first, Uncopied("k"));
        assert!(Arc::ptr_eq(&first, &again), "kept, and shared");
        let fixed = Source::Fixed(Arc::new(Uncopied("f")));
        assert_eq!(fixed.fixed(), Some(&Uncopied("f")));
    }

    #[tokio::test]
    async fn credentials_are_refreshed_ahead_of_expiry() {
        let p = counting(Some(600), u32::MAX, 0);
        // 400 s after issue, 200 s left: outside the 300 s margin, so refreshed.
        let cache = Cache::new(p.clone()).clock(clock(400));
        assert_eq!(*cache.get().await.unwrap(), "key-1");
        assert_eq!(*cache.get().await.unwrap(), "key-2");
        let cache = Cache::new(counting(Some(600), u32::MAX, 0)).clock(clock(200));
        assert_eq!(*cache.get().await.unwrap(), "key-1");
        assert_eq!(*cache.get().await.unwrap(), "key-1", "400 s left: kept");
        let never = Cache::new(counting(None, u32::MAX, 0)).clock(clock(1_000_000));
        assert_eq!(*never.get().await.unwrap(), "key-1");
        assert_eq!(*never.get().await.unwrap(), "key-1");
    }

    #[tokio::test]
    async fn a_failed_refresh_is_shared_and_not_kept_but_valid_keys_still_serve() {
        let p = counting(Some(600), 2, 0);
        let cache = Cache::new(p.clone())
            .clock(clock(400))
            .margin(Duration::from_secs(300));
        assert_eq!(*cache.get().await.unwrap(), "key-1");
        // The refresh fails; the kept key has 200 s left, so it is handed out.
        assert_eq!(*cache.get().await.unwrap(), "key-1");
        // Past its expiry, the failure is the answer, and each call tries again.
        let expired = Cache::new(counting(Some(100), 1, 0)).clock(clock(400));
        let e = expired.get().await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
        assert!(expired.get().await.is_err());
    }

    #[tokio::test]
    async fn a_waiter_gives_up_at_its_own_deadline_and_the_refresh_still_lands() {
        let p = counting(Some(3600), u32::MAX, 200);
        let cache = Cache::new(p.clone()).clock(clock(0));
        let e = cache
            .get_within(Duration::from_millis(20))
            .await
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Timeout);
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(
            *cache.get_within(Duration::from_millis(20)).await.unwrap(),
            "key-1"
        );
        assert_eq!(p.calls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn a_source_is_fixed_or_provided() {
        let fixed: Source<String> =
            Source::Fixed(Arc::new("k".to_owned())).refresh_margin(Duration::ZERO);
        assert_eq!(fixed.fixed().map(String::as_str), Some("k"));
        assert_eq!(
            *fixed.get_within(Duration::from_secs(1)).await.unwrap(),
            "k"
        );
        let p = counting(Some(600), u32::MAX, 0);
        let provided = Source::Provided(Cache::new(p.clone()).clock(clock(0)))
            .refresh_margin(Duration::from_secs(100));
        assert!(provided.fixed().is_none());
        assert_eq!(
            *provided.get_within(Duration::from_secs(1)).await.unwrap(),
            "key-1"
        );
        // 600 s left against a 100 s margin: kept.
        assert_eq!(
            *provided.get_within(Duration::from_secs(1)).await.unwrap(),
            "key-1"
        );
        assert_eq!(p.calls.load(Ordering::SeqCst), 1);
        // Calls share the kept credentials; none is handed a copy.
        let wait = Duration::from_secs(1);
        for source in [&fixed, &provided] {
            let (a, b) = (source.get_within(wait).await, source.get_within(wait).await);
            assert!(Arc::ptr_eq(&a.unwrap(), &b.unwrap()));
        }
        assert!(Source::provided(counting(None, u32::MAX, 0))
            .fixed()
            .is_none());
    }

    #[tokio::test]
    async fn a_chain_takes_the_first_and_reports_every_absence() {
        let chain: Chain<String> = Chain::new("test chain")
            .with(Arc::new(Fixed::not_here("environment", "VAR is not set")))
            .with(Arc::new(Fixed::not_here("profile file", "no file at ~/.x")));
        let cache = Cache::new(Arc::new(chain));
        let e = cache.get().await.unwrap_err().to_string();
        assert!(
            e.contains("test chain: environment: VAR is not set; profile file: no file at ~/.x"),
            "{e}"
        );
        let chain = Chain::new("c")
            .with(Arc::new(Fixed::not_here("environment", "unset")))
            .with(Arc::new(Fixed::new("file", "k".to_owned(), None)))
            .with(counting(None, 1, 0));
        assert!(
            matches!(chain.provide().await.unwrap(), Provided::Credentials(c) if c.value == "k")
        );
        // A source that fails ends the chain with its error.
        let failing = Chain::new("c")
            .with(counting(None, 1, 0))
            .with(Arc::new(Fixed::new("file", "k".to_owned(), None)));
        assert!(failing.provide().await.is_err());
        let empty: Chain<String> = Chain::new("empty");
        assert!(
            matches!(empty.provide().await.unwrap(), Provided::NotHere(w) if w == "no source in the chain")
        );
        assert!(!format!(
            "{:?}",
            Expiring {
                value: "secret-key",
                expires_at: None
            }
        )
        .contains("secret-key"));
    }
}
