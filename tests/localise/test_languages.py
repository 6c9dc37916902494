import pytest

from l10n.localise.languages import autonym, country_name, language_menu, language_name, locale_for


def test_autonyms_are_capitalised_native_names():
    assert [autonym(code) for code in ("en", "ru", "de", "fr", "pt", "es")] == [
        "English", "Русский", "Deutsch", "Français", "Português", "Español",
    ]


def test_menu_on_the_english_edition_lists_the_others_in_their_own_languages():
    menu = language_menu("en")
    assert menu == [
        ("ru", "Русский"), ("de", "Deutsch"), ("fr", "Français"),
        ("pt", "Português"), ("es", "Español"),
    ]
    labels = [label for _, label in menu]
    assert "Portuguese" not in labels and "Spain" not in labels


def test_menu_leaves_out_the_current_edition():
    menu = dict(language_menu("pt"))
    assert "pt" not in menu
    assert menu["en"] == "English" and menu["ru"] == "Русский"


def test_language_names_in_another_language_keep_cldr_case():
    assert language_name("ru", "de") == "Russisch"
    assert language_name("pt", "fr") == "portugais"
    assert language_name("de", "ru") == "немецкий"
    assert language_name("en", "es") == "inglés"


def test_country_names():
    assert country_name("ES", "ru") == "Испания"
    assert country_name("br", "pt") == "Brasil"
    assert country_name("DE", "fr") == "Allemagne"


def test_portuguese_edition_is_brazilian():
    assert str(locale_for("pt")) == "pt_BR"
    assert country_name("BR", "en") == "Brazil"


@pytest.mark.parametrize("call", [
    lambda: autonym("it"),
    lambda: language_menu("xx"),
    lambda: language_name("ru", "it"),
    lambda: country_name("QQ", "en"),
    lambda: language_name("zzz", "en"),
])
def test_unknown_codes_raise_value_error(call):
    with pytest.raises(ValueError):
        call()
