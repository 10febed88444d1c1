"""MQTT over TLS and WebSocket, GET /metrics, and HTTPS with the same certificate, with real clients
against a real hearthd.

A throwaway CA, server and client certificate are made with the openssl CLI for this module.
"""
import base64
import http.client
import os
import shutil
import socket
import ssl
import struct
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

import pytest
import websocket
from paho.mqtt.client import WebsocketConnectionError

import raw_mqtt
from clients import V311, V5, Client
from harness import Hearthd, http_get as get, make_pki, metrics, mosquitto_sub, run, wait_for


def openssl(cwd, *args):
    r = run(["openssl", *args], cwd=cwd)
    assert r.returncode == 0, r.stderr


@pytest.fixture(scope="module")
def pki():
    d = tempfile.mkdtemp(prefix="hearth-pki-")
    yield make_pki(d)
    shutil.rmtree(d, ignore_errors=True)


def tls_args(pki, *extra):
    return ("--mqtt-tls-port", "0", "--mqtt-tls-cert", pki["server.pem"], "--mqtt-tls-key", pki["server.key"],
            "--mqtt-ws-port", "0", "--http-port", "0", *extra)


@pytest.fixture
def broker(pki):
    with Hearthd(*tls_args(pki, "--mqtt-connect-timeout", "1"), anonymous=True) as b:
        yield b


def tls(pki, cert=False):
    out = {"ca_certs": pki["ca.pem"]}
    if cert:
        out.update(certfile=pki["client.pem"], keyfile=pki["client.key"])
    return out


def client(b, transport, client_id, pki, version=V5):
    if transport == "tls":
        return Client(b.ports["mqtt-tls"], client_id, version=version, tls=tls(pki))
    if transport == "ws":
        return Client(b.ports["mqtt-ws"], client_id, version=version, transport="websockets")
    return Client(b.port, client_id, version=version)


class RawWs:
    """A minimal WebSocket client, to send what paho will not (text frames, split packets)."""

    def __init__(self, port, path="/mqtt", protocols="mqtt"):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        lines = [f"GET {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Upgrade: websocket", "Connection: Upgrade",
                 "Sec-WebSocket-Key: " + base64.b64encode(os.urandom(16)).decode(), "Sec-WebSocket-Version: 13"]
        if protocols:
            lines.append("Sec-WebSocket-Protocol: " + protocols)
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        self.buf = b""
        while b"\r\n\r\n" not in self.buf:
            chunk = self.sock.recv(4096)
            if not chunk:
                break
            self.buf += chunk
        head, _, self.buf = self.buf.partition(b"\r\n\r\n")
        status_line, *header_lines = head.decode().split("\r\n")
        self.status = int(status_line.split()[1])
        self.headers = {k.strip().lower(): v.strip() for k, v in (h.split(":", 1) for h in header_lines)}
        self.mqtt = b""

    def send_frame(self, opcode, payload, fin=True):
        n = len(payload)
        head = bytes([(0x80 if fin else 0) | opcode])
        head += bytes([0x80 | n]) if n < 126 else bytes([0x80 | 126]) + struct.pack(">H", n)
        mask = os.urandom(4)
        self.sock.sendall(head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))

    def _read(self, n):
        while len(self.buf) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError("connection closed")
            self.buf += chunk
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def recv_frame(self):
        b0, b1 = self._read(2)
        n = b1 & 0x7F
        if n == 126:
            n = struct.unpack(">H", self._read(2))[0]
        elif n == 127:
            n = struct.unpack(">Q", self._read(8))[0]
        return b0 & 0x0F, self._read(n)

    def recv_packet(self):
        """The next MQTT packet, however the server framed it."""
        while True:
            length, mult, i = 0, 1, 1
            while i < len(self.mqtt):
                length += (self.mqtt[i] & 0x7F) * mult
                mult *= 128
                i += 1
                if not self.mqtt[i - 1] & 0x80:
                    if len(self.mqtt) >= i + length:
                        p = raw_mqtt.Packet(self.mqtt[0], self.mqtt[i:i + length])
                        self.mqtt = self.mqtt[i + length:]
                        return p
                    break
            opcode, payload = self.recv_frame()
            assert opcode in (0, 2), f"opcode {opcode}"
            self.mqtt += payload


