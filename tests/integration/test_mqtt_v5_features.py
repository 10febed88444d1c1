"""MQTT 5.0 features end to end: properties, aliases, limits and flow control."""
import struct
import time

import pytest

import raw_mqtt as raw
from clients import V311, V5, Client, PacketTypes, SubscribeOptions, properties
from harness import Hearthd, metrics


@pytest.fixture
def broker():
    with Hearthd(anonymous=True) as b:
        yield b


def test_subscription_identifiers(broker):
    s = Client(broker.port, "s")
    s.subscribe("si/+", qos=1, props=properties(PacketTypes.SUBSCRIBE, SubscriptionIdentifier=7))
    s.subscribe("si/#", qos=1, props=properties(PacketTypes.SUBSCRIBE, SubscriptionIdentifier=9))
    s.subscribe("si/none", qos=1)
    p = Client(broker.port, "p")
    p.publish("si/x", b"1", qos=1)
    m = s.expect()
    assert sorted(m.properties.SubscriptionIdentifier) == [7, 9]  # one copy, both ids
    s.fence(p)


def test_request_response_and_user_properties_pass_through(broker):
    responder = Client(broker.port, "responder")
    responder.subscribe("svc/req", qos=1)
    requester = Client(broker.port, "requester")
    requester.subscribe("svc/resp/requester", qos=1)
    props = properties(PacketTypes.PUBLISH, ResponseTopic="svc/resp/requester", CorrelationData=b"\x00\x01id",
                       UserProperty=[("trace", "abc"), ("trace", "def")], ContentType="application/json",
                       PayloadFormatIndicator=1)
    requester.publish("svc/req", b'{"q":1}', qos=1, props=props)
    req = responder.expect()
    p = req.properties
    assert p.ResponseTopic == "svc/resp/requester"
    assert p.CorrelationData == b"\x00\x01id"
    assert p.UserProperty == [("trace", "abc"), ("trace", "def")]  # order and repeats kept
    assert p.ContentType == "application/json"
    assert p.PayloadFormatIndicator == 1
    responder.publish(p.ResponseTopic, b'{"a":2}', qos=1,
                      props=properties(PacketTypes.PUBLISH, CorrelationData=p.CorrelationData))
    resp = requester.expect()
    assert resp.payload == b'{"a":2}' and resp.properties.CorrelationData == b"\x00\x01id"


def test_message_expiry(broker):
    s = Client(broker.port, "expiring", clean=False, session_expiry=60)
    s.subscribe("me/t", qos=1)
    s.disconnect()
    p = Client(broker.port, "p")
    p.publish("me/t", b"short", qos=1, props=properties(PacketTypes.PUBLISH, MessageExpiryInterval=1))
    p.publish("me/t", b"long", qos=1, props=properties(PacketTypes.PUBLISH, MessageExpiryInterval=100))
    time.sleep(1.5)  # the time that expires the first: hearthd's clock is the real one here
    s = Client(broker.port, "expiring", clean=False, session_expiry=60)
    msgs = s.collect(p)
    assert [m.payload for m in msgs] == [b"long"]
    assert 90 <= msgs[0].properties.MessageExpiryInterval <= 100  # what is left is sent on


def test_expired_retained_message_not_sent(broker):
    p = Client(broker.port, "p")
    p.publish("mer/t", b"stale", qos=1, retain=True, props=properties(PacketTypes.PUBLISH, MessageExpiryInterval=1))
    time.sleep(1.5)  # the time that expires it: hearthd's clock is the real one here
    s = Client(broker.port, "s")
    s.subscribe("mer/t", qos=1)
    s.fence(p)


def test_inbound_topic_alias(broker):
    s = Client(broker.port, "s")
    s.subscribe("alias/long/topic/name", qos=1)
    c = raw.RawClient(broker.port)
    c.send(raw.connect("aliaser"))
    connack = c.recv()
    assert b"\x22\x00\x40" in connack.body  # Topic Alias Maximum 64 announced
    c.send(raw.publish("alias/long/topic/name", b"first", qos=1, packet_id=1, properties=b"\x23\x00\x05"))
    assert c.recv().type == 4
    c.send(raw.publish("", b"second", qos=1, packet_id=2, properties=b"\x23\x00\x05"))
    assert c.recv().type == 4
    assert [m.payload for m in s.collect(s)] == [b"first", b"second"]
    # An alias beyond the maximum is a protocol violation: DISCONNECT 0x94.
    c.send(raw.publish("x", b"", qos=0, properties=b"\x23\x00\x41"))
    d = c.recv()
    assert d.type == 14 and d.body[0] == 0x94
    # An unknown alias with an empty topic is a Protocol Error.
    c2 = raw.RawClient(broker.port)
    c2.send(raw.connect("aliaser2"))
    c2.recv()
    c2.send(raw.publish("", b"", qos=0, properties=b"\x23\x00\x03"))
    d = c2.recv()
    assert d.type == 14 and d.body[0] == 0x82


