"""Homes, rooms, members and invitations over the HTTP API with real accounts: the owner's round
trip, paging, inviting with roles, and a signed-in outsider who gets 404 from every route of a
home it may not see, with no data in the answer."""
import json

from harness import Hearthd, hearth
from test_accounts import api


def sign_in(b, email):
    assert api(b, "POST", "/api/v1/auth/signup", {"email": email, "password": "correct horse"})[0] == 201
    status, tokens = api(b, "POST", "/api/v1/auth/login", {"email": email, "password": "correct horse"})
    assert status == 200
    return tokens["access_token"]


def test_an_owner_creates_a_home_with_rooms_renames_and_deletes_them():
    with Hearthd() as b:
        ann = sign_in(b, "ann@example.com")
        status, home = api(b, "POST", "/api/v1/homes", {"name": " Demo Home "}, token=ann)
        assert status == 201 and home["name"] == "Demo Home" and home["role"] == "owner"
        h = home["id"]
        rooms = {}
        for name in ("Living Room", "Bedroom", "Kitchen"):
            status, room = api(b, "POST", f"/api/v1/homes/{h}/rooms", {"name": name}, token=ann)
            assert status == 201 and room["home_id"] == h
            rooms[name] = room["id"]
        assert api(b, "PATCH", f"/api/v1/homes/{h}/rooms/{rooms['Kitchen']}", {"name": "Galley"}, token=ann) == \
            (204, None)
        assert api(b, "DELETE", f"/api/v1/homes/{h}/rooms/{rooms['Bedroom']}", token=ann) == (204, None)
        assert api(b, "PATCH", f"/api/v1/homes/{h}", {"name": "Home"}, token=ann) == (204, None)
        status, detail = api(b, "GET", f"/api/v1/homes/{h}", token=ann)
        assert status == 200 and detail["name"] == "Home" and detail["role"] == "owner"
        assert [r["name"] for r in detail["rooms"]] == ["Living Room", "Galley"]

        status, err = api(b, "POST", "/api/v1/homes", {"name": ""}, token=ann)
        assert status == 400 and err["error"] == {"code": "invalid_argument", "message": "a name is not empty"}
        assert api(b, "POST", "/api/v1/homes", {"name": "x", "colour": "red"}, token=ann)[0] == 400
        assert api(b, "POST", "/api/v1/homes", {"name": "x"})[0] == 401

        for i in range(3):
            assert api(b, "POST", "/api/v1/homes", {"name": f"Cabin {i}"}, token=ann)[0] == 201
        status, page = api(b, "GET", "/api/v1/homes?limit=2", token=ann)
        assert status == 200 and len(page["homes"]) == 2 and page["next_after"] == page["homes"][1]["id"]
        assert [x["name"] for x in page["homes"]] == ["Home", "Cabin 0"]
        status, rest = api(b, "GET", f"/api/v1/homes?limit=2&after={page['next_after']}", token=ann)
        assert [x["name"] for x in rest["homes"]] == ["Cabin 1", "Cabin 2"]
        status, last = api(b, "GET", f"/api/v1/homes?limit=2&after={rest['next_after']}", token=ann)
        assert last == {"homes": [], "next_after": None}
        assert api(b, "GET", "/api/v1/homes?limit=0", token=ann)[0] == 400

        assert api(b, "DELETE", f"/api/v1/homes/{h}", token=ann) == (204, None)
        assert api(b, "GET", f"/api/v1/homes/{h}", token=ann)[0] == 404


def test_an_outsider_gets_404_from_every_route_of_a_home_and_learns_nothing():
    with Hearthd() as b:
        ann = sign_in(b, "ann@example.com")
        eve = sign_in(b, "eve@example.com")
        h = api(b, "POST", "/api/v1/homes", {"name": "Secret Home"}, token=ann)[1]["id"]
        room = api(b, "POST", f"/api/v1/homes/{h}/rooms", {"name": "Vault"}, token=ann)[1]["id"]
        routes = [("GET", f"/api/v1/homes/{h}", None),
                  ("PATCH", f"/api/v1/homes/{h}", {"name": "Mine"}),
                  ("DELETE", f"/api/v1/homes/{h}", None),
                  ("POST", f"/api/v1/homes/{h}/rooms", {"name": "Den"}),
                  ("PATCH", f"/api/v1/homes/{h}/rooms/{room}", {"name": "Mine"}),
                  ("DELETE", f"/api/v1/homes/{h}/rooms/{room}", None),
                  ("GET", f"/api/v1/homes/{h}/members", None),
                  ("DELETE", f"/api/v1/homes/{h}/members/1", None),
                  ("POST", f"/api/v1/homes/{h}/invitations", {"email": "eve@example.com", "role": "admin"})]
        for method, path, body in routes:
            status, err = api(b, method, path, body, token=eve)
            assert status == 404, (method, path, status, err)
            assert err == {"error": {"code": "not_found", "message": f"no home {h}"}}, (method, path, err)
            assert "Secret" not in json.dumps(err) and "Vault" not in json.dumps(err)
        assert api(b, "GET", "/api/v1/homes", token=eve)[1] == {"homes": [], "next_after": None}
        status, detail = api(b, "GET", f"/api/v1/homes/{h}", token=ann)
        assert detail["name"] == "Secret Home" and [r["name"] for r in detail["rooms"]] == ["Vault"]


