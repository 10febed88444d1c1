"""One JSON reader for all input: the same value set through the MIoT route
(/app/v2/miotspec/prop/set) and the command route (/api/v1/devices/{did}/commands) reaches a real
device (paho) as the same number text, is stored in the audit log the same way, and the same
out-of-range or too-deep body is refused by both in the same way."""
import json
import queue
import urllib.request
from types import SimpleNamespace

import pytest

from clients import Client
from harness import Hearthd, add_devices, import_products, wait_for
from test_accounts import api
from test_device_commands import command
from test_homes import sign_in
from test_miot_api import MALFORMED, miot

S = "acme-dial:1"
DIAL = {"type": f"urn:miot-spec-v2:device:light:0000A001:{S}", "description": "Dial", "services": [
    {"iid": 2, "type": f"urn:miot-spec-v2:service:light:00007802:{S}", "description": "Dial",
     "properties": [
         {"iid": 1, "type": f"urn:miot-spec-v2:property:on:00000006:{S}", "description": "On",
          "format": "bool", "access": ["read", "write", "notify"]},
         {"iid": 2, "type": f"urn:miot-spec-v2:property:temperature:00000020:{S}", "description": "Level",
          "format": "float", "access": ["read", "write", "notify"]},
         {"iid": 3, "type": f"urn:miot-spec-v2:property:countdown-time:00000053:{S}", "description": "Count",
          "format": "int64", "access": ["read", "write", "notify"]}]}]}

# (piid, the value's JSON text). The first is read one ulp off by Boost 1.81's json::parse.
VALUES = [(2, "1.3927926388013963E-143"), (2, "0.1"), (2, "-0"), (2, "-0.0"), (2, "21.5"), (2, "1e-400"),
          (2, "123456789012345678901234567890"), (3, "9007199254740993"), (3, "-9223372036854775808")]


def exact(text):
    """JSON with every number kept as its text, so that two texts compare bit for bit."""
    return json.loads(text, parse_float=str, parse_int=str)


class RawDevice:
    """A device that records each request's raw text and answers every set with code 0."""

    def __init__(self, port, device):
        self.did = device["did"]
        self.requests = queue.Queue()
        self.c = Client(port, self.did, username=self.did, password=device["secret"])
        self.c.c.on_message = self._on_message
        self.c.subscribe(f"device/{self.did}/down", qos=1)

    def _on_message(self, client, userdata, m):
        request = json.loads(m.payload)
        if "method" not in request:
            return
        self.requests.put(m.payload.decode())
        result = [{"siid": p["siid"], "piid": p["piid"], "code": 0} for p in request["params"]]
        client.publish(f"device/{self.did}/up", json.dumps({"id": request["id"], "result": result}), qos=1)

    def next_value(self):
        return exact(self.requests.get(timeout=10))["params"][0]["value"]


@pytest.fixture
def dial(tmp_path):
    with Hearthd() as b:
        import_products(b, tmp_path / "specs", DIAL)
        b.device = add_devices(b, "acme.light.dial")[0]
        b.ann = sign_in(b, "ann@example.com")
        home = api(b, "POST", "/api/v1/homes", {"name": "Home"}, token=b.ann)[1]["id"]
        assert api(b, "POST", f"/api/v1/homes/{home}/devices", {"bind_code": b.device["bind_code"]},
                   token=b.ann)[0] == 201
        yield b


def via_miot(b, piid, text):
    body = f'{{"params":[{{"did":"{b.device["did"]}","siid":2,"piid":{piid},"value":{text}}}]}}'
    return miot(b, "/miotspec/prop/set", body.encode(), b.ann)


def via_commands(b, piid, text):
    body = f'{{"method":"set_properties","params":[{{"siid":2,"piid":{piid},"value":{text}}}]}}'
    return command(SimpleNamespace(ports=b.ports, device=b.device), body.encode(), token=b.ann)


def stored_details(b):
    """The audit log's record of each set, numbers as text (oldest first)."""
    url = f"http://127.0.0.1:{b.ports['http']}/api/v1/devices/{b.device['did']}/events?limit=1000"
    r = urllib.request.Request(url, headers={"Authorization": f"Bearer {b.ann}"})
    with urllib.request.urlopen(r, timeout=30) as answer:
        events = exact(answer.read())["events"]
    return [e["detail"]["params"][0]["value"] for e in events if e.get("action") == "set_properties"]


def test_a_value_reaches_the_device_and_the_store_the_same_through_both_routes(dial):
    b = dial
    device = RawDevice(b.port, b.device)
    sent = []
    for piid, text in VALUES:
        status, body = via_miot(b, piid, text)
        assert status == 200 and body["result"][0]["code"] == 0, (text, body)
        by_miot = device.next_value()
        status, body = via_commands(b, piid, text)
        assert status == 200 and body["result"][0]["code"] == 0, (text, body)
        by_commands = device.next_value()
        assert by_miot == by_commands, text
        sent += [by_miot, by_commands]
    # The device got the number Python reads from the text, bit for bit (Python's float() and
    # int() are exact).
    assert [float(v) for v in sent[::2]] == [float(t) for _, t in VALUES]
    # The audit log (written off the request's thread) stores both the same way.
    assert wait_for(lambda: len(stored_details(b)) == 2 * len(VALUES))
    stored = stored_details(b)
    assert stored[::2] == stored[1::2]
    assert [float(v) for v in stored[::2]] == [float(t) for _, t in VALUES]


def test_the_same_bad_number_or_deep_body_is_refused_by_both_routes(dial):
    b = dial
    too_deep = "[" * 40 + "]" * 40
    for text in ["1e400", "-1e400", too_deep]:
        status, body = via_miot(b, 2, text)
        assert (status, body) == (400, {"code": MALFORMED, "message": "body: not JSON"}), text
        status, body = via_commands(b, 2, text)
        assert status == 400 and "not JSON" in body["error"]["message"], (text, body)
