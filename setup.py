"""Build hook: a wheel carries the default glossary and the UI catalogs inside the package
(l10n/shipped/, found by l10n/resources.py), so an installed l10n needs no source checkout.

Everything else about the package is in pyproject.toml.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
CATALOGS = ("messages.pot", "*/LC_MESSAGES/messages.po")  # .mo files are build output


class BuildPy(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:  # `pip install -e`: the checkout's own files are the ones used
            return
        shipped = Path(self.build_lib) / "l10n" / "shipped"
        (shipped / "glossary").mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / "glossary" / "names.tsv", shipped / "glossary" / "names.tsv")
        for pattern in CATALOGS:
            for path in (ROOT / "locales").glob(pattern):
                target = shipped / path.relative_to(ROOT)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, target)


setup(cmdclass={"build_py": BuildPy})
