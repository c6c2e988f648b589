"""Telegram's HTML parse mode, as the server applies it to text, captions and quotes.

It follows tdlib's parser (the one behind the Bot API): the same tags, the same few named
entities, the same error texts, so a bad tag fails here the way it fails in production
("can't parse entities: Unsupported start tag ..."). The visible text and the entities it
yields are what Telegram would store and echo back in the sent Message.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

TAGS = frozenset(
    {
        "a",
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "span",
        "tg-spoiler",
        "tg-emoji",
        "tg-time",
        "code",
        "pre",
        "blockquote",
    }
)
SIMPLE_ENTITIES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "code": "code",
    "pre": "pre",
}
# Only these named entities are supported; everything else needs a numeric one.
NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
# Telegram trims these from both ends of a message before storing it.
TRIMMED = " \t\r\n"


class MarkupError(ValueError):
    """The text is not valid markup for its parse mode."""


@dataclass
class Parsed:
    text: str
    entities: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class _Open:
    tag: str
    attrs: dict[str, str]
    offset: int  # UTF-16 offset of the tag in the visible text
    out_index: int  # where its content starts in the output pieces


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of entity offsets."""
    return len(text.encode("utf-16-le")) // 2


def parse(text: str, parse_mode: str | None) -> Parsed:
    """Visible text and entities of `text` under `parse_mode` (None: plain text)."""
    if parse_mode is not None and parse_mode.lower() == "html":
        return _trim(parse_html(text))
    # Markdown modes are not parsed: their raw text stands in for the visible one.
    return _trim(Parsed(text))


def parse_html(source: str) -> Parsed:
    out: list[str] = []
    entities: list[dict[str, Any]] = []
    stack: list[_Open] = []
    utf16 = 0
    i, n = 0, len(source)

    def at(pos: int) -> str:
        return f"at byte offset {len(source[:pos].encode())}"

    while i < n:
        ch = source[i]
        if ch == "&" and (decoded := _entity(source, i)) is not None:
            out.append(decoded[0])
            utf16 += utf16_len(decoded[0])
            i = decoded[1]
            continue
        if ch != "<":
            out.append(ch)
            utf16 += utf16_len(ch)
            i += 1
            continue
        start = i
        if source.startswith("</", i):
            if not stack:
                raise MarkupError(f"Unexpected end tag {at(start)}")
            j = i + 2
            while j < n and not source[j].isspace() and source[j] != ">":
                j += 1
            name = source[i + 2 : j].lower()
            while j < n and source[j].isspace():
                j += 1
            if j >= n or source[j] != ">":
                raise MarkupError(f"Unclosed end tag {at(start)}")
            top = stack.pop()
            if name and name != top.tag:
                raise MarkupError(
                    f'Unmatched end tag {at(start)}, expected "</{top.tag}>", found "</{name}>"'
                )
            _close(top, utf16, "".join(out[top.out_index :]), entities, stack)
            i = j + 1
            continue
        j = i + 1
        while j < n and not source[j].isspace() and source[j] != ">":
            j += 1
        if j >= n:
            raise MarkupError(f"Unclosed start tag {at(start)}")
        name = source[i + 1 : j].lower()
        if name not in TAGS:
            raise MarkupError(f'Unsupported start tag "{name}" {at(start)}')
        attrs, i = _attributes(source, j, name, at(start))
        if name == "span" and attrs.get("class") != "tg-spoiler":
            raise MarkupError(f'Tag "span" must have class "tg-spoiler" {at(start)}')
        stack.append(_Open(name, attrs, utf16, len(out)))
    if stack:
        raise MarkupError(f'Can\'t find end tag corresponding to start tag "{stack[-1].tag}"')
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return Parsed("".join(out), entities)


def _entity(source: str, i: int) -> tuple[str, int] | None:
    """The character an HTML entity at `i` stands for and the position after it."""
    end = source.find(";", i + 1, i + 12)
    if end == -1:
        return None
    body = source[i + 1 : end]
    if body in NAMED_ENTITIES:
        return NAMED_ENTITIES[body], end + 1
    if body.startswith("#"):
        digits, base = (body[2:], 16) if body[1:2] in ("x", "X") else (body[1:], 10)
        try:
            code = int(digits, base) if digits.isalnum() else -1
        except ValueError:
            return None
        if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF:
            return chr(code), end + 1
    return None


