"""Device reports end to end: a real device client (paho, raw MQTT) publishes properties_changed
and event_occured on its up topic; hearthd checks each item against the product spec, stores the
accepted ones in history, acknowledges only then, answers rejections on the down topic and
announces accepted changes. Storage is read back with `hearth device history` after hearthd
stops, including after a SIGKILL.
"""
import json
import signal
import threading
import time

import pytest

import raw_mqtt as raw
from clients import V5, V311, Client, operator_client
from harness import Hearthd, add_devices, hearth, import_products, metrics, wait_for


S = "acme-meter:1"
METER = {"type": f"urn:miot-spec-v2:device:outlet:0000A002:{S}", "description": "Meter plug", "services": [
    {"iid": 1, "type": f"urn:miot-spec-v2:service:device-information:00007801:{S}", "description": "Info",
     "properties": [{"iid": 1, "type": f"urn:miot-spec-v2:property:manufacturer:00000001:{S}",
                     "description": "Maker", "format": "string", "access": ["read"]},
                    {"iid": 3, "type": f"urn:miot-spec-v2:property:serial-number:00000003:{S}",
                     "description": "Serial", "format": "string", "access": ["read"]},
                    {"iid": 4, "type": f"urn:miot-spec-v2:property:firmware-revision:00000005:{S}",
                     "description": "Firmware", "format": "string", "access": ["read"]}]},
    {"iid": 2, "type": f"urn:miot-spec-v2:service:switch:0000780C:{S}", "description": "Switch",
     "properties": [
         {"iid": 1, "type": f"urn:miot-spec-v2:property:on:00000006:{S}", "description": "On",
          "format": "bool", "access": ["read", "write", "notify"]},
         {"iid": 2, "type": f"urn:miot-spec-v2:property:electric-power:00000066:{S}", "description": "Power",
          "format": "float", "access": ["read", "notify"], "unit": "watt", "value-range": [0, 3000, 0.1]},
         {"iid": 3, "type": f"urn:miot-spec-v2:property:mode:00000008:{S}", "description": "Mode",
          "format": "uint8", "access": ["read", "write", "notify"],
          "value-list": [{"value": 0, "description": "Auto"}, {"value": 1, "description": "Eco"}]},
         {"iid": 4, "type": f"urn:miot-spec-v2:property:counter:0000007B:{S}", "description": "Counter",
          "format": "uint32", "access": ["notify"], "value-range": [0, 4000000000, 1]},
         {"iid": 5, "type": f"urn:miot-spec-v2:property:name:00000004:{S}", "description": "Secret",
          "format": "string", "access": ["write"]}],
     "events": [{"iid": 1, "type": f"urn:miot-spec-v2:event:overload:00005001:{S}", "description": "Overload",
                 "arguments": [2]}]}]}

PROPERTY_NOT_FOUND, SERVICE_NOT_FOUND = -704044003, -704044002
VALUE_INVALID, NOT_READABLE, MALFORMED = -704220043, -704054013, -704000000
EVENT_NOT_FOUND, ARGUMENT_INVALID = -704044004, -704220035


@pytest.fixture
def server(tmp_path):
    with Hearthd(operator=True) as b:
        import_products(b, tmp_path / "specs", METER)
        b.device = add_devices(b, "acme.outlet.meter")[0]
        yield b


def device_client(server, version=V5):
    d = server.device
    c = Client(server.port, d["did"], version=version, username=d["did"], password=d["secret"])
    c.subscribe(f"device/{d['did']}/down", qos=1)
    return c


def report(c, did, msg_id, items, qos=1):
    payload = json.dumps({"id": msg_id, "method": "properties_changed",
                          "params": [{"siid": s, "piid": p, "value": v} for s, p, v in items]})
    c.publish(f"device/{did}/up", payload, qos=qos)


