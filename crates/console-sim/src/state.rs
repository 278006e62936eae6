//! What the emulator remembers: the inventory, issued consoles, nonces, tokens, rate windows,
//! injected faults and request counts.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

use crate::fault::Fault;
use crate::verify::Key;

/// Which emulated API a request is for; each listens on its own port.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ProviderKind {
    /// Tencent Cloud CVM.
    Tencent,
    /// Alibaba Cloud ECS.
    Aliyun,
    /// Huawei Cloud ECS (all three generations).
    Huawei,
    /// SmartX CloudTower.
    Smartx,
    /// A generic OpenStack cloud: Keystone v3 and Nova on one listener.
    OpenStack,
}

impl ProviderKind {
    /// All of them, in a fixed order.
    pub const ALL: [ProviderKind; 5] = [
        ProviderKind::Tencent,
        ProviderKind::Aliyun,
        ProviderKind::Huawei,
        ProviderKind::Smartx,
        ProviderKind::OpenStack,
    ];

    /// The name used in the binary's endpoint line and the admin routes.
    pub fn name(self) -> &'static str {
        match self {
            ProviderKind::Tencent => "tencent",
            ProviderKind::Aliyun => "aliyun",
            ProviderKind::Huawei => "huawei",
            ProviderKind::Smartx => "cloudtower",
            ProviderKind::OpenStack => "keystone",
        }
    }

    /// The provider a name of [`ProviderKind::name`] stands for.
    pub fn from_name(name: &str) -> Option<ProviderKind> {
        ProviderKind::ALL.into_iter().find(|p| p.name() == name)
    }
}

/// The state of an instance in the inventory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InstanceState {
    /// Has a console.
    Running,
    /// Has none: the provider's "stopped" error.
    Stopped,
}

/// Nonces seen within the skew window, oldest first, and the same set for lookups.
pub(crate) type Nonces = (VecDeque<(Instant, String)>, HashSet<String>);

/// An access key in the emulator's key store.
#[derive(Debug, Clone)]
pub(crate) struct StoredKey {
    pub(crate) secret: String,
    pub(crate) token: Option<String>,
    pub(crate) expires: Option<Instant>,
}

/// A console URL the emulator issued.
#[derive(Debug, Clone)]
pub(crate) struct Issued {
    pub(crate) issued: Instant,
    pub(crate) valid_for: Option<Duration>,
    pub(crate) single_use: bool,
    pub(crate) used: bool,
    /// Whose console it is, for the session's screen and the reconnect limit.
    pub(crate) provider: ProviderKind,
    pub(crate) instance: String,
}

#[derive(Debug)]
pub(crate) struct State {
    pub(crate) inventory: Mutex<HashMap<(ProviderKind, String), InstanceState>>,
    pub(crate) faults: Mutex<HashMap<ProviderKind, VecDeque<Fault>>>,
    pub(crate) consoles: Mutex<HashMap<String, Issued>>,
    pub(crate) nonces: Mutex<Nonces>,
    pub(crate) smartx_tokens: Mutex<HashSet<String>>,
    /// Access keys by provider and id: the static ones and temporary (STS) ones.
    pub(crate) keys: Mutex<HashMap<(ProviderKind, String), StoredKey>>,
    /// Keystone tokens: token -> (expiry, project id; `None` when unscoped).
    pub(crate) keystone_tokens: Mutex<HashMap<String, (Instant, Option<String>)>>,
    pub(crate) keystone_ttl: Duration,
    /// How long temporary keys from instance metadata and STS live.
    pub(crate) temporary_key_ttl: Duration,
    pub(crate) tencent_window: Mutex<VecDeque<Instant>>,
    pub(crate) tencent_rate_limit: Option<u32>,
    pub(crate) counts: Mutex<HashMap<ProviderKind, u64>>,
    pub(crate) throttled: Mutex<u64>,
    pub(crate) console_ttl: Duration,
    /// How long consoles without an expiry and Alibaba nonces are remembered.
    pub(crate) memory: Option<Duration>,
    pub(crate) issued: std::sync::atomic::AtomicU64,
    /// IMDSv2 session tokens of the instance metadata services, with their expiry.
    pub(crate) metadata_tokens: Mutex<HashMap<String, Instant>>,
    /// Console connections per instance in the last minute (Tencent's and Alibaba's limit).
    pub(crate) reconnects: Mutex<HashMap<(ProviderKind, String), VecDeque<Instant>>>,
    /// How long an Alibaba console may go without input before it is disconnected.
    pub(crate) aliyun_keep_alive: Duration,
}

