"""The code generator: IR → Python bill modules.

- `names`   identifiers (`py_ident`), module names, safe comments
- `writer`  a code writer that records the line map back to the `.tariff` file
- `values`  constants (`D('…')` from source text) and readable data records
- `scalar`  the straight-line scalar bill functions, one per schedule version
- `loader`  compile and load a generated module (`linecache`, the self-check)
"""

from __future__ import annotations

from .loader import load_module
from .names import module_name, py_ident, safe_comment
from .scalar import generate, sha256
from .values import render

__all__ = ["generate", "load_module", "module_name", "py_ident", "render", "safe_comment", "sha256"]
