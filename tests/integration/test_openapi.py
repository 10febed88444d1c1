"""The OpenAPI document hearthd serves at /api/openapi.json matches the routes it really serves,
both ways: every route the server registers (its debug log lists them at start) is documented,
and every documented operation reaches a route (the router's own 404 "not found" or 405 never
answers it)."""
import json
import re
import urllib.error
import urllib.request

from harness import Hearthd, http_get, wait_for


def served_routes(b):
    routes = set()
    for line in b.log().splitlines():
        m = re.search(r"http: route (\S+) (\S+)", line)
        if m:
            routes.add((m.group(1), m.group(2)))
    return routes


def test_the_document_and_the_routes_agree():
    with Hearthd() as b:
        status, content_type, text = http_get(b.ports["http"], "/api/openapi.json")
        assert status == 200 and content_type == "application/json"
        doc = json.loads(text)
        assert doc["openapi"].startswith("3.")
        documented = {(method.upper(), path) for path, ops in doc["paths"].items() for method in ops}
        assert wait_for(lambda: served_routes(b))
        served = served_routes(b)
        assert served - documented == set(), "served but not documented"
        assert documented - served == set(), "documented but not served"

        for method, path in sorted(documented):
            if path == "/api/v1/ws":
                continue  # a WebSocket route: a plain GET is not an upgrade
            concrete = re.sub(r"\{[^}]+\}", "1", path)
            req = urllib.request.Request(f"http://127.0.0.1:{b.ports['http']}{concrete}", method=method,
                                         data=b"{}" if method in ("POST", "PATCH") else None)
            try:
                with urllib.request.urlopen(req, timeout=10) as r:
                    status, body = r.status, r.read()
            except urllib.error.HTTPError as e:
                status, body = e.code, e.read()
            router_error = status in (404, 405) and json.loads(body).get("error", {}).get("message") in \
                ("not found", "method not allowed")
            assert not router_error, (method, path, status, body)

        # Every operation says what it answers, and every reference resolves.
        schemas = doc["components"]["schemas"]
        for ref in re.findall(r'"\$ref": "#/components/schemas/([^"]+)"', text):
            assert ref in schemas, ref
        for path, ops in doc["paths"].items():
            for method, op in ops.items():
                assert op.get("summary") and op.get("responses"), (method, path)
