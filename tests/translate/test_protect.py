"""Protected spans: found, verified after translation, recovered or flagged."""

from __future__ import annotations

import time

import pytest

from l10n.translate.protect import check, find_spans

SOURCE = ('See https://example.org/a?b=1 or write to newsroom@example.org: %(name)s, {count}, {0}, %s, '
          '[gallery id="3"], #Elections2026, @dailyexample, 1200 and 3.5.')


def test_kinds():
    kinds = [(s.kind, s.text) for s in find_spans(SOURCE)]
    assert kinds == [
        ("url", "https://example.org/a?b=1"), ("email", "newsroom@example.org"),
        ("placeholder", "%(name)s"), ("placeholder", "{count}"), ("placeholder", "{0}"),
        ("placeholder", "%s"), ("shortcode", '[gallery id="3"]'), ("hashtag", "#Elections2026"),
        ("handle", "@dailyexample"), ("number", "1200"), ("number", "3.5"),
    ]


def test_url_ending_a_sentence_excludes_the_period():
    assert find_spans("Read it at https://example.org/x.")[0].text == "https://example.org/x"


def test_intact_translation_passes():
    result = check(SOURCE, SOURCE.replace("See", "Siehe").replace("or write to", "oder an"))
    assert result.flags == () and result.recovered == ()


@pytest.mark.parametrize("mangled, span", [
    ("Lesen Sie es unter https: //example.org/reports/2026.", "https://example.org/reports/2026"),
    ("Es waren 1.200 Menschen.", "1200"),
    ("Es waren 1 200 Menschen.", "1200"),
    ("Foto: %(Kredit)s", "%(credit)s"),
])
def test_mangled_spans_are_recovered(mangled, span):
    source = {"1200": "There were 1200 people.", "%(credit)s": "Photo: %(credit)s",
              "https://example.org/reports/2026": "Read it at https://example.org/reports/2026."}[span]
    result = check(source, mangled)
    assert span in result.text and result.recovered == (span,) and result.flags == ()


@pytest.mark.parametrize("source, translation, flag", [
    ("Updated {time}", "Aktualisiert", "placeholder_lost"),
    ("Updated {time}", "Aktualisiert {time} {time}", "placeholder_lost"),
    ("Photo: %(credit)s", "Foto: Kredit", "placeholder_lost"),
    ("There were 5 cats.", "Il y avait 6 chats.", "number_mismatch"),
    ("There were 5 cats.", "Il y avait 5 chats et 7 chiens.", "number_mismatch"),
    ("Go to https://example.org/a/b now.", "Allez sur le site maintenant.", "url_mismatch"),
    ("Mail newsroom@example.org today.", "Schreiben Sie heute.", "url_mismatch"),
    ('[gallery id="3"] Text here.', "Texte ici.", "placeholder_lost"),
    ("Photo by Anton.", "Foto: %(credit)s", "placeholder_lost"),
])
def test_lost_or_duplicated_spans_are_flagged(source, translation, flag):
    assert flag in check(source, translation).flags


def test_a_number_inside_another_is_not_counted():
    source = "Its main mirror has a diameter of 8 metres and consists of 18 segments."
    translation = "Его главное зеркало диаметром 8 метров состоит из 18 сегментов."
    assert check(source, translation).flags == ()


# Every syntax of issue 12 item 5, in a UI string around it.
PLACEHOLDERS = ["%lu", "%ld", "%llu", "%u", "%c", "%p", "%x", "%X", "%o", "%e", "%g", "%F",
                "%.*s", "%*d", "%1$s", "%2$d", "%%", "%-10s", "%'d", "%zu", "%5.2f", "@name", "%name",
                ":name", "{{name}}", "{{ count }}", "{{- name }}", "{% trans %}", "${name}", "%{name}",
                "%1", "{count}", "{0}"]


@pytest.mark.parametrize("placeholder", PLACEHOLDERS)
def test_placeholder_syntaxes_are_recognised(placeholder):
    source = f"Deleted {placeholder} files from the archive"
    spans = [s.text for s in find_spans(source)]
    assert spans == [placeholder]
    assert check(source, "Gelöschte Dateien aus dem Archiv").flags == ("placeholder_lost",)
    assert check(source, f"{placeholder} Dateien aus dem Archiv gelöscht").flags == ()


ICU = "{count, plural, =0 {no files} one {# file in {folder}} other {# files}}"


def test_icu_argument_is_one_span_and_its_loss_is_flagged():
    source = f"You have {ICU} today."
    assert [s.kind for s in find_spans(source)] == ["icu"]
    assert check(source, f"Sie haben heute {ICU}.").flags == ()
    mangled = ICU.replace("other", "andere")
    assert check(source, f"Sie haben {mangled} heute.").flags == ("placeholder_lost",)


@pytest.mark.parametrize("text", [
    "Prices rose 50% of the time.", "Up 3% in May, 10% in June.", "It costs 5 %.",
    "Time: 10:30, ratio 3:1.", "Say hello :) to everyone.", "The 100% solution.",
])
def test_percent_signs_and_colons_in_prose_are_not_placeholders(text):
    assert [s.kind for s in find_spans(text) if s.kind not in ("number",)] == []


def test_checking_many_lost_spans_is_bounded():
    """A segment of a thousand placeholders the model dropped: flagged after a few searches,
    not one fuzzy search per span."""
    source = " ".join(f"%{i}$s" for i in range(1000))
    started = time.process_time()
    assert check(source, "junk words here " * 100).flags == ("placeholder_lost",)
    assert time.process_time() - started < 1.0
