"""The assistant's API on the `make run` demo home: sentences in English and Chinese turn the
simulated devices on, set and ask them through POST /api/v1/homes/{id}/assistant, as the demo
account; a dry run changes nothing; bad requests get a reason."""
import time
import urllib.request

import pytest

from test_demo import Demo, api, post


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    d = Demo(tmp_path_factory.mktemp("assistant") / "var")
    status, body = post(d.http, "/api/v1/auth/login", {"email": "demo@hearth.local", "password": "hearth-demo"}, None)
    assert status == 200, body
    d.token = body["access_token"]
    [home] = api(d.http, "/api/v1/homes", d.token)["homes"]
    d.home = home["id"]
    d.rooms = {r["name"]: r["id"] for r in api(d.http, f"/api/v1/homes/{d.home}", d.token)["rooms"]}
    d.devices = api(d.http, f"/api/v1/homes/{d.home}/devices?limit=100", d.token)["devices"]
    yield d
    d.stop()


def say(d, text, **extra):
    status, body = post(d.http, f"/api/v1/homes/{d.home}/assistant", {"text": text, **extra}, d.token)
    assert status == 200, body
    return body


def did(d, name, room):
    return next(x["did"] for x in d.devices if x["name"] == name and x["room_id"] == d.rooms[room])


def shadow(d, device):
    return {(p["siid"], p["piid"]): p["value"] for p in api(d.http, f"/api/v1/devices/{device}/properties", d.token)["properties"]}


def commands_taken(d):
    """hearthd's counts of commands sent, queued, refused or failed as offline."""
    with urllib.request.urlopen(f"http://127.0.0.1:{d.http}/metrics", timeout=5) as r:
        lines = r.read().decode().splitlines()
    return {line for line in lines if line.startswith("hearth_commands_total") and '"answered"' not in line
            and '"timeout"' not in line}


def eventually(d, device, key, value, timeout=10):
    deadline = time.monotonic() + timeout
    while shadow(d, device).get(key) != value and time.monotonic() < deadline:
        time.sleep(0.1)
    return shadow(d, device).get(key)


def test_english_commands_reach_the_devices(demo):
    lamp = did(demo, "Desk Lamp", "Study")
    r = say(demo, "turn on the desk lamp")
    assert r["interpretation"]["intent"] == "turn_on" and r["interpretation"]["targets"] == [lamp]
    assert r["results"] == [{"did": lamp, "name": "Desk Lamp", "status": "ok"}]
    assert r["response"] == "Turned on Desk Lamp."
    assert eventually(demo, lamp, (2, 1), True) is True

    r = say(demo, "set the desk lamp brightness to thirty percent")
    assert r["interpretation"]["property"] == "brightness" and r["interpretation"]["value"] == 30
    assert eventually(demo, lamp, (2, 2), 30) == 30

    r = say(demo, "is the desk lamp on?")
    assert r["interpretation"]["intent"] == "query" and r["results"] == []
    assert r["response"] == "Yes."


def test_the_speakers_room_and_rooms_by_name(demo):
    bedroom = {did(demo, "Bedside Lamp", "Bedroom"), did(demo, "Ceiling Light", "Bedroom")}
    r = say(demo, "turn off the lights", room=demo.rooms["Bedroom"])
    assert set(r["interpretation"]["targets"]) == bedroom
    assert {x["status"] for x in r["results"]} == {"ok"}
    for device in bedroom:
        assert eventually(demo, device, (2, 1), False) is False
    r = say(demo, "turn on the ceiling light in the bedroom")
    assert r["interpretation"]["targets"] == [did(demo, "Ceiling Light", "Bedroom")]


def test_chinese_commands_with_the_rooms_english_names(demo):
    ac = did(demo, "Air Conditioner", "Bedroom")
    r = say(demo, "把卧室的空调调到二十四度")
    assert r["interpretation"]["language"] == "zh"
    assert r["interpretation"]["targets"] == [ac]
    assert r["interpretation"]["property"] == "target-temperature" and r["interpretation"]["value"] == 24
    assert r["results"][0]["status"] == "ok", r
    assert r["response"].startswith("已把")
    r = say(demo, "打開書房的燈")  # Traditional
    assert r["interpretation"]["intent"] == "turn_on"
    assert r["interpretation"]["targets"] == [did(demo, "Desk Lamp", "Study")]


def test_a_dry_run_changes_nothing(demo):
    lamp = did(demo, "Desk Lamp", "Study")
    say(demo, "turn on the desk lamp")
    assert eventually(demo, lamp, (2, 1), True) is True
    before = commands_taken(demo)
    r = say(demo, "turn off all the lights", dry_run=True)
    assert len(r["interpretation"]["targets"]) == 7
    assert {x["status"] for x in r["results"]} == {"planned"}
    # The platform counts a command when it takes it, before it reaches a device: none was taken.
    assert commands_taken(demo) == before
    assert shadow(demo, lamp)[(2, 1)] is True


def test_what_cannot_be_done_is_said(demo):
    r = say(demo, "pause the desk lamp")
    assert r["interpretation"]["intent"] == "action"
    assert r["results"][0]["status"] == "skipped"
    r = say(demo, "set the bedroom air conditioner to 99 degrees")
    assert r["results"][0]["status"] == "failed", r
    assert "target-temperature from" in r["results"][0]["message"]
    assert "did not do it" in r["response"]


def test_bad_requests_get_a_reason(demo):
    path = f"/api/v1/homes/{demo.home}/assistant"
    assert post(demo.http, path, {"text": "lights on"}, None)[0] == 401
    status, body = post(demo.http, path, {"words": "lights on"}, demo.token)
    assert status == 400 and "unknown member" in body["error"]["message"]
    status, body = post(demo.http, path, {"text": ""}, demo.token)
    assert status == 400 and "text" in body["error"]["message"]
    status, body = post(demo.http, path, {"text": "lights on", "dry_run": "yes"}, demo.token)
    assert status == 400 and "dry_run" in body["error"]["message"]
    status, body = post(demo.http, path, b"{not json", demo.token)
    assert status == 400
    assert post(demo.http, f"/api/v1/homes/{demo.home + 99}/assistant", {"text": "lights on"}, demo.token)[0] == 404
