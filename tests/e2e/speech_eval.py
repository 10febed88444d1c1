#!/usr/bin/env python3
"""The assistant's speech on the `make run` demo home: espeak-ng says each command of
speech_commands.txt (50, in the demo's own names) to a 16 kHz WAV, which goes to
POST /api/v1/homes/{id}/assistant/speech?dry_run=1; the text goes to .../assistant with
dry_run. A command counts when both reach the same interpretation (intent, targets, property,
value, action). Prints each miss, the share reached, the word accuracy of what was heard and the
real-time factor (decoding time over audio time).

    python3 tests/e2e/speech_eval.py [--build-dir build/release] [--voices en-us:160,en-us:175] [--limit N]
"""
import argparse
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import test_demo  # noqa: E402
from test_demo import Demo, api, post  # noqa: E402

COMMANDS = [l.strip() for l in open(os.path.join(HERE, "speech_commands.txt")) if l.strip()]


def render(text, voice, speed, path):
    """espeak-ng's WAV (22050 Hz); hearthd brings it to 16 kHz as it would a browser's 48 kHz."""
    subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-w", path, text], check=True)
    return open(path, "rb").read()


def meaning(interpretation):
    return {k: interpretation.get(k) for k in ("intent", "targets", "property", "value", "action")}


def word_errors(said, heard):
    """Levenshtein distance over words, and the number of words said."""
    a, b = said.split(), heard.split()
    d = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        prev, d[0] = d[0], i
        for j in range(1, len(b) + 1):
            prev, d[j] = d[j], min(d[j] + 1, d[j - 1] + 1, prev + (a[i - 1] != b[j - 1]))
    return d[len(b)], len(a)


def evaluate(demo, token, home, voices, commands, log=print):
    same = total = errors = words = 0
    audio = decode = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for voice, speed in voices:
            for text in commands:
                wav = render(text, voice, speed, os.path.join(tmp, "c.wav"))
                status, heard = post(demo.http, f"/api/v1/homes/{home}/assistant/speech?dry_run=1", wav, token, "audio/wav")
                assert status == 200, heard
                _, typed = post(demo.http, f"/api/v1/homes/{home}/assistant", {"text": text, "dry_run": True}, token)
                total += 1
                e, n = word_errors(text, heard["heard"])
                errors, words = errors + e, words + n
                audio += heard["speech"]["audio_seconds"]
                decode += heard["speech"]["decode_seconds"]
                if meaning(heard["interpretation"]) == meaning(typed["interpretation"]):
                    same += 1
                else:
                    log(f"  miss ({voice} {speed}): said {text!r}, heard {heard['heard']!r}")
    return {"same": same, "total": total, "word_accuracy": 1 - errors / max(1, words),
            "rtf": decode / max(1e-9, audio), "audio_seconds": audio}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build-dir", default=os.path.join(HERE, "..", "..", "build", "release"))
    ap.add_argument("--voices", default="en-us:160,en-us:175,en:160")
    ap.add_argument("--limit", type=int, default=len(COMMANDS))
    a = ap.parse_args()
    test_demo.BUILD = os.path.abspath(a.build_dir)
    voices = [(v.split(":")[0], int(v.split(":")[1])) for v in a.voices.split(",")]
    with tempfile.TemporaryDirectory() as data:
        demo = Demo(os.path.join(data, "var"))
        try:
            _, tokens = post(demo.http, "/api/v1/auth/login", {"email": "demo@hearth.local", "password": "hearth-demo"}, "")
            token = tokens["access_token"]
            home = api(demo.http, "/api/v1/homes", token)["homes"][0]["id"]
            for voice, speed in voices:
                r = evaluate(demo, token, home, [(voice, speed)], COMMANDS[:a.limit])
                print(f"speech, espeak-ng {voice} at {speed} wpm: {r['same']}/{r['total']} interpretations as from "
                      f"the text ({100 * r['same'] / r['total']:.0f} %), word accuracy {100 * r['word_accuracy']:.1f} %, "
                      f"real-time factor {r['rtf']:.3f} ({r['audio_seconds']:.0f} s of audio)")
        finally:
            demo.stop()


if __name__ == "__main__":
    main()
