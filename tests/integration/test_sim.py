"""The fleet simulator, `hearth sim`, against a real hearthd over TLS: virtual devices of real
products (tests/data/specs) connect with their credentials, report their state, and behave when
commanded: an air conditioner cools the room toward its target, a curtain moves to its position,
a vacuum goes cleaning. Ctrl-C stops the fleet cleanly with a summary.
"""
import json
import os
import shutil
import signal
import subprocess
import threading
import urllib.request

import pytest

from harness import HEARTH, Hearthd, hearth, make_pki, wait_for

INSTANCES = os.path.join(os.environ["HEARTH_SPECS_DIR"], "xiot", "instance")
PRODUCTS = {
    "xiaomi.air-conditioner.ma2": "urn_xiot-spec_device_air-conditioner_0000A004_xiaomi_ma2_1.json",
    "heiman.curtain.hs2cc": "urn_xiot-spec_device_curtain_0000A00C_heiman_hs2cc_1.json",
    "roborock.vacuum.s5": "urn_xiot-spec_device_vacuum_0000A006_roborock_s5_1.json",
    "yeelink.light.color2": "urn_xiot-spec_device_light_0000A001_yeelink_color2_1.json",
}


@pytest.fixture
def fleet(tmp_path):
    pki = make_pki(str(tmp_path))
    with Hearthd("--mqtt-tls-port", "0", "--mqtt-tls-cert", pki["server.pem"], "--mqtt-tls-key", pki["server.key"]) as b:
        specs = tmp_path / "specs"
        specs.mkdir()
        for f in PRODUCTS.values():
            shutil.copy(os.path.join(INSTANCES, f), specs)
        r = hearth("spec", "import", str(specs), data_dir=b.data_dir)
        assert r.returncode == 0, r.stderr
        devices = {}
        for model in PRODUCTS:
            r = hearth("device", "add", "--product", model, data_dir=b.data_dir)
            assert r.returncode == 0, r.stderr
            devices[model] = json.loads(r.stdout)[0]
        (tmp_path / "devices.json").write_text(json.dumps(list(devices.values())))
        sim = subprocess.Popen([HEARTH, "sim", "--devices", str(tmp_path / "devices.json"), "--specs", str(specs),
                                "--port", str(b.ports["mqtt-tls"]), "--tls-ca", pki["ca.pem"], "--speed", "120",
                                "--progress", "0.5"], stderr=subprocess.PIPE, text=True)
        b.progress = []
        threading.Thread(target=lambda: b.progress.extend(sim.stderr), daemon=True).start()
        with open(os.path.join(b.data_dir, "operator.token")) as f:
            b.token = f.read().strip()
        b.sim, b.devices = sim, devices
        try:
            assert wait_for(lambda: any("4 online" in line for line in b.progress), timeout=15), b.progress
            yield b
        finally:
            if sim.poll() is None:
                sim.kill()
                sim.wait()


