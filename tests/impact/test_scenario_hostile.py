"""Scenario files of the wrong shape are refused naming the file and key (exit 1), never a traceback;
a weight that would give a wrong sign (<= 0) or an endless number is refused."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from tariffc.compiler.cli import main

HEAD = 'schedule = "E-1"\nfrom = "2024-07-01"\nto = "2025-07-01"\n'


def _impact(path):
    return CliRunner().invoke(main, ["impact", "--scenario", str(path)])


@pytest.mark.parametrize("body,message", [
    ("level = 5\n", "level must be an array of tables"),
    ('level = ["x"]\n', "level must be an array of tables"),
    ('months = 5\n[[level]]\nkwh = "5"\n', "months must be a list"),
    ('[[level]]\nkwh = "5"\nmonths = 7\n', "level 1.months must be a list"),
    ('[[level]]\nkwh = "5"\nbill = 5\n', "level 1.bill must be an array of tables"),
    ('[[level]]\n[[level.bill]]\nkwh = "5"\nweight = "-1"\n', "a weight must be positive"),
    ('[[level]]\n[[level.bill]]\nkwh = "5"\nweight = "0"\n', "a weight must be positive"),
    ('[[level]]\n[[level.bill]]\nkwh = "5"\nweight = "1e999999"\n', "beyond the largest or finest weight"),
    ('[[level]]\n[[level.bill]]\nkwh = "5"\nweight = "1/0"\n', "not a rational number"),
    ('[[level]]\n[[level.bill]]\nkwh = "5"\nweight = 0.5\n', "not a rational number"),
])
def test_wrong_shape_is_one_line(tmp_path, body, message):
    path = tmp_path / "s.toml"
    path.write_text(HEAD + body, encoding="utf-8")
    result = _impact(path)
    assert result.exit_code == 1, result.output
    assert message in result.output and str(path) in result.output
    assert "Traceback" not in result.output and "internal error" not in result.output


def test_not_utf8(tmp_path):
    path = tmp_path / "s.toml"
    path.write_bytes(b"\xff\xfe" + HEAD.encode())
    result = _impact(path)
    assert result.exit_code == 1, result.output
    assert "not UTF-8" in result.output


def test_weights_still_weigh(tmp_path):
    """A valid weighted level: 1/2 of a July bill at 200 kWh (E-1 2024-07-01: 200 x 0.19461 + 4.64 =
    43.5622 -> 43.56) + 1/2 of a July bill at 400 kWh (400 x 0.19461 + 4.64 = 82.484 -> 82.48):
    (43.56 + 82.48) / 2 = 63.02; under 2025-07-01 (0.20570/kWh + 5.15): (46.29 + 87.43) / 2 = 66.86."""
    path = tmp_path / "s.toml"
    path.write_text(HEAD + '[[level]]\n[[level.bill]]\nweight = "1/2"\nmonth = 7\nkwh = "200"\n'
                    '[[level.bill]]\nweight = "1/2"\nmonth = 7\nkwh = "400"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["impact", "--scenario", str(path), "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1].split(",")[3:5] == ["63.02", "66.86"]
