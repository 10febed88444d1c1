"""Hostile input on every route family costs its own request, never the server (issue 15).

The first request here, a 330-digit brightness said to the assistant, ended hearthd with an
uncaught std::out_of_range from std::stod; fifty 百分之 in one sentence took 2^50 steps. After
each family of hostile requests the same hearthd answers an ordinary one, and none of the input
counted as an internal error: bad input is refused with a reason, not caught as a bug."""
import json
import struct
from types import SimpleNamespace

import websocket

import raw_mqtt as raw
from harness import metrics, wait_for
from test_accounts import api
from test_device_commands import Device, obliging
from test_home_devices import bind, home  # noqa: F401 (the fixture)

NINES = "9" * 330


def still_serving(b):
    """hearthd runs, answers a signed-in request, and counted no internal error."""
    assert b.proc.poll() is None, b.log()[-3000:]
    assert api(b, "GET", "/api/v1/users/me", token=b.ann)[0] == 200
    errors = {k: v for k, v in metrics(b).items() if k.startswith("hearth_internal_errors_total")}
    assert len(errors) == 4 and not any(errors.values()), errors


def refused(b, method, path, body, token=None):
    """A hostile request gets an answer below 500 (a refusal with a reason, or a reply)."""
    status, answer = api(b, method, path, body, token=token)
    assert status < 500, (path, status, answer)
    if status >= 400:  # with a reason: the API's error shape, or the MIoT routes' own
        assert (answer.get("error") or answer)["message"], answer
    return status, answer


def test_the_assistant_says_a_number_is_out_of_range(home):
    b = home
    path = f"/api/v1/homes/{b.home}/assistant"
    for text, response in [("set the desk lamp brightness to " + NINES, "Sorry, that number is out of range."),
                           ("把台灯调到百分之" + NINES, "抱歉，这个数字超出了范围。"),
                           ("把台灯调到" + "九" * 160, "抱歉，这个数字超出了范围。")]:
        assert len(json.dumps({"text": text}, ensure_ascii=False).encode()) <= 520
        status, out = api(b, "POST", path, {"text": text}, token=b.ann)
        assert status == 200, out
        assert out["response"] == response and out["interpretation"]["intent"] == "unknown", out
    # 500 bytes of shares, each of which read the whole rest of the sentence again.
    status, out = api(b, "POST", path, {"text": "百分之5" * 50}, token=b.ann)
    assert status == 200 and out["response"], out
    status, out = api(b, "POST", path, {"text": "twenty point " + "zero " * 90 + "one"}, token=b.ann)
    assert status == 200, out
    still_serving(b)


def test_hostile_bodies_paths_and_queries_get_a_reason(home):
    b = home
    deep = b"[" * 100_000 + b"]" * 100_000
    huge = ('{"email": "a@b.co", "password": "correct horse", "until_ms": 1e400, "n": ' + NINES + "}").encode()
    plug = b.plugs[0]
    assert bind(b, plug)[0] == 201
    did = plug["did"]
    for method, path, body in [
        ("POST", "/api/v1/auth/signup", deep),
        ("POST", "/api/v1/auth/login", huge),
        ("POST", "/api/v1/auth/refresh", {"refresh_token": "x" * 500_000}),
        ("POST", "/api/v1/homes", {"name": "x" * 500_000}),
        ("GET", "/api/v1/homes/" + NINES, None),
        ("PATCH", f"/api/v1/homes/{b.home}/rooms/-{NINES}", {"name": "Den"}),
        ("POST", f"/api/v1/homes/{b.home}/invitations", {"email": "c@d.co", "role": "guest", "until_ms": 2**64}),
        ("POST", f"/api/v1/homes/{b.home}/devices", {"bind_code": "1" * 300, "room_id": -(2**63)}),
        ("PATCH", f"/api/v1/devices/{did}", {"room_id": 2**63}),
        ("GET", f"/api/v1/devices/{did}/history?siid={NINES}&piid=1", None),
        ("GET", f"/api/v1/devices/{did}/history?siid=2&piid=1&points=-{NINES}&from_ms=1e999", None),
        ("GET", f"/api/v1/devices/{did}/events?limit={NINES}", None),
        ("GET", f"/api/v1/homes/{b.home}/devices?limit=0x10&after=" + "%" * 1000, None),
        ("POST", f"/api/v1/devices/{did}/commands", b'{"method":"get_properties","params":[{"siid":' +
         NINES.encode() + b',"piid":1}],"timeout_ms":1e400}'),
        ("POST", f"/api/v1/devices/{did}/commands", deep),
        ("POST", "/app/v2/miotspec/prop/get", {"params": [{"did": did, "siid": 2**64, "piid": -1}] * 1000}),
        ("POST", "/app/v2/miotspec/prop/set", b'{"params":[{"did":"' + did.encode() + b'","siid":2,"piid":2,"value":' +
         NINES.encode() + b"}]}"),
        ("POST", "/app/v2/miotspec/action", {"params": {"did": did, "siid": 1e300, "aiid": 1, "in": [[[]]] * 1000}}),
        ("POST", "/app/v2/home/device_list_page", {"limit": NINES}),
        ("POST", f"/api/v1/homes/{b.home}/assistant", {"text": "x" * 501}),
        ("POST", f"/api/v1/homes/{b.home}/assistant", {"text": "a", "room": 1e400}),
        ("POST", f"/api/v1/homes/{b.home}/assistant/speech?room={NINES}", b"RIFF" + b"\xff" * 40),
        ("POST", f"/api/v1/homes/{b.home}/assistant/speech", b"RIFF" + struct.pack("<I", 2**32 - 1) + b"WAVEfmt "),
    ]:
        refused(b, method, path, body, token=b.ann)
    still_serving(b)