def history(server, *args):
    r = hearth("device", "history", server.device["did"], *args, "--limit", "100000", data_dir=server.data_dir)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def shadow_of(server):
    r = hearth("device", "shadow", server.device["did"], data_dir=server.data_dir)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_valid_reports_are_stored_announced_and_not_answered(server):
    did = server.device["did"]
    watcher = operator_client(server, "watcher")
    watcher.subscribe(f"device/{did}/up/properties_changed/#", qos=1)
    dev = device_client(server)
    report(dev, did, 1, [(2, 1, True), (2, 2, 1234.5), (2, 3, 1)])
    got = {m.topic: json.loads(m.payload) for m in (watcher.expect() for _ in range(3))}
    assert got[f"device/{did}/up/properties_changed/2/1"]["value"] is True
    assert got[f"device/{did}/up/properties_changed/2/2"]["value"] == 1234.5
    assert got[f"device/{did}/up/properties_changed/2/3"]["value"] == 1
    # Fully accepted: no reply. A report that is answered, sent after it by the same device, gets
    # the next reply: an answer to the first would have come before.
    report(dev, did, 2, [(9, 9, 1)])
    reply = json.loads(dev.expect().payload)
    assert reply["id"] == 2 and [r["code"] for r in reply["result"]] == [SERVICE_NOT_FOUND], reply
    counters = metrics(server)
    assert counters['hearth_ingest_items_total{result="accepted"}'] == 3
    dev.disconnect()
    server.stop()
    assert [s["value"] for s in history(server, "--siid", "2", "--piid", "2")] == [1234.5]
    assert [s["value"] for s in history(server, "--siid", "2", "--piid", "1")] == [True]
    assert [(s["siid"], s["piid"], s["value"]) for s in shadow_of(server)] == [(2, 1, True), (2, 2, 1234.5), (2, 3, 1)]


def test_firmware_and_serial_number_are_recorded_in_the_registry(server):
    did = server.device["did"]

    def info():
        r = hearth("device", "show", did, data_dir=server.data_dir)  # while hearthd runs
        assert r.returncode == 0, r.stderr
        shown = json.loads(r.stdout)
        return shown["firmware_revision"], shown["serial_number"]

    assert info() == ("", "")
    dev = device_client(server)
    report(dev, did, 1, [(1, 1, "Acme"), (1, 3, "SN-0042"), (1, 4, "1.2.3_0045")])
    assert wait_for(lambda: info() == ("1.2.3_0045", "SN-0042"))
    report(dev, did, 2, [(1, 4, "1.3.0_0050"), (1, 4, 7)])  # the second is refused: not a string
    assert wait_for(lambda: info() == ("1.3.0_0050", "SN-0042"))
    dev.disconnect()
    server.restart()
    assert info() == ("1.3.0_0050", "SN-0042")


def test_invalid_items_are_rejected_one_by_one(server):
    did = server.device["did"]
    dev = device_client(server, V311)
    report(dev, did, 7, [(2, 1, 1), (2, 2, 3000.05), (2, 3, 2), (2, 2, 99.9), (2, 9, 0), (8, 1, 0), (2, 5, "x"),
                         (2, 1, False)])
    reply = json.loads(dev.expect().payload)
    assert reply["id"] == 7
    assert [r["code"] for r in reply["result"]] == [
        VALUE_INVALID,       # 1 for a bool
        VALUE_INVALID,       # above the range (and off the 0.1 step)
        VALUE_INVALID,       # not in the value list
        0,
        PROPERTY_NOT_FOUND,
        SERVICE_NOT_FOUND,
        NOT_READABLE,        # write-only: a device cannot report it
        0]
    counters = metrics(server)
    assert counters['hearth_ingest_items_total{result="accepted"}'] == 2
    assert counters['hearth_ingest_items_total{result="rejected"}'] == 6
    dev.disconnect()
    server.stop()
    assert [s["value"] for s in history(server, "--siid", "2", "--piid", "2")] == [99.9]
    assert [s["value"] for s in history(server, "--siid", "2", "--piid", "1")] == [False]
    # Two values of one property in one report: the later is the shadow's.
    assert [(s["piid"], s["value"]) for s in shadow_of(server)] == [(1, False), (2, 99.9)]


@pytest.mark.parametrize("payload,reason", [
    (b"{not json", "not JSON"),
    (b'{"id":5,"method":"properties_changed","params":[{"siid":2,"piid":1}]}', 'params[0]: missing "value"'),
    (b'{"id":6,"method":"set_properties","params":[]}', "a device does not send set_properties"),
])
def test_malformed_messages_get_an_error_and_change_nothing(server, payload, reason):
    did = server.device["did"]
    dev = device_client(server)
    dev.publish(f"device/{did}/up", payload, qos=1)
    reply = json.loads(dev.expect().payload)
    assert reply["error"]["code"] == MALFORMED
    assert reason in reply["error"]["message"]
    assert metrics(server)["hearth_ingest_malformed_total"] == 1
    dev.disconnect()
    server.stop()
    assert history(server, "--siid", "2", "--piid", "1") == []


