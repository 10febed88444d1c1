#!/usr/bin/python3
"""Seeds at the limits of each fuzz target's input, written into a scratch corpus by
scripts/run-fuzzers beside the committed seeds (tests/fuzz/<target>/corpus).

The committed seeds are small and typical; these are the inputs a fuzzer finds last on its own
within a short run: numbers of hundreds of digits, words of thousands of letters, JSON nested
deeper than any reader allows, packets as large as the broker takes, and texts exactly as long as
the API allows. A seed of 330 nines is how "set the desk lamp brightness to 999…9" should have been
found before it ended hearthd (issue 15). Each target's -max_len (tests/fuzz/<target>/options)
covers the same limits.

Usage: limit_seeds.py TARGET DIR
"""
import json
import os
import struct
import sys

# The integration tests' MQTT encoder: one way to write packets by hand.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration"))
from raw_mqtt import packet, utf8, varint  # noqa: E402

MIB = 1 << 20          # the HTTP body limit and the broker's mqtt.max_packet_size
TEXT = 500             # the assistant's text limit (bytes)
NINES = "9" * 330      # beyond a double's range: std::stod threw std::out_of_range


def long_numbers():
    """Numbers as text: past a double's range, past its precision, underflowing, signed."""
    return {"nines": NINES, "nines_fraction": NINES + "." + NINES, "negative": "-" + NINES,
            "tiny": "0." + "0" * 400 + "1", "exponent": "1e999999", "negative_exponent": "-1e-999999",
            "int64_edge": "9223372036854775808", "uint64_edge": "18446744073709551616",
            "leading_zeros": "0" * 400 + "42"}


def deep(n, open_="[", close="]"):
    return open_ * n + close * n


def connect_v5(client_id="c"):
    return packet(0x10, utf8("MQTT") + bytes([5, 0x02, 0, 60, 0]) + utf8(client_id))


