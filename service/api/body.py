"""Counting the items of a JSON body's list without parsing the whole body, to refuse an oversized list early."""

from __future__ import annotations

import json
import re

_SPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


def count_list_items(body: bytes, key: str, stop_after: int) -> int | None:
    """Items in the list `key` of a JSON object body, counted one value at a time and no further than
    `stop_after + 1`.

    The top-level object is walked value by value; the other keys' values and the list's first items are decoded
    (they are small), and nothing after the item that crosses the limit is read.

    Args:
        body: the raw request body.
        key: the top-level key holding the list.
        stop_after: the limit; counting stops at stop_after + 1.

    Returns:
        The count (at most stop_after + 1; the largest when the key repeats), or None when the body is not a JSON
        object holding that list, in which case the full parse reports what is wrong.
    """
    try:
        text = body.decode("utf-8")
        return _count(text, key, stop_after)
    except (UnicodeDecodeError, ValueError, IndexError):
        return None


def _skip(text: str, i: int) -> int:
    match = _SPACE.match(text, i)
    return match.end() if match else i


def _count(text: str, key: str, stop_after: int) -> int | None:
    i = _skip(text, 0)
    if text[i:i + 1] != "{":
        return None
    i = _skip(text, i + 1)
    if text[i:i + 1] == "}":
        return None
    found: int | None = None
    while True:
        name, i = _DECODER.raw_decode(text, i)
        i = _skip(text, i)
        if not isinstance(name, str) or text[i:i + 1] != ":":
            return None
        i = _skip(text, i + 1)
        if name == key and text[i:i + 1] == "[":
            count, i = _count_items(text, _skip(text, i + 1), stop_after)
            if count > stop_after:
                return count
            found = max(found or 0, count)
        else:
            _, i = _DECODER.raw_decode(text, i)
        i = _skip(text, i)
        separator = text[i:i + 1]
        i = _skip(text, i + 1)
        if separator == "}":
            return found
        if separator != ",":
            return None


def _count_items(text: str, i: int, stop_after: int) -> tuple[int, int]:
    """Items of the list whose first item starts at i: (count, position after the list), or the count as soon as
    it passes stop_after."""
    if text[i:i + 1] == "]":
        return 0, i + 1
    count = 0
    while True:
        _, i = _DECODER.raw_decode(text, i)
        count += 1
        if count > stop_after:
            return count, i
        i = _skip(text, i)
        separator = text[i:i + 1]
        i = _skip(text, i + 1)
        if separator == "]":
            return count, i
        if separator != ",":
            raise ValueError("malformed list")
