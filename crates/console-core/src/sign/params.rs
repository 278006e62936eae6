//! Who signs, when, and with which scheme settings.

use time::OffsetDateTime;

use crate::secret::Secret;

/// The signer's identity: an access key, its secret, and the session token of temporary
/// (STS) credentials.
#[derive(Debug, Clone, Copy)]
pub struct Identity<'a> {
    /// The access key id (Tencent SecretId, Alibaba AccessKeyId, Huawei AK).
    pub access_key_id: &'a str,
    /// The secret (never printed: it is a [`Secret`]).
    pub secret: &'a Secret,
    /// The session or security token, with temporary credentials.
    pub session_token: Option<&'a Secret>,
}

/// Everything a scheme needs besides the request: identity, the time (and nonce, for the
/// schemes that send one) as inputs, and the scheme's own settings.
#[derive(Debug, Clone)]
pub struct SigningParams<'a, S> {
    /// Who signs.
    pub identity: Identity<'a>,
    /// The signing time (the clock is the caller's, so tests pin it).
    pub time: OffsetDateTime,
    /// The nonce, for schemes that send one (Alibaba); others ignore it.
    pub nonce: &'a str,
    /// The scheme's settings (which headers to sign, the service, the algorithm variant).
    pub settings: S,
}

/// Which of the request's headers a header-signing scheme signs. Each scheme signs the
/// headers it adds itself (its date, nonce, token) and `host` whatever this says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum HeaderSelection {
    /// What the provider's official SDK signs (each scheme documents it).
    #[default]
    SdkDefault,
    /// Exactly these (case-insensitive), plus the scheme's own.
    Only(Vec<String>),
    /// Every header the request carries but these (case-insensitive).
    AllExcept(Vec<String>),
}

impl HeaderSelection {
    /// Whether to sign `name`, given what the scheme's SDK default would say.
    pub fn includes(&self, name: &str, sdk_default: impl Fn(&str) -> bool) -> bool {
        match self {
            HeaderSelection::SdkDefault => sdk_default(name),
            HeaderSelection::Only(names) => names.iter().any(|n| n.eq_ignore_ascii_case(name)),
            HeaderSelection::AllExcept(names) => {
                !names.iter().any(|n| n.eq_ignore_ascii_case(name))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_selection_is_data() {
        let sdk = |n: &str| n.starts_with("x-");
        assert!(HeaderSelection::SdkDefault.includes("x-a", sdk));
        assert!(!HeaderSelection::SdkDefault.includes("accept", sdk));
        let only = HeaderSelection::Only(vec!["Accept".into()]);
        assert!(only.includes("accept", sdk) && !only.includes("x-a", sdk));
        let except = HeaderSelection::AllExcept(vec!["User-Agent".into()]);
        assert!(except.includes("accept", sdk) && !except.includes("user-agent", sdk));
    }
}
