"""Files that ship with l10n: the default names glossary and the UI string catalogs.

Editors and translators change them in the repository (`glossary/names.tsv`, `locales/`); a
built wheel carries a copy inside the package (`l10n/shipped/`, put there by setup.py), so an
installed l10n finds its defaults without a source checkout. `shipped(name)` is the copy
inside the package when there is one, else the checkout's own file.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
SHIPPED = "shipped"  # the folder of the copies inside the package


def shipped(name: str) -> Path:
    """The shipped file or folder `name` (one of FILES, or a path inside one of them)."""
    inside = PACKAGE / SHIPPED / name
    return inside if inside.exists() else PACKAGE.parent / name
