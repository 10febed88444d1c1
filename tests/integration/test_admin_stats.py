"""The operators' figures over HTTP (admins only), as Prometheus gauges and from `hearth stats`:
devices registered, connected and bound, by type, users, homes, users with five or more devices,
and daily and monthly active users, counted from real accounts, homes and a connected device."""
import json
from types import SimpleNamespace

from harness import add_devices, hearth, metrics, wait_for
from test_accounts import api
from test_device_commands import Device, obliging
from test_home_devices import bind, home  # noqa: F401 (the fixture)
from test_homes import sign_in


def test_admins_see_the_platforms_figures_and_nobody_else_does(home):
    b = home
    plugs = b.plugs + add_devices(b, "acme.outlet.plug", 4)  # six plugs, two unbound
    for plug in plugs[:5]:
        assert bind(b, plug)[0] == 201
    Device(SimpleNamespace(port=b.port, device=plugs[0]), obliging({}))
    assert hearth("user", "add", "op@example.com", "--admin", "--password", "correct horse",
                  data_dir=b.data_dir).returncode == 0
    status, tokens = api(b, "POST", "/api/v1/auth/login", {"email": "op@example.com", "password": "correct horse"})
    op = tokens["access_token"]
    bob = sign_in(b, "bob@example.com")
    assert api(b, "GET", "/api/v1/admin/stats", token=bob) == \
        (403, {"error": {"code": "forbidden", "message": "for operators only"}})
    assert api(b, "GET", "/api/v1/admin/stats")[0] == 401

    assert wait_for(lambda: json.loads(hearth("device", "show", plugs[0]["did"], data_dir=b.data_dir).stdout)["online"])
    status, stats = api(b, "GET", "/api/v1/admin/stats", token=op)
    assert status == 200
    # Ann (her requests), Bob (the 403) and the operator used the API today.
    assert stats == {"devices": 6, "devices_online": 1, "devices_bound": 5, "devices_by_type": {"outlet": 6},
                     "users": 3, "homes": 1, "users_with_5_devices": 1, "daily_active_users": 3,
                     "monthly_active_users": 3}, stats

    gauges = metrics(b)
    assert gauges["hearth_devices"] == 6 and gauges['hearth_devices_by_type{type="outlet"}'] == 6
    assert gauges["hearth_users_with_5_devices"] == 1 and gauges["hearth_monthly_active_users"] == 3
    r = hearth("stats", data_dir=b.data_dir)
    assert r.returncode == 0 and json.loads(r.stdout) == stats
