"""QA flags, each provoked on purpose."""

from __future__ import annotations

import re

import pytest

from l10n.config import Settings
from l10n.translate.qa import FLAGS, flag, flags, repetition
from tests.conftest import ROOT

S = Settings()


def test_clean_translation_has_no_flags(corpus):
    source = "Talks continued in Damascus on Friday."
    assert flags(source, corpus["de"][source], "en", "de", S) == set()


def test_same_as_source():
    assert "same_as_source" in flags("Subscribe now", "Subscribe now", "en", "de", S)


def test_length_ratio():
    assert "length_ratio" in flags("The mayor opened the new bridge on Monday.", "Der", "en", "de", S)


def test_repetition():
    assert repetition("The mayor spoke.", "Der Bürgermeister Bürgermeister Bürgermeister sprach.")
    assert repetition("He said yes.", "Er sagte ja ja ja ja.")
    assert not repetition("Yes, yes, yes, he said.", "Ja, ja, ja, sagte er.")


def test_wrong_language(corpus):
    source = "The minister met Anton Kulikov in Damascus."
    french = corpus["fr"][source] + " " + corpus["fr"]["I went to Paris last summer."]
    assert "wrong_language" in flags(source + " I went to Paris last summer.", french, "en", "de", S)


def test_portuguese_and_spanish_are_told_apart():
    source = "Herrera, who leads the scientific team, has been studying early galaxies for 20 years."
    portuguese = "Herrera, que lidera a equipe científica, estuda galáxias primitivas há 20 anos."
    spanish = "Herrera, que dirige el equipo científico, estudia galaxias primitivas desde hace 20 años."
    assert "wrong_language" not in flags(source, portuguese, "en", "pt", S)
    assert "wrong_language" not in flags(source, spanish, "en", "es", S)
    assert "wrong_language" in flags(source, spanish, "en", "pt", S)
    assert "wrong_language" in flags(source, portuguese, "en", "es", S)


# -- the registry: one list, read or checked everywhere ---------------------------------------
def test_readme_table_is_the_registry():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("#### QA flags", 1)[1].split("\n\n", 2)[1]
    rows = [line.split("|")[1:3] for line in table.splitlines()[2:]]
    assert {code.strip().strip("`"): meaning.strip() for code, meaning in rows} == FLAGS


def test_preview_explains_every_flag_and_no_other():

    template = (ROOT / "l10n/web/templates/preview.html").read_text(encoding="utf-8")
    block = template.split("{% set help = {", 1)[1].split("} %}", 1)[0]
    assert sorted(re.findall(r'^\s*"(\w+)":', block, re.M)) == sorted(FLAGS)


def test_an_unregistered_flag_is_refused():
    assert flag("number_mismatch") == "number_mismatch"
    with pytest.raises(KeyError, match="number_mismatched"):
        flag("number_mismatched")
