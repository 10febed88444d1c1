"""Who may listen on MQTT, with a real hearthd, a real device (paho) and apps signed in with their
access tokens (paho):

- by default a client without credentials is refused; opted in (auth.allow_anonymous), it may
  subscribe "#" but gets nothing under device/ (reports, presence, commands), retained or live;
- an app's subscription stops delivering at once when its access ends: the session logged out, the
  share ended, the member removed, the device unbound and bound into another home, the home
  deleted.

Absence is proved after a positive event: a still-authorized subscriber got the same report,
and the broker counted the old subscription's copy as withheld (hearth_mqtt_withheld_total);
before the fix the old subscription received it, which the tests catch, since they wait for
whichever comes first."""
import json
from types import SimpleNamespace

import pytest

import raw_mqtt as raw
from clients import V311, Client
from harness import Hearthd, add_devices, import_products, metrics, wait_for
from test_accounts import api
from test_device_commands import PLUG, Device, obliging
from test_homes import sign_in

REPORT_FILTER = "device/{did}/up/properties_changed/+/+"


def withheld(b):
    return metrics(b).get("hearth_mqtt_withheld_total", 0)


def user_id(b, token):
    return api(b, "GET", "/api/v1/users/me", token=token)[1]["id"]


def app(b, token, name):
    """An app signed in with its access token, following the device's reports."""
    c = Client(b.port, name, username=name, password=token)
    granted = c.subscribe(REPORT_FILTER.format(did=b.did), qos=1)
    assert [getattr(g, "value", g) for g in granted] == [1], name
    return c


def report(b, watts):
    b.device.c.publish(f"device/{b.did}/up", json.dumps(
        {"id": int(watts), "method": "properties_changed", "params": [{"siid": 2, "piid": 2, "value": watts}]}), qos=1)


def expect_report(b, client, watts):
    m = client.expect(timeout=10)
    assert m.topic == f"device/{b.did}/up/properties_changed/2/2", m.topic
    assert json.loads(m.payload)["value"] == watts


def assert_withheld_from(b, old, before):
    """The broker has decided about the old subscription's copy of the last report: wait for it to
    be withheld (counted) or delivered (what happened before the fix), then require the first."""
    wait_for(lambda: not old.messages.empty() or withheld(b) > before, timeout=10)
    assert old.messages.empty(), f"delivered after access ended: {old.messages.get().topic}"
    assert withheld(b) > before


def assert_next_report_withheld_from(b, old, still=None):
    """The device reports again: `still` (if any) gets it, the old subscription does not."""
    before = withheld(b)
    report(b, 2.0)
    if still is not None:
        expect_report(b, still, 2.0)
    assert_withheld_from(b, old, before)


@pytest.fixture
def plug_home(tmp_path):
    """hearthd with a plug bound into Ann's home, the device connected, and Ann signed in."""
    with Hearthd() as b:
        import_products(b, tmp_path / "specs", PLUG)
        plug = add_devices(b, "acme.outlet.plug")[0]
        b.did, b.bind_code = plug["did"], plug["bind_code"]
        b.ann = sign_in(b, "ann@example.com")
        b.home = api(b, "POST", "/api/v1/homes", {"name": "Ann's"}, token=b.ann)[1]["id"]
        assert api(b, "POST", f"/api/v1/homes/{b.home}/devices", {"bind_code": b.bind_code}, token=b.ann)[0] == 201
        b.device = Device(SimpleNamespace(port=b.port, device=plug), obliging({}))
        yield b
        b.device.c.disconnect()


def test_clients_without_credentials_are_refused_by_default(plug_home):
    b = plug_home
    for version, refused in ((5, 0x87), (4, 5)):  # MQTT 5.0 Not Authorized, 3.1.1 "not authorized"
        r = raw.RawClient(b.port)
        r.send(raw.connect("nobody", version=version))
        ack = r.recv()
        assert ack.type == 2 and ack.body[1] == refused, (version, ack.body)
    # A user name is no credential without a password file to verify it.
    with pytest.raises(AssertionError, match="CONNACK"):
        Client(b.port, "guess", username="admin", password="admin")
    with pytest.raises(AssertionError, match="CONNACK"):
        Client(b.port, "guess", version=V311)


