"""Tencent's official Python SDK (tencentcloud-sdk-python-cvm) against console-sim."""

import urllib.parse

import pytest
from tencentcloud.common import credential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.cvm.v20170312 import cvm_client, models

SIGN_METHODS = ["TC3-HMAC-SHA256", "HmacSHA1", "HmacSHA256"]


def client(sim, sign_method="TC3-HMAC-SHA256", method="POST", secret=None, sts=False, unsigned=False):
    c = sim.creds["tencent"]
    if sts:
        cred = credential.Credential(c["sts"]["secret_id"], c["sts"]["secret_key"], c["sts"]["token"])
    else:
        cred = credential.Credential(c["secret_id"], secret or c["secret_key"])
    http = HttpProfile(endpoint=sim.host("tencent"), protocol="http", reqMethod=method)
    profile = ClientProfile(httpProfile=http, signMethod=sign_method)
    profile.unsignedPayload = unsigned
    return cvm_client.CvmClient(cred, "ap-guangzhou", profile)


def describe(c, instance):
    req = models.DescribeInstanceVncUrlRequest()
    req.InstanceId = instance
    return c.DescribeInstanceVncUrl(req)


def assert_console(resp):
    url = urllib.parse.unquote(resp.InstanceVncUrl)
    assert url.startswith("ws://127.0.0.1:"), url
    assert "/vnc?s=" in url
    assert resp.RequestId


@pytest.mark.parametrize("sign_method", SIGN_METHODS)
@pytest.mark.parametrize("method", ["POST", "GET"])
def test_running_instance_gets_a_console(sim, sign_method, method):
    assert_console(describe(client(sim, sign_method, method), sim.running))


def test_unsigned_payload(sim):
    assert_console(describe(client(sim, unsigned=True), sim.running))


def test_sts_credentials(sim):
    assert_console(describe(client(sim, sts=True), sim.running))


@pytest.mark.parametrize("sign_method", SIGN_METHODS)
def test_stopped_instance_is_the_documented_error(sim, sign_method):
    with pytest.raises(TencentCloudSDKException) as e:
        describe(client(sim, sign_method), sim.stopped)
    assert e.value.code == "UnsupportedOperation.InstanceStateStopped"


def test_missing_instance_is_not_found(sim):
    with pytest.raises(TencentCloudSDKException) as e:
        describe(client(sim), sim.missing)
    assert e.value.code == "InvalidInstanceId.NotFound"


@pytest.mark.parametrize("sign_method", SIGN_METHODS)
def test_wrong_secret_is_an_auth_failure(sim, sign_method):
    with pytest.raises(TencentCloudSDKException) as e:
        describe(client(sim, sign_method, secret="not-the-secret"), sim.running)
    assert e.value.code == "AuthFailure.SignatureFailure"


@pytest.mark.parametrize("sign_method", SIGN_METHODS)
@pytest.mark.parametrize("method", ["POST", "GET"])
def test_odd_characters_are_signed_as_the_server_reads_them(sim, sign_method, method):
    with pytest.raises(TencentCloudSDKException) as e:
        describe(client(sim, sign_method, method), "ins-a b+c/d*e~f=g&h中文")
    assert e.value.code == "InvalidInstanceId.NotFound"


@pytest.mark.parametrize(
    "service,version",
    [("lighthouse", "2020-03-24"), ("ecm", "2019-07-19")],
)
def test_lighthouse_and_ecm_through_the_sdk_common_client(sim, service, version):
    """Lighthouse and ECM have CVM's action under their own service and version; the SDK's
    CommonClient signs for that service, as console-tencent's product choice does."""
    from tencentcloud.common.common_client import CommonClient

    c = sim.creds["tencent"]
    cred = credential.Credential(c["secret_id"], c["secret_key"])
    http = HttpProfile(endpoint=sim.host("tencent"), protocol="http")
    common = CommonClient(service, version, cred, "ap-guangzhou", profile=ClientProfile(httpProfile=http))
    resp = common.call_json("DescribeInstanceVncUrl", {"InstanceId": sim.running})
    assert urllib.parse.unquote(resp["Response"]["InstanceVncUrl"]).startswith("ws://127.0.0.1:")
    # Signed for CVM's service with this product's version: the emulator refuses it, as the
    # version does not exist on CVM.
    wrong = CommonClient("cvm", version, cred, "ap-guangzhou", profile=ClientProfile(httpProfile=http))
    with pytest.raises(TencentCloudSDKException) as e:
        wrong.call_json("DescribeInstanceVncUrl", {"InstanceId": sim.running})
    assert e.value.code == "NoSuchVersion"
