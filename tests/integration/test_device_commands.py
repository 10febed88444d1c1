"""Commands end to end: an operator sends get_properties, set_properties and action through
hearthd's HTTP API; a real device client (paho) receives them on its down topic and replies on its
up topic; the API answers with per-item results. Covers the spec check before sending, device
errors, timeouts, offline devices (fail fast, or the outbox with its TTL, delivered in order on
reconnect and kept across a restart) and the API's refusals.
"""
import json
import os
import queue
import signal
import threading
import time
import urllib.error
import urllib.request

import pytest

from clients import V5, V311, Client
from harness import Hearthd, add_devices, hearth, import_products, metrics, wait_for


S = "acme-plug:1"
PLUG = {"type": f"urn:miot-spec-v2:device:outlet:0000A002:{S}", "description": "Plug", "services": [
    {"iid": 2, "type": f"urn:miot-spec-v2:service:switch:0000780C:{S}", "description": "Switch",
     "properties": [
         {"iid": 1, "type": f"urn:miot-spec-v2:property:on:00000006:{S}", "description": "On",
          "format": "bool", "access": ["read", "write", "notify"]},
         {"iid": 2, "type": f"urn:miot-spec-v2:property:electric-power:00000066:{S}", "description": "Power",
          "format": "float", "access": ["read", "notify"], "unit": "watt", "value-range": [0, 3000, 0.1]},
         {"iid": 3, "type": f"urn:miot-spec-v2:property:mode:00000008:{S}", "description": "Mode",
          "format": "uint8", "access": ["read", "write", "notify"],
          "value-list": [{"value": 0, "description": "Auto"}, {"value": 1, "description": "Eco"}]},
         {"iid": 4, "type": f"urn:miot-spec-v2:property:countdown-time:00000053:{S}", "description": "Minutes",
          "format": "uint16", "access": ["write"], "unit": "minutes", "value-range": [0, 1440, 1]}],
     "actions": [
         {"iid": 1, "type": f"urn:miot-spec-v2:action:toggle:00002811:{S}", "description": "Toggle",
          "in": [], "out": []},
         {"iid": 2, "type": f"urn:miot-spec-v2:action:start-countdown:00002812:{S}", "description": "Countdown",
          "in": [4], "out": [1]}]}]}

DONE, ACCEPTED = 0, 1
PROPERTY_NOT_FOUND, NOT_READABLE, NOT_WRITABLE = -704044003, -704054013, -704054023
VALUE_INVALID, ARGUMENT_INVALID, ARGUMENT_COUNT = -704220043, -704220035, -704220025
DEVICE_OFFLINE, TIMEOUT, INVALID_IN_STATE = -704042011, -704083036, -704053100


@pytest.fixture
def server(tmp_path):
    with Hearthd() as b:
        import_products(b, tmp_path / "specs", PLUG)
        b.device = add_devices(b, "acme.outlet.plug")[0]
        with open(os.path.join(b.data_dir, "operator.token")) as f:
            b.token = f.read().strip()
        yield b


def command(server, body, did=None, token=None):
    """POSTs a command; returns (HTTP status, JSON body)."""
    did = did or server.device["did"]
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    req = urllib.request.Request(f"http://127.0.0.1:{server.ports['http']}/api/v1/devices/{did}/commands",
                                 data=data, method="POST", headers={"Content-Type": "application/json"})
    if token is not False:
        req.add_header("Authorization", f"Bearer {token or server.token}")
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


class Device:
    """A device: connects with its credentials, subscribes to its down topic and answers what
    it receives with `answer(request) -> reply body or None` (None: stays silent)."""

    def __init__(self, server, answer, version=V5, clean=True):
        d = server.device
        self.did = d["did"]
        self.requests = queue.Queue()
        self.answer = answer
        self.c = Client(server.port, self.did, version=version, clean=clean, session_expiry=3600 if not clean else None,
                        username=self.did, password=d["secret"])
        self.c.c.on_message = self._on_message
        self.c.subscribe(f"device/{self.did}/down", qos=1)

    def _on_message(self, client, userdata, m):
        request = json.loads(m.payload)
        self.requests.put(request)
        if "method" not in request:
            return  # the cloud's answer to a report
        reply = self.answer(request)
        if reply is not None:
            client.publish(f"device/{self.did}/up", json.dumps({"id": request["id"], **reply}), qos=1)

    def next_request(self, timeout=5):
        return self.requests.get(timeout=timeout)


