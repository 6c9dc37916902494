"""POST /v1/format: CLDR numbers, percentages, amounts and dates per edition."""

import pytest


def test_numbers_amounts_and_dates_in_each_editions_conventions(client):
    body = client.post("/v1/format", json={
        "languages": ["ru", "de", "en"], "numbers": [1234567.5], "percents": [0.25],
        "amounts": [{"value": 1234.5, "currency": "EUR"}], "dates": ["2026-03-05T21:30:00Z"],
    }).get_json()
    assert list(body) == ["ru", "de", "en"]
    assert body["ru"]["numbers"] == ["1\xa0234\xa0567,5"]
    assert body["de"]["numbers"] == ["1.234.567,5"]
    assert body["en"]["numbers"] == ["1,234,567.5"]
    assert body["de"]["percents"] == ["25\xa0%"] and body["en"]["percents"] == ["25%"]
    assert body["de"]["amounts"] == ["1.234,50\xa0€"] and body["en"]["amounts"] == ["€1,234.50"]
    assert body["ru"]["dates"] == ["6 марта 2026\u202fг., 00:30"]  # Moscow's clock, genitive month
    assert body["en"]["dates"] == ["5 March 2026, 21:30"]


def test_every_edition_when_none_is_named(client):
    body = client.post("/v1/format", json={"numbers": [7]}).get_json()
    assert sorted(body) == sorted(["en", "ru", "de", "fr", "pt", "es"])


@pytest.mark.parametrize(("payload", "code", "field"), [
    ({"numbers": ["7"]}, "wrong_type", "numbers"),
    ({"numbers": [True]}, "wrong_type", "numbers"),
    ({"numbers": [1e300]}, "out_of_range", "numbers"),
    ({"numbers": list(range(101))}, "too_many_items", "numbers"),
    ({"amounts": [{"value": 1, "currency": "euro"}]}, "wrong_type", "amounts"),
    ({"dates": ["2026-03-05T21:30:00"]}, "wrong_type", "dates"),  # naive: which clock?
    ({"dates": ["9999-12-31T23:59:59+00:00"]}, "out_of_range", "dates"),
    ({"languages": ["xx"]}, "unsupported_language", "languages"),
    ([1, 2], "invalid_json", None),
])
def test_bad_values_are_400_with_a_code(client, payload, code, field):
    response = client.post("/v1/format", json=payload)
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == code and error.get("field") == field
