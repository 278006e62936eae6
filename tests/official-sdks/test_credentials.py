"""The official SDKs' own credential providers against console-sim's STS and instance metadata
services: each provider fetches temporary keys from the emulator as it would from the cloud,
and the SDK's API client then calls the emulator with them. The providers' default hosts are
replaced by the emulator's address; their schemes are `https` (STS) or fixed hosts
(metadata), so the tests patch only where the request goes, never what is sent."""

import pytest
from alibabacloud_credentials.provider import (
    EcsRamRoleCredentialsProvider,
    OIDCRoleArnCredentialsProvider,
    RamRoleArnCredentialsProvider,
    StaticAKCredentialsProvider,
)
from Tea.core import TeaCore
from tencentcloud.common import credential as tc_credential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.common.profile.http_profile import HttpProfile

import test_aliyun
import test_huawei
import test_tencent


@pytest.fixture
def tencent_http(monkeypatch):
    """Tencent's credential classes build their own `HttpProfile` with `https`."""

    class Plain(HttpProfile):
        def __init__(self, *args, **kwargs):
            kwargs.setdefault("protocol", "http")
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(tc_credential, "HttpProfile", Plain)


@pytest.fixture
def tea_http(monkeypatch):
    """Alibaba's credential providers send STS requests with `protocol = "https"`."""
    original = TeaCore.do_action

    def plain(request, runtime=None):
        request.protocol = "http"
        return original(request, runtime)

    monkeypatch.setattr(TeaCore, "do_action", staticmethod(plain))


def tencent_cvm(sim, cred):
    c = test_tencent.client(sim)
    c.credential = cred
    return c


def test_tencent_assume_role(sim, tencent_http):
    t = sim.creds["tencent"]
    cred = tc_credential.STSAssumeRoleCredential(
        t["secret_id"], t["secret_key"], t["role_arn"], "sdk-test", endpoint=sim.host("tencent")
    )
    assert cred.secret_id.startswith("AKIDSIMSTS")
    test_tencent.assert_console(test_tencent.describe(tencent_cvm(sim, cred), sim.running))


def test_tencent_assume_role_refuses_an_unknown_role(sim, tencent_http):
    t = sim.creds["tencent"]
    cred = tc_credential.STSAssumeRoleCredential(
        t["secret_id"], t["secret_key"], "qcs::cam::uin/1:roleName/nope", "sdk-test", endpoint=sim.host("tencent")
    )
    with pytest.raises(TencentCloudSDKException) as e:
        cred.get_credential_info()
    assert e.value.code == "ResourceNotFound.RoleNotExist"


def test_tencent_web_identity(sim, tencent_http):
    t = sim.creds["tencent"]
    cred = tc_credential.OIDCRoleArnCredential(
        "ap-guangzhou", t["oidc_provider_id"], t["web_identity_token"], t["role_arn"], "sdk-test",
        endpoint=sim.host("tencent"),
    )
    test_tencent.assert_console(test_tencent.describe(tencent_cvm(sim, cred), sim.running))
    wrong = tc_credential.OIDCRoleArnCredential(
        "ap-guangzhou", t["oidc_provider_id"], "forged", t["role_arn"], "sdk-test", endpoint=sim.host("tencent")
    )
    with pytest.raises(TencentCloudSDKException) as e:
        wrong.get_credential_info()
    assert e.value.code == "InvalidParameter.WebIdentityTokenError"


def test_tencent_cvm_role(sim, monkeypatch):
    base = sim.url("tencent") + "/latest/meta-data/"
    monkeypatch.setattr(tc_credential.CVMRoleCredential, "_metadata_endpoint", base)
    monkeypatch.setattr(tc_credential.CVMRoleCredential, "_role_endpoint", base + "cam/security-credentials/")
    cred = tc_credential.CVMRoleCredential()
    assert cred.get_role_name() == sim.creds["tencent"]["cvm_role"]
    test_tencent.assert_console(test_tencent.describe(tencent_cvm(sim, cred), sim.running))