def obliging(state):
    """A device that does what it is told, keeping `state` {(siid, piid): value}."""
    def answer(request):
        method, params = request["method"], request["params"]
        if method == "set_properties":
            for p in params:
                state[(p["siid"], p["piid"])] = p["value"]
            return {"result": [{"siid": p["siid"], "piid": p["piid"], "code": 0} for p in params]}
        if method == "get_properties":
            return {"result": [{"siid": p["siid"], "piid": p["piid"], "code": 0,
                                "value": state.get((p["siid"], p["piid"]), 0)} for p in params]}
        return {"result": {"siid": params["siid"], "aiid": params["aiid"], "code": 0,
                           "out": [state.get((2, 1), False)]}}
    return answer


def assert_next_request_is_a_new_one(server, device, token=None):
    """Nothing else was sent to the device: a command sent now is the next request it gets (the
    device's down topic delivers in order, so anything sent before would come first)."""
    status, body = command(server, {"method": "get_properties", "params": [{"siid": 2, "piid": 1}]},
                           did=device.did, token=token)
    assert status == 200, body
    assert device.next_request()["id"] == body["id"]


def codes(body):
    return [(r["siid"], r["piid"], r["code"]) for r in body["result"]]


def test_set_get_and_action_round_trip_with_per_item_results(server):
    state = {(2, 1): False, (2, 2): 12.5, (2, 3): 0}
    device = Device(server, obliging(state))

    status, body = command(server, {"method": "set_properties", "params": [
        {"siid": 2, "piid": 1, "value": True},
        {"siid": 2, "piid": 3, "value": 7},        # not in the value list: refused by the cloud
        {"siid": 2, "piid": 2, "value": 100},      # read-only
        {"siid": 2, "piid": 9, "value": 1},        # no such property
        {"siid": 2, "piid": 3, "value": 1}]})
    assert status == 200
    assert codes(body) == [(2, 1, DONE), (2, 3, VALUE_INVALID), (2, 2, NOT_WRITABLE), (2, 9, PROPERTY_NOT_FOUND),
                           (2, 3, DONE)]
    sent = device.next_request()
    assert sent["method"] == "set_properties" and sent["id"] == body["id"]
    assert sent["params"] == [{"siid": 2, "piid": 1, "value": True}, {"siid": 2, "piid": 3, "value": 1}]
    assert state[(2, 1)] is True and state[(2, 3)] == 1

    status, body = command(server, {"method": "get_properties", "params": [
        {"siid": 2, "piid": 2}, {"siid": 2, "piid": 4}, {"siid": 2, "piid": 1}]})
    assert status == 200
    assert body["result"] == [{"siid": 2, "piid": 2, "code": 0, "value": 12.5},
                              {"siid": 2, "piid": 4, "code": NOT_READABLE},
                              {"siid": 2, "piid": 1, "code": 0, "value": True}]
    assert device.next_request()["params"] == [{"siid": 2, "piid": 2}, {"siid": 2, "piid": 1}]

    status, body = command(server, {"method": "action", "params": {"siid": 2, "aiid": 2, "in": [30]}})
    assert status == 200 and body["result"] == {"siid": 2, "aiid": 2, "code": 0, "out": [True]}
    assert device.next_request()["params"] == {"siid": 2, "aiid": 2, "in": [30]}

    # Checked against the spec and never sent: a bad argument, a wrong count, an unknown action.
    assert command(server, {"method": "action", "params": {"siid": 2, "aiid": 2, "in": [2000]}})[1]["result"]["code"] \
        == ARGUMENT_INVALID
    assert command(server, {"method": "action", "params": {"siid": 2, "aiid": 1, "in": [1]}})[1]["result"]["code"] \
        == ARGUMENT_COUNT
    assert command(server, {"method": "action", "params": {"siid": 2, "aiid": 9}})[1]["result"]["code"] == -704044005
    m = metrics(server)
    assert m['hearth_commands_total{outcome="answered"}'] == 3
    assert m['hearth_commands_total{outcome="refused"}'] == 3
    assert_next_request_is_a_new_one(server, device)


def test_device_errors_missing_items_and_bad_outputs_reach_the_caller(server):
    def answer(request):
        if request["method"] == "set_properties":
            return {"error": {"code": INVALID_IN_STATE, "message": "child lock"}}
        if request["method"] == "get_properties":  # leaves the second item out, breaks the first
            return {"result": [{"siid": 2, "piid": 1, "code": 0, "value": "yes"}]}
        return {"result": {"siid": 2, "aiid": 1, "code": INVALID_IN_STATE, "out": []}}
    Device(server, answer)
    status, body = command(server, {"method": "set_properties", "params": [
        {"siid": 2, "piid": 1, "value": True}, {"siid": 2, "piid": 3, "value": 0}]})
    assert status == 200 and codes(body) == [(2, 1, INVALID_IN_STATE), (2, 3, INVALID_IN_STATE)]
    status, body = command(server, {"method": "get_properties", "params": [{"siid": 2, "piid": 1},
                                                                          {"siid": 2, "piid": 3}]})
    assert codes(body) == [(2, 1, VALUE_INVALID), (2, 3, TIMEOUT)] and "value" not in body["result"][0]
    status, body = command(server, {"method": "action", "params": {"siid": 2, "aiid": 1, "in": []}})
    assert body["result"]["code"] == INVALID_IN_STATE