def assistant_sentences():
    """Sentences of at most TEXT bytes that reach the number reader's corners."""
    lead = "set the desk lamp brightness to "
    out = {
        "digits_330": lead + NINES,
        "digits_at_limit": lead + "9" * (TEXT - len(lead)),
        "fraction_at_limit": lead + "0." + "0" * (TEXT - len(lead) - 3) + "1",
        "share_digits": "百分之" + NINES,
        "below_zero_digits": "零下" + NINES,
        "chinese_positional": "九" * (TEXT // 3),
        "chinese_units": "九千" * (TEXT // 6),
        "chinese_fraction": "二十四点" + "零" * (TEXT // 3 - 5) + "一",
        "shares_50": "百分之5" * (TEXT // 10),
        "hundreds": "nine" + " hundred" * ((TEXT - 4) // 8),
        "point_zeros": "twenty point" + " zero" * ((TEXT - 17) // 5) + " one",
        "long_word": "a" * TEXT,
        "long_words": ("supercalifragilistic" * 5 + " ") * (TEXT // 101),
        "full_width": "把台灯调到" + "９" * ((TEXT - 15) // 3),
    }
    return {k: v.encode()[:TEXT] for k, v in out.items()}


def big_home(devices=300):
    home = {"language": "en",
            "rooms": [{"id": f"r{i}", "name": f"Room {i}", "aliases": ["房间" * 50]} for i in range(50)],
            "devices": [{"id": str(i), "name": "Lamp " + "x" * (i % 40), "room": f"r{i % 50}", "type": "light",
                         "state": "on"} for i in range(devices)],
            "scenes": [{"id": "s", "name": "Scene " + NINES}]}
    return json.dumps(home, ensure_ascii=False).encode()


def api_body():
    seeds = {f"number_{k}": ('{"email":"a@b.co","password":"p","until_ms":' + v + "}").encode()
             for k, v in long_numbers().items()}
    seeds["deep_array"] = deep(MIB // 2).encode()
    seeds["deep_object"] = ('{"a":' * 100_000 + "1" + "}" * 100_000).encode()
    seeds["long_string"] = b'{"email":"' + b"a" * (MIB - 32) + b'","password":"p"}'
    seeds["many_members"] = json.dumps({f"m{i}": i for i in range(5_000)}).encode()
    seeds["miot_many_params"] = json.dumps(
        {"params": [{"did": "1" * 64, "siid": 2**32, "piid": 2**64, "value": 1e308} for _ in range(1_000)]}).encode()
    return seeds


def device_message():
    seeds = {f"id_{k}": ('{"id":' + v + ',"method":"properties_changed","params":[]}').encode()
             for k, v in long_numbers().items()}
    seeds.update({f"value_{k}": ('{"id":1,"method":"properties_changed","params":[{"siid":2,"piid":2,"value":' + v
                                 + "}]}").encode() for k, v in long_numbers().items()})
    seeds["deep_params"] = (b'{"id":1,"method":"properties_changed","params":' + deep(MIB // 4).encode() + b"}")
    seeds["many_items"] = json.dumps({"id": 1, "method": "properties_changed",
                                      "params": [{"siid": 2, "piid": 2, "value": i} for i in range(2_000)]}).encode()
    seeds["long_string_value"] = (b'{"id":1,"method":"properties_changed","params":[{"siid":2,"piid":6,"value":"'
                                  + b"x" * (MIB - 100) + b'"}]}')
    seeds["event_deep_arguments"] = (b'{"id":1,"method":"event_occured","params":{"siid":2,"eiid":1,"arguments":'
                                     + deep(10_000).encode() + b"}}")
    return seeds


def mqtt_codec():
    """Selector byte (0: MQTT 3.1.1, 1: 5.0, 2: CONNECT first), then the stream. Few seeds are
    as large as the limit: each execution of one costs a thousand of the small ones."""
    seeds = {}
    topic = utf8("t/" + "x" * 100)
    for selector, name in ((0, "v311"), (1, "v5")):
        props = b"\x00" if selector == 1 else b""
        header = 1 + 4  # first byte + a four-byte remaining length
        payload = b"p" * (MIB - header - len(topic) - len(props))
        if selector == 1:
            seeds[f"{name}_publish_at_limit"] = bytes([selector]) + packet(0x30, topic + props + payload)
        else:
            seeds[f"{name}_publish_over_limit"] = bytes([selector]) + packet(0x30, topic + props + payload + b"p")
        seeds[f"{name}_remaining_length_max"] = bytes([selector, 0x30, 0xFF, 0xFF, 0xFF, 0x7F])
        seeds[f"{name}_subscribe_longest_filter"] = bytes([selector]) + packet(
            0x82, b"\x00\x01" + props + utf8("a/" * 32_767 + "#") + b"\x01")
        seeds[f"{name}_subscribe_many_filters"] = bytes([selector]) + packet(
            0x82, b"\x00\x01" + props + (utf8("a/+") + b"\x01") * 2_000)
    user_props = b"".join(b"\x26" + utf8("k" * 100) + utf8("v" * 100) for _ in range(300))
    seeds["v5_publish_many_user_properties"] = b"\x01" + packet(0x30, topic + varint(len(user_props)) + user_props)
    long = "c" * 65_535
    seeds["connect_longest_fields"] = b"\x02" + packet(
        0x10, utf8("MQTT") + bytes([5, 0xC2, 0xFF, 0xFF, 0]) + utf8(long) + utf8(long) + utf8(long))
    seeds["connect_then_pings"] = b"\x02" + connect_v5() + b"\xc0\x00" * 1_000
    return seeds


def spec_instance():
    prop = {"iid": 1, "type": "urn:miot-spec-v2:property:on:00000006", "description": "On", "format": "int64",
            "access": ["read", "write", "notify"], "value-range": [-9223372036854775808, 9223372036854775807, 1]}
    service = {"iid": 2, "type": "urn:miot-spec-v2:service:switch:0000780C", "description": "Switch",
               "properties": [dict(prop, iid=i) for i in range(1, 300)]}
    instance = {"type": "urn:miot-spec-v2:device:outlet:0000A002:acme-p1:1", "description": "D" * 10_000,
                "services": [dict(service, iid=i) for i in range(2, 4)]}
    seeds = {"many_properties": json.dumps(instance).encode(),
             "deep": ('{"type":"x","services":' + deep(10_000) + "}").encode()}
    for k, v in long_numbers().items():
        seeds[f"range_{k}"] = json.dumps(dict(instance, services=[dict(service, properties=[prop])])).replace(
            "9223372036854775807", v).encode()
    return seeds


def spec_value():
    seeds = {}
    for selector in range(0, 256, 37):
        for k, v in long_numbers().items():
            seeds[f"s{selector}_{k}"] = bytes([selector]) + v.encode()
    for selector in (15, 24):  # the string property (iid 6) and the action's arguments
        seeds[f"s{selector}_long_string"] = bytes([selector]) + b'"' + b"x" * (MIB - 3) + b'"'
        seeds[f"s{selector}_deep"] = bytes([selector]) + deep(10_000).encode()
        seeds[f"s{selector}_many"] = bytes([selector]) + json.dumps(list(range(10_000))).encode()
    return seeds


def wav(rate, channels, bits, frames, fmt_tag=1, claimed=None):
    data_size = frames * channels * bits // 8
    fmt = struct.pack("<HHIIHH", fmt_tag, channels, rate, (rate * channels * bits // 8) & 0xFFFFFFFF,
                      (channels * bits // 8) & 0xFFFF, bits)
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt
    body += b"data" + struct.pack("<I", claimed if claimed is not None else data_size) + b"\x01" * data_size
    return b"RIFF" + struct.pack("<I", len(body)) + body


def assistant_wav():
    return {"body_limit_48k_stereo_float": wav(48_000, 2, 32, (MIB - 100) // 8, fmt_tag=3),
            "longest_16k_mono": wav(16_000, 1, 16, 16_000 * 30),
            "longer_than_allowed_8k": wav(8_000, 1, 8, 8_000 * 31),
            "claims_4_gib": wav(16_000, 1, 16, 10, claimed=0xFFFFFFFF),
            "rate_max": wav(0xFFFFFFFF, 1, 16, 100),
            "channels_max": wav(16_000, 0xFFFF, 16, 1)}


def assistant_numbers():
    seeds = assistant_sentences()
    # The reader also serves `hearth assistant parse`, which has no 500-byte limit.
    seeds["digits_4k"] = b"9" * 4096
    seeds["shares_4k"] = "百分之5".encode() * 409
    return seeds


def assistant_interpreter():
    seeds = assistant_sentences()
    seeds["home_big"] = big_home()
    seeds["home_deep"] = ('{"rooms":' + deep(10_000) + "}").encode()
    seeds["home_long_name"] = json.dumps({"devices": [{"id": "1", "name": "L" * 10_000, "type": "light"}]}).encode()
    return seeds


TARGETS = {"api_body": api_body, "device_message": device_message, "mqtt_codec": mqtt_codec,
           "spec_instance": spec_instance, "spec_value": spec_value, "assistant_wav": assistant_wav,
           "assistant_numbers": assistant_numbers, "assistant_interpreter": assistant_interpreter}


def main():
    target, out = sys.argv[1], sys.argv[2]
    if target not in TARGETS:
        sys.exit(f"limit_seeds.py: no seeds for target {target!r}: add them here")
    for name, data in TARGETS[target]().items():
        with open(f"{out}/limit_{name}", "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
