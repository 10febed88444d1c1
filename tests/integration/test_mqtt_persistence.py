"""Persistent sessions and retained messages survive a restart and a crash (SIGKILL)."""
import signal
import struct

import pytest

import raw_mqtt as raw
from clients import V311, V5, Client, SubscribeOptions
from harness import Hearthd, wait_metric


@pytest.fixture
def broker():
    b = Hearthd(anonymous=True).start()
    yield b
    b.cleanup()


def durable(b):
    """Returns once everything the broker has submitted to its store is durable: a retained QoS 1
    message is acknowledged only after its group commit, which holds all writes before it."""
    Client(b.port, "fence").publish("fence/durable", b"x", qos=1, retain=True)


def restart(b, how):
    if how == "sigkill":
        b.stop(signal.SIGKILL)
        b.start()
    else:
        b.restart()


@pytest.mark.parametrize("how", ["sigterm", "sigkill"])
@pytest.mark.parametrize("version", [V311, V5])
def test_queued_messages_and_subscriptions_survive(broker, how, version):
    s = Client(broker.port, "device-1", version=version, clean=False, session_expiry=3600)
    s.subscribe("cmd/device-1/#", qos=1)
    s.subscribe("cmd/all", qos=2)
    s.disconnect()
    p = Client(broker.port, "cloud")
    for i in range(20):
        p.publish("cmd/device-1/set", f"q1-{i}".encode(), qos=1)  # acknowledged = durable
    p.publish("cmd/all", b"q2", qos=2)
    restart(broker, how)
    s = Client(broker.port, "device-1", version=version, clean=False, session_expiry=3600)
    assert s.session_present
    got = [m.payload for m in s.collect(s)]
    assert got == [f"q1-{i}".encode() for i in range(20)] + [b"q2"]
    # The subscriptions came back too.
    Client(broker.port, "cloud2").publish("cmd/device-1/x", b"after", qos=1)
    assert s.expect().payload == b"after"


@pytest.mark.parametrize("how", ["sigterm", "sigkill"])
def test_retained_messages_survive(broker, how):
    p = Client(broker.port, "p")
    p.publish("state/lamp", b"on", qos=1, retain=True)
    p.publish("state/plug", b"off", qos=1, retain=True)
    p.publish("state/gone", b"x", qos=1, retain=True)
    p.publish("state/gone", b"", qos=1, retain=True)  # deleted
    restart(broker, how)
    s = Client(broker.port, "s")
    s.subscribe("state/#", qos=1)
    got = {m.topic: m.payload for m in s.collect(s)}
    assert got == {"state/lamp": b"on", "state/plug": b"off"}


def test_inflight_redelivered_after_crash_with_same_packet_id(broker):
    c = raw.RawClient(broker.port)
    c.send(raw.connect("inflight", clean=False, properties=b"\x11" + struct.pack(">I", 600)))
    c.recv()
    c.send(raw.subscribe([("if/t", 1)]))
    c.recv()
    Client(broker.port, "p").publish("if/t", b"unacked", qos=1)
    first = c.recv()
    c.close()
    # That the message was sent is recorded with the next group commit, not awaited.
    durable(broker)
    broker.stop(signal.SIGKILL)
    broker.start()
    c = raw.RawClient(broker.port)
    c.send(raw.connect("inflight", clean=False, properties=b"\x11" + struct.pack(">I", 600)))
    assert c.recv().body[0] == 1  # session present
    again = c.recv()
    assert again.flags & 0x08 and again.body == first.body  # DUP, same packet id and content


def test_clean_sessions_and_acknowledged_messages_leave_nothing(broker):
    s = Client(broker.port, "tidy", clean=False, session_expiry=3600)
    s.subscribe("t/x", qos=1)
    Client(broker.port, "p").publish("t/x", b"delivered", qos=1)
    assert s.expect().payload == b"delivered"
    s.disconnect()
    restart(broker, "sigterm")
    s = Client(broker.port, "tidy", clean=False, session_expiry=3600)
    assert s.session_present
    s.fence(s)  # the acknowledged message is not delivered again
    s.disconnect()
    s = Client(broker.port, "tidy", clean=True)
    s.disconnect()
    # Session changes are committed with the next group commit, not awaited by CONNACK.
    wait_metric(broker, "hearth_mqtt_sessions", lambda n: n == 0)
    durable(broker)
    restart(broker, "sigkill")
    assert not Client(broker.port, "tidy", clean=False, session_expiry=10).session_present


def test_session_expiry_continues_across_restart(broker):
    s = Client(broker.port, "brief", clean=False, session_expiry=2)
    s.subscribe("b/t", qos=1)
    s.disconnect()
    broker.restart()
    # Its expiry is restored with it: hearthd ends it within its interval, without a client.
    wait_metric(broker, "hearth_mqtt_sessions", lambda n: n == 0)
    assert not Client(broker.port, "brief", clean=False, session_expiry=2).session_present


def test_durability_none_keeps_nothing():
    b = Hearthd("--mqtt-durability", "none", anonymous=True).start()
    try:
        s = Client(b.port, "mem", clean=False, session_expiry=3600)
        s.subscribe("m/t", qos=1)
        s.disconnect()
        b.restart()
        assert not Client(b.port, "mem", clean=False, session_expiry=3600).session_present
    finally:
        b.cleanup()
