"""`tariffc docs` run outside the repository gives the repository's site (issue 14, the breaker's
"docs outside the repository omits the hand-written pages and writes no mkdocs.yml"): the reference
pages ship with tariffc (package `tariffc.reference`), and `--mkdocs FILE` writes the configuration
the repository's own `mkdocs.yml` holds, with its paths made relative to FILE."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tariffc.compiler.cli import main

ROOT = Path(__file__).resolve().parents[2]


def _run(*args) -> tuple[int, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """`tariffc docs --out site-src --mkdocs mkdocs.yml` run in an empty folder; returns that folder."""
    pytest.importorskip("matplotlib")
    pytest.importorskip("mkdocs")
    empty = tmp_path_factory.mktemp("anywhere")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(empty)
        code, text = _run("docs", "--schedules", ROOT / "schedules", "--out", "site-src", "--mkdocs", "mkdocs.yml",
                          "--today", "2025-08-01")
    assert code == 0, text
    return empty


def test_the_hand_written_pages_are_on_a_site_made_anywhere(site):
    pages = sorted(ROOT.glob("docs/*.md")) + sorted(ROOT.glob("docs/img/*.svg"))
    assert len(pages) >= 10
    for page in pages:
        copied = site / "site-src" / "reference" / page.relative_to(ROOT / "docs")
        assert copied.read_bytes() == page.read_bytes(), page.name
    nav = (site / "site-src" / ".nav.yml").read_text(encoding="utf-8")
    for page in ROOT.glob("docs/*.md"):
        assert f'"reference/{page.name}"' in nav


def test_the_configuration_is_the_repository_s_own(site):
    yaml = pytest.importorskip("yaml")
    written = yaml.safe_load((site / "mkdocs.yml").read_text(encoding="utf-8"))
    repository = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    paths = {"docs_dir": "site-src", "site_dir": "site", "INHERIT": "site-src/.nav.yml"}
    assert {k: written[k] for k in paths} == paths
    assert {k: repository[k] for k in paths} == {"docs_dir": "build/site-src", "site_dir": "build/site",
                                                  "INHERIT": "build/site-src/.nav.yml"}
    assert {k: v for k, v in written.items() if k not in paths} == \
        {k: v for k, v in repository.items() if k not in paths}


def test_the_repository_configuration_is_what_mkdocs_yml_writes():
    yaml = pytest.importorskip("yaml")
    from tariffc.compiler.docsgen.reference import mkdocs_yml

    assert yaml.safe_load(mkdocs_yml(ROOT / "mkdocs.yml", ROOT / "build" / "site-src")) == \
        yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))


@pytest.mark.slow
def test_mkdocs_builds_the_site_made_anywhere(site):
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", "mkdocs.yml"], cwd=site,
                           capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr[-3000:]
    assert (site / "site" / "reference" / "language.html").is_file()
    assert (site / "site" / "schedules" / "E-1.html").is_file()


def test_a_rerun_keeps_an_unchanged_configuration_and_refuses_another_without_force(site, monkeypatch):
    monkeypatch.chdir(site)
    args = ("docs", "--schedules", ROOT / "schedules", "--out", "site-src", "--today", "2025-08-01")
    assert _run(*args, "--mkdocs", "mkdocs.yml")[0] == 0  # the same text: nothing to replace
    (site / "other.yml").write_text("site_name: mine\n")
    code, text = _run(*args, "--mkdocs", "other.yml")
    assert code == 2 and "other.yml" in text and "--force" in text, text
    assert (site / "other.yml").read_text() == "site_name: mine\n"
    code, text = _run(*args, "--mkdocs", "site-src/mkdocs.yml")
    assert code == 2 and "outside --out" in text, text
    assert not (site / "site-src" / "mkdocs.yml").exists()
