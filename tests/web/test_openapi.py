"""The OpenAPI document covers every route, tells the limits in force, and holds up under
schemathesis; `/docs` renders it without anything from outside."""

from __future__ import annotations

import re
import shutil
from collections import Counter
from dataclasses import replace

import pytest
import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from l10n.web.openapi import openapi_path
from tests.conftest import ROOT


def routes(app) -> set[tuple[str, str]]:
    """(path, method) of every route but Flask's static files (no API; only when ./static
    exists)."""
    return {(openapi_path(rule.rule), method.lower()) for rule in app.url_map.iter_rules()
            if rule.endpoint != "static" for method in rule.methods - {"HEAD", "OPTIONS"}}


def test_every_route_is_documented_and_nothing_else(app, client):
    spec = client.get("/openapi.json").get_json()
    documented = {(path, method) for path, item in spec["paths"].items() for method in item}
    assert documented == routes(app)
    assert spec["openapi"].startswith("3.")
    for path, item in spec["paths"].items():
        for method, op in item.items():
            success = {"200", "202"} & set(op["responses"])
            assert op["summary"] and success, (method, path)


def test_a_new_route_without_an_operation_is_left_out(app, client):
    """`build` only documents operations it knows: the test above then names the route."""
    app.add_url_rule("/v1/new-thing", "new_thing", lambda: {}, methods=["GET"])
    spec = client.get("/openapi.json").get_json()
    assert "/v1/new-thing" not in spec["paths"]
    assert ("/v1/new-thing", "get") in routes(app)


def test_limits_in_force_are_in_the_document(settings, engine):
    from service import create_app

    small = replace(settings, max_chars=123, max_batch_items=7, max_alternatives=2)
    spec = create_app(small, engine).test_client().get("/openapi.json").get_json()
    schemas = spec["components"]["schemas"]
    assert schemas["TranslateRequest"]["properties"]["text"]["x-max-chars"] == 123  # of text
    assert schemas["DetectRequest"]["properties"]["text"]["maxLength"] == 123
    batch = schemas["CompatTranslateRequest"]["properties"]["q"]["oneOf"][1]
    assert batch["maxItems"] == 7 and batch["items"]["maxLength"] == 123
    assert schemas["CompatTranslateRequest"]["properties"]["alternatives"]["maximum"] == 2


@pytest.mark.parametrize("rule, path", [
    ("/v1/catalogs/<lang>", "/v1/catalogs/{lang}"),
    ("/v1/catalogs/<string:lang>/entries/<int:n>", "/v1/catalogs/{lang}/entries/{n}"),
    ("/health", "/health"),
])
def test_openapi_path(rule, path):
    assert openapi_path(rule) == path


def test_docs_page_lists_every_operation_self_contained(client):
    spec = client.get("/openapi.json").get_json()
    response = client.get("/docs")
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    for path, item in spec["paths"].items():
        for method in item:
            assert f'id="{method}-{path}"' in page, (method, path)
    assert "<script" not in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)  # nothing from outside
    assert "<message>" not in page and "&lt;message&gt;" in page  # escaped, not dropped
    policy = dict(part.strip().split(" ", 1)
                  for part in response.headers["Content-Security-Policy"].split(";"))
    assert policy["default-src"] == "'none'" and "script-src" not in policy
    assert policy["style-src"].startswith("'sha256-") and policy["frame-ancestors"] == "'none'"


# -- schemathesis: every documented operation, generated requests, no 500 -------------------
# The operations are walked by hand: schemathesis' pytest integration with a fixture
# (`schemathesis.pytest.from_fixture`) fails under pytest 9, and the app needs fixtures.

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


@pytest.mark.slow
def test_generated_requests(settings, engine, tmp_path):
    """No 500, and every answer one the document promises (status, media type, schema), for
    requests that follow the schema and for requests that break it. On throwaway state (PUT
    /v1/glossary and /v1/memory write) and without a rate limit (requests come fast)."""
    from service import create_app

    glossary = tmp_path / "names.tsv"
    shutil.copy(settings.glossary or ROOT / "glossary/names.tsv", glossary)
    app = create_app(replace(settings, glossary=glossary, data_dir=tmp_path / "data",
                             rate_limit="off"), engine)
    schema = schemathesis.openapi.from_wsgi("/openapi.json", app)
    failures, statuses = [], Counter()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {op.label for op in operations} == {  # schemathesis leaves out the schema's own path
        f"{method.upper()} {path}" for path, method in routes(app)} - {"GET /openapi.json"}
    for operation in operations:
        takes_input = bool(list(operation.iter_parameters())
                           or operation.get_request_payload_content_types())
        modes = [GenerationMode.POSITIVE] + [GenerationMode.NEGATIVE] * takes_input

        for mode in modes:
            @given(case=operation.as_strategy(generation_mode=mode))
            @hypothesis_settings(max_examples=80, deadline=None, derandomize=True,
                                 database=None, suppress_health_check=list(HealthCheck))
            def check(case) -> None:
                statuses[case.call_and_validate(checks=CHECKS).status_code] += 1

            try:
                check()
            except Exception as exc:
                failures.append(f"{operation.label} ({mode.value}): {exc}")
    assert not failures, "\n\n".join(failures)
    assert statuses[200] > 100 and statuses[400] > 100  # both answers and refusals were tested


def test_registries_are_what_the_document_lists(client):
    from l10n.markup.registry import NAMES
    from l10n.translate.qa import FLAGS

    schemas = client.get("/openapi.json").get_json()["components"]["schemas"]
    assert schemas["FlaggedSegment"]["properties"]["flags"]["items"]["enum"] == list(FLAGS)
    for model in ("TranslateRequest", "ArticleRequest"):
        assert schemas[model]["properties"]["format"]["enum"] == list(NAMES)
