r"""Parser for LinkedIn's *little text* commentary format: hashtags and mentions, escapes honoured.

The Posts API stores a post's commentary as little text (docs:
https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/little-text-format):

* ``@[Fallback text](urn:li:organization:123)`` — a MentionElement (person or organization URN);
* ``{hashtag|#|Technology}`` — a HashtagTemplate; the sign is ``#`` or the full-width ``＃`` and real
  responses often escape it (``{hashtag|\\#|Technology}``);
* ``#hashtag`` — a bare HashtagElement;
* ``\\X`` — the reserved characters ``| { } @ [ ] ( ) < > # \\ * _ ~`` escaped as plain text.

Anything that does not form a complete element is read as plain text (LinkedIn itself would have
truncated the text at such a point; a connector should keep what it was given rather than fail).
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["HASHTAG_SIGNS", "RESERVED", "LittleText", "Mention", "escape_little_text", "parse_little_text"]

RESERVED = frozenset("|{}@[]()<>#\\*_~")
HASHTAG_SIGNS = ("#", "\uff03")
_TEMPLATE_OPEN = "{hashtag|"


@dataclass(frozen=True)
class Mention:
    """One mention: the text LinkedIn renders when it cannot resolve the entity, and the entity's URN."""

    fallback_text: str
    target_urn: str


@dataclass
class LittleText:
    """What a commentary holds besides its words.

    Attributes:
        text: The commentary as a reader sees it (escapes removed, mentions as their text, hashtags
            as ``#tag``).
        hashtags: Distinct hashtag values without the sign, in order of first appearance.
        mentions: Distinct mentions, in order of first appearance.

    """

    text: str = ""
    hashtags: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)

    def add_hashtag(self, value: str) -> None:
        """Record ``value`` once."""
        if value and value not in self.hashtags:
            self.hashtags.append(value)

    def add_mention(self, mention: Mention) -> None:
        """Record ``mention`` once."""
        if mention not in self.mentions:
            self.mentions.append(mention)


def _read_escaped_until(source: str, start: int, stop: str) -> tuple[str, int] | None:
    """Read text from ``start`` up to an unescaped ``stop`` character.

    Returns:
        ``(unescaped text, index just after stop)``, or ``None`` when ``stop`` never comes.

    """
    out: list[str] = []
    i = start
    while i < len(source):
        char = source[i]
        if char == "\\" and i + 1 < len(source):
            out.append(source[i + 1])
            i += 2
            continue
        if char == stop:
            return "".join(out), i + 1
        out.append(char)
        i += 1
    return None


def _is_hashtag_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def _read_mention(source: str, i: int) -> tuple[Mention, int] | None:
    """Read ``@[text](urn)`` starting at the ``@`` at index ``i``."""
    if not source.startswith("@[", i):
        return None
    name = _read_escaped_until(source, i + 2, "]")
    if name is None or not source.startswith("(", name[1]):
        return None
    target = _read_escaped_until(source, name[1] + 1, ")")
    if target is None or not target[0].startswith("urn:"):
        return None
    return Mention(name[0], target[0]), target[1]


def _read_hashtag_template(source: str, i: int) -> tuple[str, str, int] | None:
    """Read ``{hashtag|#|value}`` starting at the ``{`` at index ``i``; returns ``(sign, value, end)``."""
    if not source.startswith(_TEMPLATE_OPEN, i):
        return None
    sign = _read_escaped_until(source, i + len(_TEMPLATE_OPEN), "|")
    if sign is None or sign[0] not in HASHTAG_SIGNS:
        return None
    value = _read_escaped_until(source, sign[1], "}")
    if value is None or not value[0]:
        return None
    return sign[0], value[0], value[1]


def parse_little_text(source: str | None) -> LittleText:
    r"""Parse a little-text commentary.

    Args:
        source: The ``commentary`` field of a post (``None`` and ``""`` give an empty result).

    Returns:
        The reader's text, the hashtags (values without the sign) and the mentions.

    Example:
        ``parse_little_text("Hi @[Acme](urn:li:organization:1) {hashtag|\\\\#|AI}")`` gives hashtags
        ``["AI"]`` and one mention ``Mention("Acme", "urn:li:organization:1")``.

    """
    result = LittleText()
    if not source:
        return result
    text: list[str] = []
    i = 0
    while i < len(source):
        char = source[i]
        if char == "\\" and i + 1 < len(source):
            text.append(source[i + 1])
            i += 2
            continue
        if char == "@":
            mention = _read_mention(source, i)
            if mention is not None:
                result.add_mention(mention[0])
                text.append(mention[0].fallback_text)
                i = mention[1]
                continue
        if char == "{":
            template = _read_hashtag_template(source, i)
            if template is not None:
                sign, value, i = template
                result.add_hashtag(value)
                text.append(sign + value)
                continue
        if char in HASHTAG_SIGNS:
            end = i + 1
            while end < len(source) and _is_hashtag_char(source[end]):
                end += 1
            if end > i + 1:
                result.add_hashtag(source[i + 1:end])
                text.append(source[i:end])
                i = end
                continue
        text.append(char)
        i += 1
    result.text = "".join(text)
    return result


def escape_little_text(plain: str) -> str:
    """Return ``plain`` with every reserved character backslash-escaped (what reading plain text undoes)."""
    return "".join("\\" + c if c in RESERVED else c for c in plain)
