#!/usr/bin/env python3
"""Scores an assistant command line on a development set (tests/data/nlu).

The contract, shared with every scorer of Hearth's assistant:
  The assistant runs once per set as  CMD --home HOME.json  and reads JSON lines on stdin,
  {"text": "...", "room": "<room id>"?} (room: where the speaker is, when known), and writes one
  JSON line per input line, in order:
    {"intent": "turn_on" | "turn_off" | "set" | "adjust" | "query" | "action" | "scene" | "unknown",
     "targets": ["<device or scene id>", ...], "property": "<name>" | null,
     "value": <number | string | null>, "action": "<name>" | null, "response": "<text>"}
  HOME.json is built from the set's fixtures:
    {"language", "floors": [{"id", "name"}], "rooms": [{"id", "name", "floor"}],
     "devices": [{"id", "name", "room", "type", "class", "state"}], "scenes": [{"id", "name"}]}
  where "type" is the MIoT device type for Home Assistant's domain and "class" its device class.
  A sentence is right when the intent matches, the set of targets equals one of the expected sets,
  and property/value/action match where the expected meaning has them. Intents outside a device
  platform's core (timers, lists, weather, time, media search, broadcast) are counted apart.

Usage: python3 tests/assistant/score.py --set en|zh-cn|PATH.jsonl [--fixtures F] --cmd "hearth assistant parse" [--show N]
The last line is "accuracy: RIGHT/TOTAL = P%"; the exit status is 2 when the assistant failed.
"""
import argparse
import itertools
import json
import os
import shlex
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "nlu")
SETS = {"en": ("en.jsonl", "en.fixtures.json"), "zh-cn": ("zh-cn.dev.jsonl", "zh-cn.fixtures.json")}
DEVICE_TYPE = {"light": "light", "switch": "switch", "fan": "fan", "cover": "curtain", "climate": "air-conditioner",
               "lock": "lock", "media_player": "speaker", "vacuum": "vacuum", "valve": "valve", "sensor": "sensor",
               "binary_sensor": "binary-sensor"}
ACTIONS = {"HassVacuumStart": "start", "HassVacuumReturnToBase": "dock", "HassMediaPause": "pause",
           "HassMediaUnpause": "resume", "HassMediaNext": "next", "HassMediaPrevious": "previous"}
SCORED = {"HassTurnOn", "HassTurnOff", "HassLightSet", "HassClimateSetTemperature", "HassClimateGetTemperature",
          "HassGetState", "HassSetPosition", "HassSetVolume", *ACTIONS}
# Slot → the property a "set" names.
SET_SLOTS = (("brightness", "brightness"), ("color", "color"), ("temperature", "target-temperature"),
             ("position", "position"), ("volume_level", "volume"))


def fold(text):
    """Compares names as people write them: case, spaces and the fixtures' [optional] brackets ignored."""
    return "".join(ch for ch in str(text).lower() if not ch.isspace() and ch not in "[]")


def alternatives(value):
    """A slot's value, or each of a list of acceptable values."""
    return value if isinstance(value, list) else [value]


class Fixtures:
    def __init__(self, fx):
        self.fx = fx
        self.areas = fx.get("areas") or []
        self.floor_of_area = {a["id"]: a.get("floor") for a in self.areas}
        self.floor_named = {fold(f["name"]): f["id"] for f in fx.get("floors") or []}

    def area(self, said):
        """The area a slot or context names, by name or by id ("Living Room" also means living_room_id)."""
        if said is None:
            return None
        for a in self.areas:
            if fold(a["name"]) == fold(said) or fold(a["id"]).replace("_", "") == fold(said).replace("_", ""):
                return a["id"]
        return None

    def home(self):
        devices, scenes = [], []
        for e in self.fx["entities"]:
            if e["domain"] in ("scene", "script"):
                scenes.append({"id": e["id"], "name": e["name"]})
            elif e["domain"] in DEVICE_TYPE:
                devices.append({"id": e["id"], "name": e["name"].replace("[", "").replace("]", ""),
                                "room": e.get("area"), "type": DEVICE_TYPE[e["domain"]],
                                "class": (e.get("attributes") or {}).get("device_class"), "state": e.get("state_out")})
        return {"language": self.fx.get("language"),
                "floors": [{"id": f["id"], "name": f["name"]} for f in self.fx.get("floors") or []],
                "rooms": [{"id": a["id"], "name": a["name"], "floor": a.get("floor")} for a in self.areas],
                "devices": devices, "scenes": scenes}

    def selected(self, name, domain, device_class, area, floor):
        """The entities one combination of slot values selects."""
        out = []
        for e in self.fx["entities"]:
            if name is not None and fold(e["name"]) != fold(name):
                continue
            if domain is not None and e["domain"] != domain:
                continue
            if device_class is not None and (e.get("attributes") or {}).get("device_class") != device_class:
                continue
            if area is not None and e.get("area") != self.area(area):
                continue
            if floor is not None and self.floor_of_area.get(e.get("area")) != self.floor_named.get(fold(floor)):
                continue
            out.append(e)
        return out

    def target_sets(self, slots, speaker_area):
        """Every set of entity ids the slots may mean; "all" as a name means no name."""
        names = [None if n == "all" else n for n in alternatives(slots.get("name"))]
        sets = []
        for name, area, floor, domain, cls in itertools.product(
                names, alternatives(slots.get("area")), alternatives(slots.get("floor")),
                alternatives(slots.get("domain")), alternatives(slots.get("device_class"))):
            picked = self.selected(name, domain, cls, area, floor)
            # Nothing placed the command: the speaker's room narrows it, where it holds any.
            if name is None and area is None and floor is None and speaker_area:
                here = [e for e in picked if e.get("area") == self.area(speaker_area)]
                picked = here or picked
            sets.append(frozenset(e["id"] for e in picked))
        return sets

    def meaning(self, row):
        intent, slots = row["intent"], row.get("slots") or {}
        speaker_area = (row.get("context") or {}).get("area")
        m = {"targets": self.target_sets(slots, speaker_area)}
        if intent == "HassTurnOn":
            scene = any(d in ("scene", "script") for d in alternatives(slots.get("domain")) if d)
            m["intent"] = "scene" if scene else "turn_on"
        elif intent == "HassTurnOff":
            m["intent"] = "turn_off"
        elif intent in ("HassGetState", "HassClimateGetTemperature"):
            m["intent"] = "query"
        elif intent in ACTIONS:
            m["intent"], m["action"] = "action", ACTIONS[intent]
        else:
            m["intent"] = "set"
            for slot, prop in SET_SLOTS:
                if slot in slots:
                    m["property"], m["value"] = prop, slots[slot]
        # A temperature asked or set without naming a device may mean the thermostats of the place.
        if intent in ("HassClimateGetTemperature", "HassClimateSetTemperature") and not slots.get("name") \
                and not slots.get("domain"):
            area = slots.get("area")
            m["targets"].insert(0, frozenset(e["id"] for e in self.fx["entities"] if e["domain"] == "climate"
                                             and (not area or e.get("area") == self.area(area))))
        return m


