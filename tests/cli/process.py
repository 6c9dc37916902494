"""`l10n` as users run it: a subprocess of `python -m l10n.cli` in the checkout."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def l10n(*args: str, data_dir: Path, check: bool = False) -> subprocess.CompletedProcess:
    env = {**os.environ, "L10N_DATA_DIR": str(data_dir)}
    return subprocess.run([sys.executable, "-m", "l10n.cli", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300, check=check)
