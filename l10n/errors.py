"""Errors a caller can act on: an HTTP status, a machine-readable code and a human message.

Every layer raises `ServiceError` (or a subclass) for bad input; the HTTP layer renders it as
`{"error": {"code": ..., "message": ...}}` and the CLI prints the message and exits non-zero.
"""

from __future__ import annotations


class ServiceError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, code: str | None = None, status: int | None = None,
                 field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.code
        self.status = status or self.status
        self.field = field

    @property
    def headers(self) -> dict[str, str]:
        """HTTP headers the answer must carry (Retry-After on a 429)."""
        return {}

    def to_dict(self) -> dict:
        body = {"code": self.code, "message": self.message}
        if self.field:
            body["field"] = self.field
        return {"error": body}


class InputError(ServiceError):
    """The request itself is wrong (missing field, wrong type, unknown language...)."""


class TooLarge(ServiceError):
    status = 413
    code = "payload_too_large"


class NotFound(ServiceError):
    status = 404
    code = "not_found"
