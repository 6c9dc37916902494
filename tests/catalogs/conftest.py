"""Fixtures of the catalog tests: private copies of catalogs and a small source tree."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .shared import (
    LOCALES,
    REPO,
    write_template,
)


@pytest.fixture
def locales(tmp_path: Path) -> Path:
    """A private copy of the shipped catalogs."""
    target = tmp_path / "locales"
    shutil.copytree(LOCALES, target, ignore=shutil.ignore_patterns("*.mo"))
    return target


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A small source tree laid out like the repository, with the repository's babel.cfg."""
    root = tmp_path / "project"
    (root / "l10n" / "web" / "templates").mkdir(parents=True)
    (root / "tests").mkdir()
    shutil.copy(REPO / "babel.cfg", root / "babel.cfg")
    (root / "l10n" / "views.py").write_text(
        "def page(_, name):\n"
        "    # Translators: greeting on the front page\n"
        "    return _('Hello %(name)s') % {'name': name}\n", encoding="utf-8")
    (root / "service.py").write_text(
        "def files(ngettext, n):\n"
        "    return ngettext('{n} file', '{n} files', n).format(n=n)\n", encoding="utf-8")
    (root / "tests" / "test_x.py").write_text("_('not a UI string')\n", encoding="utf-8")
    write_template(root, ["Popular", "Now reading"])
    return root
