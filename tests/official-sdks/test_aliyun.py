"""Alibaba Cloud's official Python SDK (alibabacloud-ecs20140526 on tea-openapi) against
console-sim, with signature V3 (ACS3-HMAC-SHA256, the default) and the RPC signature V1
(HMAC-SHA1, `signature_algorithm="v2"`)."""

import urllib.parse

import pytest
from alibabacloud_ecs20140526 import models
from alibabacloud_ecs20140526.client import Client
from alibabacloud_tea_openapi.models import Config
from alibabacloud_tea_util.models import RuntimeOptions

ALGORITHMS = [None, "v2"]


def client(sim, algorithm=None, secret=None, sts=False):
    c = sim.creds["aliyun"]
    if sts:
        config = Config(
            access_key_id=c["sts"]["access_key_id"],
            access_key_secret=c["sts"]["access_key_secret"],
            security_token=c["sts"]["security_token"],
        )
    else:
        config = Config(access_key_id=c["access_key_id"], access_key_secret=secret or c["access_key_secret"])
    config.endpoint = sim.host("aliyun")
    config.protocol = "http"
    config.region_id = "cn-hangzhou"
    if algorithm:
        config.signature_algorithm = algorithm
    return Client(config)


def describe(c, instance):
    req = models.DescribeInstanceVncUrlRequest(region_id="cn-hangzhou", instance_id=instance)
    # No retries: an error must reach the test as the emulator answered it.
    return c.describe_instance_vnc_url_with_options(req, RuntimeOptions(autoretry=False, max_attempts=0))


def assert_console(resp):
    url = urllib.parse.unquote(resp.body.vnc_url)
    assert url.startswith("ws://127.0.0.1:"), url
    assert "/websockify/?s=" in url
    assert resp.body.request_id


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_running_instance_gets_a_console(sim, algorithm):
    assert_console(describe(client(sim, algorithm), sim.running))


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_sts_credentials(sim, algorithm):
    assert_console(describe(client(sim, algorithm, sts=True), sim.running))


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_stopped_instance_is_the_documented_error(sim, algorithm):
    with pytest.raises(Exception) as e:
        describe(client(sim, algorithm), sim.stopped)
    assert e.value.code == "IncorrectInstanceStatus"
    assert e.value.status_code == 403


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_missing_instance_is_not_found(sim, algorithm):
    with pytest.raises(Exception) as e:
        describe(client(sim, algorithm), sim.missing)
    assert e.value.code == "InvalidInstanceId.NotFound"
    assert e.value.status_code == 404


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_wrong_secret_is_an_auth_failure(sim, algorithm):
    with pytest.raises(Exception) as e:
        describe(client(sim, algorithm, secret="not-the-secret"), sim.running)
    assert e.value.code == "SignatureDoesNotMatch"


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_odd_characters_are_signed_as_the_server_reads_them(sim, algorithm):
    # A space goes on the wire as `+` (or `%20`), a plus as `%2B`: the emulator must read the
    # query as the service does, so the signature holds and the id is simply not found.
    with pytest.raises(Exception) as e:
        describe(client(sim, algorithm), "i-a b+c/d*e~f=g&h中文")
    assert e.value.code == "InvalidInstanceId.NotFound"
