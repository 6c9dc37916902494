"""The shape of the house: the README's tree is current, and data flows one way.

Layers, lowest first: the base (config, editions, errors, atomic writes), then localise,
packages and the flow's own parts, then the pipeline, then what drives it (batch, jobs,
catalogs), then the HTTP layer and the CLI. A module may import its own layer and those below,
never one above: markup and the translation memory must work without the engine's
CTranslate2, and nothing but the CLI reaches the web layer's code.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = {  # importer prefix → modules it must not import (prefixes)
    "l10n.markup": ("l10n.translate.engine", "l10n.translate.pipeline", "l10n.translate.memory",
                    "l10n.web", "l10n.cli", "l10n.batch", "l10n.jobs", "ctranslate2"),
    "l10n.localise": ("l10n.translate", "l10n.markup", "l10n.web", "l10n.cli", "l10n.batch",
                      "l10n.jobs", "l10n.packages", "ctranslate2"),
    "l10n.translate.memory": ("l10n.translate.engine", "l10n.translate.pipeline", "l10n.web",
                              "l10n.cli", "ctranslate2"),
    "l10n.translate": ("l10n.web", "l10n.cli", "l10n.batch", "l10n.jobs", "l10n.catalogs"),
    "l10n.packages": ("l10n.translate", "l10n.web", "l10n.cli", "l10n.batch", "l10n.jobs"),
    "l10n.batch": ("l10n.web", "l10n.cli"),
    "l10n.jobs": ("l10n.web", "l10n.cli", "l10n.batch"),
    "l10n.catalogs": ("l10n.web", "l10n.cli", "l10n.batch", "l10n.jobs"),
    "l10n.web": ("l10n.cli",),
    "l10n.config": ("l10n.translate", "l10n.markup", "l10n.localise", "l10n.web", "l10n.cli"),
    "l10n.editions": ("l10n.config", "l10n.translate", "l10n.web"),
}


def imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@pytest.mark.parametrize("path", sorted((ROOT / "l10n").rglob("*.py")), ids=module_name)
def test_no_module_imports_against_the_flow(path):
    name = module_name(path)
    rules = [banned for prefix, banned in FORBIDDEN.items()
             if name == prefix or name.startswith(prefix + ".")]
    upward = sorted(found for found in imports(path) for banned in rules for b in banned
                    if found == b or found.startswith(b + "."))
    assert not upward, f"{name} imports {upward}"


def test_readme_shows_the_current_tree():
    done = subprocess.run([sys.executable, "scripts/layout.py", "--check", "README.md"],
                          cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
