"""A subscriber that stops reading loses its own messages and holds up nobody else.

A stopped mosquitto_sub (SIGSTOP) or a raw socket that never reads fills its session's queue
(1,000 messages, after its in-flight window); from then on what it would get is dropped for it
alone, counted per client, and logged once per 10 s. Publishers of either protocol version, devices
reporting and the platform's own announcements go on as before: every QoS 1 message acknowledged
with success, no connection closed, every other subscriber served.

Each test first fills the stalled subscriber's queue through a topic only it subscribes to, and
waits for its first drop: the subscribers that read then get fewer messages than a queue holds,
so they lose none however late their event loop runs.
"""
import json
import os
import re
import signal
import socket
import subprocess

import pytest

import raw_mqtt as raw
from clients import Client
from harness import HEARTH, Hearthd, add_devices, hearth, import_products, metrics, mosquitto_sub, run, wait_metric
from test_accounts import api
from test_device_reports import METER

N = 300
QUEUE = 1000  # mqtt.max_queued_messages, the default
DROPPED = 'hearth_mqtt_dropped_total{reason="queue_full"}'


def client_dropped(b, client_id):
    return metrics(b).get(f'hearth_mqtt_client_dropped_total{{client_id="{client_id}",reason="queue_full"}}', 0)


def start_publisher(b, tmp_path, version, topic, count, auth=()):
    """mosquitto_pub -l at QoS 1 sending the lines 0..count-1."""
    lines = tmp_path / f"lines-{count}"
    lines.write_text("".join(f"{i}\n" for i in range(count)))
    with open(lines) as stdin:
        return subprocess.Popen(["mosquitto_pub", "-p", str(b.port), "-i", f"pub-{version}-{topic}", "-q", "1",
                                 "-l", "-t", topic, "-d", "-V", version, *auth],
                                stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def assert_all_acknowledged(p, count):
    """Every message acknowledged with success, on the one connection the publisher opened."""
    out, err = p.communicate(timeout=60)
    assert p.returncode == 0, err
    assert out.count("sending CONNECT") == 1, "the publisher was disconnected"
    codes = re.findall(r"received PUBACK \(Mid: \d+, RC:(\d+)\)", out)
    assert len(codes) == count and set(codes) == {"0"}, sorted(set(codes))


def fill(b, tmp_path, window, extra, auth=()):
    """Fills the queue of the one subscriber of fill/t (which has `window` messages in flight)
    and overflows it by `extra` messages. Set-up only: an MQTT 5.0 publisher, which the old
    broker refused with 0x97 rather than closed, and the counter the old broker had too."""
    p = start_publisher(b, tmp_path, "mqttv5", "fill/t", window + QUEUE + extra, auth)
    out, err = p.communicate(timeout=60)
    assert p.returncode == 0, err
    wait_metric(b, DROPPED, lambda v: v == extra)


def puback_code(p):
    assert p.type == 4, p
    return p.body[2] if len(p.body) > 2 else 0


def test_stopped_subscriber_holds_up_no_publisher_and_no_other_subscriber(tmp_path):
    with Hearthd(anonymous=True) as b:  # the clients are anonymous, as in the broker's own tests
        normal = Client(b.port, "normal")
        normal.subscribe("load/#", qos=1)
        # MQTT 3.1.1: the broker's window towards it is mqtt.max_inflight (100) messages, after
        # which its queue fills.
        stalled = mosquitto_sub(b, "-p", str(b.port), "-i", "stalled", "-t", "#", "-q", "1", "-V", "mqttv311")
        try:
            os.kill(stalled.pid, signal.SIGSTOP)
            fill(b, tmp_path, 100, 50)

            publishers = [start_publisher(b, tmp_path, v, f"load/{v}", N) for v in ("mqttv311", "mqttv5")]
            for p in publishers:
                assert_all_acknowledged(p, N)
            got = {}
            for _ in range(2 * N):
                m = normal.expect(timeout=10)
                got.setdefault(m.topic, []).append(int(m.payload))
            assert got == {"load/mqttv311": list(range(N)), "load/mqttv5": list(range(N))}

            # The stalled subscriber's loss, and its alone.
            assert metrics(b)[DROPPED] == 50 + 2 * N
            assert client_dropped(b, "stalled") == 50 + 2 * N
            assert client_dropped(b, "normal") == 0
            # The operator's view: which client, how many.
            assert hearth("user", "add", "op@example.com", "--admin", "--password", "correct horse",
                          data_dir=b.data_dir).returncode == 0
            status, tokens = api(b, "POST", "/api/v1/auth/login", {"email": "op@example.com",
                                                                   "password": "correct horse"})
            status, body = api(b, "GET", "/api/v1/admin/mqtt/dropped", token=tokens["access_token"])
            assert status == 200
            assert [(c["client_id"], c["queue_full"]) for c in body["clients"]] == [("stalled", 50 + 2 * N)]
            # Rate-limited: one line at the first drop, the next one 10 s later.
            assert len(re.findall(r"subscriber queue (full|still full).*client_id=stalled", b.log())) in (1, 2)
        finally:
            stalled.send_signal(signal.SIGCONT)
            stalled.kill()
            stalled.wait()


@pytest.fixture
def platform(tmp_path):
    """hearthd with the meter product, one device, and an operator account "ops" that may read
    every device's topics (so that the test does not depend on what anonymous clients may)."""
    passwd, acl = tmp_path / "passwd", tmp_path / "acl"
    assert run([HEARTH, "passwd", str(passwd), "ops", "--password", "watching"]).returncode == 0
    acl.write_text("user ops\ntopic read device/#\ntopic readwrite fill/#\n")
    with Hearthd("--auth-password-file", str(passwd), "--auth-acl-file", str(acl)) as b:
        import_products(b, tmp_path / "specs", METER)
        b.device = add_devices(b, "acme.outlet.meter")[0]
        yield b


@pytest.mark.parametrize("version", [4, 5])
def test_stalled_device_subscriber_slows_no_report_and_no_announcement(platform, tmp_path, version):
    b, did = platform, platform.device["did"]
    # A raw socket that reads its SUBACK and then nothing: with Receive Maximum 5, the broker
    # sends it 5 messages before it queues.
    stalled = raw.RawClient(b.port)
    stalled.send(raw.connect("ops-stalled", username="ops", password="watching", properties=b"\x21\x00\x05"))
    assert stalled.recv().body[1] == 0
    stalled.send(raw.subscribe([("device/#", 1), ("fill/#", 1)]))
    assert stalled.recv().body[-2:] == b"\x01\x01"
    fill(b, tmp_path, 5, 50, auth=("-u", "ops", "-P", "watching"))
    watcher = Client(b.port, "ops-watcher", username="ops", password="watching")
    watcher.subscribe(f"device/{did}/up/properties_changed/#", qos=1)

    device = raw.RawClient(b.port)
    device.send(raw.connect(did, version=version, username=did, password=platform.device["secret"]))
    assert device.recv().body[1] == 0
    for i in range(1, N + 1):
        report = {"id": i, "method": "properties_changed", "params": [{"siid": 2, "piid": 1, "value": i % 2 == 0}]}
        device.send(raw.publish(f"device/{did}/up", json.dumps(report).encode(), qos=1, packet_id=i,
                                version=version))
        assert puback_code(device.recv()) == 0, i  # stored, and acknowledged as such

    # The platform's announcement of each report reaches the subscriber that reads.
    announced = [json.loads(watcher.expect(timeout=10).payload)["value"] for _ in range(N)]
    assert announced == [i % 2 == 0 for i in range(1, N + 1)]
    assert metrics(b)['hearth_ingest_items_total{result="accepted"}'] == N
    # Each report and its announcement (and the device's presence) were the stalled one's loss.
    dropped = metrics(b)[DROPPED]
    assert dropped >= 50 + 2 * N
    assert client_dropped(b, "ops-stalled") == dropped
    device.send(raw.packet(0xE0, b""))  # DISCONNECT
    assert device.closed()
    stalled.close()
    b.stop()
    r = hearth("device", "history", did, "--siid", "2", "--piid", "1", "--limit", "100000", data_dir=b.data_dir)
    assert r.returncode == 0, r.stderr
    assert len(json.loads(r.stdout)) == N


def test_disconnect_reason_reaches_a_client_that_keeps_sending():
    """After a DISCONNECT the broker sends FIN and reads what the client still sends until the
    client closes too. A socket closed with unread input, or receiving input once closed, answers
    with a reset, and a client that is still sending then fails on its next write, often before it
    has read the DISCONNECT that says why."""
    with Hearthd("--mqtt-receive-maximum", "2", anonymous=True) as b:
        c = raw.RawClient(b.port)
        c.send(raw.connect("flood"))
        assert c.recv().type == 2
        filler = b"".join(raw.publish("rmi/more", b"y" * 1000) for _ in range(16))
        # Three QoS 2 messages without PUBREL (the third exceeds Receive Maximum), and more
        # behind them that the broker never reads as packets.
        c.send(b"".join(raw.publish("rmi/t", b"x", qos=2, packet_id=pid) for pid in (1, 2, 3)) + filler)
        assert [c.recv().type, c.recv().type] == [5, 5]
        d = c.recv()
        assert d.type == 14 and d.body[0] == 0x93
        assert c.sock.recv(1) == b""  # the broker's FIN
        for _ in range(8):  # still sending, as a client does that has not read the DISCONNECT yet
            c.send(filler)
        c.sock.shutdown(socket.SHUT_WR)
        assert c.sock.recv(1) == b""  # still an orderly end of stream, never ECONNRESET
