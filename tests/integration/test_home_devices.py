"""Devices in homes over the HTTP API, with real accounts and a real device client (paho):
binding with the code `hearth device add` prints, listing, renaming, moving, reading state,
history and events, controlling through the command route with a person's token, sharing with a
guest and an outsider, unbinding (which forgets the device's data), and an outsider who gets 404
from every device route with no data in the answer."""
import copy
import json
import time
from types import SimpleNamespace

import pytest

from clients import Client
from harness import Hearthd, add_devices, import_products, wait_for
from test_accounts import api
from test_device_commands import PLUG, Device, codes, obliging
from test_homes import sign_in

# The plug of the command tests, with an event.
PLUG_WITH_EVENT = copy.deepcopy(PLUG)
PLUG_WITH_EVENT["services"][0]["events"] = [
    {"iid": 1, "type": "urn:miot-spec-v2:event:overload:00005001:acme-plug:1", "description": "Overload",
     "arguments": [2]}]


@pytest.fixture
def home(tmp_path):
    """hearthd with the plug product, two unbound plugs, and Ann's home with a kitchen."""
    with Hearthd() as b:
        import_products(b, tmp_path / "specs", PLUG_WITH_EVENT)
        b.plugs = add_devices(b, "acme.outlet.plug", 2)
        b.ann = sign_in(b, "ann@example.com")
        b.home = api(b, "POST", "/api/v1/homes", {"name": "Home"}, token=b.ann)[1]["id"]
        b.kitchen = api(b, "POST", f"/api/v1/homes/{b.home}/rooms", {"name": "Kitchen"}, token=b.ann)[1]["id"]
        yield b


def bind(b, plug, token=None, **extra):
    return api(b, "POST", f"/api/v1/homes/{b.home}/devices", {"bind_code": plug["bind_code"], **extra},
               token=token or b.ann)


def test_an_owner_binds_a_device_by_its_code_and_manages_it(home):
    b, plug = home, home.plugs[0]
    assert len(plug["bind_code"]) == 11 and plug["bind_code"][5] == "-"
    status, err = api(b, "POST", f"/api/v1/homes/{b.home}/devices", {"bind_code": "00000-00000"}, token=b.ann)
    assert status == 404 and err["error"]["message"] == "no device has that bind code"
    assert api(b, "POST", f"/api/v1/homes/{b.home}/devices", {"bind_code": "x"}, token=b.ann)[0] == 400
    status, device = api(b, "POST", f"/api/v1/homes/{b.home}/devices",
                         {"bind_code": plug["bind_code"].lower().replace("-", ""), "room_id": b.kitchen,
                          "name": "Kettle"}, token=b.ann)
    assert status == 201, device
    assert device["did"] == plug["did"] and device["name"] == "Kettle" and device["room_id"] == b.kitchen
    assert device["type"] == "outlet" and device["product_name"] == "Plug" and device["online"] is False
    status, err = bind(b, plug)
    assert status == 409 and err["error"]["code"] == "failed_precondition"
    status, product = api(b, "GET", "/api/v1/products/acme.outlet.plug", token=b.ann)
    assert status == 200 and product["type"] == "outlet"
    assert [p["iid"] for p in product["spec"]["services"][0]["properties"]] == [1, 2, 3, 4]
    assert api(b, "GET", "/api/v1/products/acme.outlet.none", token=b.ann)[0] == 404

    bind(b, b.plugs[1], name="Lamp")
    status, page = api(b, "GET", f"/api/v1/homes/{b.home}/devices?limit=1", token=b.ann)
    assert status == 200 and len(page["devices"]) == 1 and page["next_after"] == page["devices"][0]["did"]
    status, rest = api(b, "GET", f"/api/v1/homes/{b.home}/devices?limit=1&after={page['next_after']}", token=b.ann)
    assert len(rest["devices"]) == 1 and rest["devices"][0]["did"] != page["devices"][0]["did"]
    status, kitchen = api(b, "GET", f"/api/v1/homes/{b.home}/devices?room={b.kitchen}", token=b.ann)
    assert [d["name"] for d in kitchen["devices"]] == ["Kettle"]

    did = plug["did"]
    assert api(b, "PATCH", f"/api/v1/devices/{did}", {"name": "Tea kettle", "room_id": 0}, token=b.ann) == (204, None)
    status, device = api(b, "GET", f"/api/v1/devices/{did}", token=b.ann)
    assert device["name"] == "Tea kettle" and device["room_id"] == 0
    assert api(b, "PATCH", f"/api/v1/devices/{did}", {}, token=b.ann)[0] == 400
    assert api(b, "PATCH", f"/api/v1/devices/{did}", {"room_id": 999}, token=b.ann)[0] == 404

    # Deleting the room leaves its devices in the home, in no room.
    assert api(b, "PATCH", f"/api/v1/devices/{did}", {"room_id": b.kitchen}, token=b.ann) == (204, None)
    assert api(b, "DELETE", f"/api/v1/homes/{b.home}/rooms/{b.kitchen}", token=b.ann) == (204, None)
    assert api(b, "GET", f"/api/v1/devices/{did}", token=b.ann)[1]["room_id"] == 0
    def log():  # the audit log is written off the request's thread: wait for it
        return [(e["action"], e["detail"]) for e in api(b, "GET", f"/api/v1/devices/{did}/events", token=b.ann)[1]["events"]]
    assert wait_for(lambda: log() == [
        ("bind", {"home_id": b.home, "room_id": b.kitchen, "name": "Kettle"}), ("rename", {"name": "Tea kettle"}),
        ("move", {"room_id": 0}), ("move", {"room_id": b.kitchen})]), log()


