"""paho-mqtt (Debian's python3-paho-mqtt) clients with blocking helpers for tests."""
import queue
import threading

import paho.mqtt.client as mqtt
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties
from paho.mqtt.subscribeoptions import SubscribeOptions

V311 = mqtt.MQTTv311
V5 = mqtt.MQTTv5


def properties(packet_type, **values):
    p = Properties(packet_type)
    for k, v in values.items():
        setattr(p, k, v)
    return p


class Client:
    """A connected paho client that records messages, acks and disconnects."""

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

    def expect_none(self, timeout=0.5):
        try:
            m = self.messages.get(timeout=timeout)
        except queue.Empty:
            return None
        raise AssertionError(f"unexpected message on {m.topic}: {m.payload!r}")

    def drain(self, timeout=0.5):
        out = []
        while True:
            try:
                out.append(self.messages.get(timeout=timeout))
            except queue.Empty:
                return out

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
