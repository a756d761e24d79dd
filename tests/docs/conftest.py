"""The rates site, generated from the project's schedules and built with `mkdocs build --strict`, once
per test session (a few seconds)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import attrs
import pytest

REPO = Path(__file__).resolve().parents[2]


@attrs.frozen
class Site:
    root: Path  # holds mkdocs.yml, site-src/, site/
    src: Path
    html: Path
    build: subprocess.CompletedProcess
    generate: subprocess.CompletedProcess


def tariffc(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-P", "-m", "tariffc.compiler.cli", *args], cwd=cwd,
                          capture_output=True, text=True)


def site_config(root: Path) -> Path:
    """The repository's mkdocs.yml with its three paths pointed into `root`."""
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^INHERIT:.*$", "INHERIT: site-src/.nav.yml", text)
    text = re.sub(r"(?m)^docs_dir:.*$", "docs_dir: site-src", text)
    text = re.sub(r"(?m)^site_dir:.*$", "site_dir: site", text)
    config = root / "mkdocs.yml"
    config.write_text(text, encoding="utf-8")
    return config


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Site:
    root = tmp_path_factory.mktemp("rates-site")
    generate = tariffc("docs", "--schedules", str(REPO / "schedules"), "--out", str(root / "site-src"),
                       "--docs", str(REPO / "docs"))
    assert generate.returncode == 0, generate.stderr
    build = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(site_config(root))],
                           capture_output=True, text=True)
    return Site(root=root, src=root / "site-src", html=root / "site", build=build, generate=generate)


@pytest.fixture(scope="session")
def project():
    from tariffc.compiler.project import load

    return load([REPO / "schedules"])