def test_state_history_events_and_commands_with_a_persons_token(home):
    b, plug = home, home.plugs[0]
    did = plug["did"]
    assert bind(b, plug)[0] == 201
    device = Device(SimpleNamespace(port=b.port, device=plug), obliging({}))
    now = int(time.time() * 1000)
    for i, watts in enumerate((10.0, 20.0, 30.0)):
        report = {"id": i + 1, "method": "properties_changed", "params": [{"siid": 2, "piid": 2, "value": watts}]}
        device.c.publish(f"device/{did}/up", json.dumps(report), qos=1)
    device.c.publish(f"device/{did}/up", json.dumps(
        {"id": 9, "method": "event_occured", "params": {"siid": 2, "eiid": 1, "arguments": [{"piid": 2, "value": 2999.5}]}}),
        qos=1)
    status, state = api(b, "GET", f"/api/v1/devices/{did}/properties", token=b.ann)
    assert status == 200 and [(p["siid"], p["piid"], p["value"]) for p in state["properties"]] == [(2, 2, 30.0)]
    assert api(b, "GET", f"/api/v1/devices/{did}", token=b.ann)[1]["online"] is True
    # The home's list carries every device's shadow on request: an app's cards from one call.
    listed = api(b, "GET", f"/api/v1/homes/{b.home}/devices?properties=1", token=b.ann)[1]["devices"]
    assert [(d["did"], d["properties"]) for d in listed] == [(did, state["properties"])]
    assert "properties" not in api(b, "GET", f"/api/v1/homes/{b.home}/devices", token=b.ann)[1]["devices"][0]
    status, history = api(b, "GET", f"/api/v1/devices/{did}/history?siid=2&piid=2&from_ms={now - 60000}"
                                    f"&to_ms={now + 60000}&points=1", token=b.ann)
    assert status == 200 and len(history["buckets"]) == 1, history
    bucket = history["buckets"][0]
    assert (bucket["min"], bucket["max"], bucket["avg"], bucket["last"], bucket["count"]) == (10, 30, 20, 30, 3)
    status, events = api(b, "GET", f"/api/v1/devices/{did}/events", token=b.ann)
    assert [(e["siid"], e["eiid"], e["arguments"]) for e in events["events"] if e["kind"] == "event"] == \
        [(2, 1, [{"piid": 2, "value": 2999.5}])]
    assert api(b, "GET", f"/api/v1/devices/{did}/history?siid=2", token=b.ann)[0] == 400
    assert api(b, "GET", f"/api/v1/devices/{did}/history?siid=2&piid=2&points=0", token=b.ann)[0] == 400

    status, body = api(b, "POST", f"/api/v1/devices/{did}/commands",
                       {"method": "set_properties", "params": [{"siid": 2, "piid": 1, "value": True}]}, token=b.ann)
    assert status == 200 and codes(body) == [(2, 1, 0)]
    request = device.next_request()
    while "method" not in request:  # the cloud's answers to the reports
        request = device.next_request()
    assert request["params"] == [{"siid": 2, "piid": 1, "value": True}]

    # The device's log shows who bound it and who switched it on, with the result.
    def changes():
        log = api(b, "GET", f"/api/v1/devices/{did}/events", token=b.ann)[1]["events"]
        return [(e["actor"], e["action"]) for e in log if e["kind"] == "change"]
    assert wait_for(lambda: changes() == [("user:1", "bind"), ("user:1", "set_properties")]), changes()
    last = api(b, "GET", f"/api/v1/devices/{did}/events", token=b.ann)[1]["events"][-1]
    assert last["detail"]["params"] == [{"siid": 2, "piid": 1, "value": True}]
    assert last["result"]["result"] == [{"siid": 2, "piid": 1, "code": 0}]
    device.c.disconnect()


