"""`/v1/jobs`: an article or a list of articles translated in the background (docs/jobs.md).

POST answers 202 with the job's id and status URL at once; GET polls it (progress per
edition, then the result, in the shape of `/v1/articles/translate`); DELETE cancels it. A job
belongs to the caller that created it (its API key, or its address on an open service): to
anyone else it does not exist (404), so ids cannot be probed.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from flask import Blueprint, g, url_for
from flask.typing import ResponseReturnValue
from pydantic import BaseModel, BeforeValidator, Field, ValidationInfo, model_validator

from l10n.errors import NotFound, ServiceError
from l10n.jobs.store import ENDED, Job
from l10n.web import admission, openapi
from l10n.web.context import charge, json_body, services
from l10n.web.schemas import (
    ArticleRequest,
    ArticleTranslation,
    Error,
    RequestModel,
    SchemaOf,
    parse,
    refuse,
    settings_of,
)

bp = Blueprint("jobs", __name__, url_prefix="/v1/jobs")
bp.before_request(admission.admit)
operation = openapi.operations_for("v1")
JOB_ID = {"job_id": {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,64}$"}}


def _batch(value: Any, info: ValidationInfo) -> Any:
    limit = settings_of(info).max_batch_items
    if not isinstance(value, list) or not value or len(value) > limit:
        raise refuse("wrong_type", f"articles must be a list of 1 to {limit} articles")
    return value


class JobRequest(RequestModel):
    """One article or a list, and where to call back when done."""

    article: ArticleRequest | None = None
    articles: Annotated[list[ArticleRequest] | None, BeforeValidator(_batch), SchemaOf(
        lambda s: {"type": "array", "items": {"$ref": "#/components/schemas/ArticleRequest"},
                   "minItems": 1, "maxItems": s.max_batch_items})] = None
    callback_url: str | None = Field(None, json_schema_extra={"format": "uri"})

    @model_validator(mode="after")
    def _one_or_many(self) -> JobRequest:
        if ("article" in self.model_fields_set) == ("articles" in self.model_fields_set):
            raise refuse("missing_field", "send either article (one) or articles (a list)")
        return self

    def requests(self) -> list[ArticleRequest]:
        return [self.article] if self.article is not None else list(self.articles or ())


class JobAccepted(BaseModel):
    id: str
    status: str
    status_url: str


class JobResult(BaseModel):
    articles: list[ArticleTranslation]


class JobStatus(BaseModel):
    id: str
    status: Literal["queued", "running", "done", "failed", "cancelled"]
    progress: dict[str, Any]
    created: float
    updated: float
    result: JobResult | None = None
    error: dict[str, Any] | None = None


class JobEnded(ServiceError):
    status = 409
    code = "job_ended"


@bp.post("")
@operation("Translate one article or a list in the background", request=JobRequest,
           errors=(400,), responses={"202": openapi.json_answer(JobAccepted, "Accepted"),
                                     "503": Error},
           description="202 at once; poll status_url, or name callback_url for a signed "
                       "webhook (docs/jobs.md).")
def submit() -> ResponseReturnValue:
    svc = services()
    req = parse(JobRequest, json_body(), svc.settings)
    charge(sum(r.chars * len(r.targets) for r in req.requests()))
    job = svc.jobs.submit(g.caller.identity, [r.article() for r in req.requests()],
                          req.callback_url)
    url = url_for(".status", job_id=job.id)
    return {"id": job.id, "status": job.status, "status_url": url}, 202, {"Location": url}


@bp.get("/<job_id>")
@operation("A job's status, progress and result", response=JobStatus, errors=(404,),
           path=JOB_ID)
def status(job_id: str) -> dict[str, Any]:
    return _render(_own(job_id))


@bp.delete("/<job_id>")
@admission.requires(admission.TRANSLATE)  # the caller's own job: 404 to anyone else
@operation("Cancel a job that has not ended", response=JobStatus, errors=(404,),
           path=JOB_ID, responses={"409": Error})
def cancel(job_id: str) -> dict[str, Any]:
    job = _own(job_id)
    if job.status in ENDED or not services().jobs.cancel(job.id):
        raise JobEnded(f"job {job.id} has already ended ({_own(job_id).status})")
    return _render(_own(job_id))


def _own(job_id: str) -> Job:
    job = services().jobs.store.get(job_id)
    if job is None or job.owner != g.caller.identity:
        raise NotFound(f"no job {job_id!r}", code="unknown_job")
    return job


def _render(job: Job) -> dict[str, Any]:
    body: dict[str, Any] = {"id": job.id, "status": job.status, "progress": job.progress,
                            "created": job.created, "updated": job.updated}
    if job.result is not None:
        body["result"] = job.result
    if job.error is not None:
        body["error"] = job.error
    return body
