"""A device's next owner finds nothing of the household it left, whichever way it left: unbound,
its home deleted, or removed from the registry and registered again. The first household binds a
real device client (paho), which reports readings and an event; the owner renames it and queues a
command for it while it is offline; then the device leaves, a second account binds it into a new
home and finds no history, no shadow, no device log and no command of the first."""
import json
import time
from types import SimpleNamespace

import pytest

from harness import Hearthd, add_devices, hearth, import_products, wait_for
from test_accounts import api
from test_device_commands import Device, obliging
from test_home_devices import PLUG_WITH_EVENT
from test_homes import sign_in

DAY_MS = 24 * 3600 * 1000


@pytest.fixture
def server(tmp_path):
    with Hearthd() as b:
        import_products(b, tmp_path / "specs", PLUG_WITH_EVENT)
        yield b


def connect(b, plug, answer=None):
    return Device(SimpleNamespace(port=b.port, device=plug), answer or obliging({}))


def offline(b, did, token):
    return wait_for(lambda: api(b, "GET", f"/api/v1/devices/{did}", token=token)[1]["online"] is False)


def first_household(b, plug):
    """Ann's home with the plug in it: readings, an event, a rename and a queued command."""
    ann = sign_in(b, "ann@example.com")
    home = api(b, "POST", "/api/v1/homes", {"name": "Ann's flat"}, token=ann)[1]["id"]
    did = plug["did"]
    assert api(b, "POST", f"/api/v1/homes/{home}/devices", {"bind_code": plug["bind_code"]}, token=ann)[0] == 201
    device = connect(b, plug)
    for i, watts in enumerate((120.0, 130.5)):
        device.c.publish(f"device/{did}/up", json.dumps(
            {"id": i + 1, "method": "properties_changed", "params": [{"siid": 2, "piid": 2, "value": watts}]}), qos=1)
    device.c.publish(f"device/{did}/up", json.dumps(
        {"id": 9, "method": "event_occured", "params": {"siid": 2, "eiid": 1, "arguments": [{"piid": 2, "value": 2999.5}]}}),
        qos=1)
    assert wait_for(lambda: api(b, "GET", f"/api/v1/devices/{did}/properties", token=ann)[1]["properties"])
    assert api(b, "PATCH", f"/api/v1/devices/{did}", {"name": "Ann's kettle"}, token=ann) == (204, None)
    assert wait_for(lambda: any(e["kind"] == "event" for e in events(b, did, ann)))
    assert wait_for(lambda: ("user:1", "rename") in changes(b, did, ann)), changes(b, did, ann)
    device.c.disconnect()
    assert offline(b, did, ann)
    status, body = api(b, "POST", f"/api/v1/devices/{did}/commands",
                       {"method": "set_properties", "params": [{"siid": 2, "piid": 1, "value": True}],
                        "when_offline": "queue", "ttl_s": 3600}, token=ann)
    assert status == 200 and body["result"][0]["code"] == 1, body  # accepted: queued
    return ann, home


def events(b, did, token):
    return api(b, "GET", f"/api/v1/devices/{did}/events", token=token)[1]["events"]


def changes(b, did, token):
    return [(e["actor"], e["action"]) for e in events(b, did, token) if e["kind"] == "change"]


def bind_into_a_new_home(b, plug, email):
    """A second account binds the plug into its new home; returns its token and home id."""
    token = sign_in(b, email)
    home = api(b, "POST", "/api/v1/homes", {"name": "New home"}, token=token)[1]["id"]
    status, device = api(b, "POST", f"/api/v1/homes/{home}/devices", {"bind_code": plug["bind_code"]}, token=token)
    assert status == 201, device
    assert device["name"] == "" and device["home_id"] == home
    return token, home


