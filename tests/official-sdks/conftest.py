"""Starts console-sim (the emulator binary) once per session and hands its endpoints and
credentials to the tests. Every official SDK is pointed at it by configuration alone."""

import json
import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


def _binary():
    explicit = os.environ.get("CONSOLE_SIM")
    if explicit:
        return explicit
    target = pathlib.Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    return str(target / "debug" / "console-sim")


class Sim:
    def __init__(self, proc, endpoints, creds):
        self.proc = proc
        self.endpoints = endpoints
        self.creds = creds

    def host(self, name):
        """`127.0.0.1:PORT` of an API, for SDKs whose endpoint setting takes no scheme."""
        return self.endpoints[name].split("://", 1)[1]

    def url(self, name):
        return self.endpoints[name]

    @property
    def running(self):
        return self.creds["instances"]["running"]

    @property
    def stopped(self):
        return self.creds["instances"]["stopped"]

    @property
    def missing(self):
        return self.creds["instances"]["missing"]


@pytest.fixture(scope="session")
def sim():
    # The SDKs' own retries and Tencent's limit would only slow the suite; the limit has its
    # own Rust test.
    proc = subprocess.Popen(
        [_binary(), "--no-rate-limit"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        endpoints = json.loads(proc.stdout.readline())
        creds = json.loads(proc.stdout.readline())
    except json.JSONDecodeError:
        proc.kill()
        raise RuntimeError("console-sim did not print its endpoints: " + proc.stderr.read())
    yield Sim(proc, endpoints, creds)
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch):
    # Every request of this suite goes to the emulator on loopback, never through a proxy.
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
