"""The device SDK (include/hearth/sim/device_client.h) against a real hearthd, through its example,
the smart plug in examples/smart_plug: it connects with the device's credentials, reports, answers
the cloud's get and set with its handlers, comes back by itself after the server restarts, and
keeps what it reported while offline in a bounded buffer (the oldest dropped and counted) that it
sends once connected again.
"""
import json
import os
import queue
import shutil
import subprocess
import threading
import time
import urllib.request

import pytest

from clients import Client, operator_client
from harness import Hearthd, add_devices, free_port, hearth, metrics, wait_for

PLUG = os.environ["HEARTH_EXAMPLE_PLUG"]
SPEC = os.path.join(os.environ["HEARTH_SPECS_DIR"], "xiot", "instance",
                    "urn_xiot-spec_device_outlet_0000A002_zimi_v2_1.json")


@pytest.fixture
def server(tmp_path):
    with Hearthd("--mqtt-tcp-port", str(free_port()), operator=True) as b:
        (tmp_path / "specs").mkdir()
        shutil.copy(SPEC, tmp_path / "specs")
        r = hearth("spec", "import", str(tmp_path / "specs"), data_dir=b.data_dir)
        assert r.returncode == 0, r.stdout + r.stderr
        b.device = add_devices(b, "zimi.outlet.v2")[0]
        with open(os.path.join(b.data_dir, "operator.token")) as f:
            b.token = f.read().strip()
        yield b


class Plug:
    """The example's process: lines it prints arrive on a queue; commands go to its stdin."""

    def __init__(self, server, *extra, secret=None):
        d = server.device
        self.proc = subprocess.Popen(
            [PLUG, "--port", str(server.port), "--did", d["did"], "--secret", secret or d["secret"], *extra],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.lines = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))

    def expect(self, prefix, timeout=10):
        deadline = time.monotonic() + timeout
        while True:
            line = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            if line.startswith(prefix):
                return line

    def send(self, command):
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()

    def stats(self):
        self.send("stats")
        return dict(kv.split("=") for kv in self.expect("stats ").split()[1:])

    def quit(self):
        self.send("quit")
        assert self.proc.wait(timeout=10) == 0


def command(server, body):
    req = urllib.request.Request(
        f"http://127.0.0.1:{server.ports['http']}/api/v1/devices/{server.device['did']}/commands",
        data=json.dumps(body).encode(), method="POST",
        headers={"Authorization": f"Bearer {server.token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read())


def on_history(server):
    r = hearth("device", "history", server.device["did"], "--siid", "2", "--piid", "1", data_dir=server.data_dir)
    assert r.returncode == 0, r.stderr
    return [s["value"] for s in json.loads(r.stdout)]


def test_the_plug_connects_reports_and_answers_commands(server):
    did = server.device["did"]
    watcher = operator_client(server, "watcher")
    watcher.subscribe(f"device/{did}/up/properties_changed/#", qos=1)
    plug = Plug(server)
    plug.expect("online")
    first = {m.topic: json.loads(m.payload)["value"] for m in (watcher.expect() for _ in range(3))}
    assert first == {f"device/{did}/up/properties_changed/2/1": False,
                     f"device/{did}/up/properties_changed/2/2": 31.5,
                     f"device/{did}/up/properties_changed/4/1": True}

    answer = command(server, {"method": "set_properties", "params": [{"siid": 2, "piid": 1, "value": True}]})
    assert answer["result"] == [{"siid": 2, "piid": 1, "code": 0}]
    plug.expect("on=true")
    m = watcher.expect()
    assert (m.topic, json.loads(m.payload)["value"]) == (f"device/{did}/up/properties_changed/2/1", True)

    answer = command(server, {"method": "get_properties", "params": [{"siid": 2, "piid": 1}, {"siid": 2, "piid": 2}]})
    assert [(r["code"], r["value"]) for r in answer["result"]] == [(0, True), (0, 31.5)]
    # surge-power (3.1) is in the spec but the plug registered no handler: it says so.
    answer = command(server, {"method": "get_properties", "params": [{"siid": 3, "piid": 1}]})
    assert answer["result"][0]["code"] == -704044003
    plug.quit()


def test_a_wrong_secret_is_refused_and_retried_with_backoff(server):
    before = metrics(server).get("hearth_mqtt_auth_failures_total", 0)
    plug = Plug(server, secret="0" * 32)
    started = time.monotonic()
    for _ in range(3):
        assert "Bad User Name or Password" in plug.expect("waiting")
    # Backoff from 200 ms, doubling: the third refusal comes after at least 0.1 + 0.2 s of waiting.
    assert time.monotonic() - started >= 0.3
    assert metrics(server)["hearth_mqtt_auth_failures_total"] >= before + 3
    plug.quit()


def test_the_plug_comes_back_after_a_restart_with_what_it_buffered(server):
    plug = Plug(server, "--buffer", "3")
    plug.expect("online")
    assert wait_for(lambda: plug.stats()["waiting"] == "0")
    server.stop()
    plug.expect("waiting")
    for _ in range(5):  # the button, pressed while the server is away: on, off, on, off, on
        plug.send("press")
    stats = plug.stats()
    assert (stats["dropped"], stats["waiting"]) == ("2", "3")

    server.start()
    plug.expect("online", timeout=15)
    assert wait_for(lambda: plug.stats()["waiting"] == "0", timeout=10)
    assert plug.stats()["connects"] == "2"
    plug.quit()
    server.stop()
    # The first report (off), the three newest presses in order (on, off, on), then the state
    # the plug reports on reconnecting (on), queued behind them.
    assert on_history(server) == [False, True, False, True, True]