def equal_values(a, b):
    try:
        return abs(float(a) - float(b)) < 1e-6
    except (TypeError, ValueError):
        return fold(a) == fold(b)


def mismatch(out, m):
    """Why an answer is wrong ("intent", "targets", "value", "action"), or None when it is right."""
    if out.get("intent") != m["intent"]:
        return "intent"
    if frozenset(out.get("targets") or []) not in m["targets"]:
        return "targets"
    if "property" in m and (out.get("property") != m["property"] or
                            not any(equal_values(out.get("value"), v) for v in alternatives(m["value"]))):
        return "value"
    if "action" in m and out.get("action") != m["action"]:
        return "action"
    return None


def resolve(path):
    return path if os.path.isabs(path) or os.path.exists(path) else os.path.join(DATA, path)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", default="en", help="en | zh-cn, or a .jsonl path (with --fixtures)")
    ap.add_argument("--fixtures", help="the fixtures JSON of a --set given as a path")
    ap.add_argument("--cmd", required=True, help="the assistant's command line; --home HOME.json is appended")
    ap.add_argument("--show", type=int, default=10, help="how many failures to print")
    a = ap.parse_args()
    data, fixtures = SETS.get(a.set, (a.set, a.fixtures))
    if fixtures is None:
        ap.error("--fixtures is needed with a --set given as a path")
    with open(resolve(fixtures), encoding="utf-8") as f:
        fx = Fixtures(json.load(f))
    with open(resolve(data), encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    # Slot combinations are generated variants, and expected failures are known gaps of the source.
    rows = [r for r in rows if r.get("format") != "slot_combination" and not r.get("expected_failure")]

    requests = []
    for r in rows:
        request = {"text": r["text"]}
        speaker = (r.get("context") or {}).get("area")
        if speaker:
            request["room"] = fx.area(speaker)
        requests.append(json.dumps(request, ensure_ascii=False))
    with tempfile.TemporaryDirectory() as tmp:
        home = os.path.join(tmp, "home.json")
        with open(home, "w", encoding="utf-8") as f:
            json.dump(fx.home(), f, ensure_ascii=False)
        started = time.perf_counter()
        p = subprocess.run(shlex.split(a.cmd) + ["--home", home], input="\n".join(requests) + "\n",
                           capture_output=True, text=True, encoding="utf-8")
        seconds = time.perf_counter() - started
    answers = [line for line in p.stdout.splitlines() if line.strip()]
    if p.returncode != 0 or len(answers) != len(rows):
        print(f"the assistant exited {p.returncode} and wrote {len(answers)} lines for {len(rows)} sentences")
        print(p.stderr[-2000:])
        sys.exit(2)

    tally, failures, unscored = defaultdict(Counter), [], Counter()
    for row, line in zip(rows, answers):
        if row["intent"] not in SCORED:
            unscored[row["intent"]] += 1
            continue
        try:
            out = json.loads(line)
        except json.JSONDecodeError:
            out = {}
        why = mismatch(out, fx.meaning(row))
        tally[row["intent"]]["wrong" if why else "right"] += 1
        if why:
            failures.append((why, row, out))
    right = sum(c["right"] for c in tally.values())
    total = sum(c["right"] + c["wrong"] for c in tally.values())
    for intent in sorted(tally):
        c = tally[intent]
        print(f"{intent:28s} {c['right']:4d}/{c['right'] + c['wrong']:<4d}")
    for why, row, out in failures[:a.show]:
        print(f"  [{why}] {row['text']!r} expected {row['intent']} {json.dumps(row.get('slots'), ensure_ascii=False)}"
              f" got {json.dumps(out, ensure_ascii=False)}")
    print(f"out of scope (not scored): {sum(unscored.values())} sentences, {len(unscored)} intents")
    print(f"{seconds * 1e6 / max(1, len(rows)):.0f} us per sentence, whole process")
    print(f"accuracy: {right}/{total} = {100.0 * right / max(1, total):.1f}%")


if __name__ == "__main__":
    main()
