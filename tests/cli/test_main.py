"""The `l10n` group: its version, its exit-code table, and settings read (and refused) by
every command the same way."""

from __future__ import annotations

from importlib.metadata import version

import pytest

from tests.cli.runner import invoke


def test_version_comes_from_the_package_metadata():
    result = invoke("--version")
    assert result.exit_code == 0 and result.stdout == f"l10n, version {version('l10n')}\n"


def test_help_lists_every_command_and_the_exit_codes():
    result = invoke("--help")
    assert result.exit_code == 0
    for command in ("translate", "models", "memory", "catalogs"):
        assert command in result.stdout
    assert "Exit codes" in result.stdout
    for code, meaning in (("0", "done"), ("1", "failed"), ("2", "bad input or setting")):
        assert any(line.split()[:1] == [code] and meaning in line
                   for line in result.stdout.splitlines()), (code, result.stdout)


@pytest.mark.parametrize("command", [
    ["translate", ".", "out"], ["models", "list"], ["memory", "stats"],
    ["catalogs", "status"], ["catalogs", "check"],
])
def test_a_bad_setting_exits_2_naming_the_variable(command, monkeypatch, tmp_path):
    monkeypatch.setenv("L10N_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("L10N_BEAM_SIZE", "wide")
    result = invoke(*command)
    assert result.exit_code == 2, result.output
    assert f"l10n {' '.join(command[:2 if command[0] != 'translate' else 1])}: " \
           "L10N_BEAM_SIZE='wide'" in result.stderr
    assert not (tmp_path / "out").exists()


def test_usage_errors_exit_2():
    assert invoke("nope").exit_code == 2
    assert invoke("models", "remove", "english").exit_code == 2
    assert invoke("translate").exit_code == 2


def test_targets_take_every_value_up_to_the_next_option(tmp_path):
    several = invoke("translate", str(tmp_path / "in"), str(tmp_path / "out"),
                     "--targets", "de", "xx", "--jobs", "1")
    assert several.exit_code == 2 and "'xx' is not one of" in several.stderr
    assert "requires an argument" in invoke("translate", "in", "out", "--targets").stderr
    missing = invoke("translate", str(tmp_path / "in"), str(tmp_path / "out"),
                     "--targets", "de", "fr", "--jobs", "1")
    assert missing.exit_code == 2 and "input folder not found" in missing.stderr