/// Tencent's and Alibaba's documents: at most 30 (re)connections a minute.
pub(crate) const RECONNECTS_A_MINUTE: usize = 30;

impl State {
    pub(crate) fn new(
        tencent_rate_limit: Option<u32>,
        console_ttl: Duration,
        memory: Option<Duration>,
    ) -> Self {
        let mut inventory = HashMap::new();
        for p in ProviderKind::ALL {
            inventory.insert((p, crate::RUNNING.to_owned()), InstanceState::Running);
            inventory.insert((p, crate::STOPPED.to_owned()), InstanceState::Stopped);
        }
        for special in [crate::nova::NO_SPICE, crate::nova::SERIAL_ONLY] {
            inventory.insert(
                (ProviderKind::OpenStack, special.to_owned()),
                InstanceState::Running,
            );
        }
        Self {
            inventory: Mutex::new(inventory),
            faults: Mutex::default(),
            consoles: Mutex::default(),
            nonces: Mutex::default(),
            smartx_tokens: Mutex::default(),
            keys: Mutex::new(crate::accounts::static_keys()),
            keystone_tokens: Mutex::default(),
            keystone_ttl: Duration::from_secs(3600),
            temporary_key_ttl: Duration::from_secs(3600),
            tencent_window: Mutex::default(),
            tencent_rate_limit,
            counts: Mutex::default(),
            throttled: Mutex::new(0),
            console_ttl,
            memory,
            issued: Default::default(),
            metadata_tokens: Mutex::default(),
            reconnects: Mutex::default(),
            aliyun_keep_alive: Duration::from_secs(60),
        }
    }

    /// Keeps an instance metadata session token for `ttl`.
    pub(crate) fn remember_metadata_token(&self, token: &str, ttl: Duration) {
        self.metadata_tokens
            .lock()
            .unwrap()
            .insert(token.to_owned(), Instant::now() + ttl);
    }

    /// Whether `token` is a metadata session token that has not expired.
    pub(crate) fn metadata_token_valid(&self, token: &str) -> bool {
        self.metadata_tokens
            .lock()
            .unwrap()
            .get(token)
            .is_some_and(|e| Instant::now() < *e)
    }

    pub(crate) fn instance(&self, p: ProviderKind, id: &str) -> Option<InstanceState> {
        self.inventory
            .lock()
            .unwrap()
            .get(&(p, id.to_owned()))
            .copied()
    }

    /// The key `id` of `p`, as the verifiers see it (expired temporary keys are marked).
    pub(crate) fn key(&self, p: ProviderKind, id: &str) -> Option<Key> {
        let keys = self.keys.lock().unwrap();
        let k = keys.get(&(p, id.to_owned()))?;
        Some(Key {
            secret: k.secret.clone(),
            token: k.token.clone(),
            expired: k.expires.is_some_and(|e| Instant::now() >= e),
        })
    }

    /// A new temporary key of `p`: (id, secret, token), valid for the configured lifetime,
    /// after which the APIs refuse it as expired.
    pub(crate) fn issue_temporary_key(
        &self,
        p: ProviderKind,
        id_prefix: &str,
    ) -> (String, String, String, Duration) {
        let id = format!(
            "{id_prefix}{}",
            random_token(12).replace(['+', '/', '='], "x")
        );
        let secret = random_token(24);
        let token = random_token(32);
        let ttl = self.temporary_key_ttl;
        self.keys.lock().unwrap().insert(
            (p, id.clone()),
            StoredKey {
                secret: secret.clone(),
                token: Some(token.clone()),
                expires: Some(Instant::now() + ttl),
            },
        );
        (id, secret, token, ttl)
    }