def assert_nothing_of_the_first(b, plug, token):
    did = plug["did"]
    me = api(b, "GET", "/api/v1/users/me", token=token)[1]["id"]
    now = int(time.time() * 1000)
    assert api(b, "GET", f"/api/v1/devices/{did}/properties", token=token)[1] == {"properties": []}
    status, history = api(b, "GET", f"/api/v1/devices/{did}/history?siid=2&piid=2&from_ms={now - DAY_MS}"
                                    f"&to_ms={now + DAY_MS}&points=10", token=token)
    assert status == 200 and history["buckets"] == [], history
    # The device log holds the new owner's bind only (it is written off the request's thread).
    assert wait_for(lambda: changes(b, did, token) == [(f"user:{me}", "bind")]), events(b, did, token)
    assert [e for e in events(b, did, token) if e["kind"] == "event"] == []
    # No command of the first household reaches the device: the first it gets is the new owner's
    # (queued if the device's outbox is still being looked at, and then delivered after it).
    device = connect(b, plug)
    status, body = api(b, "POST", f"/api/v1/devices/{did}/commands",
                       {"method": "get_properties", "params": [{"siid": 2, "piid": 2}], "when_offline": "queue"},
                       token=token)
    assert status == 200, body
    request = device.next_request()
    while "method" not in request:  # the cloud's answers to reports
        request = device.next_request()
    assert request["method"] == "get_properties" and request["id"] == body["id"], request
    device.c.disconnect()


def test_an_unbound_device_brings_nothing_of_its_household_into_the_next(server):
    b = server
    plug = add_devices(b, "acme.outlet.plug")[0]
    ann, _ = first_household(b, plug)
    assert api(b, "DELETE", f"/api/v1/devices/{plug['did']}", token=ann) == (204, None)
    token, _ = bind_into_a_new_home(b, plug, "bob@example.com")
    assert_nothing_of_the_first(b, plug, token)


def test_the_devices_of_a_deleted_home_bring_nothing_of_it_into_the_next(server):
    b = server
    plug, other = add_devices(b, "acme.outlet.plug", 2)
    ann, home = first_household(b, plug)
    assert api(b, "POST", f"/api/v1/homes/{home}/devices", {"bind_code": other["bind_code"]}, token=ann)[0] == 201
    assert api(b, "DELETE", f"/api/v1/homes/{home}", token=ann) == (204, None)
    token, new_home = bind_into_a_new_home(b, plug, "bob@example.com")
    assert_nothing_of_the_first(b, plug, token)
    assert new_home > home  # ids are never reused: a token or cache naming the old home means it only
    # The home's other device went too, and left nothing behind either.
    token, _ = bind_into_a_new_home(b, other, "cat@example.com")
    assert api(b, "GET", f"/api/v1/devices/{other['did']}/properties", token=token)[1] == {"properties": []}


def test_a_device_removed_from_the_registry_leaves_no_history_behind(server):
    b = server
    plug = add_devices(b, "acme.outlet.plug")[0]
    ann, home = first_household(b, plug)
    # Removed while hearthd runs: the CLI cannot open the history (hearthd holds it) and leaves the
    # erasure to hearthd; it is recorded with the removal, so a restart carries it out first.
    r = hearth("device", "remove", plug["did"], data_dir=b.data_dir)
    assert r.returncode == 0, r.stderr
    assert api(b, "GET", f"/api/v1/devices/{plug['did']}", token=ann)[0] == 404
    # Registered again, it is a new device, bound into a second account's home with nothing in it.
    again = add_devices(b, "acme.outlet.plug")[0]
    token, _ = bind_into_a_new_home(b, again, "bob@example.com")
    assert_nothing_of_the_first(b, again, token)
    b.restart()
    b.stop()
    for what in (["shadow"], ["history", "--siid", "2", "--piid", "2"], ["history"]):
        r = hearth("device", *what, plug["did"], data_dir=b.data_dir)
        assert r.returncode == 0 and json.loads(r.stdout) == [], (what, r.stdout, r.stderr)
