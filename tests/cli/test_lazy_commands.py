"""The CLI loads only what a command needs (click's lazy group), and a command whose optional extra
is absent says which extra to install and exits 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
HEAVY = ("matplotlib", "numpy", "sympy", "tariffc.compiler.docsgen", "tariffc.compiler.compare",
         "tariffc.compiler.cli.compare", "tariffc.compiler.cli.docs", "pandas", "pyarrow", "dask")


def loaded_after(argv: list[str], *, block: tuple[str, ...] = ()) -> tuple[int, list[str], str]:
    """Run `tariffc ARGV` in a new interpreter; (exit code, modules loaded, stderr)."""
    code = f"""
import json, sys
for name in {list(block)!r}:
    sys.modules[name] = None  # as if not installed: import fails, find_spec gives None
from tariffc.compiler.cli import main
try:
    main({argv!r})
except SystemExit as exit:
    code = exit.code
else:
    code = 0
sys.stdout.flush()
print("\\n@@" + json.dumps([code, sorted(m for m, v in sys.modules.items() if v is not None)]))
"""
    done = subprocess.run([sys.executable, "-P", "-c", code], cwd=REPO, capture_output=True, text=True,
                          timeout=120)
    tail = done.stdout.rpartition("\n@@")[2]
    exit_code, modules = json.loads(tail)
    return exit_code, modules, done.stderr


def heavy_in(modules: list[str]) -> list[str]:
    return [m for m in modules if any(m == h or m.startswith(h + ".") for h in HEAVY)]


def test_check_loads_no_chart_array_symbolic_or_compare_module():
    code, modules, err = loaded_after(["check", "schedules"])
    assert code == 0, err
    assert heavy_in(modules) == []
    assert "tariffc.compiler.cli.check" in modules  # the command did run
    assert "lark" in modules  # and parsed


def test_help_loads_no_third_party_heavy_module():
    code, modules, _ = loaded_after(["--help"])
    assert code == 0
    assert not [m for m in modules if m.split(".")[0] in ("matplotlib", "numpy", "sympy", "pandas", "pyarrow")]
    assert "tariffc.compiler.docsgen" not in modules


def test_docs_without_the_docs_extra_names_the_extra(tmp_path):
    code, modules, err = loaded_after(["docs", "--out", str(tmp_path / "site")], block=("matplotlib",))
    assert code == 2
    assert "pip install 'tariffc[docs]'" in err
    assert "matplotlib" in err
    assert not (tmp_path / "site").exists()  # nothing half written


def test_compare_plot_without_matplotlib_names_the_extra(tmp_path):
    csv = tmp_path / "use.csv"
    csv.write_text("start,kwh\n2025-07-01 00:00,1\n", encoding="utf-8")
    code, _, err = loaded_after(["compare", "E-1", "--intervals", str(csv), "--plot", str(tmp_path / "b.svg")],
                                block=("matplotlib",))
    assert code == 2
    assert "pip install 'tariffc[plot]'" in err


@pytest.mark.parametrize("command", ["check", "fmt", "rates", "diff", "bill", "build", "docs", "inspect", "compare"])
def test_every_command_in_the_table_loads(command):
    from click.testing import CliRunner

    from tariffc.compiler.cli import COMMANDS, main

    assert command in COMMANDS
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage: main " + command in result.output or f"Usage: tariffc {command}" in result.output