def test_invitations_make_members_with_their_roles():
    with Hearthd() as b:
        ann = sign_in(b, "ann@example.com")
        bob = sign_in(b, "bob@example.com")
        h = api(b, "POST", "/api/v1/homes", {"name": "Home"}, token=ann)[1]["id"]
        status, inv = api(b, "POST", f"/api/v1/homes/{h}/invitations", {"email": "BOB@example.com", "role": "member"},
                          token=ann)
        assert status == 201 and inv["email"] == "bob@example.com" and inv["role"] == "member"
        assert inv["home_name"] == "Home"
        assert api(b, "GET", f"/api/v1/homes/{h}", token=bob)[0] == 404  # not yet
        assert api(b, "GET", "/api/v1/invitations", token=ann)[1] == {"invitations": [], "next_after": None}
        status, mine = api(b, "GET", "/api/v1/invitations", token=bob)
        assert [i["id"] for i in mine["invitations"]] == [inv["id"]]
        # Bob cannot read the home before accepting, so the invitation names it.
        assert api(b, "PATCH", f"/api/v1/homes/{h}", {"name": "Ann's Flat"}, token=ann) == (204, None)
        assert mine["invitations"][0]["home_name"] == "Home"
        assert api(b, "GET", "/api/v1/invitations", token=bob)[1]["invitations"][0]["home_name"] == "Ann's Flat"
        assert api(b, "POST", f"/api/v1/invitations/{inv['id']}/accept", token=ann)[0] == 404  # not hers
        assert api(b, "POST", f"/api/v1/invitations/{inv['id']}/accept", token=bob) == (204, None)
        status, detail = api(b, "GET", f"/api/v1/homes/{h}", token=bob)
        assert status == 200 and detail["role"] == "member"
        status, members = api(b, "GET", f"/api/v1/homes/{h}/members", token=bob)
        assert [(m["user_id"], m["email"], m["role"]) for m in members["members"]] == \
            [(1, "ann@example.com", "owner"), (2, "bob@example.com", "member")]
        status, first = api(b, "GET", f"/api/v1/homes/{h}/members?limit=1", token=bob)
        assert [m["user_id"] for m in first["members"]] == [1] and first["next_after"] == 1
        status, rest = api(b, "GET", f"/api/v1/homes/{h}/members?limit=1&after=1", token=bob)
        assert [m["user_id"] for m in rest["members"]] == [2]

        # A member may not invite, rename or remove others; the owner cannot be removed.
        status, err = api(b, "POST", f"/api/v1/homes/{h}/invitations", {"email": "c@example.com", "role": "guest"},
                          token=bob)
        assert status == 403 and err["error"]["code"] == "forbidden"
        assert api(b, "PATCH", f"/api/v1/homes/{h}", {"name": "Bob's"}, token=bob)[0] == 403
        status, err = api(b, "DELETE", f"/api/v1/homes/{h}/members/1", token=ann)
        assert status == 409 and err["error"]["code"] == "failed_precondition"

        for body, code in [({"email": "c@example.com", "role": "owner"}, 400),
                           ({"email": "c@example.com", "role": "king"}, 400),
                           ({"email": "c@example.com", "role": "member", "until_ms": 4102444800000}, 400),
                           ({"email": "c@example.com", "role": "guest", "until_ms": "tomorrow"}, 400),
                           ({"email": "c@example.com", "role": "guest", "until_ms": 4102444800000}, 201)]:
            status, answer = api(b, "POST", f"/api/v1/homes/{h}/invitations", body, token=ann)
            assert status == code, (body, answer)
        assert api(b, "DELETE", f"/api/v1/homes/{h}/members/2", token=bob) == (204, None)  # Bob leaves
        assert api(b, "GET", f"/api/v1/homes/{h}", token=bob)[0] == 404



def test_the_cli_creates_and_lists_homes_and_accounts_through_the_same_service():
    with Hearthd() as b:
        assert hearth("user", "add", "cat@example.com", "--password", "correct horse", data_dir=b.data_dir).returncode == 0
        r = hearth("home", "create", "CAT@example.com", " Cabin ", "--room", "Loft", "--room", "", data_dir=b.data_dir)
        assert r.returncode == 1 and "a name is not empty" in r.stderr  # the service's rules, not the CLI's
        r = hearth("home", "create", "cat@example.com", "Cabin", "--room", "Loft", data_dir=b.data_dir)
        assert r.returncode == 0, r.stderr
        created = json.loads(r.stdout)
        assert created["name"] == "Cabin" and created["role"] == "owner" and [x["name"] for x in created["rooms"]] == ["Loft"]
        status, tokens = api(b, "POST", "/api/v1/auth/login", {"email": "cat@example.com", "password": "correct horse"})
        homes = api(b, "GET", "/api/v1/homes", token=tokens["access_token"])[1]["homes"]
        assert [h["name"] for h in homes] == ["Cabin"]  # the refused create left nothing behind
        listed = [json.loads(line) for line in hearth("home", "list", "cat@example.com", data_dir=b.data_dir).stdout.splitlines()]
        assert [h["id"] for h in listed] == [h["id"] for h in homes]
        users = hearth("user", "list", data_dir=b.data_dir).stdout.split()
        assert users == ["1", "cat@example.com"]
