"""The little-text commentary parser: LinkedIn's documented examples, escapes, edge cases and properties."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from lisync.linkedin.pages.littletext import RESERVED, Mention, escape_little_text, parse_little_text


def test_docs_examples() -> None:
    mention = parse_little_text("Hello @[Acme Corp](urn:li:organization:1234)")
    assert mention.mentions == [Mention("Acme Corp", "urn:li:organization:1234")]
    assert mention.text == "Hello Acme Corp"
    tag = parse_little_text("Excited about the future of {hashtag|#|Technology} and how it's shaping it.")
    assert tag.hashtags == ["Technology"]
    assert "#Technology" in tag.text


def test_escaped_hashtag_sign_full_width_sign_and_bare_hashtag() -> None:
    parsed = parse_little_text("{hashtag|\\#|analytics} {hashtag|\uff03|AI} #hiring and #B2B_sales.")
    assert parsed.hashtags == ["analytics", "AI", "hiring", "B2B_sales"]


def test_escaped_reserved_characters_are_plain_text() -> None:
    parsed = parse_little_text("Q3 results \\(preliminary\\) \\#notatag \\@\\[x\\]\\(urn:li:person:1\\) "
                               "50\\% \\\\ done")
    assert parsed.hashtags == []
    assert parsed.mentions == []
    assert parsed.text == "Q3 results (preliminary) #notatag @[x](urn:li:person:1) 50% \\ done"


def test_mention_names_may_hold_escaped_characters() -> None:
    parsed = parse_little_text("Thanks @[Ada \\[CTO\\] \\(Acme\\)](urn:li:person:abc-123)!")
    assert parsed.mentions == [Mention("Ada [CTO] (Acme)", "urn:li:person:abc-123")]


def test_duplicates_are_recorded_once_in_order() -> None:
    parsed = parse_little_text("#b #a {hashtag|#|b} @[X](urn:li:person:1) @[X](urn:li:person:1) "
                               "@[Y](urn:li:person:1)")
    assert parsed.hashtags == ["b", "a"]
    assert parsed.mentions == [Mention("X", "urn:li:person:1"), Mention("Y", "urn:li:person:1")]


def test_incomplete_elements_are_read_as_text() -> None:
    for text in ("@[unclosed", "@[name] (urn:li:person:1)", "@[name](not-a-urn)", "{hashtag|#|}",
                 "{hashtag|x|y}", "{hashtag|#|open", "# alone", "trailing \\", "{other|#|x}"):
        parsed = parse_little_text(text)
        assert parsed.hashtags == [] and parsed.mentions == [], text
    assert parse_little_text("trailing \\").text == "trailing \\"


def test_empty_and_missing_commentary() -> None:
    assert parse_little_text(None).hashtags == []
    assert parse_little_text("").text == ""


def test_multiline_commentary_like_linkedin_sends() -> None:
    parsed = parse_little_text("We are hiring engineers \\& analysts \\<remote friendly\\>.\n\n"
                               "{hashtag|\\#|hiring} {hashtag|\\#|teamwork}")
    assert parsed.hashtags == ["hiring", "teamwork"]
    assert parsed.text.startswith("We are hiring engineers & analysts <remote friendly>.")


@given(st.text())
def test_escaped_plain_text_reads_back_unchanged(plain: str) -> None:
    parsed = parse_little_text(escape_little_text(plain))
    assert parsed.text == plain
    assert parsed.hashtags == [] and parsed.mentions == []


_words = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=20)
_tags = st.text(st.characters(categories=("Ll", "Lu", "Nd")), min_size=1, max_size=12)
_ids = st.text("abcdefghijklmnopqrstuvwxyz0123456789-_", min_size=1, max_size=12)


@st.composite
def _documents(draw: st.DrawFn) -> tuple[str, list[str], list[Mention]]:
    parts, tags, mentions = [], [], []
    for _ in range(draw(st.integers(0, 6))):
        choice = draw(st.sampled_from(("text", "tag", "mention")))
        if choice == "text":
            parts.append(escape_little_text(draw(_words)))
        elif choice == "tag":
            tag = draw(_tags)
            sign = draw(st.sampled_from(("#", "\\#", "\uff03")))
            parts.append("{hashtag|" + sign + "|" + escape_little_text(tag) + "}")
            tags.append(tag)
        else:
            kind = draw(st.sampled_from(("person", "organization")))
            mention = Mention(draw(_words), f"urn:li:{kind}:{draw(_ids)}")
            name, target = escape_little_text(mention.fallback_text), escape_little_text(mention.target_urn)
            parts.append(f"@[{name}]({target})")
            mentions.append(mention)
        parts.append(" ")
    return "".join(parts), list(dict.fromkeys(tags)), list(dict.fromkeys(mentions))


@given(_documents())
def test_composed_documents_give_back_their_hashtags_and_mentions(
        doc: tuple[str, list[str], list[Mention]]) -> None:
    source, tags, mentions = doc
    parsed = parse_little_text(source)
    assert parsed.hashtags == tags
    assert parsed.mentions == mentions


def test_reserved_set_matches_the_docs() -> None:
    assert set("|{}@[]()<>#\\*_~") == RESERVED
