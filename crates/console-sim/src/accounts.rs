//! The accounts every emulated provider knows: access keys (long-term and temporary),
//! logins, projects and the inventory ids. They are printed by the binary and exported for
//! tests, so any client, ours or an official SDK, is configured with them alone.

use std::collections::HashMap;

use crate::state::{ProviderKind, StoredKey};

/// The id of an instance that is running in every provider's inventory.
pub const RUNNING: &str = "ins-sim-running";
/// The id of an instance that is stopped in every provider's inventory.
pub const STOPPED: &str = "ins-sim-stopped";
/// An id no inventory has.
pub const MISSING: &str = "ins-sim-missing";

/// The Tencent SecretId the emulator accepts.
pub const TENCENT_SECRET_ID: &str = "AKIDSIMULATOR0000000000000000000000";
/// The Tencent SecretKey the emulator accepts.
pub const TENCENT_SECRET_KEY: &str = "sim-tencent-secret-key";
/// A temporary Tencent SecretId, valid only with [`TENCENT_STS_TOKEN`] (`X-TC-Token`).
pub const TENCENT_STS_SECRET_ID: &str = "AKIDSIMULATORSTS00000000000000000000";
/// The temporary SecretKey that goes with [`TENCENT_STS_SECRET_ID`].
pub const TENCENT_STS_SECRET_KEY: &str = "sim-tencent-sts-secret-key";
/// The session token that goes with [`TENCENT_STS_SECRET_ID`].
pub const TENCENT_STS_TOKEN: &str = "sim-tencent-session-token";

/// The CAM role Tencent's STS lets the account's keys and the TKE identity assume.
pub const TENCENT_ROLE_ARN: &str = "qcs::cam::uin/100000000001:roleName/sim-role";
/// The OIDC identity provider Tencent's STS knows (`TKE_PROVIDER_ID`).
pub const TENCENT_OIDC_PROVIDER_ID: &str = "sim-tke-oidc";
/// The web identity token that provider issued (the contents of `TKE_WEB_IDENTITY_TOKEN_FILE`).
pub const TENCENT_WEB_IDENTITY_TOKEN: &str = "sim-tke-web-identity-token";

/// The Alibaba AccessKey ID the emulator accepts.
pub const ALIYUN_ACCESS_KEY_ID: &str = "LTAISIMULATOR";
/// The Alibaba AccessKey secret the emulator accepts.
pub const ALIYUN_ACCESS_KEY_SECRET: &str = "sim-aliyun-secret";
/// A temporary Alibaba AccessKey ID, valid only with [`ALIYUN_STS_TOKEN`].
pub const ALIYUN_STS_ACCESS_KEY_ID: &str = "STS.SIMULATOR";
/// The temporary secret that goes with [`ALIYUN_STS_ACCESS_KEY_ID`].
pub const ALIYUN_STS_ACCESS_KEY_SECRET: &str = "sim-aliyun-sts-secret";
/// The security token that goes with [`ALIYUN_STS_ACCESS_KEY_ID`].
pub const ALIYUN_STS_TOKEN: &str = "sim-aliyun-security-token";

/// The RAM role Alibaba's STS lets the account's keys and the RRSA identity assume.
pub const ALIYUN_ROLE_ARN: &str = "acs:ram::100000000001:role/sim-role";
/// The OIDC provider Alibaba's STS knows (`ALIBABA_CLOUD_OIDC_PROVIDER_ARN`).
pub const ALIYUN_OIDC_PROVIDER_ARN: &str = "acs:ram::100000000001:oidc-provider/sim-ack-rrsa";
/// The OIDC token that provider issued (the contents of `ALIBABA_CLOUD_OIDC_TOKEN_FILE`).
pub const ALIYUN_OIDC_TOKEN: &str = "sim-ack-rrsa-oidc-token";

/// The Huawei AK the emulator accepts.
pub const HUAWEI_AK: &str = "HWSIMULATORAK";
/// The Huawei SK the emulator accepts.
pub const HUAWEI_SK: &str = "sim-huawei-secret";
/// A temporary Huawei AK, valid only with [`HUAWEI_STS_TOKEN`] (`X-Security-Token`).
pub const HUAWEI_STS_AK: &str = "HWSIMULATORSTSAK";
/// The temporary SK that goes with [`HUAWEI_STS_AK`].
pub const HUAWEI_STS_SK: &str = "sim-huawei-sts-secret";
/// The security token that goes with [`HUAWEI_STS_AK`].
pub const HUAWEI_STS_TOKEN: &str = "sim-huawei-security-token";
/// The Huawei project id the emulator serves: the project of [`HUAWEI_REGION`].
pub const HUAWEI_PROJECT_ID: &str = "0123456789abcdef0123456789abcdef";
/// The region whose project is [`HUAWEI_PROJECT_ID`].
pub const HUAWEI_REGION: &str = "cn-north-4";
/// The account's second project, of the European site's region `eu-west-101`.
pub const HUAWEI_EU_PROJECT_ID: &str = "fedcba9876543210fedcba9876543210";
/// The account's projects by region, as IAM's `KeystoneListProjects` lists them by name.
/// Other regions have none.
pub const HUAWEI_PROJECTS: &[(&str, &str)] = &[
    (HUAWEI_REGION, HUAWEI_PROJECT_ID),
    ("eu-west-101", HUAWEI_EU_PROJECT_ID),
];
/// A Huawei IAM token the emulator accepts (`X-Auth-Token`), scoped to [`HUAWEI_PROJECT_ID`].
pub const HUAWEI_IAM_TOKEN: &str = "sim-huawei-iam-token";

/// The CloudTower username the emulator accepts.
pub const SMARTX_USERNAME: &str = "admin";
/// The CloudTower password the emulator accepts.
pub const SMARTX_PASSWORD: &str = "sim-cloudtower-password";

