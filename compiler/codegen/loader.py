"""Load a generated module from its source: compile it with the filename `<tariffc:PATH>`
(registered in `linecache`, so a traceback shows the generated lines), execute it."""

from __future__ import annotations

import linecache
import types


def load_module(source: str, path: str, name: str = "tariffc_generated") -> types.ModuleType:
    """Compile and execute a generated module; its lines are registered in `linecache`."""
    filename = f"<tariffc:{path}>"
    code = compile(source, filename, "exec")
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    module = types.ModuleType(name)
    module.__file__ = filename
    exec(code, module.__dict__)  # noqa: S102 - our own generated, compile-checked source
    return module
