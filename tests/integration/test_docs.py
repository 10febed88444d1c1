"""docs/configuration.md lists exactly the options hearthd has, as hearthd prints them."""
import os
import re
import subprocess

from harness import HEARTHD

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")


def test_configuration_reference_is_current():
    generated = subprocess.run([HEARTHD, "--print-config-reference"], capture_output=True, text=True,
                               check=True).stdout
    with open(os.path.join(ROOT, "docs", "configuration.md")) as f:
        doc = f.read()
    m = re.search(r"<!-- BEGIN OPTIONS.*?-->\n(.*)<!-- END OPTIONS -->", doc, re.S)
    assert m, "docs/configuration.md lacks the generated options block"
    assert m.group(1).strip() == generated.strip(), \
        "docs/configuration.md is stale: run scripts/update-config-doc"


def test_example_config_loads():
    r = subprocess.run([HEARTHD, "--config", os.path.join(ROOT, "etc", "hearthd.toml"), "--check-config"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


def test_bad_config_is_a_clear_startup_error(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[mqtt]\ntcp_prot = 1\n")
    r = subprocess.run([HEARTHD, "--config", str(bad)], capture_output=True, text=True, timeout=10)
    assert r.returncode == 2
    assert "unknown option 'mqtt.tcp_prot'" in r.stderr
