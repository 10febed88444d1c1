"""Sessions, takeover, wills and keep-alive, with paho and raw clients."""
import struct
import time

import pytest

import raw_mqtt as raw
from clients import V311, V5, Client, PacketTypes, properties
from harness import Hearthd, metrics, wait_for, wait_metric


@pytest.fixture
def broker():
    with Hearthd(anonymous=True) as b:
        yield b


def test_assigned_client_identifier(broker):
    c = Client(broker.port, "", version=V5)
    assigned = c.connack[2].AssignedClientIdentifier
    assert assigned.startswith("hearth-")
    c.disconnect()
    # 3.1.1: an empty id needs clean session; otherwise CONNACK 2 (identifier rejected).
    r = raw.RawClient(broker.port)
    r.send(raw.connect("", version=4, clean=False))
    connack = r.recv()
    assert (connack.type, connack.body) == (2, b"\x00\x02")
    assert r.closed()


@pytest.mark.parametrize("version", [V311, V5])
def test_persistent_session_queues_messages_while_offline(broker, version):
    s = Client(broker.port, "keeper", version=version, clean=False, session_expiry=3600)
    assert not s.session_present
    s.subscribe("p/t", qos=1)
    s.disconnect()
    p = Client(broker.port, "pub")
    # QoS 0 first: the QoS 1 acknowledgements that follow show the broker has handled it.
    p.publish("p/t", b"qos0-not-kept", qos=0)
    for i in range(5):
        p.publish("p/t", f"m{i}".encode(), qos=1)
    s = Client(broker.port, "keeper", version=version, clean=False, session_expiry=3600)
    assert s.session_present
    assert [m.payload for m in s.collect(p)] == [b"m0", b"m1", b"m2", b"m3", b"m4"]


def test_clean_start_discards_session(broker):
    s = Client(broker.port, "c", clean=False, session_expiry=3600)
    s.subscribe("c/t", qos=1)
    s.disconnect()
    s = Client(broker.port, "c", clean=True)
    assert not s.session_present
    p = Client(broker.port, "p")
    p.publish("c/t", b"x", qos=1)
    s.fence(p)


def test_session_expiry_zero_ends_session_at_disconnect(broker):
    s = Client(broker.port, "e", clean=False, session_expiry=0)
    s.subscribe("e/t", qos=1)
    s.disconnect()
    s = Client(broker.port, "e", clean=False)
    assert not s.session_present


def test_session_expires_after_interval(broker):
    s = Client(broker.port, "short", clean=False, session_expiry=1)
    s.subscribe("s/t", qos=1)
    s.disconnect()
    wait_metric(broker, "hearth_mqtt_sessions", lambda n: n == 0)
    s = Client(broker.port, "short", clean=False, session_expiry=1)
    assert not s.session_present


def test_takeover_disconnects_old_connection(broker):
    first = Client(broker.port, "dup", clean=False, session_expiry=60)
    first.subscribe("t/o", qos=1)
    second = Client(broker.port, "dup", clean=False, session_expiry=60)
    assert second.session_present
    assert first.disconnected.wait(5)
    assert first.disconnect_rc == 0x8E  # Session taken over
    Client(broker.port, "p").publish("t/o", b"to-second", qos=1)
    assert second.expect().payload == b"to-second"


def test_unacknowledged_qos1_redelivered_with_dup_on_reconnect(broker):
    c = raw.RawClient(broker.port)
    c.send(raw.connect("redeliver", clean=False, properties=b"\x11" + struct.pack(">I", 600)))
    assert c.recv().type == 2
    c.send(raw.subscribe([("rd/t", 1)]))
    assert c.recv().type == 9
    Client(broker.port, "p").publish("rd/t", b"payload", qos=1)
    first = c.recv()
    assert first.type == 3 and first.flags & 0x08 == 0
    c.close()  # no PUBACK
    c = raw.RawClient(broker.port)
    c.send(raw.connect("redeliver", clean=False, properties=b"\x11" + struct.pack(">I", 600)))
    connack = c.recv()
    assert connack.type == 2 and connack.body[0] == 1  # session present
    again = c.recv()
    assert again.type == 3 and again.flags & 0x08  # DUP set
    assert again.body == first.body