/// The Keystone user name (in [`OPENSTACK_DOMAIN_NAME`]).
pub const OPENSTACK_USERNAME: &str = "demo";
/// The Keystone user id.
pub const OPENSTACK_USER_ID: &str = "5d2b9f1e6c8a4b7f9e0d1c2b3a4f5e6d";
/// The Keystone user's password.
pub const OPENSTACK_PASSWORD: &str = "sim-openstack-password";
/// The project the user is a member of.
pub const OPENSTACK_PROJECT_NAME: &str = "demo";
/// That project's id.
pub const OPENSTACK_PROJECT_ID: &str = "9a8b7c6d5e4f40312a1b2c3d4e5f6a7b";
/// The domain of the user and the project, by name.
pub const OPENSTACK_DOMAIN_NAME: &str = "Default";
/// The same domain, by id.
pub const OPENSTACK_DOMAIN_ID: &str = "default";
/// An application credential of the user, by id.
pub const OPENSTACK_APP_CREDENTIAL_ID: &str = "3e1f2a4b5c6d47e8f9a0b1c2d3e4f5a6";
/// The same application credential, by name.
pub const OPENSTACK_APP_CREDENTIAL_NAME: &str = "sim-portal";
/// The application credential's secret.
pub const OPENSTACK_APP_CREDENTIAL_SECRET: &str = "sim-openstack-app-secret";
/// The region in Keystone's catalog.
pub const OPENSTACK_REGION: &str = "RegionOne";

pub(crate) fn static_keys() -> HashMap<(ProviderKind, String), StoredKey> {
    let key = |secret: &str, token: Option<&str>| StoredKey {
        secret: secret.to_owned(),
        token: token.map(str::to_owned),
        expires: None,
    };
    HashMap::from([
        (
            (ProviderKind::Tencent, TENCENT_SECRET_ID.to_owned()),
            key(TENCENT_SECRET_KEY, None),
        ),
        (
            (ProviderKind::Tencent, TENCENT_STS_SECRET_ID.to_owned()),
            key(TENCENT_STS_SECRET_KEY, Some(TENCENT_STS_TOKEN)),
        ),
        (
            (ProviderKind::Aliyun, ALIYUN_ACCESS_KEY_ID.to_owned()),
            key(ALIYUN_ACCESS_KEY_SECRET, None),
        ),
        (
            (ProviderKind::Aliyun, ALIYUN_STS_ACCESS_KEY_ID.to_owned()),
            key(ALIYUN_STS_ACCESS_KEY_SECRET, Some(ALIYUN_STS_TOKEN)),
        ),
        (
            (ProviderKind::Huawei, HUAWEI_AK.to_owned()),
            key(HUAWEI_SK, None),
        ),
        (
            (ProviderKind::Huawei, HUAWEI_STS_AK.to_owned()),
            key(HUAWEI_STS_SK, Some(HUAWEI_STS_TOKEN)),
        ),
    ])
}

/// Everything a client needs, as the binary prints it after the endpoint line.
pub(crate) fn credentials_json() -> serde_json::Value {
    serde_json::json!({
        "tencent": {"secret_id": TENCENT_SECRET_ID, "secret_key": TENCENT_SECRET_KEY,
            "sts": {"secret_id": TENCENT_STS_SECRET_ID, "secret_key": TENCENT_STS_SECRET_KEY, "token": TENCENT_STS_TOKEN},
            "role_arn": TENCENT_ROLE_ARN, "oidc_provider_id": TENCENT_OIDC_PROVIDER_ID,
            "web_identity_token": TENCENT_WEB_IDENTITY_TOKEN, "cvm_role": crate::tencent::CVM_ROLE},
        "aliyun": {"access_key_id": ALIYUN_ACCESS_KEY_ID, "access_key_secret": ALIYUN_ACCESS_KEY_SECRET,
            "sts": {"access_key_id": ALIYUN_STS_ACCESS_KEY_ID, "access_key_secret": ALIYUN_STS_ACCESS_KEY_SECRET, "security_token": ALIYUN_STS_TOKEN},
            "role_arn": ALIYUN_ROLE_ARN, "oidc_provider_arn": ALIYUN_OIDC_PROVIDER_ARN,
            "oidc_token": ALIYUN_OIDC_TOKEN, "ecs_role": crate::aliyun_metadata::ECS_ROLE},
        "huawei": {"ak": HUAWEI_AK, "sk": HUAWEI_SK, "project_id": HUAWEI_PROJECT_ID, "iam_token": HUAWEI_IAM_TOKEN,
            "sts": {"ak": HUAWEI_STS_AK, "sk": HUAWEI_STS_SK, "security_token": HUAWEI_STS_TOKEN}},
        "keystone": {"username": OPENSTACK_USERNAME, "user_id": OPENSTACK_USER_ID, "password": OPENSTACK_PASSWORD,
            "project_name": OPENSTACK_PROJECT_NAME, "project_id": OPENSTACK_PROJECT_ID,
            "user_domain_name": OPENSTACK_DOMAIN_NAME, "project_domain_name": OPENSTACK_DOMAIN_NAME,
            "application_credential_id": OPENSTACK_APP_CREDENTIAL_ID,
            "application_credential_name": OPENSTACK_APP_CREDENTIAL_NAME,
            "application_credential_secret": OPENSTACK_APP_CREDENTIAL_SECRET,
            "region_name": OPENSTACK_REGION},
        "cloudtower": {"username": SMARTX_USERNAME, "password": SMARTX_PASSWORD, "source": "LOCAL"},
        "instances": {"running": RUNNING, "stopped": STOPPED, "missing": MISSING},
    })
}
