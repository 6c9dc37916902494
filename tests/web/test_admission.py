"""Exposing the service: API keys, quotas, rate limits, proxies, body limits, CORS, metrics.

The app fixture takes settings overrides by indirect parametrisation; `keys: True` installs a
keys file with two keys: "newsroom" (a 60-characters-a-day quota) and "partner" (no quota).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from pathlib import Path

import pytest
import requests

from l10n.config import ConfigError, Settings
from l10n.web.admission import KeyRing, TrustedProxies, hash_key

SENTENCE = "Talks continued in Damascus on Friday."  # 38 characters
NEWSROOM, PARTNER = "newsroom-key-0123456789abcdef", "partner-key-fedcba9876543210"
KEYS_FILE = f"""# sha256 of the key, name, character quota
{hash_key(NEWSROOM)}  newsroom  60/day
{hash_key(PARTNER)}  partner
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


def translate(base: str, key: str | None = None, path: str = "/v1/translate",
              headers: dict | None = None, text: str = SENTENCE) -> requests.Response:
    headers = dict(headers or {})
    if key:
        headers["Authorization"] = f"Bearer {key}"
    body = ({"text": text, "source": "en", "targets": ["de"]} if path == "/v1/translate"
            else {"q": text, "source": "en", "target": "de"})
    return requests.post(base + path, json=body, headers=headers, timeout=60)


def error_code(response: requests.Response, status: int) -> str:
    assert response.status_code == status, response.text
    return response.json()["error"]["code"]


# -- keys -------------------------------------------------------------------------------------

def test_hash_key_is_sha256_hex():
    assert hash_key("abc") == hashlib.sha256(b"abc").hexdigest() == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")


@pytest.mark.slow
def test_open_without_keys(live_server, corpus):
    """No keys file: the service is open, and a key sent anyway is ignored."""
    assert translate(live_server).json()["translations"]["de"] == corpus["de"][SENTENCE]
    assert translate(live_server, key="anything").status_code == 200
    assert translate(live_server, path="/translate").status_code == 200


@pytest.mark.slow
@with_settings(**KEYS)
def test_keys_are_required_when_configured(live_server, corpus):
    assert error_code(translate(live_server), 403) == "missing_api_key"
    assert error_code(translate(live_server, key="wrong"), 403) == "invalid_api_key"
    assert error_code(translate(live_server, key=hash_key(PARTNER)), 403) == "invalid_api_key"
    assert translate(live_server, key=PARTNER).json()["translations"]["de"] == \
        corpus["de"][SENTENCE]
    lowercase = requests.post(live_server + "/v1/detect", json={"text": SENTENCE},
                              headers={"Authorization": f"bearer {PARTNER}"}, timeout=30)
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
            translate(live_server, key=PARTNER, path="/translate")):
        assert response.json() == {"translatedText": corpus["de"][SENTENCE]}
    detect = requests.post(live_server + "/detect", data={"q": SENTENCE, "api_key": PARTNER},
                           timeout=30)
    assert detect.status_code == 200 and detect.json()[0]["language"] == "en"


