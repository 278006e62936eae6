"""python-novaclient with keystoneauth1 against console-sim's OpenStack cloud: Keystone v3
(password, application credential, token) whose catalog names the emulator's Nova."""

import pytest
from keystoneauth1 import exceptions as ks_exceptions
from keystoneauth1 import session
from keystoneauth1.identity import v3
from novaclient import client as nova_client
from novaclient import exceptions as nova_exceptions


def auth_url(sim):
    return sim.url("keystone") + "/v3"


def password(sim, by_id=False, secret=None):
    k = sim.creds["keystone"]
    if by_id:
        return v3.Password(
            auth_url=auth_url(sim), user_id=k["user_id"], password=secret or k["password"], project_id=k["project_id"]
        )
    return v3.Password(
        auth_url=auth_url(sim),
        username=k["username"],
        password=secret or k["password"],
        user_domain_name=k["user_domain_name"],
        project_name=k["project_name"],
        project_domain_name=k["project_domain_name"],
    )


def nova(auth, version="2.1"):
    return nova_client.Client(version, session=session.Session(auth=auth), region_name="RegionOne")


@pytest.mark.parametrize("by_id", [False, True])
def test_password_auth_gets_a_console(sim, by_id):
    console = nova(password(sim, by_id)).servers.get_vnc_console(sim.running, "novnc")
    assert console["console"]["type"] == "novnc"
    assert "/vnc_lite.html?path=%3Ftoken%3D" in console["console"]["url"]


@pytest.mark.parametrize("by_id", [False, True])
def test_application_credential_gets_a_console(sim, by_id):
    k = sim.creds["keystone"]
    if by_id:
        auth = v3.ApplicationCredential(
            auth_url=auth_url(sim),
            application_credential_id=k["application_credential_id"],
            application_credential_secret=k["application_credential_secret"],
        )
    else:
        auth = v3.ApplicationCredential(
            auth_url=auth_url(sim),
            application_credential_name=k["application_credential_name"],
            application_credential_secret=k["application_credential_secret"],
            username=k["username"],
            user_domain_name=k["user_domain_name"],
        )
    assert nova(auth, "2.6").servers.get_vnc_console(sim.running, "novnc")["remote_console"]["url"]


def test_token_auth_gets_a_console(sim):
    k = sim.creds["keystone"]
    first = session.Session(auth=password(sim))
    token = first.get_token()
    auth = v3.Token(
        auth_url=auth_url(sim), token=token, project_name=k["project_name"], project_domain_name=k["project_domain_name"]
    )
    assert nova(auth, "2.6").servers.get_vnc_console(sim.running, "novnc")["remote_console"]["url"]


@pytest.mark.parametrize(
    "version,call,console_type,key",
    [
        ("2.1", "get_vnc_console", "novnc", "console"),
        ("2.1", "get_vnc_console", "xvpvnc", "console"),
        ("2.5", "get_spice_console", "spice-html5", "console"),
        ("2.5", "get_rdp_console", "rdp-html5", "console"),
        ("2.5", "get_serial_console", "serial", "console"),
        ("2.6", "get_vnc_console", "novnc", "remote_console"),
        ("2.6", "get_spice_console", "spice-html5", "remote_console"),
        ("2.6", "get_rdp_console", "rdp-html5", "remote_console"),
        ("2.6", "get_serial_console", "serial", "remote_console"),
        ("2.8", "get_mks_console", None, "remote_console"),
        ("2.96", "get_vnc_console", "novnc", "remote_console"),
    ],
)
def test_every_console_type(sim, version, call, console_type, key):
    servers = nova(password(sim), version).servers
    args = (sim.running, console_type) if console_type else (sim.running,)
    console = getattr(servers, call)(*args)
    assert console[key]["url"].startswith(("http://127.0.0.1:", "ws://127.0.0.1:"))
    if console_type:
        assert console[key]["type"] == console_type


def test_a_server_without_spice(sim):
    with pytest.raises(nova_exceptions.BadRequest):
        nova(password(sim), "2.6").servers.get_spice_console("ins-sim-no-spice", "spice-html5")


