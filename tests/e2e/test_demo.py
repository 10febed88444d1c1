"""The `make run` demo (scripts/run-demo), as a newcomer meets it: it starts, seeds the demo home,
prints a curl example that works as printed, stops cleanly on Ctrl-C, and comes back with the
same home and devices. Runs on this build's binaries with free ports and a temporary data
directory; newcomer.sh is the long form, from a clean clone through `make run`.
"""
import json
import os
import queue
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.environ.get("HEARTH_BUILD_DIR", os.path.join(REPO, "build", "release"))


class Demo:
    def __init__(self, data_dir):
        self.proc = subprocess.Popen(
            [os.path.join(REPO, "scripts", "run-demo"), "--build-dir", BUILD, "--data-dir", str(data_dir),
             "--http-port", "0", "--mqtt-tcp-port", "0", "--mqtt-ws-port", "-1", "--mqtt-tls-port", "-1"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.lines = queue.Queue()
        threading.Thread(target=lambda: [self.lines.put(l.rstrip("\n")) for l in self.proc.stdout], daemon=True).start()
        self.banner = []
        while not self.banner or not self.banner[-1].startswith("Press Ctrl-C"):
            self.banner.append(self.lines.get(timeout=300))
        self.http = next(l for l in self.banner if l.strip().startswith("API")).split(":")[2].split("/")[0]

    def example(self):
        start = next(i for i, l in enumerate(self.banner) if l.startswith("Try it"))
        return [l.strip() for l in self.banner[start + 1:start + 4]]

    def stop(self):
        self.proc.send_signal(signal.SIGINT)
        assert self.proc.wait(timeout=60) == 0
        rest = []
        while not self.lines.empty():
            rest.append(self.lines.get())
        return rest


def post(port, path, body, token, content_type="application/json"):
    """POST to hearthd's API: (status, JSON answer); a dict body goes as JSON, bytes as they are."""
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    headers = {"Content-Type": content_type}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, method="POST", headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def api(port, path, token):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read())


def seeded_week(port, token, home, before_ms):
    """The samples of the demo thermometers' temperature, per device, in the 8 days before `before_ms`."""
    devices = api(port, f"/api/v1/homes/{home}/devices?limit=100", token)["devices"]
    counts = {}
    for d in devices:
        if d["model"] == "cleargrass.temperature-humidity-sensor.dk1":
            path = f"/api/v1/devices/{d['did']}/history?siid=2&piid=1&from_ms={before_ms - 8 * 86_400_000}&to_ms={before_ms}&points=2000"
            counts[d["did"]] = sum(b["count"] for b in api(port, path, token)["buckets"])
    return counts


def test_the_demo_works_as_printed_and_comes_back_the_same(tmp_path):
    started_ms = int(time.time() * 1000)
    demo = Demo(tmp_path / "var")
    assert any("21 simulated devices in 5 rooms" in l for l in demo.banner)
    assert "demo@hearth.local / hearth-demo" in "\n".join(demo.banner)
    token_line, read_line, set_line = demo.example()
    # The example, run as printed: log in, read the desk lamp, turn it on at 60 %.
    out = subprocess.run(["bash", "-c", "\n".join([token_line, read_line, "echo", set_line])],
                         capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    properties, result = out.stdout.strip().split("\n")
    assert {(p["siid"], p["piid"]) for p in json.loads(properties)["properties"]} >= {(2, 1), (2, 2)}
    assert json.loads(result)["result"] == [{"siid": 2, "piid": 1, "code": 0}, {"siid": 2, "piid": 2, "code": 0}]

    token = json.loads(subprocess.run(["bash", "-c", token_line + '\necho "{\\"t\\":\\"$TOKEN\\"}"'],
                                      capture_output=True, text=True).stdout)["t"]
    lamp = read_line.split("/devices/")[1].split("/")[0]
    deadline = time.monotonic() + 10
    while True:  # the simulated lamp reports what it did, and the shadow shows it
        shadow = {(p["siid"], p["piid"]): p["value"] for p in api(demo.http, f"/api/v1/devices/{lamp}/properties", token)["properties"]}
        if (shadow[(2, 1)], shadow[(2, 2)]) == (True, 60) or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert (shadow[(2, 1)], shadow[(2, 2)]) == (True, 60)

    [home] = api(demo.http, "/api/v1/homes", token)["homes"]
    rooms = api(demo.http, f"/api/v1/homes/{home['id']}", token)["rooms"]
    assert [r["name"] for r in rooms] == ["Living Room", "Bedroom", "Kitchen", "Study", "Bathroom"]
    devices = api(demo.http, f"/api/v1/homes/{home['id']}/devices?limit=100", token)["devices"]
    assert len(devices) == 21
    # A week of history before the demo started, from the simulator's behaviours: the temperature
    # every five minutes where it changed (at most 2016 a week).
    week = seeded_week(demo.http, token, home["id"], started_ms)
    assert len(week) == 2 and all(1000 <= n <= 2020 for n in week.values()), week
    assert "Hearth stopped; the data stays in " + str(tmp_path / "var") in demo.stop()

    again = Demo(tmp_path / "var")
    assert again.example()[1] == read_line.replace(f":{demo.http}/", f":{again.http}/")  # the same lamp
    token = json.loads(subprocess.run(["bash", "-c", again.example()[0] + '\necho "{\\"t\\":\\"$TOKEN\\"}"'],
                                      capture_output=True, text=True).stdout)["t"]
    assert api(again.http, "/api/v1/homes", token)["homes"] == [home]
    assert len(api(again.http, f"/api/v1/homes/{home['id']}/devices?limit=100", token)["devices"]) == 21
    assert seeded_week(again.http, token, home["id"], started_ms) == week  # seeded once, not again
    again.stop()