@pytest.mark.slow
@with_settings(**KEYS)
def test_public_paths_need_no_key(live_server):
    for path in ("/health", "/metrics", "/languages", "/v1/languages", "/openapi.json",
                 "/spec", "/docs"):
        assert requests.get(live_server + path, timeout=30).status_code == 200, path
        stale = requests.get(live_server + path, headers={"Authorization": "Bearer old"},
                             timeout=30)
        assert stale.status_code == 200, path  # a wrong key is no reason to refuse these
    assert error_code(requests.get(live_server + "/v1/glossary", timeout=30),
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


# -- quotas -----------------------------------------------------------------------------------

@pytest.mark.slow
@with_settings(**KEYS)
def test_character_quota_per_key(live_server):
    assert translate(live_server, key=NEWSROOM).status_code == 200  # 38 of 60
    refused = translate(live_server, key=NEWSROOM, path="/translate")
    assert refused.status_code == 429
    assert "quota" in refused.json()["error"]
    assert 1 <= int(refused.headers["Retry-After"]) <= 86400
    assert error_code(translate(live_server, key=NEWSROOM), 429) == "quota_exceeded"
    assert translate(live_server, key=PARTNER).status_code == 200  # its own bucket: no quota


@pytest.mark.slow
@with_settings(**KEYS)
def test_quota_counts_characters_per_edition_and_only_valid_requests(live_server):
    bad = requests.post(live_server + "/v1/translate", json={"text": SENTENCE, "targets": "zz"},
                        headers={"Authorization": f"Bearer {NEWSROOM}"}, timeout=30)
    assert error_code(bad, 400) == "unsupported_language"
    assert translate(live_server, key=NEWSROOM).status_code == 200  # the 400 cost nothing
    two = requests.post(live_server + "/v1/translate",
                        json={"text": "Popular", "source": "en", "targets": ["de", "fr"]},
                        headers={"Authorization": f"Bearer {NEWSROOM}"}, timeout=30)
    assert two.status_code == 200  # 38 + 2 × 7 = 52 of 60
    again = requests.post(live_server + "/v1/translate",
                          json={"text": "Popular", "source": "en", "targets": ["de", "fr"]},
                          headers={"Authorization": f"Bearer {NEWSROOM}"}, timeout=30)
    assert error_code(again, 429) == "quota_exceeded"  # 66 > 60


@pytest.mark.slow
@with_settings(**KEYS)
def test_request_larger_than_the_whole_quota_is_a_413(live_server):
    long = " ".join([SENTENCE] * 2)  # 77 characters: no day would ever have room
    assert error_code(translate(live_server, key=NEWSROOM, text=long), 413) == \
        "payload_too_large"
    assert translate(live_server, key=NEWSROOM).status_code == 200  # nothing was charged


@pytest.mark.slow
@with_settings(char_quota="50/day")
def test_open_service_quota_is_per_client_address(live_server):
    assert translate(live_server).status_code == 200
    assert error_code(translate(live_server), 429) == "quota_exceeded"


# -- rate limits ------------------------------------------------------------------------------

@pytest.mark.slow
@with_settings(rate_limit="3/minute", **KEYS)
def test_rate_limit_per_key_with_retry_after(live_server):
    for _ in range(3):
        assert requests.get(live_server + "/v1/glossary", timeout=30,
                            headers={"Authorization": f"Bearer {PARTNER}"}).status_code == 200
    refused = requests.get(live_server + "/v1/glossary", timeout=30,
                           headers={"Authorization": f"Bearer {PARTNER}"})
    assert error_code(refused, 429) == "rate_limited"
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    compat = translate(live_server, key=PARTNER, path="/translate")
    assert compat.status_code == 429 and isinstance(compat.json()["error"], str)
    assert "Retry-After" in compat.headers
    assert translate(live_server, key=NEWSROOM).status_code == 200  # another key's bucket
    for _ in range(5):  # probes are never limited
        assert requests.get(live_server + "/health", timeout=30).status_code == 200


@pytest.mark.slow
@with_settings(rate_limit="3/minute", **KEYS)
def test_guessing_keys_is_rate_limited(live_server):
    statuses = [translate(live_server, key=f"guess-{i}").status_code for i in range(5)]
    assert statuses == [403, 403, 403, 429, 429]


@pytest.mark.slow
@with_settings(rate_limit="2/minute")
def test_spoofed_forwarded_for_is_ignored_without_trusted_proxies(live_server):
    statuses = [requests.get(live_server + "/languages", timeout=30,
                             headers={"X-Forwarded-For": f"198.51.100.{i}"}).status_code
                for i in range(3)]
    assert statuses == [200, 200, 429]


@pytest.mark.slow
@with_settings(rate_limit="2/minute", trusted_proxies=("127.0.0.1/32",))
def test_spoofed_forwarded_for_behind_a_trusted_proxy(live_server):
    """The proxy appends the real client; what the client put before it changes nothing."""
    def get(forwarded_for: str) -> int:
        return requests.get(live_server + "/languages", timeout=30,
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
    owners = {re.sub(r"<[^>]+>", "de", rule.rule): rule.endpoint.partition(".")[0]
              for rule in app.url_map.iter_rules()}
    assert ("POST", "/translate") in routes and ("PUT", "/v1/glossary") in routes
    for method, path in routes:
        response = client.open(path, method=method, data=b"{" + b" " * 1000 + b"}",
                               content_type="application/json")
        assert response.status_code == 413, (method, path)
        body = response.get_json()
        owner = owners[path]
        if owner == "deepl":  # DeepL's shape
            assert set(body) == {"message"}, path
        elif owner == "libretranslate":
            assert isinstance(body["error"], str), path
        else:
            assert body["error"]["code"] == "payload_too_large", path


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


# -- metrics ----------------------------------------------------------------------------------

def metric(text: str, name: str, **labels: str) -> float:
    wanted = ",".join(f'{k}="{v}"' for k, v in labels.items())
    pattern = re.escape(name) + (r"\{" + re.escape(wanted) + r"\}" if labels else "") + r" (\S+)"
    found = re.search(r"^" + pattern + "$", text, re.M)
    assert found, f"{name} {labels} not in metrics"
    return float(found.group(1))


@pytest.mark.slow
@with_settings(trusted_proxies=("127.0.0.1/32",), **KEYS)
def test_metrics(live_server, app, engine):
    headers = {"X-Forwarded-For": "203.0.113.99"}
    for _ in range(2):
        assert translate(live_server, key=PARTNER, headers=headers).status_code == 200
    assert translate(live_server, headers=headers).status_code == 403
    requests.request("FROB", live_server + "/v1/translate", timeout=30,
                     headers={"Authorization": f"Bearer {PARTNER}"})
    text = requests.get(live_server + "/metrics", timeout=30).text
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
