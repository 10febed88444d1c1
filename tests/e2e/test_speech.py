"""The assistant's speech on the `make run` demo home, short form of speech_eval.py (whose full
figures are in docs/assistant.md): espeak-ng says 20 commands, the speech route hears them, and
they must mean what their text means; the voice route speaks both languages; Chinese speech and
bad audio are refused with a reason."""
import json
import tempfile

import pytest

from speech_eval import COMMANDS, evaluate
from test_demo import Demo, api, post


@pytest.fixture(scope="module")
def demo():
    with tempfile.TemporaryDirectory() as data:
        d = Demo(data + "/var")
        _, tokens = post(d.http, "/api/v1/auth/login", {"email": "demo@hearth.local", "password": "hearth-demo"}, "")
        d.token = tokens["access_token"]
        d.home = api(d.http, "/api/v1/homes", d.token)["homes"][0]["id"]
        yield d
        d.stop()


def test_spoken_commands_mean_what_their_text_means(demo):
    r = evaluate(demo, demo.token, demo.home, [("en-us", 160)], COMMANDS[:20])
    print(r)
    assert r["same"] >= 18, r


def test_the_voice_speaks_english_and_chinese(demo):
    import urllib.request
    for text in ("Turned on Desk Lamp.", "已打开台灯。"):
        req = urllib.request.Request(f"http://127.0.0.1:{demo.http}/api/v1/assistant/voice", method="POST",
                                     data=json.dumps({"text": text}).encode(),
                                     headers={"Content-Type": "application/json", "Authorization": f"Bearer {demo.token}"})
        with urllib.request.urlopen(req, timeout=30) as r:
            assert r.headers["Content-Type"] == "audio/wav"
            wav = r.read()
        assert wav[:4] == b"RIFF" and len(wav) > 20000


def test_what_cannot_be_heard_is_refused_with_a_reason(demo):
    path = f"/api/v1/homes/{demo.home}/assistant/speech"
    status, body = post(demo.http, path, b"not a wav file", demo.token, "audio/wav")
    assert status == 400 and "RIFF" in body["error"]["message"]
    status, body = post(demo.http, path + "?language=zh", b"RIFF", demo.token, "audio/wav")
    assert status == 501 and "English only" in body["error"]["message"]
    status, body = post(demo.http, path + "?dry_run=maybe", b"RIFF", demo.token, "audio/wav")
    assert status == 400
