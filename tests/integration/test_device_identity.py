"""Device identity and presence end to end: `hearth device add` registers devices in a real hearthd's data
directory, and real MQTT clients (paho, raw packets) connect as those devices.

A device connects with client id = user name = did and its secret; it may publish only to its own
up topic and subscribe only to its own down topic. Nobody else may connect as it or publish under
device/.
"""
import json
import signal

import pytest

import raw_mqtt as raw
from clients import V5, V311, Client, operator_client
from harness import OPERATOR, Hearthd, add_devices, hearth, import_products, metrics, wait_for


PRODUCT = "acme.outlet.plug"
PLUG = {"type": "urn:miot-spec-v2:device:outlet:0000A002:acme-plug:1", "description": "Plug", "services": [
    {"iid": 1, "type": "urn:miot-spec-v2:service:device-information:00007801:acme-plug:1", "description": "Info",
     "properties": [{"iid": 1, "type": "urn:miot-spec-v2:property:manufacturer:00000001:acme-plug:1",
                     "description": "Maker", "format": "string", "access": ["read"]}]},
    {"iid": 2, "type": "urn:miot-spec-v2:service:switch:0000780C:acme-plug:1", "description": "Switch",
     "properties": [{"iid": 1, "type": "urn:miot-spec-v2:property:on:00000006:acme-plug:1", "description": "On",
                     "format": "bool", "access": ["read", "write", "notify"]}]}]}


@pytest.fixture
def server(tmp_path):
    with Hearthd(operator=True) as b:
        import_products(b, tmp_path / "specs", PLUG)
        yield b


def raw_connect(server, client_id, username=None, password=None, keep_alive=60):
    c = raw.RawClient(server.port)
    c.send(raw.connect(client_id, username=username, password=password, keep_alive=keep_alive))
    ack = c.recv()
    assert ack.type == 2
    return c, ack.body[1]


def test_add_list_show_remove(server):
    devices = add_devices(server, PRODUCT, 3)
    dids = sorted(d["did"] for d in devices)
    for d in devices:
        assert len(d["did"]) == 16 and int(d["did"], 16) >= 0
        assert len(d["secret"]) == 32 and d["model"] == "acme.outlet.plug"
    listed = hearth("device", "list", data_dir=server.data_dir).stdout.split("\n")
    assert [line.split()[0] for line in listed if line] == dids
    page = hearth("device", "list", "--after", dids[0], "--limit", "1", data_dir=server.data_dir).stdout
    assert page.split()[0] == dids[1]
    shown = json.loads(hearth("device", "show", dids[0], data_dir=server.data_dir).stdout)
    assert shown["did"] == dids[0] and shown["model"] == "acme.outlet.plug"
    assert "secret" not in json.dumps(shown)  # only a hash is stored, and never shown
    assert hearth("device", "remove", dids[0], data_dir=server.data_dir).returncode == 0
    gone = hearth("device", "show", dids[0], data_dir=server.data_dir)
    assert gone.returncode == 1 and "NotFound" in gone.stderr
    assert hearth("device", "remove", dids[0], data_dir=server.data_dir).returncode == 1


def test_unknown_product_is_refused(server):
    r = hearth("device", "add", "--product", "acme.outlet.nothing", data_dir=server.data_dir)
    assert r.returncode == 1 and "no product acme.outlet.nothing" in r.stderr


@pytest.mark.parametrize("version", [V5, V311])
def test_device_connects_with_its_secret(server, version):
    dev = add_devices(server, PRODUCT, 1)[0]
    c = Client(server.port, dev["did"], version=version, username=dev["did"], password=dev["secret"])
    granted = c.subscribe(f"device/{dev['did']}/down", qos=1)[0]
    assert (granted.value if hasattr(granted, "value") else granted) == 1
    c.disconnect()


@pytest.mark.parametrize("version,code", [(V5, 0x86), (V311, 4)])
def test_wrong_secret_or_user_name_is_refused(server, version, code):
    dev, other = add_devices(server, PRODUCT, 2)
    for username, password in [(dev["did"], "0" * 32), (dev["did"], other["secret"]), (other["did"], dev["secret"]),
                               (dev["did"], None), (None, None)]:
        c = Client(server.port, dev["did"], version=version, username=username, password=password, expect_rc=None)
        rc = c.connack[1]
        assert (rc.value if hasattr(rc, "value") else rc) == code, (username, password)


def test_device_is_confined_to_its_own_topics(server):
    dev, other = add_devices(server, PRODUCT, 2)
    did = dev["did"]
    c = Client(server.port, did, username=did, password=dev["secret"])
    assert c.subscribe(f"device/{did}/down", qos=1)[0].value == 1
    for refused in ["#", f"device/{other['did']}/down", f"device/{did}/up", "device/+/down"]:
        assert c.subscribe(refused, qos=1)[0].value == 0x87, refused
    watcher = operator_client(server, "watcher")  # an operator's monitoring may read device traffic
    assert watcher.subscribe("device/+/up", qos=1)[0].value == 1

    r, rc = raw_connect(server, did, username=did, password=dev["secret"])
    assert rc == 0
    r.send(raw.publish(f"device/{did}/up", b'{"id":1}', qos=1, packet_id=1))
    ack = r.recv()
    assert ack.type == 4 and ack.body[2:3] in (b"", b"\x00")  # Success may omit the reason code
    assert watcher.expect().topic == f"device/{did}/up"
    for topic in [f"device/{other['did']}/up", f"device/{did}/down", "home/anything"]:
        r.send(raw.publish(topic, b"forged", qos=1, packet_id=2))
        ack = r.recv()
        assert ack.type == 4 and ack.body[2] == 0x87, topic
    watcher.fence(watcher)
    counters = metrics(server)
    assert counters["hearth_mqtt_subscribe_denied_total"] == 4
    assert counters['hearth_mqtt_dropped_total{reason="not_authorized"}'] == 3


