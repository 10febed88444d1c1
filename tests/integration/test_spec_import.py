"""`hearth spec import`: the real CLI loading spec folders into a data directory's SQLite registry.

Checks what a maker or operator relies on: every valid instance of the shared corpus lands in the
registry, invalid ones are refused with their reason, a second import changes nothing, and a new
version is accepted only as a compatible upgrade.
"""
import json
import os
import re
import sqlite3
import subprocess

import pytest

from harness import HEARTH

SPECS = os.environ.get("HEARTH_SPECS_DIR", os.path.join(os.path.dirname(__file__), "..", "data", "specs"))

SUMMARY = re.compile(r"(\d+) files from .* in [\d.]+ s: (\d+) added, (\d+) upgraded, (\d+) unchanged, (\d+) refused")


def run_import(folder, data_dir):
    proc = subprocess.run([HEARTH, "spec", "import", str(folder), "--data-dir", str(data_dir)],
                          capture_output=True, text=True, timeout=300)
    match = SUMMARY.search(proc.stdout)
    assert match, proc.stdout + proc.stderr
    files, added, upgraded, unchanged, refused = map(int, match.groups())
    return proc, dict(files=files, added=added, upgraded=upgraded, unchanged=unchanged, refused=refused)


def registry_rows(data_dir):
    with sqlite3.connect(os.path.join(data_dir, "registry.sqlite3")) as db:
        return db.execute("SELECT model, version, device_type FROM product_versions ORDER BY model, version").fetchall()


def light(version, with_brightness):
    suffix = f"acme-bulb:{version}"
    props = [{"iid": 1, "type": f"urn:miot-spec-v2:property:on:00000006:{suffix}", "description": "Switch",
              "format": "bool", "access": ["read", "write", "notify"]}]
    if with_brightness:
        props.append({"iid": 2, "type": f"urn:miot-spec-v2:property:brightness:0000000D:{suffix}",
                      "description": "Brightness", "format": "uint8", "access": ["read", "write", "notify"],
                      "unit": "percentage", "value-range": [1, 100, 1]})
    return {"type": f"urn:miot-spec-v2:device:light:0000A001:{suffix}", "description": "Bulb", "services": [
        {"iid": 1, "type": f"urn:miot-spec-v2:service:device-information:00007801:{suffix}",
         "description": "Info", "properties": [
             {"iid": 1, "type": f"urn:miot-spec-v2:property:manufacturer:00000001:{suffix}",
              "description": "Maker", "format": "string", "access": ["read"]}]},
        {"iid": 2, "type": f"urn:miot-spec-v2:service:light:00007802:{suffix}", "description": "Light",
         "properties": props}]}


@pytest.mark.skipif(not os.path.isdir(SPECS), reason="shared spec corpus not found")
def test_corpus_imports_and_reimport_changes_nothing(tmp_path):
    instances = os.path.join(SPECS, "xiot", "instance")
    proc, first = run_import(instances, tmp_path)
    assert first["files"] == 613
    # Every file either lands or is refused with a reason; the corpus has invalid real specs.
    assert first["added"] + first["refused"] == 613
    assert first["added"] > 550
    assert proc.returncode == 1  # some files were refused
    refused = [line for line in proc.stdout.splitlines() if line.startswith("  ") and ".json: " in line]
    assert len(refused) == first["refused"]
    assert all("access is empty" in line or "not a valid spec" in line or "vendor and product" in line
               for line in refused), refused
    rows = registry_rows(tmp_path)
    assert len(rows) == first["added"]
    assert ("philips.light.moonlight", 1, "light") in rows
    assert ("chuangmi.outlet.m1", 1, "outlet") in rows
    assert re.search(r"^  light +\d+$", proc.stdout, re.M), proc.stdout

    proc, second = run_import(instances, tmp_path)
    assert second["added"] == 0 and second["upgraded"] == 0
    assert second["unchanged"] == first["added"]
    assert second["refused"] == first["refused"]
    assert registry_rows(tmp_path) == rows


def test_versions_import_in_order_and_must_be_compatible(tmp_path):
    specs = tmp_path / "specs"
    specs.mkdir()
    data = tmp_path / "data"
    # Version 2 adds brightness; its file sorts before version 1's, and the import still
    # registers 1 before 2.
    (specs / "a-v2.json").write_text(json.dumps(light(2, True)))
    (specs / "b-v1.json").write_text(json.dumps(light(1, False)))
    proc, result = run_import(specs, data)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (result["added"], result["upgraded"], result["refused"]) == (1, 1, 0)
    assert registry_rows(data) == [("acme.light.bulb", 1, "light"), ("acme.light.bulb", 2, "light")]

    # Version 3 drops brightness: refused, and the registry keeps 1 and 2.
    (specs / "c-v3.json").write_text(json.dumps(light(3, False)))
    (specs / "d-broken.json").write_text('{"type": "urn:miot-spec-v2:device:light:0000A001:acme-bulb:4", "services": [')
    proc, result = run_import(specs, data)
    assert proc.returncode == 1
    assert (result["unchanged"], result["refused"]) == (2, 2)
    assert "c-v3.json: acme.light.bulb version 3 is not a compatible upgrade of version 2" in proc.stdout
    assert "d-broken.json: " in proc.stdout
    assert registry_rows(data) == [("acme.light.bulb", 1, "light"), ("acme.light.bulb", 2, "light")]


def test_unreadable_folder_is_an_error(tmp_path):
    proc = subprocess.run([HEARTH, "spec", "import", str(tmp_path / "missing"), "--data-dir", str(tmp_path)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert "missing" in proc.stderr


def test_a_product_gets_its_own_retention_period_and_back_the_default(tmp_path):
    folder = tmp_path / "specs"
    folder.mkdir()
    (folder / "bulb.json").write_text(json.dumps(light(1, False)))
    assert run_import(folder, tmp_path / "var")[0].returncode == 0

    def retention(*args):
        return subprocess.run([HEARTH, "spec", "retention", *args, "--data-dir", str(tmp_path / "var")],
                              capture_output=True, text=True, timeout=60)

    assert retention("acme.light.bulb").stdout == "acme.light.bulb  default (history.retention_days)\n"
    assert retention("acme.light.bulb", "365").returncode == 0
    assert retention().stdout == "acme.light.bulb  365 days\n"
    assert retention("acme.light.bulb", "0").returncode == 0
    assert retention("acme.light.bulb").stdout == "acme.light.bulb  keep everything\n"
    for bad in ("36501", "ten", "1.5"):
        r = retention("acme.light.bulb", bad)
        assert r.returncode == 1 and "DAYS must be" in r.stderr
    r = retention("acme.light.nothing", "5")
    assert r.returncode == 1 and "no product acme.light.nothing" in r.stderr
    assert retention("acme.light.bulb", "default").returncode == 0
    assert retention().stdout == ""
