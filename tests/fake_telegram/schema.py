"""Checks Bot API requests against the published method and type definitions.

The definitions come from `bot_api_schema.json` (derived by tools/derive_bot_api_schema.py).
Values arrive the way HTTP clients send them (every form field a string, objects as JSON),
get decoded by their declared types, then checked recursively: required fields, unknown
fields, union types, subtypes picked by their `type`, and the limits the documentation states.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NotRequired, TypedDict, cast

from .markup import MarkupError, parse

SCHEMA_PATH = Path(__file__).with_name("bot_api_schema.json")
ATTACH = "attach://"
PARSE_MODES = frozenset({"html", "markdown", "markdownv2"})
# Parameters Telegram dropped from the documentation (Bot API 7.0) but still accepts; aiogram
# sends them, e.g. disable_web_page_preview when DefaultBotProperties(link_preview_is_disabled).
# Accepted where the method has their modern replacement.
LEGACY_PARAMS: dict[str, tuple[list[str], str]] = {
    "disable_web_page_preview": (["Boolean"], "link_preview_options"),
    "reply_to_message_id": (["Integer"], "reply_parameters"),
    "allow_sending_without_reply": (["Boolean"], "reply_parameters"),
}
WIRE_BOOLEANS = {"true": True, "false": False, "1": True, "0": False}
INTEGER_RE = re.compile(r"-?\d{1,19}")


class FieldSpec(TypedDict):
    types: list[str]
    required: bool
    min_len: NotRequired[int]
    max_len: NotRequired[int]
    len_unit: NotRequired[str]
    min_items: NotRequired[int]
    max_items: NotRequired[int]
    pattern: NotRequired[str]
    const: NotRequired[str]
    parsed_by: NotRequired[str]
    required_unless: NotRequired[list[str]]


@dataclass(frozen=True)
class UploadedFile:
    """A file part of a multipart request."""

    filename: str
    content: bytes
    content_type: str = "application/octet-stream"


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def attach_refs(value: Any) -> Iterator[str]:
    """Names of the file parts referenced as attach://<name> anywhere inside a value."""
    if isinstance(value, str) and value.startswith(ATTACH):
        yield value[len(ATTACH) :]
    elif isinstance(value, dict):
        for item in value.values():
            yield from attach_refs(item)
    elif isinstance(value, list):
        for item in value:
            yield from attach_refs(item)


