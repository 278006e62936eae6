"""The official SDKs' own credential providers against console-sim's STS and instance metadata
services: each provider fetches temporary keys from the emulator as it would from the cloud,
and the SDK's API client then calls the emulator with them. The providers' default hosts are
replaced by the emulator's address; their schemes are `https` (STS) or fixed hosts
(metadata), so the tests patch only where the request goes, never what is sent."""

import json

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


# The same files, read by the official SDK's provider and by `console-url`: both must get keys
# the emulator accepts, so the formats this library reads are the ones the SDKs read.


def console_url(args, env):
    import os
    import subprocess

    full = {"PATH": os.environ.get("PATH", ""), **env}
    return subprocess.run(
        [os.environ["CONSOLE_URL"], *args, "--json"], env=full, capture_output=True, text=True,
        timeout=60, check=False,
    )


def test_tencent_profile_file(sim, tmp_path, monkeypatch):
    t = sim.creds["tencent"]
    (tmp_path / ".tencentcloud").mkdir()
    (tmp_path / ".tencentcloud" / "credentials").write_text(
        f"[default]\nsecret_id = {t['secret_id']}\nsecret_key = {t['secret_key']}\n"
    )
    monkeypatch.setenv("HOME", str(tmp_path))
    cred = tc_credential.ProfileCredential().get_credential()
    test_tencent.assert_console(test_tencent.describe(tencent_cvm(sim, cred), sim.running))
    out = console_url(
        ["tencent", "--instance", sim.running, "--region", "ap-guangzhou", "--endpoint", sim.url("tencent"),
         "--metadata-endpoint", "http://127.0.0.1:9"],
        {"HOME": str(tmp_path)},
    )
    assert out.returncode == 0, out.stderr


def test_aliyun_cli_config_role_profile(sim, tmp_path, monkeypatch):
    from alibabacloud_credentials.provider import CLIProfileCredentialsProvider

    a = sim.creds["aliyun"]
    config = tmp_path / ".aliyun" / "config.json"
    config.parent.mkdir()
    config.write_text(json.dumps({"current": "ops", "profiles": [
        {"name": "ops", "mode": "RamRoleArn", "access_key_id": a["access_key_id"],
         "access_key_secret": a["access_key_secret"], "ram_role_arn": a["role_arn"],
         "ram_session_name": "sdk", "expired_seconds": 900}]}))
    original = TeaCore.do_action

    def to_sim(request, runtime=None):
        request.protocol = "http"
        request.headers["host"] = sim.host("aliyun")
        return original(request, runtime)

    monkeypatch.setattr(TeaCore, "do_action", staticmethod(to_sim))
    provider = CLIProfileCredentialsProvider(profile_file=str(config), profile_name="ops")
    assert provider.get_credentials().get_access_key_id().startswith("STS.SIM")
    test_aliyun.assert_console(test_aliyun.describe(aliyun_ecs(sim, provider), sim.running))
    out = console_url(
        ["aliyun", "--instance", sim.running, "--region", "cn-hangzhou", "--endpoint", sim.url("aliyun"),
         "--sts-endpoint", sim.url("aliyun"), "--metadata-endpoint", "http://127.0.0.1:9"],
        {"HOME": str(tmp_path)},
    )
    assert out.returncode == 0, out.stderr


def test_aliyun_ini_file(sim, tmp_path):
    from alibabacloud_credentials.provider import ProfileCredentialsProvider

    a = sim.creds["aliyun"]
    ini = tmp_path / "credentials.ini"
    ini.write_text(
        f"[lab]\ntype = access_key\naccess_key_id = {a['access_key_id']}\n"
        f"access_key_secret = {a['access_key_secret']}\n"
    )
    provider = ProfileCredentialsProvider(profile_file=str(ini), profile_name="lab")
    test_aliyun.assert_console(test_aliyun.describe(aliyun_ecs(sim, provider), sim.running))
    out = console_url(
        ["aliyun", "--instance", sim.running, "--region", "cn-hangzhou", "--endpoint", sim.url("aliyun"),
         "--profile", "lab", "--sts-endpoint", sim.url("aliyun"), "--metadata-endpoint", "http://127.0.0.1:9"],
        {"HOME": str(tmp_path), "ALIBABA_CLOUD_CREDENTIALS_FILE": str(ini)},
    )
    assert out.returncode == 0, out.stderr


def test_huawei_profile_file(sim, tmp_path, monkeypatch):
    from huaweicloudsdkcore.auth.provider import ProfileCredentialProvider

    h = sim.creds["huawei"]
    path = tmp_path / "credentials"
    path.write_text(f"[basic]\nak = {h['ak']}\nsk = {h['sk']}\nproject_id = {h['project_id']}\n")
    monkeypatch.setenv("HUAWEICLOUD_SDK_CREDENTIALS_FILE", str(path))
    cred = ProfileCredentialProvider.get_basic().get_credentials()
    c = test_huawei.EcsClient.new_builder().with_credentials(cred).with_endpoints([sim.url("huawei")]).build()
    assert "/vnc_auto.html?token=" in test_huawei.remote_console(c, sim.running).remote_console.url
    out = console_url(
        ["huawei", "--instance", sim.running, "--region", "cn-north-4", "--endpoint", sim.url("huawei"),
         "--metadata-endpoint", "http://127.0.0.1:9"],
        {"HOME": str(tmp_path), "HUAWEICLOUD_SDK_CREDENTIALS_FILE": str(path)},
    )
    assert out.returncode == 0, out.stderr