class RawTls(raw_mqtt.RawClient):
    """raw_mqtt's client over TLS, to control exactly what is sent and when it is read."""

    def __init__(self, port, pki, cert=None, rcvbuf=None, timeout=10.0):
        ctx = ssl.create_default_context(cafile=pki["ca.pem"])
        if cert:
            ctx.load_cert_chain(*cert)
        s = socket.socket()
        if rcvbuf:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)  # before connect, or it is ignored
        s.settimeout(timeout)
        s.connect(("127.0.0.1", port))
        self.sock = ctx.wrap_socket(s, server_hostname="localhost")
        self.buf = b""

    def connect(self, client_id, **kw):
        self.send(raw_mqtt.connect(client_id, **kw))
        assert self.recv().type == 2  # CONNACK

    def subscribe(self, topic, qos=0):
        self.send(raw_mqtt.subscribe([(topic, qos)]))
        assert self.recv().type == 9  # SUBACK


def closed_within(sock, seconds):
    sock.settimeout(seconds)
    try:
        while sock.recv(4096):
            pass
        return True
    except (ConnectionResetError, ssl.SSLError):
        return True
    except socket.timeout:
        return False


def test_listeners_reported(broker):
    assert {"mqtt-tcp", "mqtt-tls", "mqtt-ws", "http"} <= set(broker.ports)
    assert len(set(broker.ports.values())) == len(broker.ports)


def test_tls_listener_skipped_without_certificate():
    with Hearthd("--mqtt-tls-port", "0", anonymous=True) as b:
        assert "mqtt-tls" not in b.ports and "mqtt-ws" in b.ports
        assert "TLS listener not started" in b.log()


@pytest.mark.parametrize("version", ["mqttv311", "mqttv5"])
def test_mosquitto_clients_over_tls(broker, pki, version):
    common = ["-h", "127.0.0.1", "-p", str(broker.ports["mqtt-tls"]), "--cafile", pki["ca.pem"], "-V", version]
    sub = mosquitto_sub(broker, *common, "-t", "tls/#", "-v", "-q", "1", "-C", "2", "-W", "10")
    for i in range(2):
        r = run(["mosquitto_pub", *common, "-t", f"tls/{i}", "-m", f"m{i}", "-q", "1"])
        assert r.returncode == 0, r.stderr
    out, err = sub.communicate(timeout=15)
    assert sub.returncode == 0, err
    assert out.splitlines() == ["tls/0 m0", "tls/1 m1"]


@pytest.mark.parametrize("transport", ["tls", "ws"])
@pytest.mark.parametrize("version", [V311, V5])
def test_paho_round_trip(broker, pki, transport, version):
    c = client(broker, transport, "rt", pki, version)
    c.subscribe("rt/#", qos=2)
    big = os.urandom(300 * 1024)  # many TLS records / WebSocket reads
    for qos in (0, 1, 2):
        c.publish(f"rt/{qos}", b"q%d" % qos, qos=qos)
    c.publish("rt/big", big, qos=1)
    got = [c.expect() for _ in range(4)]
    assert [(m.topic, m.qos) for m in got] == [("rt/0", 0), ("rt/1", 1), ("rt/2", 2), ("rt/big", 1)]
    assert got[3].payload == big
    c.disconnect()


@pytest.mark.parametrize("version", [V311, V5])
def test_cross_transport_delivery(broker, pki, version):
    clients = {t: client(broker, t, "x-" + t, pki, version) for t in ("tcp", "tls", "ws")}
    for c in clients.values():
        c.subscribe("x/#", qos=1)
    for sender in clients:
        clients[sender].publish("x/" + sender, sender.encode(), qos=1)
    for name, c in clients.items():
        got = sorted((m.topic, m.payload) for m in (c.expect(), c.expect(), c.expect()))
        assert got == sorted(("x/" + t, t.encode()) for t in clients), name
    for c in clients.values():
        c.disconnect()


def test_plain_bytes_to_tls_port(broker, pki):
    s = socket.create_connection(("127.0.0.1", broker.ports["mqtt-tls"]))
    s.sendall(raw_mqtt.connect("plain"))
    assert closed_within(s, 5)
    s.close()
    c = client(broker, "tls", "after", pki)  # the listener still works
    c.disconnect()


@pytest.mark.parametrize("listener", ["mqtt-tls", "mqtt-ws"])
def test_silent_connection_closed_by_connect_timeout(broker, listener):
    # A peer that never starts the TLS handshake or the HTTP upgrade (connect timeout is 1 s here).
    s = socket.create_connection(("127.0.0.1", broker.ports[listener]))
    assert closed_within(s, 5)
    s.close()


