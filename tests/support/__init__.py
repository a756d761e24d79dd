"""Helpers the tests import (not tests themselves; pytest collects nothing here).

Test modules import them relatively (`from ..support.schedules import CLEAN`): under pytest's
`--import-mode=importlib` (pyproject.toml) each test module is imported as `tests.<folder>.<name>`
with its parent packages, so a relative import finds this package without any `sys.path` entry,
from the repository root, under `python -P`, and in CI alike. Fixtures built on these helpers are
in `tests/conftest.py`.
"""
