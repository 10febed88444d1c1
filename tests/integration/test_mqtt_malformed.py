"""Bad input gets the right reason code and a close, and never hurts the broker or other clients."""
import os
import socket

import pytest

import raw_mqtt as raw
from clients import Client
from harness import Hearthd


@pytest.fixture(scope="module")
def broker():
    with Hearthd(anonymous=True) as b:
        yield b


def connected(broker, version=5, client_id="bad"):
    c = raw.RawClient(broker.port)
    c.send(raw.connect(client_id, version=version))
    assert c.recv().type == 2
    return c


def expect_disconnect(c, reason):
    d = c.recv()
    assert d.type == 14, d
    assert d.body[0] == reason, hex(d.body[0])
    assert c.closed()


def test_unsupported_protocol_level_gets_connack_1(broker):
    c = raw.RawClient(broker.port)
    body = raw.utf8("MQTT") + bytes([9, 0x02, 0, 60])
    c.send(raw.packet(0x10, body + raw.utf8("x")))
    ack = c.recv()
    assert ack.type == 2 and ack.body == b"\x00\x01"
    assert c.closed()


def test_first_packet_not_connect_closes(broker):
    c = raw.RawClient(broker.port)
    c.send(raw.publish("a", b"x", version=4))
    assert c.closed()


def test_reserved_connect_flag_v5_gets_connack_malformed(broker):
    c = raw.RawClient(broker.port)
    body = raw.utf8("MQTT") + bytes([5, 0x03, 0, 60]) + raw.props() + raw.utf8("x")
    c.send(raw.packet(0x10, body))
    ack = c.recv()
    assert ack.type == 2 and ack.body[1] == 0x81
    assert c.closed()


@pytest.mark.parametrize("bad,reason", [
    (raw.publish("a/+/b", b"x"), 0x90),                       # wildcard in a topic name
    (raw.packet(0x36, raw.utf8("a") + b"\x00\x01\x00"), 0x81),  # PUBLISH with QoS 3
    (raw.packet(0x80, b"\x00\x01\x00" + raw.utf8("a") + b"\x00"), 0x81),  # SUBSCRIBE flags 0000
    (raw.subscribe([("a/#/b", 0)]), 0x8F),                    # '#' not last: invalid filter
    (raw.subscribe([]), 0x82),                                # SUBSCRIBE without filters
    (raw.packet(0x30, raw.utf8(b"a\x00b") + b"\x00"), 0x81),  # U+0000 in a topic
    (raw.packet(0x30, raw.utf8(b"a\xffb") + b"\x00"), 0x81),  # invalid UTF-8
    (raw.packet(0x30, raw.utf8("a") + b"\x04\x01\x01\x01\x01"), 0x82),  # duplicate property
    (raw.packet(0x30, raw.utf8("a") + b"\x02\x11\x00"), 0x82),  # property not allowed in PUBLISH
    (raw.packet(0x30, raw.utf8("a") + b"\x02\x02\x00"), 0x81),  # truncated property
    (raw.publish("a", b"x", qos=1, packet_id=0), 0x82),       # packet id 0
    (raw.packet(0xF0, b""), 0x82),                            # AUTH never negotiated
    (raw.connect("again"), 0x82),                             # second CONNECT
    (b"\x00\x00", 0x81),                                      # packet type 0
])
def test_malformed_packets_get_reason_and_close(broker, bad, reason):
    c = connected(broker)
    c.send(bad)
    expect_disconnect(c, reason)


def test_remaining_length_too_long(broker):
    c = connected(broker)
    c.send(b"\x30\xff\xff\xff\xff\x01")
    expect_disconnect(c, 0x81)


def test_v311_malformed_just_closes(broker):
    c = connected(broker, version=4, client_id="old-bad")
    c.send(raw.publish("a/#", b"x", version=4))
    assert c.closed()  # 3.1.1 has no DISCONNECT from the server


def test_random_garbage_never_hurts_broker(broker):
    watcher = Client(broker.port, "watcher")
    watcher.subscribe("alive", qos=1)
    rng = __import__("random").Random(1234)
    for i in range(200):
        with socket.create_connection(("127.0.0.1", broker.port), timeout=0.2) as s:
            data = raw.connect(f"g{i}") + os.urandom(rng.randint(1, 300)) if i % 2 else os.urandom(rng.randint(1, 300))
            try:
                s.sendall(data)
                s.recv(1024)
            except OSError:
                pass
    Client(broker.port, "p").publish("alive", b"yes", qos=1)
    assert watcher.expect().payload == b"yes"