class Schema:
    def __init__(self, data: Mapping[str, Any]) -> None:
        self.version: str = data["version"]
        self.methods: dict[str, dict[str, FieldSpec]] = data["methods"]
        self.types: dict[str, dict[str, FieldSpec]] = data["types"]
        self.subtypes: dict[str, list[str]] = data["subtypes"]
        self.returns: dict[str, list[str]] = data["returns"]
        # Telegram matches method names case-insensitively.
        self._names = {name.lower(): name for name in self.methods}

    def method_name(self, name: str) -> str | None:
        return self._names.get(name.lower())

    # -- requests -----------------------------------------------------------------------------

    def check_params(
        self, method: str, params: Mapping[str, Any]
    ) -> tuple[dict[str, Any], list[str]]:
        """Decode the raw parameters of a known method; returns (decoded, errors)."""
        fields = self.methods[method]
        files = {k: v for k, v in params.items() if isinstance(v, UploadedFile)}
        decoded: dict[str, Any] = {}
        errors: list[str] = []
        specs: dict[str, FieldSpec] = {}
        for name, raw in params.items():
            if raw is None:  # a JSON null is an absent parameter
                continue
            spec = fields.get(name)
            if spec is None and name in LEGACY_PARAMS and LEGACY_PARAMS[name][1] in fields:
                spec = {"types": LEGACY_PARAMS[name][0], "required": False}
            if spec is None:
                if name not in files:
                    errors.append(f"{name}: unknown parameter")
                continue
            value, error = self._decode(raw, spec["types"], name)
            if error:
                errors.append(error)
                continue
            decoded[name] = value
            specs[name] = spec
        used: set[str] = set()
        for name, value in list(decoded.items()):
            used.update(attach_refs(value))
            is_file = "InputFile" in specs[name]["types"]
            if is_file and isinstance(value, str) and value.startswith(ATTACH):
                part = value[len(ATTACH) :]
                if part in files:
                    decoded[name] = files[part]
                else:
                    errors.append(f"{name}: no file part named {part!r}")
        for part in files:
            if part not in fields and part not in used:
                errors.append(f"{part}: unknown parameter (an unreferenced file part)")
        present = {k: v for k, v in params.items() if v is not None}
        for name, spec in fields.items():
            # A parameter that came but failed to decode is already reported.
            if name not in present and self._is_required(spec, present):
                errors.append(f"{name}: required parameter is missing")
        for name, value in decoded.items():
            if not isinstance(value, UploadedFile):
                errors.extend(self.check_field(value, specs[name], name, decoded))
        return decoded, errors

    def _decode(self, raw: Any, types: list[str], path: str) -> tuple[Any, str | None]:
        """Turn a wire value (a string, or a JSON body value) into a typed Python value."""
        if isinstance(raw, UploadedFile):
            if "InputFile" in types:
                return raw, None
            return raw, f"{path}: got a file upload, expected {' or '.join(types)}"
        # A JSON body's values are read like form fields, as Telegram does.
        text = raw if isinstance(raw, str) else json.dumps(raw)
        for kind in sorted(types, key=lambda t: t == "String"):  # "123" is an Integer first
            ok, value = self._from_wire(text, kind)
            if ok:
                return value, None
        return text, f"{path}: expected {' or '.join(types)}, got {_show(text)}"

    def _from_wire(self, text: str, kind: str) -> tuple[bool, Any]:
        if kind == "String":
            return True, text
        if kind == "Integer":
            return (True, int(text)) if INTEGER_RE.fullmatch(text) else (False, None)
        if kind == "Float":
            try:
                number = float(text)
            except ValueError:
                return False, None
            return math.isfinite(number), number
        if kind == "Boolean":
            flag = WIRE_BOOLEANS.get(text.lower())
            return flag is not None, flag
        if kind == "InputFile":
            return text.startswith(ATTACH), text
        try:
            value = json.loads(text)
        except ValueError:
            return False, None
        wanted = list if kind.startswith("Array of ") else dict
        return isinstance(value, wanted), value

    @staticmethod
    def _is_required(spec: FieldSpec, container: Mapping[str, Any]) -> bool:
        if spec["required"]:
            return True
        others = spec.get("required_unless")
        return others is not None and not all(o in container for o in others)

    # -- values -------------------------------------------------------------------------------

    def check_field(
        self, value: Any, spec: FieldSpec, path: str, container: Mapping[str, Any]
    ) -> list[str]:
        """Type and documented limits of one field (`container` holds its siblings)."""
        errors = self.check_value(value, spec["types"], path)
        if errors:
            return errors
        name = path.rsplit(".", 1)[-1]
        if isinstance(value, str):
            errors.extend(self._check_string(value, spec, path, name, container))
        if isinstance(value, list):
            low, high = spec.get("min_items", 0), spec.get("max_items")
            if len(value) < low or (high is not None and len(value) > high):
                limit = f"{low}-{high}" if high is not None else f"at least {low}"
                errors.append(f"{path}: must have {limit} items, got {len(value)}")
        return errors

    def _check_string(
        self, value: str, spec: FieldSpec, path: str, name: str, container: Mapping[str, Any]
    ) -> list[str]:
        if "const" in spec and value != spec["const"]:
            return [f"{path}: must be {spec['const']!r}, got {_show(value)}"]
        if "pattern" in spec and not re.fullmatch(spec["pattern"], value):
            return [f"{path}: {_show(value)} does not match [{spec['pattern']}]"]
        is_parse_mode = name == "parse_mode" or name.endswith("_parse_mode")
        if is_parse_mode and value.lower() not in PARSE_MODES:
            return [f"{path}: unsupported parse mode {_show(value)}"]
        if name in ("chat_id", "from_chat_id") and not value.startswith("@"):
            return [f"{path}: a chat username must start with @, got {_show(value)}"]
        if "max_len" not in spec:
            return []
        mode_field = spec.get("parsed_by")
        mode = container.get(mode_field) if mode_field else None
        if mode_field is not None:
            try:
                # Telegram counts the visible text, after markup and surrounding spaces go.
                visible = parse(value, mode if isinstance(mode, str) else None).text
            except MarkupError as e:
                return [f"{path}: can't parse entities: {e}"]
        else:
            visible = value
        unit = spec.get("len_unit", "characters")
        size = len(visible.encode()) if unit == "bytes" else len(visible)
        low, high = spec.get("min_len", 0), spec["max_len"]
        if size == 0 and low > 0:
            return [f"{path}: must not be empty"]
        if not low <= size <= high:
            return [f"{path}: must be {low}-{high} {unit}, got {size}"]
        return []

    def check_value(self, value: Any, types: list[str], path: str) -> list[str]:
        """Errors of `value` against a union of types; the closest alternative explains them."""
        best: list[str] | None = None
        for kind in types:
            errors = self._check_kind(value, kind, path)
            if errors == []:
                return []
            if errors is not None and (best is None or len(errors) < len(best)):
                best = errors
        if best is not None:
            return best
        return [f"{path or 'value'}: expected {' or '.join(types)}, got {_show(value)}"]

    def _check_kind(self, value: Any, kind: str, path: str) -> list[str] | None:
        """None if `value` is not of this kind at all, else the errors inside it."""
        if kind == "Integer":
            return [] if isinstance(value, int) and not isinstance(value, bool) else None
        if kind == "Float":
            ok = isinstance(value, int | float) and not isinstance(value, bool)
            return [] if ok else None
        if kind == "Boolean":
            return [] if isinstance(value, bool) else None
        if kind == "True":
            return [] if value is True else None
        if kind == "String":
            return [] if isinstance(value, str) else None
        if kind == "InputFile":  # inside JSON a file is a reference to a multipart part
            return [] if isinstance(value, str) and value.startswith(ATTACH) else None
        if kind.startswith("Array of "):
            if not isinstance(value, list):
                return None
            item_kind = kind.removeprefix("Array of ")
            errors: list[str] = []
            for i, item in enumerate(value):
                errors.extend(self.check_value(item, [item_kind], _join(path, i)))
            return errors
        if not isinstance(value, dict):
            return None
        if kind in self.subtypes:
            return self._check_subtype(value, kind, path)
        if kind in self.types:
            return self.check_object(kind, value, path)
        return []  # a type the spec does not define: nothing to check it against

    def _check_subtype(self, value: dict[str, Any], kind: str, path: str) -> list[str]:
        """Abstract types (BotCommandScope, MenuButton...) resolve by their discriminator."""
        options = self.subtypes[kind]
        for key in ("type", "source"):
            consts = {
                spec["const"]: option
                for option in options
                if (spec := self.types.get(option, {}).get(key)) and "const" in spec
            }
            if consts:
                chosen = consts.get(value.get(key))  # type: ignore[arg-type]
                if chosen is None:
                    return [f"{_join(path, key)}: unknown {kind} {_show(value.get(key))}"]
                return self.check_value(value, [chosen], path)
        return self.check_value(value, options, path)

    def check_object(self, type_name: str, value: Mapping[str, Any], path: str = "") -> list[str]:
        """Errors of a JSON object against a named type, nested types included."""
        fields = self.types[type_name]
        errors = [f"{_join(path, key)}: unknown field" for key in value if key not in fields]
        for name, spec in fields.items():
            if name in value:
                errors.extend(self.check_field(value[name], spec, _join(path, name), value))
            elif self._is_required(spec, value):
                errors.append(f"{_join(path, name)}: required field is missing")
        rule = OBJECT_RULES.get(type_name)
        if rule is not None and not errors:
            errors.extend(rule(self, value, path))
        return errors


