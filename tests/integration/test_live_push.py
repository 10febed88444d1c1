"""Live updates over WebSocket (/api/v1/ws) with real clients: a signed-in app subscribes to its
home and receives the property changes, events and online/offline changes of a real device
client (paho) as they are stored; an outsider is refused the home and hears nothing; a bad token
is told why and closed."""
import json
import time
from types import SimpleNamespace

import websocket

from test_accounts import api
from test_device_commands import Device, obliging
from test_home_devices import bind, home  # noqa: F401 (the fixture)
from test_homes import sign_in


def connect(b, token=None):
    ws = websocket.create_connection(f"ws://127.0.0.1:{b.ports['http']}/api/v1/ws", timeout=5)
    if token:
        ws.send(json.dumps({"type": "auth", "token": token}))
        assert json.loads(ws.recv())["type"] == "ready"
    return ws


def subscribe(ws, **what):
    ws.send(json.dumps({"type": "subscribe", **what}))
    return json.loads(ws.recv())


def next_push(ws, timeout=5):
    ws.settimeout(timeout)
    return json.loads(ws.recv())


def quiet(ws, seconds=0.5):
    """Whether nothing arrives for a while."""
    ws.settimeout(seconds)
    try:
        ws.recv()
    except websocket.WebSocketTimeoutException:
        return True
    return False


def test_an_app_hears_its_homes_devices_live(home):
    b = home
    plug = b.plugs[0]
    did = plug["did"]
    assert bind(b, plug)[0] == 201
    app = connect(b, b.ann)
    assert subscribe(app, homes=[b.home]) == {"type": "subscribed", "homes": [b.home], "devices": []}
    eve = connect(b, sign_in(b, "eve@example.com"))
    refusal = subscribe(eve, homes=[b.home])
    assert refusal == {"type": "error", "code": "not_found", "message": f"no home {b.home}"}
    assert json.loads(eve.recv()) == {"type": "subscribed", "homes": [], "devices": []}

    device = Device(SimpleNamespace(port=b.port, device=plug), obliging({}))
    push = next_push(app)
    assert (push["type"], push["did"], push["online"]) == ("presence", did, True) and push["ts"] > 0
    latencies = []
    for i, watts in enumerate((10.5, 11.5, 12.5)):
        sent = time.monotonic()
        device.c.publish(f"device/{did}/up", json.dumps(
            {"id": i + 1, "method": "properties_changed", "params": [{"siid": 2, "piid": 2, "value": watts}]}), qos=1)
        push = next_push(app)
        latencies.append((time.monotonic() - sent) * 1000)
        assert push["type"] == "property" and (push["did"], push["siid"], push["piid"], push["value"]) == \
            (did, 2, 2, watts), push
    print(f"publish-to-push latency ms: {', '.join(f'{x:.1f}' for x in latencies)}")
    device.c.publish(f"device/{did}/up", json.dumps(
        {"id": 9, "method": "event_occured", "params": {"siid": 2, "eiid": 1, "arguments": [{"piid": 2, "value": 1}]}}),
        qos=1)
    push = next_push(app)
    assert (push["type"], push["eiid"], push["arguments"]) == ("event", 1, [{"piid": 2, "value": 1}])
    device.c.disconnect()
    push = next_push(app)
    assert (push["type"], push["did"], push["online"]) == ("presence", did, False)

    # The outsider heard none of it.
    assert quiet(eve)
    app.close()
    eve.close()


def test_a_shared_device_can_be_followed_alone_and_bad_clients_are_told_why(home):
    b = home
    plug = b.plugs[0]
    assert bind(b, plug)[0] == 201
    olga = sign_in(b, "olga@example.com")
    ws = connect(b, olga)
    refusal = subscribe(ws, devices=[plug["did"]])
    assert refusal == {"type": "error", "code": "not_found", "message": f"no device {plug['did']}"}
    assert json.loads(ws.recv()) == {"type": "subscribed", "homes": [], "devices": []}
    assert api(b, "POST", f"/api/v1/devices/{plug['did']}/shares", {"email": "olga@example.com"}, token=b.ann)[0] == 201
    assert subscribe(ws, devices=[plug["did"]]) == {"type": "subscribed", "homes": [], "devices": [plug["did"]]}
    device = Device(SimpleNamespace(port=b.port, device=plug), obliging({}))
    push = next_push(ws)
    assert (push["type"], push["did"], push["online"]) == ("presence", plug["did"], True)
    ws.send(json.dumps({"type": "unsubscribe", "devices": [plug["did"]]}))
    assert json.loads(ws.recv()) == {"type": "subscribed", "homes": [], "devices": []}
    device.c.disconnect()
    assert quiet(ws)
    ws.close()

    anonymous = connect(b)
    anonymous.send(json.dumps({"type": "subscribe", "homes": [b.home]}))
    assert json.loads(anonymous.recv())["code"] == "unauthenticated"
    anonymous.send("not json")
    assert json.loads(anonymous.recv())["code"] == "bad_request"
    anonymous.send(json.dumps({"type": "auth", "token": "hat_" + "0" * 64}))
    assert json.loads(anonymous.recv())["code"] == "unauthenticated"
    anonymous.settimeout(5)
    try:
        after = anonymous.recv()  # the close frame: websocket-client answers it and returns ""
    except (websocket.WebSocketConnectionClosedException, ConnectionError):
        after = ""
    assert after == ""
    assert not anonymous.connected
