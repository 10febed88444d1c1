"""Password file (argon2id, written by `hearth passwd`) and ACLs, with real clients."""
import subprocess

import pytest

import raw_mqtt as raw
from clients import V311, V5, Client
from harness import HEARTH, Hearthd, metrics, run


ACL = """\
# anonymous clients (allow_anonymous = true): only the public tree
topic read public/#

user alice
topic readwrite home/alice/#
topic deny home/alice/secret

user bob
topic read home/alice/status

# every client: its own device topics
pattern readwrite device/%c/#
pattern write user/%u/out
"""


@pytest.fixture(scope="module")
def broker(tmp_path_factory):
    d = tmp_path_factory.mktemp("auth")
    passwd = d / "passwd"
    for user, pw in (("alice", "wonderland"), ("bob", "builder")):
        r = run([HEARTH, "passwd", str(passwd), user, "--password", pw])
        assert r.returncode == 0, r.stderr
    assert "alice:$argon2id$" in passwd.read_text()
    acl = d / "acl"
    acl.write_text(ACL)
    with Hearthd("--auth-password-file", str(passwd), "--auth-acl-file", str(acl),
                 "--auth-allow-anonymous", "true") as b:
        yield b


@pytest.mark.parametrize("version,code", [(V5, 0x86), (V311, 4)])
def test_wrong_password_refused(broker, version, code):
    with pytest.raises(AssertionError, match="CONNACK"):
        Client(broker.port, "x", version=version, username="alice", password="wrong")
    with pytest.raises(AssertionError, match="CONNACK"):
        Client(broker.port, "y", version=version, username="mallory", password="x")


def test_mosquitto_clients_with_credentials(broker):
    sub, suback = mosquitto_sub(broker.port, "-u", "alice", "-P", "wonderland", "-t", "home/alice/light",
                                "-C", "1", "-W", "10")
    assert suback.endswith(": 0"), suback
    r = run(["mosquitto_pub", "-p", str(broker.port), "-u", "alice", "-P", "wonderland",
             "-t", "home/alice/light", "-m", "on", "-q", "1"])
    assert r.returncode == 0, r.stderr
    out, _ = sub.communicate(timeout=15)
    assert [line for line in out.splitlines() if not line.startswith("Client ")] == ["home/alice/light on"], out
    r = run(["mosquitto_pub", "-p", str(broker.port), "-u", "alice", "-P", "nope", "-t", "x", "-m", "1"])
    assert r.returncode != 0


def test_acl_publish_and_subscribe(broker):
    alice = Client(broker.port, "alice-phone", username="alice", password="wonderland")
    bob = Client(broker.port, "bob-phone", username="bob", password="builder")
    assert bob.subscribe("home/alice/status", qos=1)[0].value == 1
    assert bob.subscribe("home/alice/#", qos=1)[0].value == 0x87  # wider than his rule
    assert alice.subscribe("home/alice/secret", qos=1)[0].value == 0x87  # what a deny covers
    assert alice.subscribe("home/alice/status", qos=1)[0].value == 1
    info = alice.publish("home/alice/status", b"home", qos=1)
    assert bob.expect().payload == b"home"
    # Publishing outside the ACL: MQTT 5.0 gets Not Authorized, nothing is delivered.
    r = raw.RawClient(broker.port)
    r.send(raw.connect("raw-bob", username="bob", password="builder"))
    assert r.recv().body[1] == 0
    r.send(raw.publish("home/alice/status", b"forged", qos=1, packet_id=3))
    ack = r.recv()
    assert ack.type == 4 and ack.body[2] == 0x87
    bob.expect_none()
    assert info is not None


def test_patterns_substitute_client_id_and_username(broker):
    dev = Client(broker.port, "lamp-42", username="bob", password="builder")
    assert dev.subscribe("device/lamp-42/down", qos=1)[0].value == 1
    assert dev.subscribe("device/lamp-43/down", qos=1)[0].value == 0x87
    watcher = Client(broker.port, "watcher", username="alice", password="wonderland")
    watcher.subscribe("device/watcher/#", qos=1)


def test_anonymous_limited_to_public(broker):
    anon = Client(broker.port, "anon")
    assert anon.subscribe("public/news", qos=0)[0].value == 0
    assert anon.subscribe("home/#", qos=0)[0].value == 0x87


def test_anonymous_refused_when_not_allowed(tmp_path):
    passwd = tmp_path / "passwd"
    assert run([HEARTH, "passwd", str(passwd), "carol", "--password", "pw"]).returncode == 0
    with Hearthd("--auth-password-file", str(passwd)) as b:
        r = raw.RawClient(b.port)
        r.send(raw.connect("nobody"))
        ack = r.recv()
        assert ack.type == 2 and ack.body[1] == 0x87
        Client(b.port, "carol", username="carol", password="pw")


# The ACL of the Eclipse Paho interoperability tests, plus a user who may write everywhere.
PAHO_ACL = """\
topic deny test/nosubscribe
topic readwrite #
user writer
topic write #
"""


def mosquitto_sub(port, *args):
    """mosquitto_sub (MQTT 5.0, -d) once its SUBACK is in: (process, the SUBACK's line of codes).
    Line-buffered (stdbuf): into a pipe it would hold the SUBACK line back until it exits."""
    sub = subprocess.Popen(["stdbuf", "-oL", "mosquitto_sub", "-p", str(port), "-V", "5", "-d", "-v", *args],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    for line in sub.stdout:
        if line.startswith("Subscribed"):
            return sub, line.strip()
    raise AssertionError("mosquitto_sub ended without a SUBACK")


def test_wildcard_subscriptions_beside_a_deny_rule_are_granted_and_withhold_it(tmp_path):
    passwd = tmp_path / "passwd"
    assert run([HEARTH, "passwd", str(passwd), "writer", "--password", "pw"]).returncode == 0
    acl = tmp_path / "acl"
    acl.write_text(PAHO_ACL)
    with Hearthd("--auth-password-file", str(passwd), "--auth-acl-file", str(acl), anonymous=True) as b:
        # Granted (QoS 0 each), as mosquitto grants them; only the denied topic itself is refused.
        sub, suback = mosquitto_sub(b.port, "-t", "+/+", "-t", "#", "-t", "TopicA/+", "-C", "1", "-W", "20")
        assert suback.endswith(": 0, 0, 0"), suback
        refused, suback = mosquitto_sub(b.port, "-t", "test/nosubscribe", "-C", "1", "-W", "1")
        assert suback.endswith(": 135"), suback  # 0x87 Not Authorized
        refused.kill()
        refused.wait()
        # The writer's two messages arrive in order: the first one the subscriber prints is the
        # second, so the denied one was withheld, not delayed.
        for topic in ("test/nosubscribe", "TopicA/B"):
            r = run(["mosquitto_pub", "-p", str(b.port), "-u", "writer", "-P", "pw", "-q", "1",
                     "-t", topic, "-m", topic])
            assert r.returncode == 0, r.stdout + r.stderr
        out, _ = sub.communicate(timeout=30)
        received = [line for line in out.splitlines() if not line.startswith("Client ")]
        assert received == ["TopicA/B TopicA/B"], out
        assert metrics(b)["hearth_mqtt_withheld_total"] == 1