def test_guests_and_outsiders_reach_only_what_is_shared_with_them(home):
    b = home
    did = b.plugs[0]["did"]
    assert bind(b, b.plugs[0])[0] == 201
    assert bind(b, b.plugs[1])[0] == 201
    gus, olga, mel = (sign_in(b, f"{n}@example.com") for n in ("gus", "olga", "mel"))
    for email, role, token in (("gus@example.com", "guest", gus), ("mel@example.com", "member", mel)):
        inv = api(b, "POST", f"/api/v1/homes/{b.home}/invitations", {"email": email, "role": role}, token=b.ann)[1]
        assert api(b, "POST", f"/api/v1/invitations/{inv['id']}/accept", token=token) == (204, None)
    set_on = {"method": "set_properties", "params": [{"siid": 2, "piid": 1, "value": True}]}

    # A member sees and controls everything, manages nothing.
    assert len(api(b, "GET", f"/api/v1/homes/{b.home}/devices", token=mel)[1]["devices"]) == 2
    assert api(b, "POST", f"/api/v1/devices/{did}/commands", set_on, token=mel)[0] == 200
    assert api(b, "PATCH", f"/api/v1/devices/{did}", {"name": "Mine"}, token=mel)[0] == 403
    assert api(b, "DELETE", f"/api/v1/devices/{did}", token=mel)[0] == 403

    # Nothing is shared yet: the guest sees the home but no device, Olga sees nothing.
    assert api(b, "GET", f"/api/v1/homes/{b.home}/devices", token=gus)[1] == {"devices": [], "next_after": None}
    for token in (gus, olga):
        assert api(b, "GET", f"/api/v1/devices/{did}", token=token)[0] == 404
        assert api(b, "POST", f"/api/v1/devices/{did}/commands", set_on, token=token)[0] == 404

    assert api(b, "POST", f"/api/v1/devices/{did}/shares", {"email": "gus@example.com"}, token=mel)[0] == 403
    status, err = api(b, "POST", f"/api/v1/devices/{did}/shares", {"email": "mel@example.com"}, token=b.ann)
    assert status == 409
    assert api(b, "POST", f"/api/v1/devices/{did}/shares", {"email": "gus@example.com"}, token=b.ann)[0] == 201
    status, share = api(b, "POST", f"/api/v1/devices/{did}/shares",
                        {"email": "olga@example.com", "until_ms": int(time.time() * 1000) + 3600_000}, token=b.ann)
    assert status == 201 and share["shared_by"] == 1
    status, shares = api(b, "GET", f"/api/v1/devices/{did}/shares", token=b.ann)
    assert len(shares["shares"]) == 2

    assert [d["did"] for d in api(b, "GET", f"/api/v1/homes/{b.home}/devices", token=gus)[1]["devices"]] == [did]
    assert [d["did"] for d in api(b, "GET", "/api/v1/shares", token=olga)[1]["devices"]] == [did]
    for token in (gus, olga):
        assert api(b, "GET", f"/api/v1/devices/{did}", token=token)[0] == 200
        # Offline, but allowed: the command service answers, not the access check.
        status, body = api(b, "POST", f"/api/v1/devices/{did}/commands", set_on, token=token)
        assert status == 200 and codes(body) == [(2, 1, -704042011)]
        assert api(b, "PATCH", f"/api/v1/devices/{did}", {"name": "Mine"}, token=token)[0] == 403
        assert api(b, "GET", f"/api/v1/devices/{b.plugs[1]['did']}", token=token)[0] == 404
    assert api(b, "GET", f"/api/v1/homes/{b.home}/devices", token=olga)[0] == 404

    # Olga leaves her share; Gus loses his with the unbinding, which also forgets the device.
    olga_id = share["user_id"]
    assert api(b, "DELETE", f"/api/v1/devices/{did}/shares/{olga_id}", token=olga) == (204, None)
    assert api(b, "GET", f"/api/v1/devices/{did}", token=olga)[0] == 404
    assert api(b, "DELETE", f"/api/v1/devices/{did}", token=b.ann) == (204, None)
    assert api(b, "GET", f"/api/v1/devices/{did}", token=gus)[0] == 404
    assert api(b, "GET", f"/api/v1/devices/{did}", token=b.ann)[0] == 404
    # Its label binds it again.
    assert bind(b, b.plugs[0])[0] == 201


