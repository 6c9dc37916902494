"""Exposing the service: API keys, quotas, rate limits, proxies, body limits, CORS, metrics.

The app fixture takes settings overrides by indirect parametrisation; `keys: True` installs a
keys file with four keys: "newsroom" (a 60-characters-a-day quota), "partner" (no quota), both
translate-only (no roles field), "desk" (review) and "chief" (admin).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from pathlib import Path

import pytest
import requests

from l10n.config import ConfigError, Settings
from l10n.web.admission import (
    ADMIN,
    REVIEW,
    TRANSLATE,
    KeyRing,
    TrustedProxies,
    hash_key,
    redact,
    requires,
)

SENTENCE = "Talks continued in Damascus on Friday."  # 38 characters
NEWSROOM, PARTNER = "newsroom-key-0123456789abcdef", "partner-key-fedcba9876543210"
DESK, CHIEF = "desk-key-00112233445566778899", "chief-key-99887766554433221100"
KEYS_FILE = f"""# sha256 of the key, name, character quota, roles
{hash_key(NEWSROOM)}  newsroom  60/day
{hash_key(PARTNER)}  partner
{hash_key(DESK)}  desk  off  roles=review
{hash_key(CHIEF)}  chief  roles=admin
"""
KEYS = {"keys": True}


@pytest.fixture()
def app(request, settings, engine, tmp_path):
    from service import create_app

    overrides = {"memory_path": tmp_path / "memory.sqlite3", **getattr(request, "param", {})}
    if overrides.pop("keys", False):
        path = tmp_path / "keys.txt"
        path.write_text(KEYS_FILE, encoding="utf-8")
        overrides["api_keys_file"] = path
    return create_app(replace(settings, **overrides), engine)


def with_settings(**overrides):
    return pytest.mark.parametrize("app", [overrides], indirect=True)


def translate(client, key: str | None = None, path: str = "/v1/translate",
              headers: dict | None = None, text: str = SENTENCE):
    """Through the test client: a text into German, on /v1 or LibreTranslate's path."""
    headers = dict(headers or {})
    if key:
        headers["Authorization"] = f"Bearer {key}"
    body = ({"text": text, "source": "en", "targets": ["de"]} if path == "/v1/translate"
            else {"q": text, "source": "en", "target": "de"})
    return client.post(path, json=body, headers=headers)


def error_code(response, status: int) -> str:
    """The error's code, of a test-client or a requests response."""
    body = response.json() if callable(response.json) else response.json
    assert response.status_code == status, body
    return body["error"]["code"]


# -- keys -------------------------------------------------------------------------------------

def test_hash_key_is_sha256_hex():
    assert hash_key("abc") == hashlib.sha256(b"abc").hexdigest() == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")


def test_open_without_keys(client, corpus):
    """No keys file: the service is open, and a key sent anyway is ignored."""
    assert translate(client).get_json()["translations"]["de"] == corpus["de"][SENTENCE]
    assert translate(client, key="anything").status_code == 200
    assert translate(client, path="/translate").status_code == 200


@with_settings(**KEYS)
def test_keys_are_required_when_configured(client, corpus):
    assert error_code(translate(client), 403) == "missing_api_key"
    assert error_code(translate(client, key="wrong"), 403) == "invalid_api_key"
    assert error_code(translate(client, key=hash_key(PARTNER)), 403) == "invalid_api_key"
    assert translate(client, key=PARTNER).get_json()["translations"]["de"] == \
        corpus["de"][SENTENCE]
    lowercase = client.post("/v1/detect", json={"text": SENTENCE},
                              headers={"Authorization": f"bearer {PARTNER}"})
    assert lowercase.status_code == 200


