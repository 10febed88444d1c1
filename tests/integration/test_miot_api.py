"""The MIoT-compatible app endpoints (/app/v2/...) with a real account and a real device client:
Xiaomi's request and response JSON, the {code, message, result} envelope and per-item codes, a
device the caller may not see answered as not found, and the home and device lists."""
import json
import urllib.error
import urllib.request
from types import SimpleNamespace

from harness import wait_for
from test_accounts import api
from test_device_commands import Device, obliging
from test_home_devices import bind, home  # noqa: F401 (the fixture)
from test_homes import sign_in

NOT_FOUND, OFFLINE, NOT_WRITABLE, MALFORMED, UNAUTHORIZED = -704042001, -704042011, -704054023, -704000000, -704010000


def miot(b, path, body, token):
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    req = urllib.request.Request(f"http://127.0.0.1:{b.ports['http']}/app/v2{path}", data=data, method="POST",
                                 headers={"Content-Type": "application/json"})
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def test_properties_and_actions_with_xiaomis_shapes_and_per_item_codes(home):
    b = home
    plug, other = b.plugs
    did = plug["did"]
    assert bind(b, plug)[0] == 201
    state = {(2, 1): True, (2, 2): 12.5}
    device = Device(SimpleNamespace(port=b.port, device=plug), obliging(state))

    status, body = miot(b, "/miotspec/prop/get", {"params": [
        {"did": did, "siid": 2, "piid": 1}, {"did": other["did"], "siid": 2, "piid": 1},
        {"did": did, "siid": 2, "piid": 2}, {"did": did, "siid": 9, "piid": 9}], "datasource": 1}, b.ann)
    assert status == 200 and body["code"] == 0 and body["message"] == "ok"
    assert body["result"] == [
        {"did": did, "siid": 2, "piid": 1, "code": 0, "value": True},
        {"did": other["did"], "siid": 2, "piid": 1, "code": NOT_FOUND},  # not in Ann's home
        {"did": did, "siid": 2, "piid": 2, "code": 0, "value": 12.5},
        {"did": did, "siid": 9, "piid": 9, "code": -704044002}]

    status, body = miot(b, "/miotspec/prop/set", {"params": [
        {"did": did, "siid": 2, "piid": 1, "value": False}, {"did": did, "siid": 2, "piid": 2, "value": 1}]}, b.ann)
    assert body["result"] == [{"did": did, "siid": 2, "piid": 1, "code": 0},
                              {"did": did, "siid": 2, "piid": 2, "code": NOT_WRITABLE}]
    assert state[(2, 1)] is False
    def changes():  # the MIoT path is audited too (written off the request's thread: wait for it)
        log = api(b, "GET", f"/api/v1/devices/{did}/events", token=b.ann)[1]["events"]
        return [(e["actor"], e["action"]) for e in log if e["kind"] == "change"]
    assert wait_for(lambda: changes()[-1:] == [("user:1", "set_properties")]), changes()

    status, body = miot(b, "/miotspec/action", {"params": {"did": did, "siid": 2, "aiid": 2, "in": [5]}}, b.ann)
    assert status == 200 and body["result"] == {"did": did, "siid": 2, "aiid": 2, "code": 0, "out": [False]}
    status, body = miot(b, "/miotspec/action", {"params": {"did": other["did"], "siid": 2, "aiid": 1}}, b.ann)
    assert body["result"]["code"] == NOT_FOUND
    device.c.disconnect()

    status, body = miot(b, "/miotspec/prop/get", {"params": [{"did": did, "siid": 2, "piid": 1}]}, None)
    assert status == 401 and body["code"] == UNAUTHORIZED
    status, body = miot(b, "/miotspec/prop/set", {"params": [{"did": did, "siid": 2, "piid": 1}]}, b.ann)
    assert status == 400 and body == {"code": MALFORMED, "message": "params[0].value: missing"}
    assert miot(b, "/miotspec/prop/get", b"{", b.ann) == (400, {"code": MALFORMED, "message": "body: not JSON"})


def test_home_and_device_lists(home):
    b = home
    plug, other = b.plugs
    assert bind(b, plug, room_id=b.kitchen, name="Kettle")[0] == 201
    assert bind(b, other, name="Lamp")[0] == 201
    status, body = miot(b, "/homeroom/gethome", {"fg": True, "fetch_share": True, "limit": 300, "app_ver": 7}, b.ann)
    assert status == 200 and body["code"] == 0
    [h] = body["result"]["homelist"]
    assert h["id"] == str(b.home) and h["name"] == "Home" and h["dids"] == [other["did"]]
    assert h["roomlist"] == [{"id": str(b.kitchen), "name": "Kitchen", "parentid": str(b.home), "dids": [plug["did"]],
                              "create_time": h["roomlist"][0]["create_time"]}]

    dids = sorted([plug["did"], other["did"]])
    status, body = miot(b, "/home/device_list_page", {"getVirtualModel": True, "limit": 1, "start_did": ""}, b.ann)
    page = body["result"]
    assert [d["did"] for d in page["list"]] == dids[:1] and page["has_more"] is True
    assert page["list"][0]["model"] == "acme.outlet.plug" and page["list"][0]["isOnline"] is False
    status, body = miot(b, "/home/device_list_page", {"limit": 1, "start_did": page["next_start_did"]}, b.ann)
    assert [d["did"] for d in body["result"]["list"]] == dids[1:] and body["result"]["has_more"] is False

    # Someone else sees none of it; a device shared with them appears with shareFlag 1.
    olga = sign_in(b, "olga@example.com")
    assert miot(b, "/homeroom/gethome", {}, olga)[1]["result"] == {"homelist": [], "has_more": False}
    assert miot(b, "/home/device_list_page", {}, olga)[1]["result"]["list"] == []
    assert api(b, "POST", f"/api/v1/devices/{plug['did']}/shares", {"email": "olga@example.com"}, token=b.ann)[0] == 201
    [shared] = miot(b, "/home/device_list_page", {}, olga)[1]["result"]["list"]
    assert shared["did"] == plug["did"] and shared["shareFlag"] == 1 and shared["name"] == "Kettle"
