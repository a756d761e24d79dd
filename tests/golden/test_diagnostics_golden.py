"""Every diagnostic code has a golden case: tests/golden/cases/CODE_*.tariff → expected/CODE_*.err.

The expected file is `tariffc check` output for the case. Rewrite with `pytest --update-golden`
and review the diff.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from tariffc.compiler.cli import main

HERE = Path(__file__).parent
CASES = sorted(p for p in (HERE / "cases").iterdir() if p.suffix == ".tariff" or p.is_dir())


def run_check(case: Path, monkeypatch) -> tuple[int, str]:
    monkeypatch.chdir(HERE / "cases")
    result = CliRunner().invoke(main, ["check", "--notes", case.name])  # every diagnostic, notes too
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_golden(case, monkeypatch, request):
    code, output = run_check(case, monkeypatch)
    assert "Traceback" not in output
    expected_file = HERE / "expected" / f"{case.stem}.err"
    if request.config.getoption("--update-golden", default=False):
        expected_file.write_text(output, encoding="utf-8")
    assert output == expected_file.read_text(encoding="utf-8")
    expected_code = re.match(r"(T\d{3})_", case.name)
    if expected_code:
        assert f"[{expected_code.group(1)}]" in output, f"{case.name} does not produce {expected_code.group(1)}"
        severity = re.search(rf"(\w+)\[{expected_code.group(1)}\]", output).group(1)
        assert code == (1 if severity == "error" else 0)


def test_every_expected_file_has_its_case():
    """An expected output whose case was renamed or removed is never checked: none is left behind."""
    names = {c.stem for c in CASES}
    orphans = sorted(p.name for p in (HERE / "expected").glob("*.err") if p.stem not in names)
    assert not orphans, f"expected files with no case in cases/: {orphans}"


def test_every_code_has_a_case_and_an_index_line():
    """Each code raised anywhere in the sources has a golden case and a line in docs/diagnostics.md."""
    root = HERE.parents[1]
    raised = set()
    for source in list((root / "dsl").glob("*.py")) + list((root / "compiler").rglob("*.py")):
        raised |= set(re.findall(r'"(T\d{3})"', source.read_text(encoding="utf-8")))
    cases = {c.name[:4] for c in CASES if re.match(r"T\d{3}_", c.name)}
    index = (root / "docs" / "diagnostics.md").read_text(encoding="utf-8")
    assert raised - cases == set(), "codes without a golden case"
    assert {code for code in raised if f"`{code}`" not in index} == set(), "codes missing from docs/diagnostics.md"