@pytest.mark.slow
@with_settings(**KEYS)
def test_libretranslate_paths_take_api_key_and_answer_in_their_shape(live_server, corpus):
    fields = {"q": SENTENCE, "source": "en", "target": "de"}
    missing = requests.post(live_server + "/translate", json=fields, timeout=30)
    assert missing.status_code == 403 and isinstance(missing.json()["error"], str)
    wrong = requests.post(live_server + "/translate", json={**fields, "api_key": "nope"},
                          timeout=30)
    assert wrong.status_code == 403 and wrong.json() == {"error": "Invalid API key"}
    for response in (
            requests.post(live_server + "/translate", json={**fields, "api_key": PARTNER},
                          timeout=60),
            requests.post(live_server + "/translate", data={**fields, "api_key": PARTNER},
                          timeout=60),
            requests.post(live_server + "/translate", files={
                k: (None, v) for k, v in {**fields, "api_key": PARTNER}.items()}, timeout=60),
            requests.post(live_server + "/translate", json=fields, timeout=60,
                          headers={"Authorization": f"Bearer {PARTNER}"})):
        assert response.json() == {"translatedText": corpus["de"][SENTENCE]}
    detect = requests.post(live_server + "/detect", data={"q": SENTENCE, "api_key": PARTNER},
                           timeout=30)
    assert detect.status_code == 200 and detect.json()[0]["language"] == "en"


@with_settings(**KEYS)
def test_public_paths_need_no_key(client):
    for path in ("/health", "/metrics", "/languages", "/v1/languages", "/openapi.json",
                 "/spec", "/docs"):
        assert client.get(path).status_code == 200, path
        stale = client.get(path, headers={"Authorization": "Bearer old"})
        assert stale.status_code == 200, path  # a wrong key is no reason to refuse these
    assert error_code(client.get("/v1/glossary"),
                      403) == "missing_api_key"


