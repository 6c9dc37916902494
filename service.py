"""The HTTP entry point: `flask --app service run`, or `gunicorn 'service:create_app()'`.

The application itself is built by `l10n.web.app.create_app`; this module only names it.
"""

from l10n.web.app import create_app

__all__ = ["create_app"]
