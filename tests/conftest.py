"""Shared pytest options. Golden files are rewritten only with an explicit switch."""


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="rewrite golden files (tests/golden/**) from the current output; review the diff")
