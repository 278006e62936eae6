"""Huawei Cloud's official Python SDK (huaweicloudsdkecs) against console-sim: the v1
`remote_console` call, signed with SDK-HMAC-SHA256; and python-novaclient against the
Nova-compatible routes of the same endpoint with an IAM token."""

import pytest
from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkcore.http.http_config import HttpConfig
from huaweicloudsdkecs.v2 import EcsClient, model
from keystoneauth1 import session
from keystoneauth1.loading import get_plugin_loader
from novaclient import client as nova_client
from novaclient import exceptions as nova_exceptions


def ecs(sim, secret=None, sts=False):
    c = sim.creds["huawei"]
    if sts:
        cred = BasicCredentials(c["sts"]["ak"], c["sts"]["sk"], c["project_id"]).with_security_token(
            c["sts"]["security_token"]
        )
    else:
        cred = BasicCredentials(c["ak"], secret or c["sk"], c["project_id"])
    config = HttpConfig.get_default_config()
    config.retry_times = 0
    return (
        EcsClient.new_builder()
        .with_credentials(cred)
        .with_endpoints([sim.url("huawei")])
        .with_http_config(config)
        .build()
    )


def remote_console(c, server):
    body = model.ShowServerRemoteConsoleRequestBody(
        remote_console=model.GetServerRemoteConsoleOption(protocol="vnc", type="novnc")
    )
    return c.show_server_remote_console(model.ShowServerRemoteConsoleRequest(server_id=server, body=body))


def test_running_server_gets_a_console(sim):
    resp = remote_console(ecs(sim), sim.running)
    assert resp.remote_console.type == "novnc"
    assert resp.remote_console.protocol == "vnc"
    assert resp.remote_console.url.startswith("http://127.0.0.1:")
    assert "/vnc_auto.html?token=" in resp.remote_console.url


def test_temporary_credentials(sim):
    assert remote_console(ecs(sim, sts=True), sim.running).remote_console.url


def test_stopped_server_is_a_conflict(sim):
    with pytest.raises(ClientRequestException) as e:
        remote_console(ecs(sim), sim.stopped)
    assert e.value.status_code == 409


def test_missing_server_is_not_found(sim):
    with pytest.raises(ClientRequestException) as e:
        remote_console(ecs(sim), sim.missing)
    assert e.value.status_code == 404


def test_wrong_secret_is_refused_by_the_gateway(sim):
    with pytest.raises(ClientRequestException) as e:
        remote_console(ecs(sim, secret="not-the-secret"), sim.running)
    assert e.value.status_code == 401
    assert e.value.error_code == "APIGW.0301"


def test_odd_server_ids_are_signed_as_the_gateway_reads_them(sim):
    # The path is unquoted, split on `/` and encoded again by the gateway: the signature
    # must hold for ids with spaces, plus signs and CJK, and the server simply not be found.
    with pytest.raises(ClientRequestException) as e:
        remote_console(ecs(sim), "a b+c*d~e中文")
    assert e.value.status_code == 404


def nova(sim, version):
    c = sim.creds["huawei"]
    endpoint = "%s/v2.1/%s" % (sim.url("huawei"), c["project_id"])
    auth = get_plugin_loader("admin_token").load_from_options(endpoint=endpoint, token=c["iam_token"])
    return nova_client.Client(version, session=session.Session(auth=auth))


@pytest.mark.parametrize("version", ["2.1", "2.5", "2.6", "2.8"])
def test_novaclient_gets_a_console_from_the_nova_routes(sim, version):
    console = nova(sim, version).servers.get_vnc_console(sim.running, "novnc")
    key = "console" if version in ("2.1", "2.5") else "remote_console"
    assert "/vnc_auto.html?token=" in console[key]["url"]


def test_novaclient_stopped_and_missing(sim):
    with pytest.raises(nova_exceptions.Conflict):
        nova(sim, "2.6").servers.get_vnc_console(sim.stopped, "novnc")
    with pytest.raises(nova_exceptions.NotFound):
        nova(sim, "2.6").servers.get_vnc_console(sim.missing, "novnc")


def test_without_a_project_id_the_sdk_looks_it_up_at_the_emulator_s_iam(sim):
    """The SDK's own KeystoneListProjects lookup (GET /v3/projects?name=<region>, AK/SK
    signed) against the emulator's IAM: the same exchange console-huawei makes."""
    from huaweicloudsdkcore.region.region import Region

    c = sim.creds["huawei"]
    for region, project in [("cn-north-4", c["project_id"]), ("eu-west-101", None)]:
        cred = BasicCredentials(c["ak"], c["sk"]).with_iam_endpoint(sim.url("huawei"))
        config = HttpConfig.get_default_config()
        config.retry_times = 0
        client = (
            EcsClient.new_builder()
            .with_credentials(cred)
            .with_region(Region(region, sim.url("huawei")))
            .with_http_config(config)
            .build()
        )
        assert remote_console(client, sim.running).remote_console.url
        if project:
            assert cred.project_id == project
        else:
            assert cred.project_id and cred.project_id != c["project_id"]


def test_a_region_without_a_project_is_refused_by_the_sdk(sim):
    from huaweicloudsdkcore.exceptions.exceptions import SdkException
    from huaweicloudsdkcore.region.region import Region

    c = sim.creds["huawei"]
    cred = BasicCredentials(c["ak"], c["sk"]).with_iam_endpoint(sim.url("huawei"))
    with pytest.raises(SdkException) as e:
        EcsClient.new_builder().with_credentials(cred).with_region(
            Region("ap-southeast-1", sim.url("huawei"))
        ).build()
    assert "ap-southeast-1" in str(e.value)
