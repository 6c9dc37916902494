"""Segmentation keeps every byte that is not a sentence."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from l10n.translate.segment import Piece, join_pieces, split_text


def units(text, lang="en"):
    return [p.text for p in split_text(text, lang) if p.translatable]


def test_sentences_and_paragraphs():
    text = "Mr. Smith came home. He left at 5 p.m. on Monday!\n\nSecond paragraph here."
    assert units(text) == ["Mr. Smith came home.", "He left at 5 p.m. on Monday!",
                           "Second paragraph here."]


def test_whitespace_is_kept_exactly():
    text = "  First one.   Second one.\n \n\tThird one.  \n"
    pieces = split_text(text, "en")
    assert join_pieces(pieces, [p.text for p in pieces if p.translatable]) == text
    assert pieces[0] == Piece("  ", False)
    assert pieces[-1] == Piece("  \n", False)


def test_lines_without_letters_are_not_translated():
    assert units("Title\n\n***\n\n2026\n\n— 5 —") == ["Title"]


def test_german_ordinal_date_is_not_a_sentence_end():
    assert units("Am 5. März kam er an.", "de") == ["Am 5. März kam er an."]


@given(st.text(alphabet=st.sampled_from("ab .!?\n\t«»Z1"), max_size=60))
def test_join_inverts_split(text):
    pieces = split_text(text, "en")
    assert join_pieces(pieces, [p.text for p in pieces if p.translatable]) == text


@given(st.text(alphabet=st.sampled_from("ab .!?\nZ"), max_size=60))
def test_translations_replace_only_units(text):
    pieces = split_text(text, "en")
    count = sum(p.translatable for p in pieces)
    out = join_pieces(pieces, ["#"] * count)
    assert out.count("#") == count
    assert "".join(p.text for p in pieces if not p.translatable) == out.replace("#", "")


def test_a_dot_inside_a_word_is_not_a_sentence_end():
    assert units("Pravda.Ru published it on example.org today. Next one.") == [
        "Pravda.Ru published it on example.org today.", "Next one."]


ICU = "{count, plural, one {# new message} other {# new messages from {name}}}"


def test_icu_cases_are_separate_units_and_the_skeleton_is_kept():
    text = f"You have {ICU}. Read them."
    pieces = split_text(text, "en")
    assert join_pieces(pieces, [p.text for p in pieces if p.translatable]) == text
    assert units(text) == ["You have", "# new message", "# new messages from {name}", "Read them."]
    skeleton = "".join(p.text for p in pieces if not p.translatable)
    assert skeleton == " {count, plural, one {} other {}}. "


def test_nested_icu_select_in_plural():
    text = "{g, select, female {She wrote {n, plural, one {one post} other {# posts}}} other {They wrote.}}"
    assert units(text) == ["She wrote", "one post", "# posts", "They wrote."]
    assert "".join(p.text for p in split_text(text, "en")) == text


def test_malformed_icu_is_plain_text():
    text = "Broken {count, plural, one {x} other {y}"
    assert units(text) == [text]
