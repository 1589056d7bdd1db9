"""Decode a raw Rest.li query string (2.0 syntax, 1.0 dotted/indexed syntax, or a mix) into Python values.

The rules follow :mod:`lisync.sandbox.http.protocol`: ``List(a,b)`` and ``x[0]=a&x[1]=b`` become lists, ``(k:v)``
and ``x.k=v`` become dicts, every leaf is a percent-decoded string, and a key repeated at the same path
(``ids=a&ids=b``) becomes a list. Structural characters count only when they are literal: ``%28`` is
a parenthesis *character* inside a string, exactly as Rest.li 2.0 treats it, so a client that
percent-encodes the structure of a value gets the same 400 LinkedIn would give it.

Example:
    >>> decode_query("q=search&search=(status:(values:List(ACTIVE,DRAFT)),test:false)&pageSize=10")
    {'q': 'search', 'search': {'status': {'values': ['ACTIVE', 'DRAFT']}, 'test': 'false'}, 'pageSize': '10'}

"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote_plus

from lisync.sandbox.errors import RestliError

# Parameters whose value is a projection expression, not a Rest.li data value; they stay decoded strings.
RAW_PARAMETERS = frozenset({"projection"})

_KEY_SEGMENT = re.compile(r"([^.\[\]]+)|\[(\d+)\]|(\.)")


class _Repeated(list[Any]):
    """A list built from a key given several times (as opposed to a ``List(...)`` value)."""


def _malformed(parameter: str, detail: str) -> RestliError:
    return RestliError(
        400, f"Invalid value for query parameter '{parameter}': {detail}.", code="ILLEGAL_ARGUMENT"
    )


class _Rest2Parser:
    """Recursive-descent parser for one Rest.li 2.0 encoded value (still percent-encoded)."""

    def __init__(self, parameter: str, text: str) -> None:
        self.parameter = parameter
        self.text = text
        self.pos = 0

    def parse(self) -> Any:
        value = self._value()
        if self.pos != len(self.text):
            raise _malformed(self.parameter, f"unexpected {self.text[self.pos]!r} at position {self.pos}")
        return value

    def _value(self) -> Any:
        if self.text.startswith("List(", self.pos):
            return self._list()
        if self.text.startswith("(", self.pos):
            return self._record()
        return self._leaf()

    def _expect(self, char: str) -> None:
        if self.pos >= len(self.text) or self.text[self.pos] != char:
            found = repr(self.text[self.pos]) if self.pos < len(self.text) else "end of value"
            raise _malformed(self.parameter, f"expected {char!r} at position {self.pos}, found {found}")
        self.pos += 1

    def _list(self) -> list[Any]:
        self.pos += len("List(")
        items: list[Any] = []
        if self.text.startswith(")", self.pos):
            self.pos += 1
            return items
        while True:
            items.append(self._value())
            if self.text.startswith(",", self.pos):
                self.pos += 1
                continue
            self._expect(")")
            return items

    def _record(self) -> dict[str, Any]:
        self.pos += 1
        record: dict[str, Any] = {}
        if self.text.startswith(")", self.pos):
            self.pos += 1
            return record
        while True:
            key = self._leaf()
            if not key:
                raise _malformed(self.parameter, f"empty field name at position {self.pos}")
            self._expect(":")
            if key in record:
                raise _malformed(self.parameter, f"field {key!r} given twice")
            record[key] = self._value()
            if self.text.startswith(",", self.pos):
                self.pos += 1
                continue
            self._expect(")")
            return record

    def _leaf(self) -> str:
        start = self.pos
        while self.pos < len(self.text) and self.text[self.pos] not in "(),:":
            self.pos += 1
        if self.pos < len(self.text) and self.text[self.pos] == "(":
            raise _malformed(self.parameter, f"unexpected '(' at position {self.pos}")
        return unquote_plus(self.text[start : self.pos])


def decode_value(parameter: str, raw_value: str) -> Any:
    """Decode one still-percent-encoded query value (2.0 structure or a plain leaf).

    Args:
        parameter: The parameter name (for error messages).
        raw_value: The value exactly as it appeared in the query string.

    Returns:
        A ``str``, ``list`` or ``dict`` per the module rules.

    Raises:
        RestliError: 400 when the value's Rest.li 2.0 syntax is malformed.

    """
    if parameter in RAW_PARAMETERS:
        return unquote_plus(raw_value)
    if raw_value.startswith(("List(", "(")):
        return _Rest2Parser(parameter, raw_value).parse()
    return unquote_plus(raw_value)


def _key_path(raw_key: str) -> list[str | int]:
    key = unquote_plus(raw_key)
    if not key:
        raise RestliError(400, "Query parameter name must not be empty.", code="ILLEGAL_ARGUMENT")
    path: list[str | int] = []
    position = 0
    expect_name = True
    for match in _KEY_SEGMENT.finditer(key):
        if match.start() != position:
            break
        name, index, dot = match.groups()
        if name is not None:
            if not expect_name:
                break
            path.append(name)
            expect_name = False
        elif index is not None:
            if expect_name:
                break
            path.append(int(index))
        elif dot is not None:
            if expect_name:
                break
            expect_name = True
        position = match.end()
    if position != len(key) or expect_name:
        raise RestliError(400, f"Invalid query parameter name '{key}'.", code="ILLEGAL_ARGUMENT")
    return path


def _merge(parameter: str, existing: Any, new: Any) -> Any:
    if isinstance(existing, dict) and isinstance(new, dict):
        for key, value in new.items():
            existing[key] = _merge(parameter, existing[key], value) if key in existing else value
        return existing
    if isinstance(existing, dict) or isinstance(new, dict):
        raise _malformed(parameter, "a field is given both as a value and as a record")
    if isinstance(existing, _Repeated):
        existing.append(new)
        return existing
    return _Repeated([existing, new])


def _set_path(root: dict[Any, Any], parameter: str, path: list[str | int], value: Any) -> None:
    node = root
    for segment in path[:-1]:
        child = node.get(segment)
        if child is None:
            child = node[segment] = {}
        elif not isinstance(child, dict):
            raise _malformed(parameter, "a field is given both as a value and as a record")
        node = child
    last = path[-1]
    node[last] = _merge(parameter, node[last], value) if last in node else value


def _finalize(parameter: str, value: Any) -> Any:
    """Turn index-keyed dicts into lists and repeat-lists into plain lists, recursively."""
    if isinstance(value, dict):
        keys = list(value)
        if keys and all(isinstance(k, int) for k in keys):
            return [_finalize(parameter, value[k]) for k in sorted(keys)]
        if any(isinstance(k, int) for k in keys):
            raise _malformed(parameter, "indexed and named fields are mixed")
        return {k: _finalize(parameter, v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finalize(parameter, v) for v in value]
    return value


def decode_query(raw_query: str) -> dict[str, Any]:
    """Decode a whole query string (from a URL or a tunneled form body).

    Args:
        raw_query: The query string without the leading ``?``.

    Returns:
        Parameter name to decoded value (see the module docstring).

    Raises:
        RestliError: 400 with a LinkedIn-style message for malformed syntax.

    """
    tree: dict[Any, Any] = {}
    for part in raw_query.split("&"):
        if not part:
            continue
        raw_key, _, raw_value = part.partition("=")
        path = _key_path(raw_key)
        parameter = str(path[0])
        _set_path(tree, parameter, path, decode_value(parameter, raw_value))
    return {key: _finalize(key, value) for key, value in tree.items()}


def first_value(value: Any) -> Any:
    """Return a scalar parameter's value, or the first of a repeated one (``q=a&q=b`` reads as ``a``)."""
    if isinstance(value, list) and value and not isinstance(value[0], list | dict):
        return value[0]
    return value


__all__ = ["RAW_PARAMETERS", "decode_query", "decode_value", "first_value"]
