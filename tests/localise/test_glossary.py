import os
import stat

import pytest

from l10n.localise.glossary import (
    COLUMNS,
    DEFAULT_GLOSSARY,
    Entry,
    Glossary,
    GlossaryError,
    Match,
    validate,
)

HEADER = "\t".join(COLUMNS) + "\n"


def item(en, ru="x", kind="place", flags=(), note="", **forms):
    """A JSON glossary item; every language form defaults to `ru`'s placeholder or `en`."""
    base = {"en": en, "ru": ru, "de": en, "fr": en, "pt": en, "es": en}
    return base | forms | {"kind": kind, "flags": list(flags), "note": note}


@pytest.fixture(scope="module")
def repo_glossary():
    return Glossary.load(DEFAULT_GLOSSARY)


def test_repository_glossary_has_the_seed_names(repo_glossary):
    render = repo_glossary.rendering
    qamishli = repo_glossary.get("Qamishli")
    assert [render(qamishli, lang) for lang in ("ru", "de", "fr", "pt", "es")] == [
        "Камышлы", "Qamischli", "Qamichli", "Qamishli", "Qamishli"]
    assert qamishli.indeclinable and qamishli.kind == "place"
    stone = repo_glossary.get("Michael Stone")
    assert render(stone, "ru") == "Майкл Стоун"
    assert {render(stone, lang) for lang in ("de", "fr", "pt", "es")} == {"Michael Stone"}
    damascus = repo_glossary.get("Damascus")
    assert [render(damascus, lang) for lang in ("ru", "de", "fr", "pt", "es")] == [
        "Дамаск", "Damaskus", "Damas", "Damasco", "Damasco"]
    for en in ("Anton Kulikov", "Maria Sokolova", "Daniel Weber", "Bermuda", "Paris", "Berlin",
               "Lisbon", "Madrid", "Moscow", "Volga", "Chile", "Pravda.Ru", "Telegram",
               "Ahmed al-Sharaa", "Vladimir Putin", "Hmeimim", "Reuters", "Syria", "Russia",
               "Dmitry Sudakov", "Syrian Democratic Forces"):
        assert repo_glossary.get(en) is not None, en


def test_keep_names_are_the_same_in_every_language(repo_glossary):
    for en in ("Pravda.Ru", "Telegram"):
        entry = repo_glossary.get(en)
        assert entry.keep and entry.kind == "media"
        assert {repo_glossary.rendering(entry, lang) for lang in COLUMNS[:6]} == {en}


def test_keep_names_may_leave_other_columns_empty(tmp_path):
    path = tmp_path / "names.tsv"
    path.write_text(HEADER + "Telegram\t\t\t\t\t\tmedia\tkeep\tmessenger\n", encoding="utf-8")
    entry = Glossary.load(path).entries[0]
    assert Glossary.rendering(entry, "ru") == "Telegram"
    assert entry.flags == frozenset({"keep"}) and entry.note == "messenger"


def test_find_in_matches_whole_words_only(repo_glossary):
    text = "Russian troops left Russia's base; Damascus, not Damascusville."
    found = [(m.entry.en, text[m.start:m.end]) for m in repo_glossary.find_in(text)]
    assert found == [("Russia", "Russia"), ("Damascus", "Damascus")]


def test_find_in_prefers_the_longest_name():
    glossary = Glossary.from_json({"entries": [
        item("New York", "Нью-Йорк"), item("New York Times", "Нью-Йорк таймс", kind="media")]})
    text = "The New York Times wrote from New York."
    assert [(m.entry.en, m.start, m.end) for m in glossary.find_in(text)] == [
        ("New York Times", 4, 18), ("New York", 30, 38)]


def test_find_in_target_language(repo_glossary):
    matches = repo_glossary.find_in("Колонна вышла из Камышлы в Дамаск.", "ru")
    assert [m.entry.en for m in matches] == ["Qamishli", "Damascus"]
    assert isinstance(matches[0], Match)


def test_version_is_a_content_hash(repo_glossary, tmp_path):
    copy = Glossary.from_json(repo_glossary.to_json())
    assert copy.version == repo_glossary.version
    data = repo_glossary.to_json()
    data["entries"][0]["note"] += " (edited)"
    assert Glossary.from_json(data).version != repo_glossary.version
    data = repo_glossary.to_json()
    data["entries"][1]["ru"] = "Дмитрий Иванович Судаков"
    assert Glossary.from_json(data).version != repo_glossary.version
    repo_glossary.save(tmp_path / "names.tsv")
    assert Glossary.load(tmp_path / "names.tsv").version == repo_glossary.version


