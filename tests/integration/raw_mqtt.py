"""A deliberately small MQTT packet writer/reader over a raw socket.

Real clients (paho, mosquitto_pub/sub) refuse to send malformed packets or to break protocol
rules, so tests of the broker's error replies build those bytes here.
"""
import socket
import struct


def varint(n):
    out = bytearray()
    while True:
        b = n % 128
        n //= 128
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def utf8(s):
    b = s.encode() if isinstance(s, str) else s
    return struct.pack(">H", len(b)) + b


def packet(first_byte, body):
    return bytes([first_byte]) + varint(len(body)) + body


def props(raw=b""):
    return varint(len(raw)) + raw


def connect(client_id="raw", version=5, clean=True, keep_alive=60, properties=b"", will=None,
            username=None, password=None):
    flags = 0x02 if clean else 0
    payload = utf8(client_id)
    if will is not None:
        topic, message, qos, retain, will_props = will
        flags |= 0x04 | (qos << 3) | (0x20 if retain else 0)
        if version == 5:
            payload += props(will_props)
        payload += utf8(topic) + utf8(message)
    if username is not None:
        flags |= 0x80
        payload += utf8(username)
    if password is not None:
        flags |= 0x40
        payload += utf8(password)
    body = utf8("MQTT") + bytes([version, flags]) + struct.pack(">H", keep_alive)
    if version == 5:
        body += props(properties)
    return packet(0x10, body + payload)


def publish(topic, payload=b"", qos=0, packet_id=1, retain=False, dup=False, version=5, properties=b""):
    first = 0x30 | (qos << 1) | (0x01 if retain else 0) | (0x08 if dup else 0)
    body = utf8(topic)
    if qos:
        body += struct.pack(">H", packet_id)
    if version == 5:
        body += props(properties)
    return packet(first, body + payload)


def subscribe(filters, packet_id=1, version=5, properties=b""):
    body = struct.pack(">H", packet_id)
    if version == 5:
        body += props(properties)
    for f, opts in filters:
        body += utf8(f) + bytes([opts])
    return packet(0x82, body)


def ack(kind, packet_id, reason=None):
    """PUBACK=0x40, PUBREC=0x50, PUBREL=0x62, PUBCOMP=0x70."""
    body = struct.pack(">H", packet_id)
    if reason is not None:
        body += bytes([reason])
    return packet(kind, body)


class Packet:
    def __init__(self, first_byte, body):
        self.type = first_byte >> 4
        self.flags = first_byte & 0x0F
        self.body = body

    def __repr__(self):
        return f"Packet(type={self.type}, flags={self.flags:#x}, body={self.body!r})"


class RawClient:
    def __init__(self, port, timeout=5.0):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.buf = b""

    def send(self, data):
        self.sock.sendall(data)

    def _fill(self, n):
        while len(self.buf) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError("connection closed")
            self.buf += chunk

    def recv(self):
        """The next packet, or raises EOFError when the broker closed the connection."""
        self._fill(2)
        length, mult, i = 0, 1, 1
        while True:
            self._fill(i + 1)
            b = self.buf[i]
            length += (b & 0x7F) * mult
            mult *= 128
            i += 1
            if not b & 0x80:
                break
        self._fill(i + length)
        p = Packet(self.buf[0], self.buf[i:i + length])
        self.buf = self.buf[i + length:]
        return p

    def closed(self):
        """True if the broker closes the connection (after any packets still buffered)."""
        try:
            while True:
                self.recv()
        except (EOFError, ConnectionResetError):
            return True
        except socket.timeout:
            return False

    def close(self):
        self.sock.close()