def _attributes(source: str, j: int, tag: str, where: str) -> tuple[dict[str, str], int]:
    """Attributes of a start tag whose name ends at `j`; returns them and the position after '>'."""
    attrs: dict[str, str] = {}
    n = len(source)
    while True:
        while j < n and source[j].isspace():
            j += 1
        if j >= n:
            raise MarkupError(f'Unclosed start tag "{tag}" {where}')
        if source[j] == ">":
            return attrs, j + 1
        k = j
        while k < n and not source[k].isspace() and source[k] not in "=>/\"'":
            k += 1
        name = source[j:k].lower()
        if not name:
            raise MarkupError(f'Empty attribute name in the tag "{tag}" {where}')
        while k < n and source[k].isspace():
            k += 1
        if k >= n:
            raise MarkupError(f'Unclosed start tag "{tag}" {where}')
        if source[k] != "=":
            attrs[name] = ""
            j = k
            continue
        k += 1
        while k < n and source[k].isspace():
            k += 1
        if k >= n:
            raise MarkupError(f'Unclosed start tag "{tag}" {where}')
        if source[k] in "\"'":
            quote, k = source[k], k + 1
            value: list[str] = []
            while k < n and source[k] != quote:
                if source[k] == "&" and (decoded := _entity(source, k)) is not None:
                    value.append(decoded[0])
                    k = decoded[1]
                else:
                    value.append(source[k])
                    k += 1
            if k >= n:
                raise MarkupError(f'Unclosed start tag "{tag}" {where}')
            attrs[name] = "".join(value)
            j = k + 1
        else:
            v = k
            while k < n and (source[k].isalnum() or source[k] in ".-"):
                k += 1
            if k >= n or not (source[k].isspace() or source[k] == ">"):
                raise MarkupError(f"Unexpected end of name token {where}")
            attrs[name] = source[v:k].lower()
            j = k


def _close(
    top: _Open, utf16: int, inner: str, entities: list[dict[str, Any]], stack: list[_Open]
) -> None:
    """Turn a closed tag into its entity (an empty one yields none, as in Telegram)."""
    length = utf16 - top.offset
    if length <= 0:
        return
    entity: dict[str, Any] = {"offset": top.offset, "length": length}
    tag, attrs = top.tag, top.attrs
    if tag == "code" and stack and stack[-1].tag == "pre" and attrs.get("class", ""):
        # <pre><code class="language-x"> is a single pre entity with a language.
        language = attrs["class"].removeprefix("language-")
        stack[-1].attrs.setdefault("language", language)
        return
    if tag in SIMPLE_ENTITIES:
        entity["type"] = SIMPLE_ENTITIES[tag]
        if tag == "pre" and attrs.get("language"):
            entity["language"] = attrs["language"]
    elif tag == "a":
        # Without href the link text is the URL.
        entity["type"], entity["url"] = "text_link", attrs.get("href") or inner
    elif tag == "blockquote":
        entity["type"] = "expandable_blockquote" if "expandable" in attrs else "blockquote"
    elif tag == "tg-emoji":
        emoji_id = attrs.get("emoji-id", "")
        if not emoji_id.isdigit():
            raise MarkupError("Invalid custom emoji identifier specified")
        entity["type"], entity["custom_emoji_id"] = "custom_emoji", emoji_id
    elif tag == "tg-time":
        unix = attrs.get("unix", "")
        if not unix.isdigit():
            raise MarkupError("Invalid Unix time specified")
        entity["type"], entity["unix_time"] = "date_time", int(unix)
        if attrs.get("format"):
            entity["date_time_format"] = attrs["format"]
    entities.append(entity)


def _trim(parsed: Parsed) -> Parsed:
    """Strip surrounding whitespace the way Telegram does, keeping entities aligned."""
    text = parsed.text
    head = utf16_len(text[: len(text) - len(text.lstrip(TRIMMED))])
    stripped = text.strip(TRIMMED)
    size = utf16_len(stripped)
    entities = []
    for entity in parsed.entities:
        start = max(entity["offset"] - head, 0)
        end = min(entity["offset"] + entity["length"] - head, size)
        if end > start:
            entities.append({**entity, "offset": start, "length": end - start})
    return Parsed(stripped, entities)