def test_anonymous_clients_opted_in_get_nothing_under_device(tmp_path):
    with Hearthd("--auth-allow-anonymous", "true") as b:
        import_products(b, tmp_path / "specs", PLUG)
        plug = add_devices(b, "acme.outlet.plug")[0]
        b.did = plug["did"]
        ann = sign_in(b, "ann@example.com")
        home = api(b, "POST", "/api/v1/homes", {"name": "Ann's"}, token=ann)[1]["id"]
        assert api(b, "POST", f"/api/v1/homes/{home}/devices", {"bind_code": plug["bind_code"]}, token=ann)[0] == 201
        owner = app(b, ann, "ann-phone")
        owner.subscribe(f"device/{b.did}/state", qos=1)
        device = Device(SimpleNamespace(port=b.port, device=plug), obliging({}))
        assert json.loads(owner.expect(timeout=10).payload)["online"] is True  # retained presence

        anon = Client(b.port, "anon")
        for refused in ("device/#", f"device/{b.did}/up", f"device/{b.did}/down", f"device/{b.did}/state",
                        "device/+/state", "$share/g/device/#"):
            assert [g.value for g in anon.subscribe(refused, qos=1)] == [0x87], refused
        before = withheld(b)
        assert [g.value for g in anon.subscribe("#", qos=1)] == [1]  # granted: it matches other topics too
        # The retained presence is withheld from "#"...
        wait_for(lambda: withheld(b) > before)
        assert withheld(b) == before + 1
        # ...and so are live reports and commands, while the owner's app gets them.
        b.device = device
        before = withheld(b)
        report(b, 12.5)
        expect_report(b, owner, 12.5)
        status, _ = api(b, "POST", f"/api/v1/devices/{b.did}/commands",
                        {"method": "get_properties", "params": [{"siid": 2, "piid": 2}]}, token=ann)
        assert status == 200
        # The report, the ingest's answer to it on down, and the command: all withheld.
        wait_for(lambda: withheld(b) >= before + 3)
        assert withheld(b) >= before + 3
        anon.publish("anon/marker", b"m", qos=1)
        first = anon.expect(timeout=10)
        assert first.topic == "anon/marker", f"an anonymous client read {first.topic}"
        device.c.disconnect()


def test_a_logged_out_session_stops_receiving(plug_home):
    b = plug_home
    ann_tablet = sign_in_again(b, "ann@example.com")
    phone = app(b, b.ann, "ann-phone")
    tablet = app(b, ann_tablet, "ann-tablet")
    report(b, 1.0)
    expect_report(b, phone, 1.0)
    expect_report(b, tablet, 1.0)

    assert api(b, "POST", "/api/v1/auth/logout", token=b.ann) == (204, None)
    assert_next_report_withheld_from(b, phone, still=tablet)  # Ann's other session goes on


def test_an_ended_share_stops_receiving(plug_home):
    b = plug_home
    olga = sign_in(b, "olga@example.com")
    assert api(b, "POST", f"/api/v1/devices/{b.did}/shares", {"email": "olga@example.com"}, token=b.ann)[0] == 201
    owner = app(b, b.ann, "ann-phone")
    guest = app(b, olga, "olga-phone")
    report(b, 1.0)
    expect_report(b, owner, 1.0)
    expect_report(b, guest, 1.0)

    assert api(b, "DELETE", f"/api/v1/devices/{b.did}/shares/{user_id(b, olga)}", token=b.ann) == (204, None)
    assert_next_report_withheld_from(b, guest, still=owner)


def test_a_removed_member_stops_receiving(plug_home):
    b = plug_home
    bob = sign_in(b, "bob@example.com")
    inv = api(b, "POST", f"/api/v1/homes/{b.home}/invitations", {"email": "bob@example.com", "role": "member"},
              token=b.ann)[1]
    assert api(b, "POST", f"/api/v1/invitations/{inv['id']}/accept", token=bob) == (204, None)
    owner = app(b, b.ann, "ann-phone")
    member = app(b, bob, "bob-phone")
    report(b, 1.0)
    expect_report(b, owner, 1.0)
    expect_report(b, member, 1.0)

    assert api(b, "DELETE", f"/api/v1/homes/{b.home}/members/{user_id(b, bob)}", token=b.ann) == (204, None)
    assert_next_report_withheld_from(b, member, still=owner)


def test_a_device_bound_into_another_home_reaches_only_its_new_owner(plug_home):
    b = plug_home
    old_owner = app(b, b.ann, "ann-phone")
    report(b, 1.0)
    expect_report(b, old_owner, 1.0)

    assert api(b, "DELETE", f"/api/v1/devices/{b.did}", token=b.ann) == (204, None)
    carl = sign_in(b, "carl@example.com")
    carl_home = api(b, "POST", "/api/v1/homes", {"name": "Carl's"}, token=carl)[1]["id"]
    assert api(b, "POST", f"/api/v1/homes/{carl_home}/devices", {"bind_code": b.bind_code}, token=carl)[0] == 201
    new_owner = app(b, carl, "carl-phone")
    assert_next_report_withheld_from(b, old_owner, still=new_owner)


def test_a_deleted_home_stops_its_members_receiving(plug_home):
    b = plug_home
    old_owner = app(b, b.ann, "ann-phone")
    report(b, 1.0)
    expect_report(b, old_owner, 1.0)

    assert api(b, "DELETE", f"/api/v1/homes/{b.home}", token=b.ann) == (204, None)
    # Nobody may see the device now; the broker's count of the withheld copy is the proof that
    # the report was routed.
    assert_next_report_withheld_from(b, old_owner)


def sign_in_again(b, email):
    """A second session of an existing account."""
    status, tokens = api(b, "POST", "/api/v1/auth/login", {"email": email, "password": "correct horse"})
    assert status == 200
    return tokens["access_token"]
