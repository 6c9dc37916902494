"""/v1/jobs over the test client: the embedded runner, real fixture models, a real receiver."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from l10n.jobs import webhooks
from l10n.jobs.runner import to_request
from l10n.jobs.store import JobStore
from l10n.translate.memory import Memory
from l10n.web.schemas import parse_article
from service import create_app
from tests.conftest import ROOT

ARTICLES = [json.loads((ROOT / "examples/articles" / name).read_text(encoding="utf-8"))
            for name in ("telescope.json", "city-bridge.json")]
SECRET = "hook-secret"


@pytest.fixture()
def receiver():
    seen: list[tuple[dict, bytes]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            seen.append((dict(self.headers), self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/l10n", seen
    server.shutdown()


def make_app(settings, engine, tmp_path, **overrides):
    options = {"jobs_path": tmp_path / "jobs.sqlite3", "webhook_secret": SECRET,
               "webhook_hosts": ("127.0.0.1",), "webhook_allow_private": True, **overrides}
    settings = replace(settings, **options)
    app = create_app(settings, engine, memory=Memory(tmp_path / "memory.sqlite3"))
    return app


def wait_for(client, url, status=("done", "failed"), seconds=60.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        body = client.get(url).get_json()
        if body["status"] in status:
            return body
        time.sleep(0.05)
    raise AssertionError(f"job still {body['status']} after {seconds} s")


def test_a_job_translates_articles_like_the_synchronous_endpoint_and_calls_back(
        settings, engine, tmp_path, receiver):
    url, seen = receiver
    app = make_app(settings, engine, tmp_path)
    client = app.test_client()
    response = client.post("/v1/jobs", json={"articles": ARTICLES, "callback_url": url})
    assert response.status_code == 202
    job = response.get_json()
    assert job["status"] == "queued" and response.headers["Location"] == job["status_url"]
    done = wait_for(client, job["status_url"])
    assert done["status"] == "done", done
    assert done["progress"] == {"editions_done": 10, "editions_total": 10}
    expected = [client.post("/v1/articles/translate", json=a).get_json() for a in ARTICLES]
    assert done["result"]["articles"] == expected
    deadline = time.monotonic() + 10
    while not seen and time.monotonic() < deadline:
        time.sleep(0.05)
    headers, body = seen[0]
    assert headers[webhooks.DELIVERY_HEADER] == job["id"]
    assert webhooks.verify(SECRET, headers[webhooks.SIGNATURE_HEADER], body)
    assert json.loads(body)["result"] == done["result"]
    app.extensions["l10n"].jobs.close()


def test_jobs_belong_to_their_caller(settings, engine, tmp_path):
    app = make_app(settings, engine, tmp_path)
    client = app.test_client()
    job = client.post("/v1/jobs", json={"article": ARTICLES[0]}).get_json()
    stranger = {"REMOTE_ADDR": "203.0.113.9"}
    assert client.get(job["status_url"], environ_base=stranger).status_code == 404
    assert client.delete(job["status_url"], environ_base=stranger).status_code == 404
    done = wait_for(client, job["status_url"])
    assert done["status"] == "done"
    ended = client.delete(job["status_url"])
    assert ended.status_code == 409 and ended.get_json()["error"]["code"] == "job_ended"
    app.extensions["l10n"].jobs.close()


def test_a_job_accepted_before_a_restart_runs_after_it(settings, engine, tmp_path):
    store = JobStore(tmp_path / "jobs.sqlite3", retention=60)
    article = parse_article(ARTICLES[0], settings)
    job = store.create("addr:127.0.0.1", to_request([article]), None)
    app = make_app(settings, engine, tmp_path)
    done = wait_for(app.test_client(), f"/v1/jobs/{job.id}")
    assert done["status"] == "done" and len(done["result"]["articles"]) == 1
    app.extensions["l10n"].jobs.close()


@pytest.mark.parametrize(("payload", "status", "code"), [
    ({"articles": []}, 400, "wrong_type"),
    ({}, 400, "missing_field"),
    ({"article": ARTICLES[0], "articles": ARTICLES}, 400, "missing_field"),
    ({"article": {"body": 5}}, 400, "wrong_type"),
    ({"article": ARTICLES[0], "callback_url": "http://10.0.0.1/x"}, 400, "webhook_not_allowed"),
    ({"article": ARTICLES[0], "callback_url": "http://cms.example.org/x"}, 400,
     "webhook_not_allowed"),
])
def test_bad_submissions_are_refused_and_leave_no_job(settings, engine, tmp_path, payload, status,
                                                      code):
    app = make_app(settings, engine, tmp_path, webhook_allow_private=False)
    response = app.test_client().post("/v1/jobs", json=payload)
    assert response.status_code == status and response.get_json()["error"]["code"] == code
    assert app.extensions["l10n"].jobs.store.queued() == 0


def test_a_full_queue_answers_503(settings, engine, tmp_path):
    app = make_app(settings, engine, tmp_path, job_queue=0)
    response = app.test_client().post("/v1/jobs", json={"article": ARTICLES[0]})
    assert response.status_code == 503 and response.get_json()["error"]["code"] == "queue_full"