def command(b, model, method, params):
    req = urllib.request.Request(
        f"http://127.0.0.1:{b.ports['http']}/api/v1/devices/{b.devices[model]['did']}/commands",
        data=json.dumps({"method": method, "params": params}).encode(), method="POST",
        headers={"Authorization": f"Bearer {b.token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read())["result"]


def get(b, model, siid, piid):
    [item] = command(b, model, "get_properties", [{"siid": siid, "piid": piid}])
    assert item["code"] == 0, item
    return item["value"]


def test_an_air_conditioner_cools_the_room_toward_its_target(fleet):
    ac = "xiaomi.air-conditioner.ma2"  # 2.1 on, 2.3 target-temperature, 4.1 room temperature
    start = get(fleet, ac, 4, 1)
    assert start > 24
    result = command(fleet, ac, "set_properties", [{"siid": 2, "piid": 1, "value": True},
                                                     {"siid": 2, "piid": 3, "value": 20}])
    assert [r["code"] for r in result] == [0, 0]
    assert wait_for(lambda: get(fleet, ac, 4, 1) < start, timeout=10)
    assert wait_for(lambda: get(fleet, ac, 4, 1) <= 21, timeout=40)


def test_a_curtain_reaches_its_position_and_a_vacuum_goes_cleaning(fleet):
    curtain = "heiman.curtain.hs2cc"  # 1.3 current-position, 1.7 target-position
    assert command(fleet, curtain, "set_properties", [{"siid": 1, "piid": 7, "value": 40}])[0]["code"] == 0
    assert wait_for(lambda: get(fleet, curtain, 1, 3) == 40, timeout=10)
    vacuum = "roborock.vacuum.s5"  # 2.1 status: 1 idle, 2 sweeping, 3 charging; 3.1 battery
    assert command(fleet, vacuum, "action", {"siid": 2, "aiid": 1})["code"] == 0
    assert get(fleet, vacuum, 2, 1) == 2
    # At 120× a cleaning takes a second, the way home and the charge a fraction: it ends idle on
    # its dock, charged.
    assert wait_for(lambda: get(fleet, vacuum, 2, 1) == 1, timeout=15)
    assert get(fleet, vacuum, 3, 1) == 100


def test_ctrl_c_stops_the_fleet_with_a_summary(fleet):
    fleet.sim.send_signal(signal.SIGINT)
    assert fleet.sim.wait(timeout=10) == 0
    assert "4 devices" in fleet.progress[-1]
    light = fleet.devices["yeelink.light.color2"]["did"]
    assert wait_for(lambda: json.loads(hearth("device", "show", light, data_dir=fleet.data_dir).stdout)["online"]
                    is False, timeout=5)


@pytest.fixture
def plugs(tmp_path):
    """hearthd with 50 registered plugs (zimi.outlet.v2) and their credentials file."""
    with Hearthd() as b:
        specs = tmp_path / "specs"
        specs.mkdir()
        shutil.copy(os.path.join(INSTANCES, "urn_xiot-spec_device_outlet_0000A002_zimi_v2_1.json"), specs)
        assert hearth("spec", "import", str(specs), data_dir=b.data_dir).returncode == 0
        r = hearth("device", "add", "--product", "zimi.outlet.v2", "--count", "50", data_dir=b.data_dir)
        assert r.returncode == 0, r.stderr
        (tmp_path / "devices.json").write_text(r.stdout)
        b.sim_args = [HEARTH, "sim", "--devices", str(tmp_path / "devices.json"), "--specs", str(specs),
                      "--port", str(b.port), "--progress", "0.5"]
        yield b


def summary(r):
    """The summary table's rows as {figure: value}."""
    assert r.returncode == 0, r.stderr
    rows = [line.strip("|").split("|") for line in r.stdout.splitlines() if line.startswith("| ")]
    return {k.strip(): v.strip() for k, v in rows[1:]}


def test_a_connect_storm_reports_how_fast_the_fleet_came_online(plugs):
    r = subprocess.run(plugs.sim_args + ["--scenario", "connect-storm"], capture_output=True, text=True, timeout=120)
    table = summary(r)
    assert (table["devices"], table["online"], table["failed attempts (retried)"]) == ("50", "50", "0")
    assert float(table["connects/s (mean)"]) > 0
    assert "connect-storm: 50/50 online" in r.stderr


def test_steady_reporting_is_acknowledged_at_the_offered_rate(plugs):
    r = subprocess.run(plugs.sim_args + ["--scenario", "steady", "--interval", "0.5", "--warmup", "1",
                                         "--duration", "3"], capture_output=True, text=True, timeout=120)
    table = summary(r)
    assert table["offered reports/s"] == "100"
    assert 50 <= float(table["acknowledged reports/s"]) <= 150
    assert table["reports dropped / rejected"] == "0 / 0"
    assert float(table["report → PUBACK lag p99"].split()[0]) > 0


def test_commands_are_answered_by_the_simulated_devices(plugs):
    r = subprocess.run(plugs.sim_args + ["--scenario", "commands", "--rate", "50", "--warmup", "1", "--duration", "2",
                                         "--http-port", str(plugs.ports["http"]),
                                         "--token-file", os.path.join(plugs.data_dir, "operator.token")],
                       capture_output=True, text=True, timeout=120)
    table = summary(r)
    assert table["failed"] == "0 of 150"
    assert table["commands/s answered (measured window)"] == "50"
    # Without the operator's token the commands scenario refuses to start.
    r = subprocess.run(plugs.sim_args + ["--scenario", "commands"], capture_output=True, text=True, timeout=30)
    assert r.returncode == 2 and "--token-file" in r.stderr