    /// A Keystone token's project while the token is valid and scoped.
    pub(crate) fn keystone_project(&self, token: &str) -> Option<String> {
        let tokens = self.keystone_tokens.lock().unwrap();
        let (expires, project) = tokens.get(token)?;
        if Instant::now() < *expires {
            project.clone()
        } else {
            None
        }
    }

    /// Whether a Keystone token is valid and unscoped.
    pub(crate) fn keystone_unscoped(&self, token: &str) -> bool {
        let tokens = self.keystone_tokens.lock().unwrap();
        tokens
            .get(token)
            .is_some_and(|(e, p)| Instant::now() < *e && p.is_none())
    }

    pub(crate) fn keystone_remember(&self, token: &str, expires: Instant, project: Option<&str>) {
        let mut tokens = self.keystone_tokens.lock().unwrap();
        tokens.retain(|_, (e, _)| Instant::now() < *e);
        tokens.insert(token.to_owned(), (expires, project.map(str::to_owned)));
    }

    pub(crate) fn inject(&self, p: ProviderKind, fault: Fault) {
        self.faults
            .lock()
            .unwrap()
            .entry(p)
            .or_default()
            .push_back(fault);
    }

    pub(crate) fn set_instance(&self, p: ProviderKind, id: &str, state: InstanceState) {
        self.inventory
            .lock()
            .unwrap()
            .insert((p, id.to_owned()), state);
    }

    pub(crate) fn requests(&self, p: ProviderKind) -> u64 {
        self.counts.lock().unwrap().get(&p).copied().unwrap_or(0)
    }

    pub(crate) fn next_fault(&self, p: ProviderKind) -> Option<Fault> {
        self.faults
            .lock()
            .unwrap()
            .get_mut(&p)
            .and_then(VecDeque::pop_front)
    }

    pub(crate) fn count(&self, p: ProviderKind) {
        *self.counts.lock().unwrap().entry(p).or_default() += 1;
    }

    /// Records a console token; `expiring` gives it the emulator's lifetime (15 s).
    pub(crate) fn issue(
        &self,
        token: &str,
        expiring: bool,
        single_use: bool,
        provider: ProviderKind,
        instance: &str,
    ) {
        let mut consoles = self.consoles.lock().unwrap();
        // Forget dead URLs now and then, so a long load run does not grow without bound.
        let n = self
            .issued
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        if n % 1024 == 1023 {
            let remember = self.memory.unwrap_or(Duration::from_secs(3600));
            consoles.retain(|_, c| match c.valid_for {
                Some(v) => c.issued.elapsed() < v && !(c.single_use && c.used),
                None => c.issued.elapsed() < remember,
            });
        }
        consoles.insert(
            token.to_owned(),
            Issued {
                issued: Instant::now(),
                valid_for: expiring.then_some(self.console_ttl),
                single_use,
                used: false,
                provider,
                instance: instance.to_owned(),
            },
        );
    }

    /// Opens a page URL (spending it as [`State::open`] does) and issues `ticket`, a
    /// websocket token for the page valid 15 s and once, for the same console.
    pub(crate) fn ticket(&self, token: &str, ticket: &str) -> Option<String> {
        let (provider, instance) = {
            let consoles = self.consoles.lock().unwrap();
            let c = consoles.get(token)?;
            (c.provider, c.instance.clone())
        };
        if !self.open(token) {
            return None;
        }
        let mut consoles = self.consoles.lock().unwrap();
        consoles.insert(
            ticket.to_owned(),
            Issued {
                issued: Instant::now(),
                valid_for: Some(self.console_ttl),
                single_use: true,
                used: false,
                provider,
                instance,
            },
        );
        Some(ticket.to_owned())
    }