def test_old_actions_are_gone_from_2_6(sim):
    # novaclient switches to remote-consoles itself; a raw action at 2.6 is a bare 404.
    sess = session.Session(auth=password(sim))
    resp = sess.post(
        "/servers/%s/action" % sim.running,
        endpoint_filter={"service_type": "compute", "interface": "public"},
        json={"os-getVNCConsole": {"type": "novnc"}},
        headers={"X-OpenStack-Nova-API-Version": "2.6"},
        raise_exc=False,
    )
    assert resp.status_code == 404


def test_stopped_and_missing(sim):
    servers = nova(password(sim), "2.6").servers
    with pytest.raises(nova_exceptions.Conflict):
        servers.get_vnc_console(sim.stopped, "novnc")
    with pytest.raises(nova_exceptions.NotFound):
        servers.get_vnc_console(sim.missing, "novnc")


def test_wrong_password_is_unauthorized(sim):
    with pytest.raises(ks_exceptions.Unauthorized):
        nova(password(sim, secret="not-the-password")).servers.get_vnc_console(sim.running, "novnc")


# The same clouds.yaml, read by keystoneauth's loader and by console-url: both get the same
# consoles from the same emulator (the URLs differ only in their one-time tokens).
@pytest.mark.parametrize(
    "version,call,console_type,protocol",
    [
        ("2.6", "get_vnc_console", "novnc", "vnc"),
        ("2.6", "get_spice_console", "spice-html5", "spice"),
        ("2.6", "get_rdp_console", "rdp-html5", "rdp"),
        ("2.6", "get_serial_console", "serial", "serial"),
        ("2.8", "get_mks_console", "webmks", "mks"),
        ("2.5", "get_vnc_console", "novnc", "vnc"),
        ("2.5", "get_serial_console", "serial", "serial"),
    ],
)
def test_novaclient_and_console_url_agree_on_one_clouds_yaml(sim, tmp_path, version, call, console_type, protocol):
    import json
    import os
    import re
    import subprocess

    import yaml
    from keystoneauth1 import loading

    k = sim.creds["keystone"]
    cloud = {
        "auth": {
            "auth_url": auth_url(sim),
            "username": k["username"],
            "password": k["password"],
            "project_name": k["project_name"],
            "user_domain_name": k["user_domain_name"],
            "project_domain_name": k["project_domain_name"],
        },
        "region_name": "RegionOne",
    }
    clouds = tmp_path / "clouds.yaml"
    clouds.write_text(yaml.safe_dump({"clouds": {"sim": cloud}}))

    # novaclient, its session built by keystoneauth's own loader from the file's auth section.
    loaded = yaml.safe_load(clouds.read_text())["clouds"]["sim"]
    auth = loading.get_plugin_loader("password").load_from_options(**loaded["auth"])
    servers = nova_client.Client(version, session=session.Session(auth=auth), region_name=loaded["region_name"]).servers
    args = [sim.running] if call == "get_mks_console" else [sim.running, console_type]
    theirs = getattr(servers, call)(*args)
    theirs = theirs.get("remote_console") or theirs["console"]

    env = {"OS_CLIENT_CONFIG_FILE": str(clouds), "HOME": str(tmp_path), "PATH": os.environ.get("PATH", "")}
    out = subprocess.run(
        [os.environ["CONSOLE_URL"], "openstack", "--server", sim.running, "--os-cloud", "sim",
         "--type", console_type, "--microversion", version, "--json"],
        env=env, capture_output=True, text=True, timeout=60, check=False,
    )
    assert out.returncode == 0, out.stderr
    ours = json.loads(out.stdout)
    assert ours["protocol"] == protocol
    assert theirs.get("protocol", protocol) == protocol
    url = ours["viewer_url"] or ours["websocket_url"]
    token = re.compile(r"token(=|%3D)[^&]+")
    assert token.sub("token=T", url) == token.sub("token=T", theirs["url"])