def test_outbound_topic_alias(broker):
    c = raw.RawClient(broker.port)
    c.send(raw.connect("takes-aliases", properties=b"\x22\x00\x02"))  # Topic Alias Maximum 2
    c.recv()
    c.send(raw.subscribe([("oa/#", 0)]))
    c.recv()
    p = Client(broker.port, "p")
    for _ in range(2):
        p.publish("oa/some/long/topic", b"x", qos=1)
    first, second = c.recv(), c.recv()
    assert first.body.startswith(raw.utf8("oa/some/long/topic"))
    assert b"\x23\x00\x01" in first.body
    assert second.body.startswith(b"\x00\x00")  # empty topic name, alias only
    assert b"\x23\x00\x01" in second.body


def test_maximum_packet_size_inbound():
    with Hearthd("--mqtt-max-packet-size", "1024", anonymous=True) as b:
        c = Client(b.port, "big")
        assert c.connack[2].MaximumPacketSize == 1024
        r = raw.RawClient(b.port)
        r.send(raw.connect("big-raw"))
        r.recv()
        r.send(raw.publish("big/t", b"x" * 2000))
        d = r.recv()
        assert d.type == 14 and d.body[0] == 0x95  # Packet Too Large
        assert r.closed()


def test_maximum_packet_size_outbound(broker):
    small = Client(broker.port, "small", connect_props=properties(PacketTypes.CONNECT, MaximumPacketSize=200))
    small.subscribe("mps/t", qos=1)
    p = Client(broker.port, "p")
    p.publish("mps/t", b"y" * 500, qos=1)  # discarded for this client, as if delivered
    p.publish("mps/t", b"ok", qos=1)
    assert [m.payload for m in small.collect(p)] == [b"ok"]


def test_receive_maximum_limits_broker_inflight(broker):
    c = raw.RawClient(broker.port)
    c.send(raw.connect("slow", properties=b"\x21\x00\x02"))  # Receive Maximum 2
    c.recv()
    c.send(raw.subscribe([("rm/t", 1)]))
    c.recv()
    p = Client(broker.port, "p")
    for i in range(5):
        p.publish("rm/t", str(i).encode(), qos=1)
    got = [c.recv(), c.recv()]
    c.sock.settimeout(0.5)
    with pytest.raises(Exception):
        c.recv()  # window full: nothing more until we acknowledge
    c.sock.settimeout(5)
    for g in got:
        pid = struct.unpack(">H", g.body[2 + 4:2 + 4 + 2])[0]
        c.send(raw.ack(0x40, pid))
    more = [c.recv(), c.recv()]
    assert all(m.type == 3 for m in more)


def test_receive_maximum_enforced_inbound():
    with Hearthd("--mqtt-receive-maximum", "2", anonymous=True) as b:
        c = raw.RawClient(b.port)
        c.send(raw.connect("flood"))
        c.recv()
        for pid in (1, 2, 3):  # QoS 2 without PUBREL: the third exceeds the window
            c.send(raw.publish("rmi/t", b"x", qos=2, packet_id=pid))
        assert c.recv().type == 5
        assert c.recv().type == 5
        d = c.recv()
        assert d.type == 14 and d.body[0] == 0x93


def test_full_subscriber_queue_is_the_subscribers_loss_not_the_publishers():
    with Hearthd("--mqtt-max-queued-messages", "3", anonymous=True) as b:
        s = Client(b.port, "full", clean=False, session_expiry=60)
        s.subscribe("qf/t", qos=1)
        s.disconnect()
        r = raw.RawClient(b.port)
        r.send(raw.connect("pub"))
        r.recv()
        codes = []
        for pid in range(1, 6):
            r.send(raw.publish("qf/t", str(pid).encode(), qos=1, packet_id=pid))
            ack = r.recv()
            codes.append(ack.body[2] if len(ack.body) > 2 else 0)
        assert codes == [0, 0, 0, 0, 0]  # accepted: what "full" cannot take is dropped for it
        counters = metrics(b)
        assert counters['hearth_mqtt_dropped_total{reason="queue_full"}'] == 2
        assert counters['hearth_mqtt_client_dropped_total{client_id="full",reason="queue_full"}'] == 2
        s = Client(b.port, "full", clean=False, session_expiry=60)
        assert [m.payload for m in s.collect(s)] == [b"1", b"2", b"3"]


def test_no_matching_subscribers_reason(broker):
    r = raw.RawClient(broker.port)
    r.send(raw.connect("lonely"))
    r.recv()
    r.send(raw.publish("nobody/listens", b"x", qos=1, packet_id=1))
    ack = r.recv()
    assert ack.type == 4 and ack.body[2] == 0x10