    /// Opens a console's websocket: whose console it is, or why it is refused (unknown,
    /// expired, used, or past the provider's 30 reconnects a minute), in words a viewer shows.
    pub(crate) fn connect(&self, token: &str) -> Result<(ProviderKind, String), String> {
        let (provider, instance) = {
            let consoles = self.consoles.lock().unwrap();
            let Some(c) = consoles.get(token) else {
                return Err("refused: this console URL is not one the emulator issued".into());
            };
            (c.provider, c.instance.clone())
        };
        if matches!(provider, ProviderKind::Tencent | ProviderKind::Aliyun) {
            let mut recent = self.reconnects.lock().unwrap();
            let window = recent.entry((provider, instance.clone())).or_default();
            while window
                .front()
                .is_some_and(|t| t.elapsed() >= Duration::from_secs(60))
            {
                window.pop_front();
            }
            if window.len() >= RECONNECTS_A_MINUTE {
                return Err(format!(
                    "refused: more than {RECONNECTS_A_MINUTE} connections to this instance in a minute"
                ));
            }
            window.push_back(Instant::now());
        }
        let mut consoles = self.consoles.lock().unwrap();
        let Some(c) = consoles.get_mut(token) else {
            return Err("refused: this console URL is not one the emulator issued".into());
        };
        if c.valid_for.is_some_and(|v| c.issued.elapsed() >= v) {
            return Err(format!(
                "refused: the console URL expired; it must be opened within {} s of being issued",
                c.valid_for.map_or(0, |v| v.as_secs())
            ));
        }
        if c.single_use && c.used {
            return Err("refused: the console URL was used already; it works once".into());
        }
        c.used = true;
        Ok((provider, instance))
    }

    /// Opens a console: true while valid (and marks single-use ones used).
    pub(crate) fn open(&self, token: &str) -> bool {
        let mut consoles = self.consoles.lock().unwrap();
        let Some(c) = consoles.get_mut(token) else {
            return false;
        };
        if c.valid_for.is_some_and(|v| c.issued.elapsed() >= v) || (c.single_use && c.used) {
            return false;
        }
        c.used = true;
        true
    }

    /// Whether a nonce is fresh; remembers it for the skew window.
    pub(crate) fn fresh_nonce(&self, nonce: &str) -> bool {
        let mut guard = self.nonces.lock().unwrap();
        let (order, seen) = &mut *guard;
        let window = self.memory.unwrap_or(Duration::from_secs(15 * 60));
        while let Some((at, old)) = order.front() {
            if at.elapsed() < window {
                break;
            }
            seen.remove(old);
            order.pop_front();
        }
        if !seen.insert(nonce.to_owned()) {
            return false;
        }
        order.push_back((Instant::now(), nonce.to_owned()));
        true
    }

    /// Tencent's limit: at most N requests in any second.
    pub(crate) fn tencent_admit(&self) -> bool {
        let Some(limit) = self.tencent_rate_limit else {
            return true;
        };
        let mut window = self.tencent_window.lock().unwrap();
        let now = Instant::now();
        while window
            .front()
            .is_some_and(|t| now.duration_since(*t) >= Duration::from_secs(1))
        {
            window.pop_front();
        }
        if window.len() >= limit as usize {
            *self.throttled.lock().unwrap() += 1;
            return false;
        }
        window.push_back(now);
        true
    }
}

/// A random token: `bytes` random bytes, base64 (standard alphabet, so `/`, `+` and `=`
/// appear and encoding mistakes show).
pub(crate) fn random_token(bytes: usize) -> String {
    use base64::Engine;
    let raw: Vec<u8> = (0..bytes).map(|_| rand::random::<u8>()).collect();
    base64::engine::general_purpose::STANDARD.encode(raw)
}

/// A random request id shaped like a UUID.
pub(crate) fn request_id() -> String {
    let h = hex::encode(rand::random::<[u8; 16]>());
    format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    )
}