def test_nobody_else_speaks_for_a_device(server):
    dev = add_devices(server, PRODUCT, 1)[0]
    # A client that is not the device may not publish under device/, even a verified user.
    r, rc = raw_connect(server, "intruder", username=OPERATOR[0], password=OPERATOR[1])
    assert rc == 0
    r.send(raw.publish(f"device/{dev['did']}/up", b"forged", qos=1, packet_id=1))
    ack = r.recv()
    assert ack.type == 4 and ack.body[2] == 0x87
    # Nor log in with a device principal's name: no password file can hold it (':' ends a name).
    _, rc = raw_connect(server, "sneaky", username="device:" + dev["did"], password="x")
    assert rc == 0x86
    counters = metrics(server)
    assert counters['hearth_mqtt_dropped_total{reason="not_authorized"}'] == 1
    assert counters['hearth_mqtt_connects_total{result="rejected"}'] == 1


def test_removed_device_can_no_longer_connect_as_a_device(server):
    dev = add_devices(server, PRODUCT, 1)[0]
    assert hearth("device", "remove", dev["did"], data_dir=server.data_dir).returncode == 0
    # Its did is now an ordinary client id, and its secret no credential: refused at CONNECT.
    _, rc = raw_connect(server, dev["did"], username=dev["did"], password=dev["secret"])
    assert rc == 0x86
    # Opted-in anonymous clients are admitted, but as nobody in particular: it cannot publish as
    # the device.
    server.stop()
    with Hearthd(anonymous=True, data_dir=server.data_dir) as open_server:
        r, rc = raw_connect(open_server, dev["did"])
        assert rc == 0
        r.send(raw.publish(f"device/{dev['did']}/up", b"{}", qos=1, packet_id=1))
        assert r.recv().body[2] == 0x87


def show(server, did):
    r = hearth("device", "show", did, data_dir=server.data_dir)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def next_state(watcher, did):
    m = watcher.expect(timeout=5)
    assert m.topic == f"device/{did}/state", m.topic
    return json.loads(m.payload)


def test_presence_follows_the_device_connection(server):
    dev = add_devices(server, PRODUCT, 1)[0]
    did = dev["did"]
    assert show(server, did)["online"] is False
    watcher = operator_client(server, "watcher")
    watcher.subscribe(f"device/{did}/state", qos=1)

    # Raw clients: paho would reconnect by itself after a takeover.
    first, rc = raw_connect(server, did, username=did, password=dev["secret"])
    assert rc == 0
    state = next_state(watcher, did)
    assert state["online"] is True and state["ts"] > 0
    assert wait_for(lambda: show(server, did)["online"] is True)
    # A takeover by the device's own new connection keeps it online: no offline in between.
    second, rc = raw_connect(server, did, username=did, password=dev["secret"])
    assert rc == 0
    assert next_state(watcher, did)["online"] is True
    # The next state is the DISCONNECT's: an offline for the connection taken over would come first.
    second.send(b"\xe0\x00")  # DISCONNECT
    state = next_state(watcher, did)
    assert state == {"online": False, "ts": state["ts"], "reason": "disconnected"}
    assert wait_for(lambda: show(server, did)["online"] is False)
    assert show(server, did)["presence_changed_ms"] == state["ts"]

    # A connection that just goes away, and one that stops talking.
    third, rc = raw_connect(server, did, username=did, password=dev["secret"])
    assert next_state(watcher, did)["online"] is True
    third.sock.close()
    assert next_state(watcher, did)["reason"] == "connection-lost"
    silent, rc = raw_connect(server, did, username=did, password=dev["secret"], keep_alive=1)
    assert rc == 0
    assert next_state(watcher, did)["online"] is True
    state = next_state(watcher, did)  # 1.5 keep-alive periods plus the 1 s tick
    assert state["online"] is False and state["reason"] == "keep-alive-timeout"
    del first, silent

    # A subscriber that comes later gets the current state, retained.
    late = operator_client(server, "late")
    late.subscribe(f"device/{did}/state", qos=1)
    assert next_state(late, did) == state


def test_presence_after_a_crash(server):
    dev = add_devices(server, PRODUCT, 1)[0]
    did = dev["did"]
    c, rc = raw_connect(server, did, username=did, password=dev["secret"])
    assert rc == 0
    assert wait_for(lambda: show(server, did)["online"] is True)
    server.stop(signal.SIGKILL)
    c.sock.close()
    server.start()
    # The store said online when the server died; it is offline now, and announced so.
    assert show(server, did)["online"] is False
    watcher = operator_client(server, "watcher")
    watcher.subscribe(f"device/{did}/state", qos=1)
    state = next_state(watcher, did)
    assert state["online"] is False and state["reason"] == "server-restart"