def test_a_silent_device_times_out_and_its_late_reply_is_dropped(server):
    device = Device(server, lambda request: None)
    started = time.monotonic()
    status, body = command(server, {"method": "set_properties", "params": [{"siid": 2, "piid": 1, "value": True}],
                                    "timeout_ms": 300})
    elapsed = time.monotonic() - started
    assert status == 200 and codes(body) == [(2, 1, TIMEOUT)]
    assert 0.3 <= elapsed < 3
    late = device.next_request()
    device.c.publish(f"device/{device.did}/up",
                     json.dumps({"id": late["id"], "result": [{"siid": 2, "piid": 1, "code": 0}]}), qos=1)
    assert wait_for(lambda: metrics(server)["hearth_commands_unmatched_replies_total"] == 1)
    assert metrics(server)['hearth_commands_total{outcome="timeout"}'] == 1


def test_offline_device_fails_fast_by_default(server):
    started = time.monotonic()
    status, body = command(server, {"method": "set_properties", "params": [
        {"siid": 2, "piid": 1, "value": True}, {"siid": 2, "piid": 7, "value": True}]})
    assert time.monotonic() - started < 2
    assert status == 200 and codes(body) == [(2, 1, DEVICE_OFFLINE), (2, 7, PROPERTY_NOT_FOUND)]
    status, body = command(server, {"method": "action", "params": {"siid": 2, "aiid": 1, "in": []}})
    assert body["result"]["code"] == DEVICE_OFFLINE
    # Connected but not subscribed to its down topic: still unreachable.
    d = server.device
    c = Client(server.port, d["did"], username=d["did"], password=d["secret"])
    assert codes(command(server, {"method": "get_properties", "params": [{"siid": 2, "piid": 1}]})[1]) == \
        [(2, 1, DEVICE_OFFLINE)]
    c.disconnect()


def test_a_device_that_leaves_with_a_command_outstanding_answers_offline(server):
    device = Device(server, lambda request: None)
    result = {}
    t = threading.Thread(target=lambda: result.update(
        answer=command(server, {"method": "set_properties", "params": [{"siid": 2, "piid": 1, "value": True}],
                                "timeout_ms": 20000})))
    t.start()
    device.next_request()
    started = time.monotonic()
    device.c.kill()
    t.join(15)
    assert time.monotonic() - started < 10
    assert codes(result["answer"][1]) == [(2, 1, DEVICE_OFFLINE)]


@pytest.mark.parametrize("version", [V5, V311], ids=["v5", "v311"])
def test_queued_commands_are_delivered_in_order_when_the_device_subscribes(server, version):
    ids = []
    for value in (True, False, True):
        status, body = command(server, {"method": "set_properties", "params": [{"siid": 2, "piid": 1, "value": value}],
                                        "when_offline": "queue", "ttl_s": 3600})
        assert status == 200 and codes(body) == [(2, 1, ACCEPTED)]
        ids.append(body["id"])
    status, body = command(server, {"method": "action", "params": {"siid": 2, "aiid": 2, "in": [5]},
                                    "when_offline": "queue"})
    assert body["result"]["code"] == ACCEPTED
    ids.append(body["id"])
    state = {}
    device = Device(server, obliging(state), version=version)
    got = [device.next_request() for _ in ids]
    assert [r["id"] for r in got] == ids
    assert [r["method"] for r in got] == ["set_properties"] * 3 + ["action"]
    assert [r["params"][0]["value"] for r in got[:3]] == [True, False, True]
    assert state[(2, 1)] is True
    assert wait_for(lambda: metrics(server)['hearth_commands_total{outcome="answered"}'] == 4)
    m = metrics(server)
    assert m['hearth_commands_total{outcome="queued"}'] == 4 and m['hearth_outbox_total{outcome="delivered"}'] == 4
    # Delivered once: the next connection gets nothing more, and commands go straight out.
    device.c.disconnect()
    device = Device(server, obliging(state), version=version)
    status, body = command(server, {"method": "get_properties", "params": [{"siid": 2, "piid": 1}]})
    assert body["result"] == [{"siid": 2, "piid": 1, "code": 0, "value": True}]
    assert device.next_request()["method"] == "get_properties"
    assert device.requests.empty()