def test_events_are_checked_stored_and_announced(server):
    did = server.device["did"]
    watcher = operator_client(server, "watcher")
    watcher.subscribe(f"device/{did}/up/event_occured/#", qos=1)
    dev = device_client(server)
    event = {"id": 3, "method": "event_occured", "params": {"siid": 2, "eiid": 1, "arguments": [{"piid": 2, "value": 2999.9}]}}
    dev.publish(f"device/{did}/up", json.dumps(event), qos=1)
    m = watcher.expect()
    assert m.topic == f"device/{did}/up/event_occured/2/1"
    assert json.loads(m.payload)["arguments"] == [{"piid": 2, "value": 2999.9}]
    for params, code in [({"siid": 2, "eiid": 9}, EVENT_NOT_FOUND),
                         ({"siid": 2, "eiid": 1, "arguments": [{"piid": 1, "value": True}]}, ARGUMENT_INVALID),
                         ({"siid": 2, "eiid": 1, "arguments": [{"piid": 2, "value": -1}]}, ARGUMENT_INVALID)]:
        dev.publish(f"device/{did}/up", json.dumps({"id": 4, "method": "event_occured", "params": params}), qos=1)
        reply = json.loads(dev.expect().payload)
        assert reply["id"] == 4 and reply["error"]["code"] == code, reply
    # Refused events are not announced: the next valid one is the watcher's next message.
    dev.publish(f"device/{did}/up", json.dumps(dict(event, id=5)), qos=1)
    assert json.loads(watcher.expect().payload)["arguments"] == [{"piid": 2, "value": 2999.9}]
    dev.disconnect()
    server.stop()
    events = history(server)
    assert [(e["siid"], e["eiid"], e["arguments"]) for e in events] == [(2, 1, [{"piid": 2, "value": 2999.9}])] * 2


def test_every_acknowledged_report_survives_a_crash(server):
    """Reports at full speed at QoS 1, SIGKILL, restart: every report whose PUBACK arrived is in history."""
    did, secret = server.device["did"], server.device["secret"]
    r = raw.RawClient(server.port)
    r.send(raw.connect(did, username=did, password=secret, version=4))
    assert r.recv().body[1] == 0
    acked = []
    stop = threading.Event()
    sent = {}

    def reader():
        try:
            while not stop.is_set():
                p = r.recv()
                if p.type == 4:
                    acked.append(sent[int.from_bytes(p.body[0:2], "big")])
        except (EOFError, OSError):
            pass

    t = threading.Thread(target=reader, daemon=True)
    t.start()
    value = 0
    # The kill comes while reports are still being sent and acknowledged.
    killer = threading.Timer(1.0, server.proc.send_signal, [signal.SIGKILL])
    killer.start()
    deadline = time.time() + 5
    try:
        while time.time() < deadline and server.proc.poll() is None:
            for _ in range(50):
                value += 1
                pid = (value % 65535) + 1
                sent[pid] = value
                msg = json.dumps({"id": value, "method": "properties_changed",
                                  "params": [{"siid": 2, "piid": 4, "value": value}]})
                r.send(raw.publish(f"device/{did}/up", msg.encode(), qos=1, packet_id=pid, version=4))
            time.sleep(0.005)
            # At most 500 unacknowledged, as a device's window would allow.
            while value - (acked[-1] if acked else 0) > 500 and server.proc.poll() is None:
                time.sleep(0.001)
    except OSError:
        pass
    killer.join()
    server.stop(signal.SIGKILL)
    stop.set()
    t.join(5)
    assert len(acked) > 100, f"only {len(acked)} acknowledged"
    stored = {s["value"] for s in history(server, "--siid", "2", "--piid", "4")}
    missing = [v for v in acked if v not in stored]
    assert not missing, f"{len(missing)} acknowledged reports lost, e.g. {missing[:5]}"
    # The shadow holds the last stored value: the last acknowledged one, or one sent after it.
    shadow = {(s["siid"], s["piid"]): s["value"] for s in shadow_of(server)}
    assert shadow[(2, 4)] >= acked[-1] and shadow[(2, 4)] == max(stored)
