"""Installed as a user would install it: a wheel built with `python -m build`, installed without
extras into a clean virtual environment, works from a directory that is not the repository: the
schedules ship inside the package. Slow (builds and installs); it runs in the suite and skips only
when the `build` front end is missing (it is in the `test` extra).

Expected bill (E-1, FY 2026 sheet, 003_0151a6ffdf35ceb2.txt lines 1605-1612; tier 1 = 15 kWh/day):
30 days → tier 1 = 450 kWh at 0.20570, tier 2 = 150 kWh at 0.22944, customer charge 5.15/month:
450 x 0.20570 + 150 x 0.22944 + 5.15 = 92.565 + 34.416 + 5.15 = 132.131 → $132.13.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
E1_TOTAL = "$132.13"

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(importlib.util.find_spec("build") is None,
                                 reason="the `build` front end is not installed (pip install -e '.[test]')")]


def run(command, *, cwd, env=None, timeout=600) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(bin directory of a clean venv holding only the wheel and its core dependencies, a working
    directory away from the repository, the environment to run in)."""
    root = tmp_path_factory.mktemp("install")
    source = root / "source"  # a copy, so the build writes nothing into the repository
    shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(
        ".venv", ".git", "build", "tests", "benchmarks", "notes", "__pycache__", "*.egg-info", ".pytest_cache"))
    built = run([sys.executable, "-m", "build", "--wheel", "--outdir", str(root / "dist"), str(source)], cwd=root,
                timeout=900)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    (wheel,) = (root / "dist").glob("tariffc-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "tariffc/schedules/calendars/cpau.tariff" in names
    assert "tariffc/schedules/electric/E-1.tariff" in names and "tariffc/dsl/grammar.lark" in names
    assert "tariffc/reference/language.md" in names and "tariffc/reference/img/impact-levels.svg" in names
    venv = root / "venv"
    made = run([sys.executable, "-m", "venv", str(venv)], cwd=root)
    assert made.returncode == 0, made.stderr
    pip = run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", str(wheel)], cwd=root, timeout=900)
    assert pip.returncode == 0, pip.stdout[-3000:] + pip.stderr[-3000:]
    away = root / "elsewhere"
    away.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("TARIFFC_SCHEDULES", "PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    return venv / "bin", away, env


def tariffc(installed, *args):
    bindir, away, env = installed
    return run([str(bindir / "tariffc"), *args], cwd=away, env=env, timeout=300)


def test_no_extra_is_installed(installed):
    bindir, away, env = installed
    probe = run([str(bindir / "python"), "-c", "import importlib.util as u; "
                 "print([m for m in ('matplotlib', 'numpy', 'mkdocs', 'pyarrow') if u.find_spec(m)])"],
                cwd=away, env=env)
    assert probe.stdout.strip() == "[]"


def test_help_lists_the_commands(installed):
    result = tariffc(installed, "--help")
    assert result.returncode == 0, result.stderr
    for command in ("check", "bill", "compare", "docs", "rates"):
        assert f"  {command} " in result.stdout


def test_check_with_no_path_checks_the_packaged_schedules(installed):
    result = tariffc(installed, "check")
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "17 schedules" in result.stdout and "0 errors" in result.stdout


def test_bill_e1_from_elsewhere(installed):
    result = tariffc(installed, "bill", "E-1", "--start", "2025-07-01", "--end", "2025-07-31", "--kwh", "600")
    assert result.returncode == 0, result.stderr
    assert E1_TOTAL in result.stdout
    assert "schedules:" not in result.stdout  # the packaged tree is the default: not announced


def test_compare_from_elsewhere(installed):
    bindir, away, env = installed
    rows = [f"2025-07-{d:02d} {h:02d}:00,0.8" for d in range(1, 32) for h in range(24)]
    (away / "july.csv").write_text("start,kwh\n" + "\n".join(rows) + "\n", encoding="utf-8")
    result = tariffc(installed, "compare", "E-1", "E-2", "--intervals", "july.csv")
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "E-1" in result.stdout and "E-2" in result.stdout and "total" in result.stdout


def test_docs_names_the_extra_it_needs(installed):
    result = tariffc(installed, "docs", "--out", "site")
    assert result.returncode == 2
    assert "pip install 'tariffc[docs]'" in result.stderr
    assert "Traceback" not in result.stderr
    _, away, _ = installed
    assert not (away / "site").exists()


def test_the_api_loads_the_packaged_schedules(installed):
    bindir, away, env = installed
    code = ("from tariffc.compiler.api import Tariffs; "
            "print(Tariffs.load().bill('E-1', start='2025-07-01', end='2025-07-31', kwh='600').total)")
    result = run([str(bindir / "python"), "-c", code], cwd=away, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == E1_TOTAL.lstrip("$")
