"""SmartX's official Python SDK (cloudtower-sdk) against console-sim: login through
`UserApi`, the document's GraphQL `vnc` query through the SDK's `ApiClient`, and the REST
`VmApi.get_vm_vnc_info`."""

import json

import pytest
from cloudtower import ApiClient, Configuration
from cloudtower.api.user_api import UserApi
from cloudtower.api.vm_api import VmApi
from cloudtower.exceptions import ApiException
from cloudtower.models import GetVmVncInfoParams, LoginInput, UserSource, VmWhereUniqueInput

VNC_QUERY = "query vnc($input: VncInput!) { vnc(input: $input) { vm_uuid host_ip cluster_ip raw_token token }}"


def api_client(sim):
    return ApiClient(Configuration(host=sim.url("cloudtower") + "/v2/api"))


def login(sim, password=None):
    client = api_client(sim)
    c = sim.creds["cloudtower"]
    answer = UserApi(client).login(
        LoginInput(username=c["username"], password=password or c["password"], source=UserSource.LOCAL)
    )
    client.configuration.api_key["Authorization"] = answer.data.token
    return client


def graphql_vnc(client, sim, vm):
    body = {"operationName": "vnc", "variables": {"input": {"vm": {"id": vm}}}, "query": VNC_QUERY}
    resp = client.request(
        "POST",
        sim.url("cloudtower") + "/api",
        headers={
            "Content-Type": "application/json",
            "Authorization": client.configuration.api_key["Authorization"],
        },
        body=body,
    )
    return json.loads(resp.data)


def test_graphql_vnc_of_a_running_vm(sim):
    answer = graphql_vnc(login(sim), sim, sim.running)
    vnc = answer["data"]["vnc"]
    assert set(vnc) == {"vm_uuid", "host_ip", "cluster_ip", "raw_token", "token"}
    assert vnc["raw_token"] and vnc["token"]


@pytest.mark.parametrize("which,words", [("stopped", "stopped"), ("missing", "not found")])
def test_graphql_errors(sim, which, words):
    answer = graphql_vnc(login(sim), sim, getattr(sim, which))
    assert answer["data"] is None
    assert words in answer["errors"][0]["message"]


def vnc_info(client, vm):
    return VmApi(client).get_vm_vnc_info(GetVmVncInfoParams(vm=VmWhereUniqueInput(id=vm)))


def test_rest_vnc_info_of_a_running_vm(sim):
    info = vnc_info(login(sim), sim.running)
    assert info.vm.id == sim.running
    assert info.redirect.startswith("ws://127.0.0.1:")
    assert "/websockify/?token=" in info.redirect
    assert info.direct.startswith("ws://") and info.cluster_ip


def test_rest_stopped_and_missing(sim):
    client = login(sim)
    with pytest.raises(ApiException) as e:
        vnc_info(client, sim.stopped)
    assert e.value.status == 400
    with pytest.raises(ApiException) as e:
        vnc_info(client, sim.missing)
    assert e.value.status == 404


def test_wrong_password_is_refused(sim):
    with pytest.raises(ApiException) as e:
        login(sim, password="not-the-password")
    assert e.value.status == 400
    assert json.loads(e.value.body)["code"] == "UserPasswordWrong"
