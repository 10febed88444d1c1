"""paho-mqtt (Debian's python3-paho-mqtt) clients with blocking helpers for tests."""
import queue
import threading

import paho.mqtt.client as mqtt
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties
from paho.mqtt.subscribeoptions import SubscribeOptions

V311 = mqtt.MQTTv311
V5 = mqtt.MQTTv5


def _code(granted):
    """A SUBACK entry as a number: paho gives ReasonCodes for 5.0 and ints for 3.1.1."""
    return granted.value if hasattr(granted, "value") else granted


def properties(packet_type, **values):
    p = Properties(packet_type)
    for k, v in values.items():
        setattr(p, k, v)
    return p


class Client:
    """A connected paho client that records messages, acks and disconnects."""

    _fences = 0

    def __init__(self, port, client_id="", version=V5, clean=True, keepalive=60, session_expiry=None,
                 will=None, connect_props=None, transport="tcp", tls=None, username=None, password=None,
                 ws_path="/mqtt", expect_rc=0, host="127.0.0.1"):
        self.version = version
        kwargs = {"client_id": client_id, "protocol": version, "transport": transport}
        if version != V5:
            kwargs["clean_session"] = clean
        self.c = mqtt.Client(**kwargs)
        if transport == "websockets":
            self.c.ws_set_options(path=ws_path)
        if tls:
            self.c.tls_set(**tls)
        if username is not None:
            self.c.username_pw_set(username, password)
        self.messages = queue.Queue()
        self.connected = threading.Event()
        self.disconnected = threading.Event()
        self.subscribed = queue.Queue()
        self.unsubscribed = queue.Queue()
        self.published = queue.Queue()
        self.connack = None
        self.disconnect_rc = None
        self.c.on_connect = self._on_connect
        self.c.on_message = lambda c, u, m: self.messages.put(m)
        self.c.on_disconnect = self._on_disconnect
        self.c.on_subscribe = self._on_subscribe
        self.c.on_unsubscribe = lambda c, u, mid, *rest: self.unsubscribed.put((mid, rest))
        self.c.on_publish = lambda c, u, mid: self.published.put(mid)
        if will:
            self.c.will_set(**will)
        connect_kwargs = {"keepalive": keepalive}
        if version == V5:
            props = connect_props or Properties(PacketTypes.CONNECT)
            if session_expiry is not None:
                props.SessionExpiryInterval = session_expiry
            connect_kwargs["clean_start"] = clean
            connect_kwargs["properties"] = props
        self.c.connect(host, port, **connect_kwargs)
        self.c.loop_start()
        if not self.connected.wait(10):
            raise TimeoutError("no CONNACK")
        rc = self.connack[1]
        rc_value = rc.value if hasattr(rc, "value") else rc
        if expect_rc is not None and rc_value != expect_rc:
            raise AssertionError(f"CONNACK {rc}")

    def _on_connect(self, c, u, flags, rc, props=None):
        self.connack = (flags, rc, props)
        self.connected.set()

    def _on_disconnect(self, c, u, rc, props=None):
        self.disconnect_rc = rc
        self.disconnected.set()

    def _on_subscribe(self, c, u, mid, granted, props=None):
        self.subscribed.put((mid, granted, props))

    @property
    def session_present(self):
        return bool(self.connack[0].get("session present"))

    def subscribe(self, topic, qos=0, options=None, props=None, timeout=5):
        if self.version == V5:
            opts = options or SubscribeOptions(qos=qos)
            self.c.subscribe(topic, options=opts, properties=props)
        else:
            self.c.subscribe(topic, qos)
        mid, granted, _ = self.subscribed.get(timeout=timeout)
        return granted

    def publish(self, topic, payload, qos=0, retain=False, props=None, wait=True):
        info = self.c.publish(topic, payload, qos=qos, retain=retain, properties=props)
        if wait and qos > 0:
            info.wait_for_publish(5)
        return info

    def expect(self, timeout=5):
        return self.messages.get(timeout=timeout)

    def collect(self, via, timeout=5):
        """Every message routed to this client before now that the test has not taken yet.

        `via` (a connected Client) publishes a marker at QoS 1, after its PUBACK for anything it
        published before; the messages ahead of the marker are returned. A subscriber's messages
        leave its session queue in the order they were routed, so anything routed to this client
        before the marker (any earlier acknowledged publish, a retained message sent at SUBSCRIBE,
        a session's queue at CONNECT) arrives first. A marker, not a quiet period: a loaded machine
        neither flakes nor passes by luck.
        """
        Client._fences += 1
        topic = f"fence/{id(self)}/{Client._fences}"
        granted = self.subscribe(topic, qos=1, timeout=timeout)
        assert _code(granted[0]) < 0x80, f"fence subscription refused: {granted}"
        via.publish(topic, b"fence", qos=1)
        out = []
        while (m := self.expect(timeout)).topic != topic:
            out.append(m)
        return out

    def fence(self, via, timeout=5):
        """Proves that nothing reached this client beyond what the test has taken (see collect)."""
        extra = self.collect(via, timeout)
        assert not extra, f"unexpected messages: {[(m.topic, m.payload) for m in extra]}"

    def disconnect(self, reason=None):
        if reason is not None:
            from paho.mqtt.reasoncodes import ReasonCodes
            self.c.disconnect(reasoncode=ReasonCodes(PacketTypes.DISCONNECT, identifier=reason))
        else:
            self.c.disconnect()
        self.disconnected.wait(5)
        self.c.loop_stop()

    def kill(self):
        """Drops the TCP connection without DISCONNECT (an abnormal close)."""
        self.c.loop_stop()
        self.c.socket().close()


def operator_client(b, client_id, **kwargs):
    """A client signed in as the OPERATOR user of Hearthd(operator=True): it may read device traffic."""
    from harness import OPERATOR
    return Client(b.port, client_id, username=OPERATOR[0], password=OPERATOR[1], **kwargs)
