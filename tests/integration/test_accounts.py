"""People's accounts from the command line: `hearth user add` creates them in a data directory's
registry through the same service the API will use, with argon2id password hashes."""
import json
import sqlite3
import subprocess
import urllib.error
import urllib.request

from harness import HEARTH, Hearthd, hearth


def users(data_dir):
    with sqlite3.connect(f"{data_dir}/registry.sqlite3") as db:
        return db.execute("SELECT id, email, admin, password_hash FROM users ORDER BY id").fetchall()


def test_user_add_creates_accounts_and_refuses_bad_ones_with_a_reason(tmp_path):
    data = str(tmp_path / "var")
    r = hearth("user", "add", "Root@Example.com", "--admin", "--password", "correct horse", data_dir=data)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "user 1 root@example.com (admin)\n"
    # The password from standard input, as an operator's script would give it.
    r = subprocess.run([HEARTH, "user", "add", "ann@example.com", "--data-dir", data], input="battery staple\n",
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "user 2 ann@example.com\n"
    rows = users(data)
    assert [(i, e, a) for i, e, a, _ in rows] == [(1, "root@example.com", 1), (2, "ann@example.com", 0)]
    assert all(h.startswith("$argon2id$") for *_, h in rows)

    for args, reason in [(["ROOT@example.com", "--password", "another one"], "exists already"),
                         (["not-an-email", "--password", "correct horse"], "not an email address"),
                         (["bob@example.com", "--password", "short"], "at least 8 characters")]:
        r = hearth("user", "add", *args, data_dir=data)
        assert r.returncode == 1 and reason in r.stderr, (args, r.stderr)
    assert len(users(data)) == 2


def api(b, method, path, body=None, token=None):
    """One HTTP request to hearthd's API: (status, JSON body or None)."""
    data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
    req = urllib.request.Request(f"http://127.0.0.1:{b.ports['http']}{path}", data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            text = r.read()
            return r.status, json.loads(text) if text else None
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def test_sign_up_log_in_refresh_and_log_out_over_http():
    with Hearthd() as b:
        assert api(b, "POST", "/api/v1/auth/signup", {"email": "Ann@Example.com", "password": "correct horse"}) == \
            (201, {"user": {"id": 1, "email": "ann@example.com", "admin": False,
                            "created_at_ms": api_user_created(b)}})
        status, err = api(b, "POST", "/api/v1/auth/signup", {"email": "ann@example.com", "password": "correct horse"})
        assert status == 409 and err["error"]["code"] == "already_exists"

        status, tokens = api(b, "POST", "/api/v1/auth/login", {"email": "ann@example.com", "password": "correct horse"})
        assert status == 200 and tokens["token_type"] == "Bearer"
        access = tokens["access_token"]
        status, me = api(b, "GET", "/api/v1/users/me", token=access)
        assert status == 200 and me["email"] == "ann@example.com"

        status, fresh = api(b, "POST", "/api/v1/auth/refresh", {"refresh_token": tokens["refresh_token"]})
        assert status == 200 and fresh["session_id"] == tokens["session_id"]
        assert api(b, "GET", "/api/v1/users/me", token=access)[0] == 401  # the old pair is gone
        assert api(b, "POST", "/api/v1/auth/refresh", {"refresh_token": tokens["refresh_token"]})[0] == 401

        assert api(b, "POST", "/api/v1/users/me/password",
                   {"old_password": "correct horse", "new_password": "battery staple"},
                   token=fresh["access_token"]) == (204, None)
        assert api(b, "POST", "/api/v1/auth/logout", token=fresh["access_token"]) == (204, None)
        status, err = api(b, "GET", "/api/v1/users/me", token=fresh["access_token"])
        assert status == 401 and err["error"]["code"] == "unauthenticated"
        assert api(b, "POST", "/api/v1/auth/login", {"email": "ann@example.com", "password": "battery staple"})[0] == 200


def api_user_created(b):
    """created_at_ms of user 1, as stored."""
    with sqlite3.connect(f"{b.data_dir}/registry.sqlite3") as db:
        return db.execute("SELECT created_at_ms FROM users WHERE id = 1").fetchone()[0]


def test_the_auth_routes_refuse_bad_requests_with_a_reason_and_limit_guessing():
    with Hearthd() as b:
        for body, reason in [(b"{", "not JSON"), (b"[]", "not an object"), ({"email": "a@b.co"}, "password"),
                             ({"email": "a@b.co", "password": 5}, "password"),
                             ({"email": "a@b.co", "password": "correct horse", "x": 1}, "unknown member")]:
            status, err = api(b, "POST", "/api/v1/auth/signup", body)
            assert status == 400 and err["error"]["code"] == "bad_request" and reason in err["error"]["message"]
        status, err = api(b, "POST", "/api/v1/auth/signup", {"email": "nobody", "password": "correct horse"})
        assert status == 400 and err["error"] == {"code": "invalid_argument", "message": "not an email address"}
        assert api(b, "GET", "/api/v1/users/me")[0] == 401
        assert api(b, "GET", "/api/v1/users/me", token="hat_" + "0" * 64)[0] == 401

        assert api(b, "POST", "/api/v1/auth/signup", {"email": "ann@example.com", "password": "correct horse"})[0] == 201
        for _ in range(5):
            status, err = api(b, "POST", "/api/v1/auth/login", {"email": "ann@example.com", "password": "guess"})
            assert status == 401 and err["error"]["message"] == "wrong email or password"
        status, err = api(b, "POST", "/api/v1/auth/login", {"email": "ann@example.com", "password": "correct horse"})
        assert status == 429 and err["error"]["code"] == "too_many_requests"


def test_an_operator_can_close_sign_up_and_still_create_accounts():
    with Hearthd("--accounts-open-signup", "false") as b:
        status, err = api(b, "POST", "/api/v1/auth/signup", {"email": "ann@example.com", "password": "correct horse"})
        assert status == 403 and err["error"]["message"] == "sign-up is closed here; ask an operator for an account"
        assert hearth("user", "add", "ann@example.com", "--password", "correct horse", data_dir=b.data_dir).returncode == 0
        assert api(b, "POST", "/api/v1/auth/login", {"email": "ann@example.com", "password": "correct horse"})[0] == 200