def test_ws_wrong_path_and_non_upgrade(broker):
    ws = RawWs(broker.ports["mqtt-ws"], path="/other")
    assert ws.status == 404
    assert closed_within(ws.sock, 5)
    r = urllib.request.Request(f"http://127.0.0.1:{broker.ports['mqtt-ws']}/mqtt")
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(r, timeout=5)
    assert e.value.code == 426
    with pytest.raises(WebsocketConnectionError):
        Client(broker.ports["mqtt-ws"], "wrong", transport="websockets", ws_path="/ws")


@pytest.mark.parametrize("offer,chosen", [("mqtt", "mqtt"), ("mqttv3.1", "mqttv3.1"), ("foo, mqtt", "mqtt"),
                                          ("mqttv3.1,mqtt", "mqtt"), ("", None)])
def test_ws_subprotocol_negotiation(broker, offer, chosen):
    ws = RawWs(broker.ports["mqtt-ws"], protocols=offer)
    assert ws.status == 101
    assert ws.headers.get("sec-websocket-protocol") == chosen


def test_ws_rejects_other_subprotocols(broker):
    assert RawWs(broker.ports["mqtt-ws"], protocols="chat").status == 400


def test_ws_frames_are_a_byte_stream(broker):
    ws = RawWs(broker.ports["mqtt-ws"])
    # Several packets in one frame.
    ws.send_frame(2, raw_mqtt.connect("frames") + raw_mqtt.subscribe([("f/t", 1)]))
    assert ws.recv_packet().type == 2  # CONNACK
    assert ws.recv_packet().type == 9  # SUBACK
    # One packet over a fragmented message, then one spanning two messages.
    pub = raw_mqtt.publish("f/t", b"split", qos=0)
    ws.send_frame(2, pub[:3], fin=False)
    ws.send_frame(0, pub[3:7], fin=False)
    ws.send_frame(0, pub[7:])
    ws.send_frame(2, pub[:5])
    ws.send_frame(2, pub[5:])
    for _ in range(2):
        p = ws.recv_packet()
        assert p.type == 3 and p.body.endswith(b"split")


def test_ws_text_frame_closes(broker):
    ws = RawWs(broker.ports["mqtt-ws"])
    ws.send_frame(2, raw_mqtt.connect("text"))
    assert ws.recv_packet().type == 2
    ws.send_frame(1, b"hello")
    opcode, payload = ws.recv_frame()
    assert opcode == 8 and struct.unpack(">H", payload[:2])[0] == 1003
    ws.send_frame(8, payload[:2])
    assert closed_within(ws.sock, 5)


def test_client_certificate_required(pki):
    with Hearthd(*tls_args(pki, "--mqtt-tls-ca", pki["ca.pem"], "--mqtt-tls-require-client-cert", "true"),
                 anonymous=True) as b:
        ctx = ssl.create_default_context(cafile=pki["ca.pem"])
        s = socket.create_connection(("127.0.0.1", b.ports["mqtt-tls"]), timeout=5)
        with pytest.raises((ssl.SSLError, ConnectionResetError, EOFError)):
            # TLS 1.3 finishes the client's side of the handshake before the server checks.
            t = ctx.wrap_socket(s, server_hostname="localhost")
            t.sendall(raw_mqtt.connect("nocert"))
            if not t.recv(16):
                raise EOFError("closed")
        s.close()
        c = Client(b.ports["mqtt-tls"], "withcert", tls=tls(pki, cert=True))
        c.disconnect()


def test_client_certificate_optional_with_ca(pki):
    with Hearthd(*tls_args(pki, "--mqtt-tls-ca", pki["ca.pem"]), anonymous=True) as b:
        for cert in (False, True):
            Client(b.ports["mqtt-tls"], f"opt{cert}", tls=tls(pki, cert=cert)).disconnect()