def test_save_and_load_round_trip(repo_glossary, tmp_path):
    path = tmp_path / "names.tsv"
    repo_glossary.save(path)
    assert Glossary.load(path) == repo_glossary
    assert path.read_text(encoding="utf-8").startswith(HEADER)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_repository_file_is_in_canonical_form(repo_glossary):
    assert DEFAULT_GLOSSARY.read_text(encoding="utf-8") == repo_glossary.to_tsv()


def test_save_is_atomic(repo_glossary, tmp_path, monkeypatch):
    path = tmp_path / "names.tsv"
    path.write_text("old content\n", encoding="utf-8")

    def fail(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError, match="disk full"):
        repo_glossary.save(path)
    assert path.read_text(encoding="utf-8") == "old content\n"
    assert os.listdir(tmp_path) == ["names.tsv"]  # no temporary file left behind


def test_json_round_trip(repo_glossary):
    data = repo_glossary.to_json()
    assert set(data) == {"entries"}
    assert data["entries"][0] == {
        "en": "Anton Kulikov", "ru": "Антон Куликов", "de": "Anton Kulikov",
        "fr": "Anton Kulikov", "pt": "Anton Kulikov", "es": "Anton Kulikov",
        "kind": "person", "flags": [], "note": data["entries"][0]["note"],
    }
    assert Glossary.from_json(data) == repo_glossary
    assert validate(data) == []


@pytest.mark.parametrize("data, error", [
    ([], "expected an object"),
    ({"entries": "x"}, "expected an object"),
    ({"entries": [], "version": "1"}, "unknown top-level keys ['version']"),
    ({"entries": ["Paris"]}, "entries[0]: expected an object"),
    ({"entries": [item("Paris", kind="city")]}, "entries[0]: kind 'city' is not one of"),
    ({"entries": [item("Paris", flags=["never"])]}, "entries[0]: unknown flag 'never'"),
    ({"entries": [item("Paris") | {"flags": "keep"}]}, "entries[0]: flags must be a list"),
    ({"entries": [item("Paris", ru="")]}, "entries[0]: ru is empty"),
    ({"entries": [item("", ru="Париж")]}, "entries[0]: en is empty"),
    ({"entries": [item("Paris", ru=5)]}, "entries[0]: ru must be a string"),
    ({"entries": [item("Paris", ru="Па\tриж")]}, "entries[0]: ru contains a tab"),
    ({"entries": [item("Paris") | {"city": "yes"}]}, "entries[0]: unknown key 'city'"),
    ({"entries": [item("Telegram", ru="Телеграм", flags=["keep"])]},
     "entries[0]: ru 'Телеграм' differs from en but the name is 'keep'"),
    ({"entries": [item("Paris", "Париж"), item("Paris", "Парис")]},
     "entries[1]: 'Paris' is already defined at entries[0]"),
])
def test_validation_errors(data, error):
    errors = validate(data)
    assert any(message.startswith(error) for message in errors), errors
    with pytest.raises(GlossaryError):
        Glossary.from_json(data)


def test_validation_reports_every_problem():
    errors = validate({"entries": [item("Paris", ru="", kind="city"), item("Rome", de="")]})
    assert len(errors) == 3


def test_load_names_the_bad_lines(tmp_path):
    path = tmp_path / "names.tsv"
    path.write_text(HEADER + "Paris\tПариж\tParis\tParis\tParis\tParís\tplace\t\t\n"
                    + "Rome\tРим\tRom\tRome\tRoma\tRoma\tcity\t\t\n"
                    + "\n"
                    + "Oslo\tОсло\tOslo\tOslo\tOslo\tOslo\tplace\t\tnote\twith a tab\n",
                    encoding="utf-8")
    with pytest.raises(GlossaryError) as info:
        Glossary.load(path)
    assert info.value.errors == [
        f"{path}: line 5: 10 cells, at most 9",
        f"{path}: line 3: kind 'city' is not one of person, place, org, media",
    ]


def test_load_rejects_a_wrong_header(tmp_path):
    path = tmp_path / "names.tsv"
    path.write_text("en\tru\n", encoding="utf-8")
    with pytest.raises(GlossaryError, match="header"):
        Glossary.load(path)


def test_entries_are_plain_values():
    data = {"entries": [item("Paris", "Париж", flags=["indeclinable"])]}
    entry = Glossary.from_json(data).entries[0]
    assert entry == Entry("Paris", "Париж", "Paris", "Paris", "Paris", "Paris", "place",
                          frozenset({"indeclinable"}), "")
    with pytest.raises(ValueError):
        Glossary.rendering(entry, "it")
