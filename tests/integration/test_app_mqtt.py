"""Apps over MQTT with their access token, as Xiaomi's cloud push: a person's app (paho) logs in
with its token, subscribes to the announcements of the devices it may see and receives a real
device's reports and state; filters of other devices, raw device topics and publishing are
refused; a wrong token is refused at CONNECT."""
import json
from types import SimpleNamespace

from clients import V311, Client
from test_device_commands import Device, assert_next_request_is_a_new_one, obliging
from test_home_devices import bind, home  # noqa: F401 (the fixture)
from test_homes import sign_in

GRANTED_QOS1, NOT_AUTHORIZED = 1, 0x87


def codes(granted):
    return [g.value if hasattr(g, "value") else g for g in granted]


def test_an_app_follows_its_devices_with_its_access_token(home):
    b = home
    plug, other = b.plugs
    did = plug["did"]
    assert bind(b, plug)[0] == 201
    app = Client(b.port, "ann-phone", username="ann@example.com", password=b.ann)
    assert codes(app.subscribe(f"device/{did}/up/properties_changed/+/+", qos=1)) == [GRANTED_QOS1]
    assert codes(app.subscribe(f"device/{did}/state", qos=1)) == [GRANTED_QOS1]
    for refused in (f"device/{other['did']}/state",  # not in Ann's home
                    f"device/{did}/up", f"device/{did}/up/#", f"device/{did}/down", "device/+/state", "#"):
        assert codes(app.subscribe(refused, qos=1)) == [NOT_AUTHORIZED], refused

    device = Device(SimpleNamespace(port=b.port, device=plug), obliging({}))
    state = app.expect()
    assert state.topic == f"device/{did}/state" and json.loads(state.payload)["online"] is True
    device.c.publish(f"device/{did}/up", json.dumps(
        {"id": 1, "method": "properties_changed", "params": [{"siid": 2, "piid": 2, "value": 42.5}]}), qos=1)
    report = app.expect()
    assert report.topic == f"device/{did}/up/properties_changed/2/2"
    assert json.loads(report.payload)["value"] == 42.5
    # An app speaks for nobody: its publishes go nowhere.
    app.publish(f"device/{did}/down", json.dumps({"id": 5, "method": "get_properties", "params": []}), qos=1)
    assert_next_request_is_a_new_one(b, device, token=b.ann)
    device.c.disconnect()
    app.disconnect()


def test_an_outsider_app_gets_nothing_and_a_bad_token_is_refused(home):
    b = home
    plug = b.plugs[0]
    assert bind(b, plug)[0] == 201
    eve = Client(b.port, "eve-phone", version=V311, username="eve", password=sign_in(b, "eve@example.com"))
    assert codes(eve.subscribe(f"device/{plug['did']}/state", qos=1)) == [0x80]  # 3.1.1: failure
    eve.disconnect()
    refused = Client(b.port, "x", username="ann@example.com", password="hat_" + "0" * 64, expect_rc=None)
    assert getattr(refused.connack[1], "value", refused.connack[1]) == 134  # Bad User Name or Password
