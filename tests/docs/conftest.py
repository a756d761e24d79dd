"""The rates site, generated from the project's schedules and built with `mkdocs build --strict`, once
per test session (a few seconds); `scan(page)` reads the built HTML: every element carrying
`data-rate`, with its visible text (markers excluded)."""

from __future__ import annotations

import re
import subprocess
import sys
from html.parser import HTMLParser
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


# -- reading the built HTML ----------------------------------------------------------------------


VOID = {"br", "img", "hr", "meta", "link", "input", "col", "area", "base", "wbr", "source"}


class RateCells(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.cells: list[tuple[str, str, str]] = []  # (address, text, css class)
        self.history: list[list[str]] = []  # rows of history tables: cell texts
        self._stack: list[dict] = []
        self._in_history = 0
        self._row: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        a = dict(attrs)
        frame = {"tag": tag, "rate": a.get("data-rate"), "cls": a.get("class", ""), "text": [], "skip": tag == "sup"}
        self._stack.append(frame)
        if tag == "table" and "history" in frame["cls"].split():
            self._in_history += 1
        if tag == "tr" and self._in_history:
            self._row = []

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        while self._stack:
            frame = self._stack.pop()
            text = "".join(frame["text"]).strip()
            if frame["rate"] is not None:
                self.cells.append((frame["rate"], text, frame["cls"]))
            if frame["tag"] == "td" and self._row is not None:
                self._row.append(text)
            if frame["tag"] == "tr" and self._row is not None:
                if self._row:
                    self.history.append(self._row)
                self._row = None
            if frame["tag"] == "table" and "history" in frame["cls"].split():
                self._in_history -= 1
            if not frame["skip"] and self._stack:
                self._stack[-1]["text"].append(text if frame["tag"] != "td" else text)
            if frame["tag"] == tag:
                break

    def handle_data(self, data):
        if self._stack and not self._stack[-1]["skip"]:
            self._stack[-1]["text"].append(data)


def scan(path: Path) -> RateCells:
    parser = RateCells()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


@pytest.fixture(scope="session", name="scan")
def scan_fixture():
    """scan(path) → RateCells of a built page (its `cells` and `history` rows)."""
    return scan
