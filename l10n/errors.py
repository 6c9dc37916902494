"""Errors a caller can act on: an HTTP status, a machine-readable code and a human message.

Every layer raises `ServiceError` (or a subclass) for bad input; the HTTP layer renders it as
`{"error": {"code": ..., "message": ...}}` and the CLI prints the message and exits non-zero.
"""

from __future__ import annotations

import errno
import sqlite3


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


class StorageFull(ServiceError):
    """The disk (or the database's size limit) is full: what the request had to write was
    not written, and nothing half-written was left."""

    status = 507
    code = "insufficient_storage"


def storage_full(exc: BaseException) -> StorageFull | None:
    """The StorageFull an exception means, if it is one: ENOSPC/EDQUOT from the OS, or
    SQLite's "database or disk is full"."""
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return StorageFull(f"the server's disk is full; nothing was written ({exc.strerror})")
    if isinstance(exc, sqlite3.OperationalError) and "full" in str(exc):
        return StorageFull(f"the server's storage is full; nothing was written ({exc})")
    return None


class NotFound(ServiceError):
    status = 404
    code = "not_found"
