import pytest

from l10n.localise.languages import autonym, language_name, locale_for


def test_autonyms_are_capitalised_native_names():
    assert [autonym(code) for code in ("en", "ru", "de", "fr", "pt", "es")] == [
        "English", "Русский", "Deutsch", "Français", "Português", "Español",
    ]


def test_language_names_in_another_language_keep_cldr_case():
    assert language_name("ru", "de") == "Russisch"
    assert language_name("pt", "fr") == "portugais"
    assert language_name("de", "ru") == "немецкий"
    assert language_name("en", "es") == "inglés"


def test_portuguese_edition_is_brazilian():
    assert str(locale_for("pt")) == "pt_BR"


@pytest.mark.parametrize("call", [
    lambda: autonym("it"),
    lambda: language_name("ru", "it"),
    lambda: language_name("zzz", "en"),
])
def test_unknown_codes_raise_value_error(call):
    with pytest.raises(ValueError):
        call()
