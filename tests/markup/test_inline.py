"""Marks inside sentences: split around them, place them back, emit each exactly once."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from l10n.markup.inline import Mark, Unit, render, split_run

IDENTITY = lambda text: text  # noqa: E731


def test_sentences_a_mark_crosses_stay_together():
    text = "First one. Second starts here. And ends. Third one."
    start = text.index("starts")
    marks = [Mark(start, text.index(" ends"), "<b>", "</b>")]
    units = [p for p in split_run(text, marks, "en") if isinstance(p, Unit)]
    assert [u.text for u in units] == ["First one.", "Second starts here. And ends.", "Third one."]
    assert (units[1].marks[0].start, units[1].marks[0].end) == (7, 23)


def test_whole_sentence_mark_covers_whole_translation():
    unit = Unit("Now reading", (Mark(0, 11, "<b>", "</b>"),))
    assert render(unit, "Gerade gelesen", IDENTITY).text == "<b>Gerade gelesen</b>"


def test_mark_without_final_punctuation():
    unit = Unit("The mayor spoke.", (Mark(0, 15, "<i>", "</i>"),))
    assert render(unit, "Le maire a parlé.", IDENTITY).text == "<i>Le maire a parlé</i>."


def test_verbatim_word_is_wrapped_exactly():
    unit = Unit("I went to Paris last summer.", (Mark(10, 15, "<b>", "</b>"),))
    placed = render(unit, "Je suis allé à Paris l'été dernier.", IDENTITY)
    assert placed.text == "Je suis allé à <b>Paris</b> l'été dernier."
    assert placed.flags == ()


def test_anchor_callback_is_used():
    unit = Unit("I went to Paris last summer.", (Mark(10, 15, "<b>", "</b>"),))
    anchor = lambda words, text: [(text.index("Париж"), text.index("Париж") + 5)] if words == "Paris" else []  # noqa: E731
    placed = render(unit, "Прошлым летом я ездил в Париж.", IDENTITY, anchor=anchor)
    assert placed.text == "Прошлым летом я ездил в <b>Париж</b>." and placed.flags == ()


def test_unknown_position_is_flagged_not_dropped():
    unit = Unit("I went to Paris last summer.", (Mark(10, 15, "<b>", "</b>"),))
    placed = render(unit, "Прошлым летом я ездил во Францию.", IDENTITY)
    assert placed.text.count("<b>") == placed.text.count("</b>") == 1
    assert placed.flags == ("tag_position_uncertain",)


def test_opaque_mark_keeps_its_raw_content():
    unit = Unit("Run make test now.", (Mark(4, 13, "<code>", "</code>", opaque=True, raw="make&amp;test"),))
    placed = render(unit, "Lancez make test maintenant.", IDENTITY)
    assert placed.text == "Lancez <code>make&amp;test</code> maintenant."


words = st.lists(st.sampled_from(["alpha", "beta", "gamma", "delta", "eps"]), min_size=2, max_size=8)


@given(words, words, st.data())
def test_every_mark_emitted_once_and_nested(source_words, target_words, data):
    text = " ".join(source_words) + "."
    marks, pos = [], 0
    for word in source_words:
        if data.draw(st.booleans()):
            marks.append(Mark(pos, pos + len(word), f"<m{len(marks)}>", f"</m{len(marks)}>"))
        pos += len(word) + 1
    if data.draw(st.booleans()) and marks:
        marks.insert(0, Mark(marks[0].start, marks[-1].end, "<outer>", "</outer>"))
    out = render(Unit(text, tuple(marks)), " ".join(target_words) + ".", IDENTITY).text
    for mark in marks:
        assert out.count(mark.open) == 1 and out.count(mark.close) == 1
        assert out.index(mark.open) <= out.index(mark.close)
    if marks and marks[0].open == "<outer>":
        for mark in marks[1:]:
            assert out.index("<outer>") <= out.index(mark.open) and out.index(mark.close) <= out.index("</outer>")


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text)


@pytest.mark.parametrize("opaque_at", [0, 1, 2, 3, 4, 5])
def test_opaque_mark_never_deletes_translation_words(opaque_at):
    """The opaque text is absent from the translation: it is inserted between words."""
    source = "The minister met Anton Kulikov in Damascus."
    words = source[:-1].split(" ")
    start = sum(len(w) + 1 for w in words[:opaque_at])
    unit = Unit(source, (Mark(start, start + len(words[opaque_at]), "<code>", "</code>",
                              opaque=True, raw=words[opaque_at]),))
    target = "Министр встретился с Антоном Куликовым в Дамаске."
    placed = render(unit, target, IDENTITY)
    kept = placed.plain.replace(words[opaque_at], "", 1)
    assert _words(kept) == _words(target)
    assert f"<code>{words[opaque_at]}</code>" in placed.text
    assert re.sub(r"<[^>]+>", "", placed.text) == placed.plain
    assert "  " not in placed.plain and placed.flags == ("tag_position_uncertain",)


def test_opaque_mark_found_verbatim_replaces_only_itself():
    unit = Unit("Run make test now.", (Mark(4, 13, "<code>", "</code>", opaque=True, raw="make test"),))
    placed = render(unit, "Lancez make test maintenant.", IDENTITY)
    assert placed.text == "Lancez <code>make test</code> maintenant." and placed.flags == ()
    assert placed.plain == "Lancez make test maintenant."


def _sibling_unit(n: int) -> tuple[Unit, list[str]]:
    words = ["alpha", "beta", "gamma", "delta", "eps", "zeta", "eta", "theta"][:n]
    text, marks, pos = " ".join(words) + ".", [], 0
    for k, word in enumerate(words):
        marks.append(Mark(pos, pos + len(word), f'<a href="/{k}">', "</a>"))
        pos += len(word) + 1
    return Unit(text, tuple(marks)), words


@given(st.integers(2, 8), st.data())
def test_siblings_keep_order_and_each_wraps_a_word(n, data):
    """Whatever the translation (shuffled, shorter, longer), siblings stay in source order and
    every mark that held words wraps at least one word when there are enough words."""
    unit, words = _sibling_unit(n)
    target_words = data.draw(st.lists(st.sampled_from(words + ["xx", "yy", "zz"]), min_size=n,
                                      max_size=2 * n))
    out = render(unit, " ".join(target_words) + ".", IDENTITY).text
    assert re.findall(r'href="/(\d+)"', out) == [str(k) for k in range(n)]
    for inner in re.findall(r"<a [^>]*>(.*?)</a>", out):
        assert re.search(r"\w", inner), out


def test_nested_marks_get_enough_words_for_their_children():
    text = "alpha beta gamma delta."
    outer = Mark(0, 16, "<b>", "</b>")
    unit = Unit(text, (outer, Mark(0, 5, "<i>", "</i>"), Mark(6, 10, "<u>", "</u>"),
                       Mark(11, 16, "<s>", "</s>")))
    out = render(unit, "one two three four five.", IDENTITY).text
    for tag in "ius":
        assert re.search(rf"<{tag}>\w[^<]*</{tag}>", out), out
    assert out.index("<b>") < out.index("<i>") < out.index("<u>") < out.index("<s>") < out.index("</b>")
