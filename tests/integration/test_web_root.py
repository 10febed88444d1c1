"""hearthd serves the web app's built files (http.web_root) beside its API: caching headers,
deep links answered with the app's index, the API's own answers untouched, and a start-up error
that says what is missing when the folder holds no app."""
import json
import subprocess
import urllib.error
import urllib.request

import pytest

from harness import HEARTHD, Hearthd


@pytest.fixture
def web(tmp_path):
    root = tmp_path / "dist"
    (root / "assets").mkdir(parents=True)
    (root / "index.html").write_text("<!doctype html><title>Hearth</title>")
    (root / "assets" / "app-1a2b.js").write_text("export {}")
    with Hearthd("--http-web-root", str(root)) as b:
        yield b


def fetch(b, path, headers=None):
    req = urllib.request.Request(f"http://127.0.0.1:{b.ports['http']}{path}", headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=5) as r:
            return r.status, dict(r.headers), r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read().decode()


def test_the_app_is_served_with_caching_headers(web):
    status, headers, body = fetch(web, "/")
    assert (status, headers["Content-Type"], body) == (200, "text/html; charset=utf-8", "<!doctype html><title>Hearth</title>")
    assert headers["Cache-Control"] == "no-cache"
    assert fetch(web, "/", {"If-None-Match": headers["ETag"]})[0] == 304
    status, headers, _ = fetch(web, "/assets/app-1a2b.js")
    assert (status, headers["Cache-Control"]) == (200, "public, max-age=31536000, immutable")


def test_deep_links_get_the_app_and_the_api_keeps_its_answers(web):
    assert fetch(web, "/homes/1/rooms/2")[2] == "<!doctype html><title>Hearth</title>"
    status, _, body = fetch(web, "/api/v1/users/me")
    assert status == 401 and json.loads(body)["error"]["code"] == "unauthenticated"
    status, _, body = fetch(web, "/api/v1/no-such-thing")
    assert status == 404 and json.loads(body)["error"]["code"] == "not_found"
    assert fetch(web, "/metrics")[0] == 200


def test_a_folder_without_the_app_is_a_clear_startup_error(tmp_path):
    r = subprocess.run([HEARTHD, "--server-data-dir", str(tmp_path / "data"), "--mqtt-tcp-port", "0",
                        "--mqtt-ws-port", "-1", "--http-port", "0", "--http-web-root", str(tmp_path)],
                       capture_output=True, text=True, timeout=10)
    assert r.returncode == 1
    assert "no index.html" in r.stderr