def test_client_certificate_subject_reaches_the_broker(pki):
    d = os.path.dirname(pki["ca.pem"])
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    openssl(d, "req", *ec, "-keyout", "nocn.key", "-out", "nocn.csr", "-subj", "/O=Hearth/OU=devices")
    openssl(d, "x509", "-req", "-in", "nocn.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
            "-out", "nocn.pem", "-days", "2", "-extfile", "client.ext")
    nocn = (os.path.join(d, "nocn.pem"), os.path.join(d, "nocn.key"))
    with Hearthd(*tls_args(pki, "--mqtt-tls-ca", pki["ca.pem"]), anonymous=True) as b:
        Client(b.ports["mqtt-tls"], "subj-cn", tls=tls(pki, cert=True)).disconnect()
        RawTls(b.ports["mqtt-tls"], pki, cert=nocn).connect("subj-nocn")
        RawTls(b.ports["mqtt-tls"], pki).connect("subj-none")
        Client(b.port, "subj-tcp").disconnect()

        def connected(client_id):
            lines = [line for line in b.log().splitlines() if f"connected client_id={client_id} " in line]
            return lines[0] if lines else None

        # The subject's CN, else the whole subject (RFC 2253); nothing without a certificate.
        assert wait_for(lambda: connected("subj-tcp"))
        assert connected("subj-cn").endswith(" tls_client_subject=client")
        assert connected("subj-nocn").endswith(" tls_client_subject=OU=devices,O=Hearth")
        assert "tls_client_subject" not in connected("subj-none")
        assert "tls_client_subject" not in connected("subj-tcp")


def test_tls_large_message_both_ways(pki):
    big = os.urandom(1 << 20)
    with Hearthd(*tls_args(pki, "--mqtt-max-packet-size", str(2 << 20)), anonymous=True) as b:
        sub = client(b, "tls", "big-sub", pki)
        sub.subscribe("big/#", qos=1)
        pub = client(b, "tls", "big-pub", pki)
        pub.subscribe("big/#", qos=1)
        pub.publish("big/paho", big, qos=1)
        for c in (sub, pub):
            m = c.expect(timeout=10)
            assert m.topic == "big/paho" and m.payload == big
        # The whole packet in one write: more than one read turn's worth of TLS records at once.
        raw = RawTls(b.ports["mqtt-tls"], pki)
        raw.connect("big-raw")
        raw.subscribe("big/#")
        raw.send(raw_mqtt.publish("big/raw", big[::-1]))
        p = raw.recv()
        assert p.type == 3 and p.body[2:9] == b"big/raw" and p.body.endswith(big[::-1])
        for c in (sub, pub):
            m = c.expect(timeout=10)
            assert m.topic == "big/raw" and m.payload == big[::-1]
            c.disconnect()


def test_tls_many_small_messages_pipelined(pki):
    n = 3000
    with Hearthd(*tls_args(pki, "--mqtt-max-queued-messages", str(2 * n)), anonymous=True) as b:
        raw = RawTls(b.ports["mqtt-tls"], pki)
        raw.connect("pipe")
        raw.subscribe("pipe/t")
        # All PUBLISHes in one write; PUBACKs and the deliveries back come interleaved.
        raw.send(b"".join(raw_mqtt.publish("pipe/t", b"%d" % i, qos=1, packet_id=i + 1) for i in range(n)))
        acks, got = [], []
        while len(acks) < n or len(got) < n:
            p = raw.recv()
            if p.type == 4:
                acks.append(struct.unpack(">H", p.body[:2])[0])
            else:
                assert p.type == 3 and p.body[:9] == b"\x00\x06pipe/t\x00", p
                got.append(int(p.body[9:]))
        assert acks == list(range(1, n + 1))
        assert got == list(range(n))


def test_tls_close_is_bounded_when_the_client_stops_reading(pki):
    with Hearthd(*tls_args(pki), anonymous=True) as b:
        # A small receive window, so the broker's writes to this client block.
        raw = RawTls(b.ports["mqtt-tls"], pki, rcvbuf=16384)
        raw.connect("stalled", keep_alive=1)
        raw.subscribe("flood")
        pub = client(b, "tcp", "flooder", pki)
        chunk = os.urandom(64 * 1024)
        for _ in range(160):
            pub.publish("flood", chunk, qos=1)
        # No input for 1.5 keep-alives closes the client; the write it never reads must not keep
        # the connection open beyond the close timeout.
        started = time.monotonic()
        assert wait_for(lambda: metrics(b)["hearth_mqtt_connections"] == 1, timeout=15)
        assert time.monotonic() - started < 8
        pub.disconnect()
        raw.close()


