"""Derive the compact Bot API schema used by the fake Telegram server in tests.

Reads ``../shared/telegram-bot-api/api.json`` (PaulSonOfLars/telegram-bot-api-spec, MIT) and
writes ``tests/fake_telegram/bot_api_schema.json``: for every method and type, each field's
types and whether it is required, plus the limits Telegram states in the field descriptions
(string lengths, array sizes, allowed characters, subtype discriminators, "required if ... is
not specified"). The output is deterministic, so a regenerated file only changes when the spec does.

Usage: python tools/derive_bot_api_schema.py [--source PATH] [--output PATH]
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = ROOT.parent / "shared" / "telegram-bot-api" / "api.json"
DEFAULT_OUTPUT = ROOT / "tests" / "fake_telegram" / "bot_api_schema.json"
SOURCE = "https://github.com/PaulSonOfLars/telegram-bot-api-spec/blob/main/api.json"
LICENSE = "MIT, Copyright (c) 2020 Paul Larsen, from PaulSonOfLars/telegram-bot-api-spec"

# "1-4096 characters", "0-1024 characters", "1-64 bytes" (also "1-64 Bytes").
LENGTH_RE = re.compile(r"\b(\d+)-(\d+) (characters|bytes)\b", re.IGNORECASE)
# "A JSON-serialized list of 1-100 identifiers"; "ISO 3166-1" is a standard, not a count.
ITEMS_RE = re.compile(r"(?<!ISO )\b(\d+)-(\d+)\b(?! characters| bytes)", re.IGNORECASE)
AT_MOST_RE = re.compile(r"\bAt most (\d+)\b")
# Subtypes name their discriminator: "Scope type, must be chat".
CONST_RE = re.compile(r"\bmust be ([a-z0-9_]+)$")
PARSED_RE = re.compile(r"after entit(?:y|ies) parsing")
REQUIRED_UNLESS_RE = re.compile(
    r"[Rr]equired if (\w+(?: and \w+)*) (?:is|are) not specified|required if (\w+) isn't specified"
)
# Character sets Telegram states in words, turned into regular expressions.
PATTERNS = {
    "Can contain only lowercase English letters, digits and underscores": r"[a-z0-9_]+",
    "Only characters A-Z, a-z, 0-9, _ and - are allowed": r"[A-Za-z0-9_-]+",
    "A two-letter ISO 639-1 language code or an empty string": r"([a-z]{2})?",
    "A two-letter ISO 639-1 language code": r"[a-z]{2}",
}


def field_spec(field: dict[str, Any], siblings: set[str], in_subtype: bool) -> dict[str, Any]:
    """Types, required flag and the limits stated in one field's description."""
    name: str = field["name"]
    types: list[str] = field["types"]
    text: str = field.get("description", "")
    spec: dict[str, Any] = {"types": types, "required": bool(field["required"])}
    if "String" in types:
        if m := LENGTH_RE.search(text):
            spec["min_len"], spec["max_len"] = int(m[1]), int(m[2])
            spec["len_unit"] = m[3].lower()
        for phrase, pattern in PATTERNS.items():
            if phrase in text:
                spec["pattern"] = pattern
                break
        # The text is measured after its markup is parsed, so the checker needs to know
        # which sibling holds the parse mode.
        if "min_len" in spec and (f"{name}_parse_mode" in siblings or PARSED_RE.search(text)):
            parse_field = f"{name}_parse_mode" if f"{name}_parse_mode" in siblings else "parse_mode"
            if parse_field in siblings:
                spec["parsed_by"] = parse_field
        if in_subtype and name in ("type", "source") and (m := CONST_RE.search(text)):
            spec["const"] = m[1]
    if any(t.startswith("Array of") for t in types):
        if m := AT_MOST_RE.search(text):
            spec["max_items"] = int(m[1])
        elif m := ITEMS_RE.search(text):
            spec["min_items"], spec["max_items"] = int(m[1]), int(m[2])
    if m := REQUIRED_UNLESS_RE.search(text):
        others = (m[1] or m[2]).split(" and ")
        if all(other in siblings for other in others):
            spec["required_unless"] = others
    return spec


def fields_of(entry: dict[str, Any], in_subtype: bool = False) -> dict[str, Any]:
    fields: list[dict[str, Any]] = entry.get("fields", [])
    siblings = {f["name"] for f in fields}
    return {f["name"]: field_spec(f, siblings, in_subtype) for f in fields}


def derive(api: dict[str, Any], source: str) -> dict[str, Any]:
    methods = {name: fields_of(m) for name, m in api["methods"].items()}
    types = {name: fields_of(t, "subtype_of" in t) for name, t in api["types"].items()}
    return {
        "source": source,
        "version": api["version"],
        "release_date": api.get("release_date"),
        "license": LICENSE,
        "methods": methods,
        "returns": {name: m.get("returns", []) for name, m in api["methods"].items()},
        "types": types,
        "subtypes": {name: t["subtypes"] for name, t in api["types"].items() if "subtypes" in t},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args()
    api = json.loads(args.source.read_text(encoding="utf-8"))
    schema = derive(api, SOURCE)
    text = json.dumps(schema, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output} ({len(schema['methods'])} methods, {len(schema['types'])} types)")


if __name__ == "__main__":
    main()
