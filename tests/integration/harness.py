"""Starts a real hearthd for integration tests: port 0, a temporary data directory, real clients.

The binary comes from the HEARTHD environment variable (ctest sets it). Every test gets its own
server, so tests are hermetic and can run in parallel.
"""
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request

HEARTHD = os.environ.get("HEARTHD", "build/asan/apps/hearthd/hearthd")
HEARTH = os.environ.get("HEARTH", "build/asan/apps/hearth/hearth")


# The MQTT user of `Hearthd(operator=True)`: verified by a password file and, with no ACL file,
# allowed every topic, device/ included (an operator's monitoring client).
OPERATOR = ("ops", "operator-password")


class Hearthd:
    """anonymous=True opts in to MQTT clients without credentials (auth.allow_anonymous), for tests
    of the broker itself; they still get nothing under device/. operator=True adds a password file
    with the OPERATOR user, for tests that watch device traffic (operator_client())."""

    def __init__(self, *extra_args, data_dir=None, anonymous=False, operator=False):
        self.extra_args = list(extra_args)
        self.owns_dir = data_dir is None
        self.data_dir = data_dir or tempfile.mkdtemp(prefix="hearth-it-")
        if anonymous:
            self.extra_args += ["--auth-allow-anonymous", "true"]
        if operator:
            passwd = os.path.join(self.data_dir, "mqtt-passwd")
            r = subprocess.run([HEARTH, "passwd", passwd, OPERATOR[0], "--password", OPERATOR[1]],
                               capture_output=True, text=True, timeout=60)
            assert r.returncode == 0, r.stderr
            self.extra_args += ["--auth-password-file", passwd]
        self.proc = None
        self.ports = {}
        self.log_path = os.path.join(self.data_dir, "hearthd.log")

    def start(self):
        log = open(self.log_path, "ab")
        args = [HEARTHD, "--print-ports", "--server-data-dir", self.data_dir,
                "--server-threads", "2", "--log-level", "debug"]
        # Listeners on by default would collide on their fixed ports between parallel tests. A
        # test that restarts hearthd under clients that reconnect gives a fixed (free) port.
        for flag in ("--mqtt-tcp-port", "--mqtt-ws-port", "--http-port"):
            if flag not in self.extra_args:
                args += [flag, "0"]
        self.proc = subprocess.Popen(args + self.extra_args, stdout=subprocess.PIPE, stderr=log)
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError("hearthd exited before listening:\n" + self.log())
        self.ports = json.loads(line)
        return self

    @property
    def port(self):
        return self.ports["mqtt-tcp"]

    def log(self):
        with open(self.log_path, "rb") as f:
            return f.read().decode(errors="replace")

    def stop(self, sig=signal.SIGTERM, timeout=10):
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            rc = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rc = self.proc.wait()
        self.proc = None
        return rc

    def restart(self):
        self.stop()
        return self.start()

    def cleanup(self):
        self.stop()
        if self.owns_dir:
            shutil.rmtree(self.data_dir, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.cleanup()


def wait_for(predicate, timeout=5.0, interval=0.02):
    """Polls until predicate() is truthy; returns its value, or the last one after timeout."""
    deadline = time.monotonic() + timeout
    value = predicate()
    while not value and time.monotonic() < deadline:
        time.sleep(interval)
        value = predicate()
    return value


def run(cmd, timeout=10, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, **kw)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(port, path):
    """GET from hearthd's HTTP listener: (status, content type, body)."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as r:
        return r.status, r.headers["Content-Type"], r.read().decode()


def metrics(b):
    """hearthd's Prometheus counters as {'name{labels}': value}."""
    status, content_type, text = http_get(b.ports["http"], "/metrics")
    assert status == 200 and content_type == "text/plain; version=0.0.4"
    return {name: int(value) for name, value in
            (line.rsplit(" ", 1) for line in text.splitlines() if line and not line.startswith("#"))}


def wait_metric(b, name, predicate, timeout=10.0):
    """Waits until predicate(value of hearthd's metric `name`) holds; returns the value."""
    value = wait_for(lambda: (lambda v: v if predicate(v) else None)(metrics(b).get(name, 0)), timeout=timeout)
    assert value is not None, f"{name} never reached the expected value: {metrics(b).get(name)}"
    return value


def mosquitto_sub(b, *args):
    """Starts Debian's mosquitto_sub and returns once hearthd holds its subscriptions.

    mosquitto_sub does not say when its SUBACK came; hearthd's subscription gauge does."""
    before = metrics(b)["hearth_mqtt_subscriptions"]
    p = subprocess.Popen(["mosquitto_sub", *args],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wait_for(lambda: p.poll() is not None or metrics(b)["hearth_mqtt_subscriptions"] > before, timeout=10)
    assert p.poll() is None, p.communicate()
    return p


def hearth(*args, data_dir):
    """Runs the hearth command-line tool on a data directory."""
    return subprocess.run([HEARTH, *args, "--data-dir", data_dir], capture_output=True, text=True, timeout=60)


def import_products(b, folder, *specs):
    """Writes spec instances into `folder` and registers them as products in b's registry."""
    folder.mkdir(exist_ok=True)
    for i, spec in enumerate(specs):
        (folder / f"product{i}.json").write_text(json.dumps(spec))
    r = hearth("spec", "import", str(folder), data_dir=b.data_dir)
    assert r.returncode == 0, r.stdout + r.stderr


def add_devices(b, product, count=1):
    """Registers devices while hearthd runs (it reads the registry at each CONNECT); returns
    their credentials as `hearth device add` prints them."""
    r = hearth("device", "add", "--product", product, "--count", str(count), data_dir=b.data_dir)
    assert r.returncode == 0, r.stderr
    devices = json.loads(r.stdout)
    assert len(devices) == count
    return devices


def make_pki(d):
    """A throwaway CA and a server (localhost, 127.0.0.1) and client certificate in folder d, made
    with the openssl CLI; returns their paths by name."""
    def openssl(*args):
        r = run(["openssl", *args], cwd=d)
        assert r.returncode == 0, r.stderr

    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    openssl("req", "-x509", *ec, "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=Hearth Test CA")
    exts = {"server": "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n",
            "client": "extendedKeyUsage=clientAuth\n"}
    for name, ext in exts.items():
        with open(os.path.join(d, name + ".ext"), "w") as f:
            f.write(ext)
        openssl("req", *ec, "-keyout", name + ".key", "-out", name + ".csr", "-subj", "/CN=" + name)
        openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", name + ".pem", "-days", "2", "-extfile", name + ".ext")
    return {n: os.path.join(d, n) for n in ("ca.pem", "server.pem", "server.key", "client.pem", "client.key")}