def aliyun_ecs(sim, provider):
    creds = provider.get_credentials()
    config = test_aliyun.Config(
        access_key_id=creds.get_access_key_id(),
        access_key_secret=creds.get_access_key_secret(),
        security_token=creds.get_security_token(),
        endpoint=sim.host("aliyun"),
        protocol="http",
        region_id="cn-hangzhou",
    )
    return test_aliyun.Client(config)


def test_aliyun_ram_role_arn(sim, tea_http):
    a = sim.creds["aliyun"]
    base = StaticAKCredentialsProvider(access_key_id=a["access_key_id"], access_key_secret=a["access_key_secret"])
    provider = RamRoleArnCredentialsProvider(
        credentials_provider=base, role_arn=a["role_arn"], role_session_name="sdk-test",
        sts_endpoint=sim.host("aliyun"),
    )
    test_aliyun.assert_console(test_aliyun.describe(aliyun_ecs(sim, provider), sim.running))


def test_aliyun_ram_role_arn_with_a_wrong_secret_is_refused(sim, tea_http):
    a = sim.creds["aliyun"]
    base = StaticAKCredentialsProvider(access_key_id=a["access_key_id"], access_key_secret="wrong")
    provider = RamRoleArnCredentialsProvider(
        credentials_provider=base, role_arn=a["role_arn"], role_session_name="sdk-test",
        sts_endpoint=sim.host("aliyun"),
    )
    with pytest.raises(Exception) as e:
        provider.get_credentials()
    assert "SignatureDoesNotMatch" in str(e.value)


def test_aliyun_oidc(sim, tea_http, tmp_path):
    a = sim.creds["aliyun"]
    token = tmp_path / "token"
    token.write_text(a["oidc_token"])
    provider = OIDCRoleArnCredentialsProvider(
        role_arn=a["role_arn"], oidc_provider_arn=a["oidc_provider_arn"], oidc_token_file_path=str(token),
        role_session_name="sdk-test", sts_endpoint=sim.host("aliyun"),
    )
    test_aliyun.assert_console(test_aliyun.describe(aliyun_ecs(sim, provider), sim.running))
    token.write_text("forged")
    wrong = OIDCRoleArnCredentialsProvider(
        role_arn=a["role_arn"], oidc_provider_arn=a["oidc_provider_arn"], oidc_token_file_path=str(token),
        role_session_name="sdk-test", sts_endpoint=sim.host("aliyun"),
    )
    with pytest.raises(Exception) as e:
        wrong.get_credentials()
    assert "AuthenticationFail.OIDCToken.Invalid" in str(e.value)


def test_aliyun_ecs_ram_role_with_imdsv2(sim, monkeypatch):
    monkeypatch.setenv("ALIBABA_CLOUD_IMDSV1_DISABLED", "true")
    provider = EcsRamRoleCredentialsProvider(disable_imds_v1=True, async_update_enabled=False)
    monkeypatch.setattr(provider, "_EcsRamRoleCredentialsProvider__metadata_service_host", sim.host("aliyun"))
    test_aliyun.assert_console(test_aliyun.describe(aliyun_ecs(sim, provider), sim.running))


def test_huawei_metadata_securitykey(sim, monkeypatch):
    from huaweicloudsdkcore.auth import internal
    from huaweicloudsdkcore.auth.credentials import BasicCredentials

    monkeypatch.setattr(internal.MetadataAccessor, "_METADATA_ENDPOINT", sim.url("huawei"))
    cred = BasicCredentials(project_id=sim.creds["huawei"]["project_id"])
    cred.sts_accessor = internal.MetadataAccessor()
    cred.process_sts(None)
    assert cred.ak.startswith("HWSIMAGENCY")
    c = (
        test_huawei.EcsClient.new_builder()
        .with_credentials(cred)
        .with_endpoints([sim.url("huawei")])
        .build()
    )
    resp = test_huawei.remote_console(c, sim.running)
    assert "/vnc_auto.html?token=" in resp.remote_console.url