def test_keys_file_must_hold_digests_not_keys(tmp_path):
    path = tmp_path / "keys.txt"
    path.write_text("my-secret-key newsroom\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="sha256"):
        KeyRing.load(path, ())
    path.write_text(f"{hash_key('a')} same\n{hash_key('b')} same\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="line 2.*twice"):
        KeyRing.load(path, ())
    path.write_text(f"{hash_key('a')} newsroom lots\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="line 1"):
        KeyRing.load(path, ())


def test_lookup_finds_the_right_key_among_many(tmp_path):
    path = tmp_path / "keys.txt"
    path.write_text("".join(f"{hash_key(f'key-{i}')} caller-{i}\n" for i in range(50)),
                    encoding="utf-8")
    ring = KeyRing.load(path, ())
    assert ring.required and ring.lookup("key-37").name == "caller-37"
    assert ring.lookup("key-50") is None and ring.lookup(hash_key("key-1")) is None


def test_empty_keys_file_locks_the_service(tmp_path, settings, engine):
    """A configured but empty file means no valid key, not an open service."""
    from service import create_app

    path = tmp_path / "keys.txt"
    path.write_text("# nobody yet\n", encoding="utf-8")
    client = create_app(replace(settings, api_keys_file=path), engine).test_client()
    assert client.post("/v1/detect", json={"text": SENTENCE}).status_code == 403


# -- roles ------------------------------------------------------------------------------------

def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def test_roles_in_the_keys_file(tmp_path):
    path = tmp_path / "keys.txt"
    path.write_text(KEYS_FILE, encoding="utf-8")
    ring = KeyRing.load(path, ())
    roles = {key.name: key.roles for key in ring.keys}
    assert roles["partner"] == roles["newsroom"] == {TRANSLATE}  # old lines: translate only
    assert roles["desk"] == {TRANSLATE, REVIEW}
    assert roles["chief"] == {TRANSLATE, REVIEW, ADMIN}
    assert ring.lookup(DESK).quota == () and ring.lookup(CHIEF).quota == ()
    for bad in ("roles=editor", "roles=", "60/day roles=review extra"):
        path.write_text(f"{hash_key('a')} someone {bad}\n", encoding="utf-8")
        with pytest.raises(ConfigError, match="line 1"):
            KeyRing.load(path, ())


def write_routes(app) -> list[tuple[str, str, str]]:
    """(method, path, role) of every route that changes what the service holds."""
    out = []
    for method, path in every_route(app):
        rule = app.url_map.bind("localhost").match(path, method=method, return_rule=True)[0]
        view = app.view_functions[rule.endpoint]
        if method in ("PUT", "PATCH", "DELETE"):
            out.append((method, path, getattr(view, "role", None)))
    return out


@with_settings(**KEYS)
def test_every_write_route_needs_its_role(app, client):
    writes = write_routes(app)
    assert ("PUT", "/v1/memory", REVIEW) in writes and ("PUT", "/v1/glossary", ADMIN) in writes
    for method, path, role in writes:
        assert role is not None, f"{method} {path}: a write must declare its role"
        for key, allowed in ((PARTNER, role == TRANSLATE), (DESK, role in (TRANSLATE, REVIEW)),
                             (CHIEF, True)):
            response = client.open(path, method=method, json={}, headers=bearer(key))
            if allowed:  # admitted: the empty body (or the unknown id) is what is wrong now
                assert response.status_code in (400, 404), (method, path, key)
            else:
                assert error_code(response, 403) == "role_required", (method, path, key)
                assert role in response.get_json()["error"]["message"]


@with_settings(**KEYS)
def test_review_role_stores_corrections(client):
    correction = {"source": "en", "target": "de", "text": SENTENCE, "translation": "Korrigiert."}
    assert error_code(client.put("/v1/memory", json=correction, headers=bearer(NEWSROOM)),
                      403) == "role_required"
    stored = client.put("/v1/memory", json=correction, headers=bearer(DESK))
    assert stored.status_code == 200 and stored.get_json()["reviewer"] is None
    served = client.post("/v1/translate", json={"text": SENTENCE, "source": "en",
                                                "targets": ["de"]}, headers=bearer(PARTNER))
    assert served.get_json()["translations"]["de"] == "Korrigiert."


def test_open_service_checks_no_roles(client):
    """No keys file: nobody is told apart, so every caller may write (development)."""
    correction = {"source": "en", "target": "de", "text": SENTENCE, "translation": "Korrigiert."}
    assert client.put("/v1/memory", json=correction).status_code == 200


def test_requires_knows_the_roles():
    with pytest.raises(ValueError, match="editor"):
        requires("editor")


# -- quotas -----------------------------------------------------------------------------------

@with_settings(**KEYS)
def test_character_quota_per_key(client):
    assert translate(client, key=NEWSROOM).status_code == 200  # 38 of 60
    refused = translate(client, key=NEWSROOM, path="/translate")
    assert refused.status_code == 429
    assert "quota" in refused.get_json()["error"]
    assert 1 <= int(refused.headers["Retry-After"]) <= 86400
    assert error_code(translate(client, key=NEWSROOM), 429) == "quota_exceeded"
    assert translate(client, key=PARTNER).status_code == 200  # its own bucket: no quota


@with_settings(**KEYS)
def test_quota_counts_characters_per_edition_and_only_valid_requests(client):
    bad = client.post("/v1/translate", json={"text": SENTENCE, "targets": "zz"},
                        headers={"Authorization": f"Bearer {NEWSROOM}"})
    assert error_code(bad, 400) == "unsupported_language"
    assert translate(client, key=NEWSROOM).status_code == 200  # the 400 cost nothing
    two = client.post("/v1/translate",
                        json={"text": "Popular", "source": "en", "targets": ["de", "fr"]},
                        headers={"Authorization": f"Bearer {NEWSROOM}"})
    assert two.status_code == 200  # 38 + 2 × 7 = 52 of 60
    again = client.post("/v1/translate",
                          json={"text": "Popular", "source": "en", "targets": ["de", "fr"]},
                          headers={"Authorization": f"Bearer {NEWSROOM}"})
    assert error_code(again, 429) == "quota_exceeded"  # 66 > 60


@with_settings(**KEYS)
def test_request_larger_than_the_whole_quota_is_a_413(client):
    long = " ".join([SENTENCE] * 2)  # 77 characters: no day would ever have room
    assert error_code(translate(client, key=NEWSROOM, text=long), 413) == \
        "payload_too_large"
    assert translate(client, key=NEWSROOM).status_code == 200  # nothing was charged


@with_settings(char_quota="50/day")
def test_open_service_quota_is_per_client_address(client):
    assert translate(client).status_code == 200
    assert error_code(translate(client), 429) == "quota_exceeded"


# -- rate limits ------------------------------------------------------------------------------

@with_settings(rate_limit="3/minute", **KEYS)
def test_rate_limit_per_key_with_retry_after(client):
    for _ in range(3):
        assert client.get("/v1/glossary",
                            headers={"Authorization": f"Bearer {PARTNER}"}).status_code == 200
    refused = client.get("/v1/glossary",
                           headers={"Authorization": f"Bearer {PARTNER}"})
    assert error_code(refused, 429) == "rate_limited"
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    compat = translate(client, key=PARTNER, path="/translate")
    assert compat.status_code == 429 and isinstance(compat.get_json()["error"], str)
    assert "Retry-After" in compat.headers
    assert translate(client, key=NEWSROOM).status_code == 200  # another key's bucket
    for _ in range(5):  # probes are never limited
        assert client.get("/health").status_code == 200


@with_settings(rate_limit="3/minute", **KEYS)
def test_guessing_keys_is_rate_limited(client):
    statuses = [translate(client, key=f"guess-{i}").status_code for i in range(5)]
    assert statuses == [403, 403, 403, 429, 429]


@with_settings(rate_limit="2/minute")
def test_spoofed_forwarded_for_is_ignored_without_trusted_proxies(client):
    statuses = [client.get("/languages",
                             headers={"X-Forwarded-For": f"198.51.100.{i}"}).status_code
                for i in range(3)]
    assert statuses == [200, 200, 429]


@with_settings(rate_limit="2/minute", trusted_proxies=("127.0.0.1/32",))
def test_spoofed_forwarded_for_behind_a_trusted_proxy(client):
    """The proxy appends the real client; what the client put before it changes nothing."""
    def get(forwarded_for: str) -> int:
        return client.get("/languages",
                            headers={"X-Forwarded-For": forwarded_for}).status_code

    assert [get(f"10.9.9.{i}, 203.0.113.5") for i in range(3)] == [200, 200, 429]
    assert get("198.51.100.7") == 200  # a different client behind the same proxy


PROXIES = TrustedProxies.parse(["10.0.0.0/8", "::1/128"])


@pytest.mark.parametrize("peer, forwarded_for, client", [
    ("203.0.113.5", ["1.2.3.4"], "203.0.113.5"),  # an untrusted peer's header is ignored
    ("10.0.0.1", [], "10.0.0.1"),
    ("10.0.0.1", ["1.2.3.4"], "1.2.3.4"),
    ("10.0.0.1", ["6.6.6.6, 1.2.3.4"], "1.2.3.4"),  # LibreTranslate would take 6.6.6.6
    ("10.0.0.1", ["6.6.6.6", "1.2.3.4"], "1.2.3.4"),  # several headers are one list
    ("10.0.0.1", ["6.6.6.6, 1.2.3.4, 10.0.0.2"], "1.2.3.4"),  # a chain of trusted proxies
    ("10.0.0.1", ["10.0.0.3, 10.0.0.2"], "10.0.0.3"),  # only proxies: the farthest
    ("10.0.0.1", ["1.2.3.4, not-an-ip"], "10.0.0.1"),  # garbage: stop at the last sure hop
    ("::1", ["2001:db8::7"], "2001:db8::7"),
    ("::ffff:10.0.0.1", ["1.2.3.4"], "1.2.3.4"),  # IPv4-mapped peer
])
def test_client_address(peer, forwarded_for, client):
    assert PROXIES.client_address(peer, forwarded_for) == client


def test_bad_proxy_network_is_a_config_error():
    with pytest.raises(ConfigError, match="L10N_TRUSTED_PROXIES"):
        TrustedProxies.parse(["10.0.0.0/33"])


def test_exposure_settings_from_the_environment():
    settings = Settings.from_env({
        "L10N_API_KEYS_FILE": "/etc/l10n/keys", "L10N_RATE_LIMIT": "10/second;500/hour",
        "L10N_CHAR_QUOTA": "2000000/day", "L10N_TRUSTED_PROXIES": "10.0.0.0/8, 127.0.0.1/32",
        "L10N_CORS_ORIGINS": "https://cms.example,https://staging.cms.example",
        "L10N_MAX_BATCH_ITEMS": "20", "L10N_MAX_ALTERNATIVES": "0"})
    assert settings.api_keys_file == Path("/etc/l10n/keys")
    assert settings.trusted_proxies == ("10.0.0.0/8", "127.0.0.1/32")
    assert settings.cors_origins == ("https://cms.example", "https://staging.cms.example")
    assert (settings.rate_limit, settings.char_quota) == ("10/second;500/hour", "2000000/day")
    assert (settings.max_batch_items, settings.max_alternatives) == (20, 0)
    defaults = Settings.from_env({})
    assert defaults.api_keys_file is None and defaults.cors_origins == ()
    assert defaults.trusted_proxies == () and defaults.char_quota == "off"


@pytest.mark.parametrize("overrides, variable", [
    ({"rate_limit": "lots"}, "L10N_RATE_LIMIT"),
    ({"char_quota": "5 per fortnight"}, "L10N_CHAR_QUOTA"),
    ({"rate_limit_storage": "nosuch://"}, "L10N_RATE_LIMIT_STORAGE"),
])
def test_bad_limit_settings_fail_at_start(settings, engine, overrides, variable):
    from service import create_app

    with pytest.raises(ConfigError, match=variable):
        create_app(replace(settings, **overrides), engine)


# -- body limits ------------------------------------------------------------------------------

def every_route(app) -> list[tuple[str, str]]:
    out = []
    for rule in app.url_map.iter_rules():
        path = re.sub(r"<[^>]+>", "de", rule.rule)
        out += [(method, path) for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    return out


@with_settings(max_body_bytes=1000)
def test_oversize_body_is_a_413_on_every_route(app):
    client = app.test_client()
    routes = every_route(app)
    assert ("POST", "/translate") in routes and ("PUT", "/v1/glossary") in routes
    for method, path in routes:
        response = client.open(path, method=method, data=b"{" + b" " * 1000 + b"}",
                               content_type="application/json")
        assert response.status_code == 413, (method, path)
        error = response.get_json()["error"]
        if path in ("/translate", "/detect", "/languages"):
            assert isinstance(error, str), path
        else:
            assert error["code"] == "payload_too_large", path


@pytest.mark.slow
@with_settings(max_body_bytes=1000)
def test_oversize_form_over_real_http(live_server):
    response = requests.post(live_server + "/translate", timeout=30, data={
        "q": "x" * 2000, "source": "en", "target": "de"})
    assert response.status_code == 413 and isinstance(response.json()["error"], str)


# -- CORS -------------------------------------------------------------------------------------

def test_cors_is_off_by_default(client):
    response = client.options("/v1/translate", headers={
        "Origin": "https://cms.example", "Access-Control-Request-Method": "POST"})
    assert "Access-Control-Allow-Origin" not in response.headers
    response = client.get("/languages", headers={"Origin": "https://cms.example"})
    assert "Access-Control-Allow-Origin" not in response.headers


@with_settings(cors_origins=("https://cms.example",), **KEYS)
def test_cors_for_configured_origins(app):
    client = app.test_client()
    preflight = client.options("/v1/translate", headers={
        "Origin": "https://cms.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type"})
    assert preflight.status_code == 200  # a preflight carries no key: never refused for it
    assert preflight.headers["Access-Control-Allow-Origin"] == "https://cms.example"
    assert "authorization" in preflight.headers["Access-Control-Allow-Headers"].lower()
    other = client.options("/v1/translate", headers={
        "Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
    assert "Access-Control-Allow-Origin" not in other.headers
    refused = client.post("/v1/detect", json={"text": SENTENCE},
                          headers={"Origin": "https://cms.example"})
    assert refused.status_code == 403
    assert refused.headers["Access-Control-Allow-Origin"] == "https://cms.example"


@with_settings(cors_origins=("https://cms.example",), **KEYS)
def test_cors_answers_vary_on_origin(app):
    """Whatever the Origin (none, allowed, another) and the answer (200, 403, 404)."""
    client = app.test_client()
    for headers in ({}, {"Origin": "https://cms.example"}, {"Origin": "https://evil.example"}):
        for response in (client.get("/languages", headers=headers),
                         client.post("/v1/detect", json={"text": SENTENCE}, headers=headers),
                         client.get("/v1/nope", headers=headers)):
            assert "Origin" in response.vary, (headers, response.status_code)


# -- keys in URLs -----------------------------------------------------------------------------

@with_settings(**KEYS)
def test_a_key_in_the_query_string_is_refused(client):
    for name in ("api_key", "key", "auth_key"):
        response = client.post(f"/v1/detect?{name}={PARTNER}", json={"text": SENTENCE})
        assert error_code(response, 403) == "key_in_url"
    compat = client.post(f"/translate?api_key={PARTNER}", json={"q": SENTENCE,
                                                               "source": "en", "target": "de"})
    assert compat.status_code == 403 and "URL" in compat.get_json()["error"]


@pytest.mark.parametrize("line, logged", [
    ('"POST /translate?api_key=s3cret&x=1 HTTP/1.1" 403 -',
     '"POST /translate?api_key=[redacted]&x=1 HTTP/1.1" 403 -'),
    ("GET /v1/detect?a=1;KEY=s3cret", "GET /v1/detect?a=1;KEY=[redacted]"),
    ("GET /v2/translate?auth_key=s3cret:fx&text=hi", "GET /v2/translate?auth_key=[redacted]&text=hi"),
    ("GET /languages?monkey=1", "GET /languages?monkey=1"),
])
def test_redact(line, logged):
    assert redact(line) == logged


@pytest.mark.slow
@with_settings(**KEYS)
def test_access_log_never_holds_a_key(live_server, caplog):
    """Over real HTTP: the access log is the server's."""
    with caplog.at_level("INFO", logger="werkzeug"):
        response = requests.post(f"{live_server}/v1/detect?api_key={PARTNER}",
                                 json={"text": SENTENCE}, timeout=30)
        assert error_code(response, 403) == "key_in_url"
    lines = [record.getMessage() for record in caplog.records if record.name == "werkzeug"]
    assert any("/v1/detect?api_key=[redacted]" in line for line in lines), lines
    assert PARTNER not in caplog.text


# -- metrics ----------------------------------------------------------------------------------

def metric(text: str, name: str, **labels: str) -> float:
    wanted = ",".join(f'{k}="{v}"' for k, v in labels.items())
    pattern = re.escape(name) + (r"\{" + re.escape(wanted) + r"\}" if labels else "") + r" (\S+)"
    found = re.search(r"^" + pattern + "$", text, re.M)
    assert found, f"{name} {labels} not in metrics"
    return float(found.group(1))


@with_settings(trusted_proxies=("127.0.0.1/32",), **KEYS)
def test_metrics(client, app, engine):
    headers = {"X-Forwarded-For": "203.0.113.99"}
    for _ in range(2):
        assert translate(client, key=PARTNER, headers=headers).status_code == 200
    assert translate(client, headers=headers).status_code == 403
    client.open("/v1/translate", method="FROB",
                     headers={"Authorization": f"Bearer {PARTNER}"})
    text = client.get("/metrics").get_data(as_text=True)
    assert metric(text, "l10n_http_requests_total", endpoint="/v1/translate", method="POST",
                  status="200") == 2
    assert metric(text, "l10n_http_requests_total", endpoint="/v1/translate", method="POST",
                  status="403") == 1
    assert metric(text, "l10n_http_requests_total", endpoint="unmatched", method="other",
                  status="405") == 1
    assert metric(text, "l10n_http_request_duration_seconds_count", endpoint="/v1/translate",
                  method="POST") == 3
    assert metric(text, "l10n_engine_segments_total") == engine.segments > 0
    memory = app.extensions["l10n"].memory
    hits, misses = metric(text, "l10n_memory_hits_total"), metric(text, "l10n_memory_misses_total")
    assert (hits, misses) == (memory.hits, memory.misses) == (1, 1)  # a fresh memory
    assert metric(text, "l10n_memory_hit_ratio") == pytest.approx(hits / (hits + misses))
    # Nothing that tells callers apart.
    assert "203.0.113.99" not in text and "127.0.0.1" not in text and "partner" not in text
    labels = set(re.findall(r"[{,](\w+)=", text))
    assert labels == {"endpoint", "method", "status", "le"}
