"""People's accounts from the command line: `hearth user add` creates them in a data directory's
registry through the same service the API will use, with argon2id password hashes."""
import sqlite3
import subprocess

from harness import HEARTH, hearth


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