def test_an_outsider_gets_404_from_every_device_route_and_learns_nothing(home):
    b = home
    did = b.plugs[0]["did"]
    assert bind(b, b.plugs[0], name="Secret safe", room_id=b.kitchen)[0] == 201
    eve = sign_in(b, "eve@example.com")
    routes = [("GET", f"/api/v1/devices/{did}", None),
              ("PATCH", f"/api/v1/devices/{did}", {"name": "Mine"}),
              ("DELETE", f"/api/v1/devices/{did}", None),
              ("GET", f"/api/v1/devices/{did}/properties", None),
              ("GET", f"/api/v1/devices/{did}/history?siid=2&piid=2", None),
              ("GET", f"/api/v1/devices/{did}/events", None),
              ("GET", f"/api/v1/devices/{did}/shares", None),
              ("POST", f"/api/v1/devices/{did}/shares", {"email": "eve@example.com"}),
              ("DELETE", f"/api/v1/devices/{did}/shares/1", None),
              ("POST", f"/api/v1/devices/{did}/commands",
               {"method": "get_properties", "params": [{"siid": 2, "piid": 1}]})]
    for method, path, body in routes:
        status, err = api(b, method, path, body, token=eve)
        assert status == 404, (method, path, status, err)
        assert err == {"error": {"code": "not_found", "message": f"no device {did}"}}, (method, path, err)
    for method, path, body in [("GET", f"/api/v1/homes/{b.home}/devices", None),
                               ("POST", f"/api/v1/homes/{b.home}/devices", {"bind_code": b.plugs[1]["bind_code"]})]:
        status, err = api(b, method, path, body, token=eve)
        assert status == 404 and err["error"]["message"] == f"no home {b.home}", (method, path, err)
        assert "Secret" not in json.dumps(err) and "Kitchen" not in json.dumps(err)
    assert api(b, "GET", "/api/v1/shares", token=eve)[1] == {"devices": [], "next_after": None}
    assert api(b, "GET", f"/api/v1/devices/{did}", token=b.ann)[1]["name"] == "Secret safe"