@functools.cache
def load_schema(path: Path = SCHEMA_PATH) -> Schema:
    """The schema next to this module, parsed once per process."""
    return Schema(json.loads(path.read_text(encoding="utf-8")))


def _inline_button(schema: Schema, button: Mapping[str, Any], path: str) -> list[str]:
    # "Exactly one of the fields other than text, icon_custom_emoji_id, and style must be used".
    if not cast(str, button["text"]).strip():
        return [f"{_join(path, 'text')}: button text must not be empty"]
    actions = set(schema.types["InlineKeyboardButton"]) - {"text", "icon_custom_emoji_id", "style"}
    used = sorted(actions & set(button))
    if len(used) != 1:
        return [f"{path}: exactly one of the button actions must be set, got {used or 'none'}"]
    return []


def _keyboard_button(_schema: Schema, button: Mapping[str, Any], path: str) -> list[str]:
    if not cast(str, button["text"]).strip():
        return [f"{_join(path, 'text')}: button text must not be empty"]
    return []


def _web_app(_schema: Schema, info: Mapping[str, Any], path: str) -> list[str]:
    # "An HTTPS URL of a Web App to be opened" (WebAppInfo): Telegram refuses anything else.
    if not cast(str, info["url"]).startswith("https://"):
        return [f"{_join(path, 'url')}: a Web App's url must be https"]
    return []


# Rules the field list alone cannot express; they run once an object's fields are valid.
OBJECT_RULES = {
    "InlineKeyboardButton": _inline_button,
    "KeyboardButton": _keyboard_button,
    "WebAppInfo": _web_app,
}