def test_qos2_exactly_once_across_retransmission(broker):
    s = Client(broker.port, "s")
    s.subscribe("x/2", qos=2)
    c = raw.RawClient(broker.port)
    c.send(raw.connect("q2pub"))
    c.recv()
    c.send(raw.publish("x/2", b"once", qos=2, packet_id=7))
    assert c.recv().type == 5  # PUBREC
    c.send(raw.publish("x/2", b"once", qos=2, packet_id=7, dup=True))
    assert c.recv().type == 5
    c.send(raw.ack(0x62, 7))
    assert c.recv().type == 7  # PUBCOMP
    assert s.expect().payload == b"once"
    s.fence(s)


def test_will_published_on_abnormal_close_only(broker):
    s = Client(broker.port, "watcher")
    s.subscribe("will/#", qos=1)
    a = Client(broker.port, "a", will={"topic": "will/a", "payload": b"a-gone", "qos": 1})
    a.kill()
    assert s.expect().payload == b"a-gone"
    b = Client(broker.port, "b", will={"topic": "will/b", "payload": b"b-gone", "qos": 1})
    connections = metrics(broker)["hearth_mqtt_connections"]
    b.disconnect()
    # Once hearthd has closed the connection, a will would have been routed.
    wait_metric(broker, "hearth_mqtt_connections", lambda n: n < connections)
    s.fence(s)
    # MQTT 5.0: DISCONNECT with 0x04 asks for the will.
    c = Client(broker.port, "c", will={"topic": "will/c", "payload": b"c-asked", "qos": 1})
    c.disconnect(reason=0x04)
    assert s.expect().payload == b"c-asked"


def test_will_delay_and_cancel_on_reconnect(broker):
    s = Client(broker.port, "watcher")
    s.subscribe("wd/#", qos=1)
    will_props = properties(PacketTypes.WILLMESSAGE, WillDelayInterval=2)
    w = {"topic": "wd/x", "payload": b"late", "qos": 1, "properties": will_props}
    a = Client(broker.port, "delayed", clean=False, session_expiry=60, will=w)
    killed = time.monotonic()
    a.kill()
    assert s.expect(timeout=6).payload == b"late"
    assert time.monotonic() - killed >= 1.9  # not before its delay (whole seconds)
    # Reconnecting within the delay cancels the will: a control will with the same delay, from a
    # connection lost later, comes due after it, and nothing else may come before the control's.
    b = Client(broker.port, "delayed2", clean=False, session_expiry=60, will=dict(w, topic="wd/y"))
    b.kill()
    Client(broker.port, "delayed2", clean=False, session_expiry=60)
    control = Client(broker.port, "control", clean=False, session_expiry=60, will=dict(w, topic="wd/control"))
    control.kill()
    assert s.expect(timeout=6).topic == "wd/control"
    s.fence(s)


def test_keep_alive_enforced(broker):
    c = raw.RawClient(broker.port, timeout=6)
    c.send(raw.connect("sleepy", keep_alive=1))
    assert c.recv().type == 2
    started = time.monotonic()
    d = c.recv()  # silence for 1.5 keep-alive periods: DISCONNECT 0x8D
    assert d.type == 14 and d.body[0] == 0x8D
    assert 1.0 < time.monotonic() - started < 4.0
    assert c.closed()


def test_ping_keeps_connection_alive(broker):
    c = raw.RawClient(broker.port, timeout=6)
    c.send(raw.connect("pinger", keep_alive=1))
    c.recv()
    for _ in range(4):
        time.sleep(0.6)
        c.send(b"\xc0\x00")
        assert c.recv().type == 13


def test_server_keep_alive():
    with Hearthd("--mqtt-max-keep-alive", "30", anonymous=True) as b:
        c = Client(b.port, "ka", keepalive=0)
        assert c.connack[2].ServerKeepAlive == 30


def test_shared_subscription_spreads_messages(broker):
    members = [Client(broker.port, f"worker{i}") for i in range(3)]
    for m in members:
        m.subscribe("$share/workers/jobs/+", qos=1)
    normal = Client(broker.port, "audit")
    normal.subscribe("jobs/+", qos=1)
    p = Client(broker.port, "p")
    for i in range(30):
        p.publish(f"jobs/{i}", str(i).encode(), qos=1)
    got = [sorted(int(x.payload) for x in m.collect(p)) for m in members]
    assert sorted(sum(got, [])) == list(range(30))  # each job to exactly one worker
    assert all(len(g) >= 5 for g in got)  # and spread over all of them
    assert len(normal.collect(p)) == 30


def test_connect_timeout_closes_silent_socket():
    with Hearthd("--mqtt-connect-timeout", "1", anonymous=True) as b:
        c = raw.RawClient(b.port, timeout=5)
        started = time.monotonic()
        assert c.closed()
        assert time.monotonic() - started < 4
