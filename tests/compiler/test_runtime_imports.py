"""The runtime is what generated code imports: it lists its exports and imports nothing but the
standard library and itself (one-way imports; no cycle back into the compiler)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from tariffc.compiler import runtime

RUNTIME = Path(runtime.__file__).parent
OPTIONAL = {"vector.py"}  # numpy primitives beside the runtime, imported only by the vectorised backend


def _imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, 0
        elif isinstance(node, ast.ImportFrom):
            yield node.module or "", node.level


def test_runtime_imports_only_stdlib_and_itself():
    stdlib = set(sys.stdlib_module_names)
    for path in sorted(RUNTIME.glob("*.py")):
        if path.name in OPTIONAL:
            continue
        for module, level in _imports(path):
            if level:  # relative: inside the package
                continue
            assert module.split(".")[0] in stdlib, f"{path.name} imports {module}"


def test_runtime_exports_are_listed_and_exist():
    assert len(runtime.__all__) == len(set(runtime.__all__))
    for name in runtime.__all__:
        assert hasattr(runtime, name), name


def test_importing_the_runtime_loads_no_other_tariffc_module():
    code = ("import sys, tariffc.compiler.runtime as rt; "
            "print(sorted(m for m in sys.modules if m.startswith('tariffc.') and not m.startswith("
            "'tariffc.compiler.runtime')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['tariffc.compiler']", out