def test_hostile_websocket_messages_are_answered_and_the_connection_stays(home):
    b = home
    ws = websocket.create_connection(f"ws://127.0.0.1:{b.ports['http']}/api/v1/ws", timeout=5)
    ws.send(json.dumps({"type": "auth", "token": b.ann}))
    assert json.loads(ws.recv())["type"] == "ready"
    probe = {"type": "error", "code": "bad_request", "message": "type: auth, subscribe or unsubscribe"}
    for message in ["[" * 60_000, '{"type":' + NINES + "}",
                    json.dumps({"type": "subscribe", "homes": [2**64, -1, 1e300]}),
                    '{"type":"subscribe","homes":[' + NINES + "]}",
                    json.dumps({"type": "subscribe", "devices": ["x" * 60_000]}),
                    json.dumps({"type": "subscribe", "homes": list(range(10_000))})]:
        ws.send(message)
        ws.send(json.dumps({"type": "probe"}))  # its answer ends the answers to `message`
        answers = []
        while not answers or answers[-1] != probe:
            answers.append(json.loads(ws.recv()))
        assert len(answers) >= 2 and all(a["type"] in ("error", "subscribed") for a in answers), answers
        assert all(a.get("code") != "internal" for a in answers), answers
    ws.send(json.dumps({"type": "subscribe", "homes": [b.home]}))
    assert json.loads(ws.recv()) == {"type": "subscribed", "homes": [b.home], "devices": []}
    ws.close()
    still_serving(b)


def test_hostile_device_reports_and_mqtt_packets_cost_only_their_connection(home):
    b = home
    plug = b.plugs[0]
    assert bind(b, plug)[0] == 201
    device = Device(SimpleNamespace(port=b.port, device=plug), obliging({}))
    before = metrics(b)["hearth_ingest_malformed_total"]
    reports = [b"[" * 50_000,
               b'{"id":' + NINES.encode() + b',"method":"properties_changed","params":[]}',
               b'{"id":1,"method":"properties_changed","params":[{"siid":2,"piid":2,"value":' + NINES.encode() + b"}]}",
               b'{"id":2,"method":"properties_changed","params":[{"siid":' + NINES.encode() + b',"piid":2,"value":1}]}',
               b'{"id":3,"method":"event_occured","params":{"siid":2,"eiid":1,"arguments":' + b"[" * 5000 + b"}}"]
    for payload in reports:
        device.c.c.publish(f"device/{plug['did']}/up", payload, qos=1)
    # Two of the five are refused whole; the rest are answered item by item.
    assert wait_for(lambda: metrics(b)["hearth_ingest_malformed_total"] >= before + 2), metrics(b)
    # The largest remaining length MQTT can write, and a SUBSCRIBE with a 64 KiB filter.
    for packet, answers in [(bytes([0x30, 0xFF, 0xFF, 0xFF, 0x7F]), {14}),
                            (raw.subscribe([("a/" * 32_767 + "#", 1)]), {9, 14})]:
        c = raw.RawClient(b.port)
        # Signed in (as Ann's app): MQTT refuses clients without credentials before anything else.
        c.send(raw.connect("hostile", username="ann@example.com", password=b.ann))
        ack = c.recv()
        assert ack.type == 2 and ack.body[1] == 0, ack.body
        try:
            c.send(packet)
            assert c.recv().type in answers
        except (EOFError, ConnectionResetError, BrokenPipeError):
            pass  # closed without a word is an answer too
        c.close()
    # The device's connection is still the same one, and it still reports.
    device.c.c.publish(f"device/{plug['did']}/up", json.dumps(
        {"id": 9, "method": "properties_changed", "params": [{"siid": 2, "piid": 2, "value": 12.5}]}), qos=1)
    assert wait_for(lambda: api(b, "GET", f"/api/v1/devices/{plug['did']}/properties", token=b.ann)[1]
                    ["properties"]), "the report was not stored"
    assert not device.c.disconnected.is_set()
    still_serving(b)