@pytest.mark.parametrize("which", ["missing-cert", "mismatched-key", "cert-required-without-ca"])
def test_bad_tls_configuration_is_a_startup_error(pki, which):
    cert, key, extra = pki["server.pem"], pki["server.key"], ()
    if which == "missing-cert":
        cert = "/nonexistent/server.pem"
    elif which == "mismatched-key":
        key = pki["client.key"]
    else:
        extra = ("--mqtt-tls-require-client-cert", "true")
    b = Hearthd("--mqtt-tls-port", "0", "--mqtt-tls-cert", cert, "--mqtt-tls-key", key, *extra, anonymous=True)
    try:
        with pytest.raises(RuntimeError, match="mqtt-tls"):
            b.start()
        assert b.proc.wait(5) == 1
    finally:
        b.cleanup()


def test_metrics_endpoint(broker, pki):
    before = metrics(broker)
    s = client(broker, "ws", "m-sub", pki)
    s.subscribe("m/t", qos=1)
    p = client(broker, "tls", "m-pub", pki)
    p.publish("m/t", b"1", qos=1)
    s.expect()
    after = metrics(broker)
    assert after["hearth_mqtt_connections"] == before["hearth_mqtt_connections"] + 2
    for name in ("hearth_mqtt_connections_accepted_total", 'hearth_mqtt_messages_in_total{qos="1"}',
                 'hearth_mqtt_messages_out_total{qos="1"}', "hearth_mqtt_bytes_received_total"):
        assert after[name] > before[name], name
    s.disconnect()
    p.disconnect()


def test_http_errors_and_keep_alive(broker):
    port = broker.ports["http"]
    with pytest.raises(urllib.error.HTTPError) as e:
        get(port, "/nope")
    assert e.value.code == 404 and e.value.read() == b'{"error":{"code":"not_found","message":"not found"}}'
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    conn.request("POST", "/metrics", body=b"x")
    r = conn.getresponse()
    assert r.status == 405 and r.read() == b'{"error":{"code":"method_not_allowed","message":"method not allowed"}}'
    first = conn.sock
    conn.request("GET", "/metrics")
    r = conn.getresponse()
    assert r.status == 200 and b"hearth_mqtt_connections" in r.read()
    assert conn.sock is first  # the same connection served both
    conn.close()
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    s.sendall(b"NOT HTTP AT ALL\r\n\r\n")
    assert s.recv(4096).startswith(b"HTTP/1.1 400")
    s.close()
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    s.sendall(b"POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000\r\n\r\n")
    assert s.recv(4096).startswith(b"HTTP/1.1 413")
    s.close()


def test_clean_shutdown_with_clients_on_every_transport(broker, pki):
    clients = [client(broker, t, "sd-" + t, pki) for t in ("tcp", "tls", "ws")]
    started = time.monotonic()
    assert broker.stop() == 0
    assert time.monotonic() - started < 5
    for c in clients:
        assert c.disconnected.wait(5)
        c.c.loop_stop()


def test_https_serves_the_api_and_websockets_with_the_mqtt_certificate_and_plain_http_can_be_off(pki):
    with Hearthd("--mqtt-tls-port", "0", "--mqtt-tls-cert", pki["server.pem"], "--mqtt-tls-key", pki["server.key"],
                 "--http-tls-port", "0", "--http-port", "-1", anonymous=True) as b:
        assert "https" in b.ports and "http" not in b.ports
        context = ssl.create_default_context(cafile=pki["ca.pem"])
        with urllib.request.urlopen(f"https://127.0.0.1:{b.ports['https']}/api/openapi.json", context=context,
                                    timeout=5) as r:
            assert r.status == 200 and r.read().startswith(b"{")
        # Without the CA the certificate is not trusted; nothing answers in plain text there.
        with pytest.raises(urllib.error.URLError):
            urllib.request.urlopen(f"https://127.0.0.1:{b.ports['https']}/metrics", timeout=5)
        with pytest.raises((ConnectionError, http.client.HTTPException, urllib.error.URLError)):
            urllib.request.urlopen(f"http://127.0.0.1:{b.ports['https']}/metrics", timeout=5)
        ws = websocket.create_connection(f"wss://127.0.0.1:{b.ports['https']}/api/v1/ws", timeout=5,
                                         sslopt={"ca_certs": pki["ca.pem"]})
        ws.send('{"type":"subscribe","homes":[1]}')
        assert '"unauthenticated"' in ws.recv()
        ws.close()