def test_the_outbox_drops_expired_commands_and_survives_a_restart(server):
    assert codes(command(server, {"method": "set_properties", "params": [{"siid": 2, "piid": 1, "value": False}],
                                  "when_offline": "queue", "ttl_s": 1})[1]) == [(2, 1, ACCEPTED)]
    status, kept = command(server, {"method": "set_properties", "params": [{"siid": 2, "piid": 3, "value": 1}],
                                    "when_offline": "queue", "ttl_s": 3600})
    assert codes(kept) == [(2, 3, ACCEPTED)]
    time.sleep(1.2)  # the first one's ttl: hearthd's clock is the real one here
    server.restart()
    device = Device(server, obliging({}))
    request = device.next_request()
    assert request["id"] == kept["id"] and request["params"] == [{"siid": 2, "piid": 3, "value": 1}]
    assert_next_request_is_a_new_one(server, device)


def test_queued_commands_delivered_but_never_answered_survive_a_crash(server):
    queued = []
    for value in (True, False):
        status, body = command(server, {"method": "set_properties",
                                        "params": [{"siid": 2, "piid": 1, "value": value}],
                                        "when_offline": "queue", "ttl_s": 3600})
        assert codes(body) == [(2, 1, ACCEPTED)]
        queued.append(body["id"])
    # The device gets them and is killed with hearthd before it answers: claimed, sent, unanswered.
    silent = Device(server, lambda request: None)
    assert [silent.next_request()["id"] for _ in queued] == queued
    server.stop(sig=signal.SIGKILL)
    silent.c.c.loop_stop()  # its connection died with hearthd; the restarted one has another port
    server.start()
    state = {}
    device = Device(server, obliging(state))
    again = [device.next_request() for _ in queued]
    assert [r["id"] for r in again] == queued  # in order, under their ids: a device can tell a repeat
    assert [r["params"][0]["value"] for r in again] == [True, False]
    assert wait_for(lambda: metrics(server)['hearth_outbox_total{outcome="acknowledged"}'] == 2)
    assert state[(2, 1)] is False
    # Answered: the next connection gets them no more.
    device.c.disconnect()
    device = Device(server, obliging(state))
    status, body = command(server, {"method": "get_properties", "params": [{"siid": 2, "piid": 1}]})
    assert body["result"] == [{"siid": 2, "piid": 1, "code": 0, "value": False}]
    assert device.next_request()["id"] == body["id"]
    device.c.disconnect()


def test_a_resumed_session_gets_its_outbox_without_subscribing_again(server):
    d = server.device
    device = Device(server, obliging({}), clean=False)
    device.c.disconnect()
    assert wait_for(lambda: not json.loads(hearth("device", "show", d["did"], data_dir=server.data_dir).stdout)["online"])
    status, body = command(server, {"method": "set_properties", "params": [{"siid": 2, "piid": 1, "value": True}],
                                    "when_offline": "queue"})
    assert codes(body) == [(2, 1, ACCEPTED)]
    c = Client(server.port, d["did"], clean=False, session_expiry=3600, username=d["did"], password=d["secret"])
    assert c.session_present
    assert json.loads(c.expect().payload)["id"] == body["id"]
    c.disconnect()


def test_the_api_refuses_bad_requests_with_a_reason(server):
    set_on = {"method": "set_properties", "params": [{"siid": 2, "piid": 1, "value": True}]}
    assert command(server, set_on, token=False)[0] == 401
    assert command(server, set_on, token="0" * 64)[0] == 401
    assert command(server, set_on, did="ffffffffffffffff") == \
        (404, {"error": {"code": "not_found", "message": "no device ffffffffffffffff"}})
    for body, reason in [(b"{", "not JSON"), (b"[]", "not an object"),
                         ({"method": "reboot", "params": []}, "unknown method"),
                         ({"method": "properties_changed", "params": []}, "sent by devices"),
                         ({"method": "set_properties", "params": [{"siid": 2, "piid": 1}]}, "value"),
                         ({**set_on, "timeout_ms": 0}, "timeout_ms"),
                         ({**set_on, "when_offline": "later"}, "when_offline"),
                         ({**set_on, "colour": 1}, "unknown member")]:
        status, answer = command(server, body)
        assert status == 400 and answer["error"]["code"] == "bad_request", (body, answer)
        assert reason in answer["error"]["message"], (body, answer)
    assert metrics(server)['hearth_commands_total{outcome="sent"}'] == 0
