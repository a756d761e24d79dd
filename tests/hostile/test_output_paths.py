"""No command writes or deletes outside the paths it was given; an unusable `--out` is a clear
error, exit 2 (issue 14: `tariffc docs` manifests naming `../x` or `/abs`, `--out` a file)."""

from __future__ import annotations

import os

import pytest

from tariffc.compiler.outpaths import UnsafePath, confined, write_file

MANIFEST = ".tariffc-docs-manifest"


@pytest.fixture
def out(tmp_path):
    folder = tmp_path / "site"
    folder.mkdir()
    (tmp_path / "victim.txt").write_text("keep me")
    return folder


@pytest.mark.parametrize("line", ["../victim.txt", "{victim}", "a/../../victim.txt", "./../victim.txt",
                                  "..", "a\\..\\..\\victim.txt"])
def test_docs_never_deletes_what_a_manifest_names_outside_out(run, out, line):
    victim = out.parent / "victim.txt"
    (out / MANIFEST).write_text("# header\n" + line.format(victim=victim) + "\n")
    code, text = run("docs", "--schedules", "schedules", "--out", out, "--today", "2025-08-01")
    assert code == 2 and "refusing" in text
    assert victim.read_text() == "keep me"
    assert sorted(os.listdir(out)) == [MANIFEST]  # nothing written either


def test_docs_never_deletes_through_a_symlinked_directory(run, out, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "page.md").write_text("keep me")
    (out / "linked").symlink_to(elsewhere, target_is_directory=True)
    (out / MANIFEST).write_text("# header\nlinked/page.md\nlinked\n")
    code, text = run("docs", "--schedules", "schedules", "--out", out, "--today", "2025-08-01")
    assert code == 2 and "symbolic link" in text
    assert (elsewhere / "page.md").read_text() == "keep me"


def test_a_link_inside_out_is_replaced_not_followed(out, tmp_path):
    victim = tmp_path / "victim.txt"
    (out / "page.md").symlink_to(victim)
    write_file(out, "page.md", b"new")
    assert victim.read_text() == "keep me" and (out / "page.md").read_bytes() == b"new"
    assert not (out / "page.md").is_symlink()


@pytest.mark.parametrize("name", ["", "/etc/passwd", "../x", "a/./b", "a//b", "a\0b"])
def test_confined_refuses_names_that_are_not_plain_relative_paths(out, name):
    with pytest.raises(UnsafePath):
        confined(out, name)


@pytest.mark.parametrize("command", ["docs", "build"])
@pytest.mark.parametrize("where", ["file", "below_a_file"])
def test_an_out_that_cannot_be_a_directory_is_exit_2(run, tmp_path, command, where):
    blocker = tmp_path / "blocker"
    blocker.write_text("keep me")
    target = blocker if where == "file" else blocker / "sub"
    code, text = run(command, "--schedules", "schedules", "--out", target)
    assert code == 2 and str(blocker) in text and blocker.read_text() == "keep me"


def test_build_into_missing_folders_makes_them(run, tmp_path):
    target = tmp_path / "a" / "b"
    code, _ = run("build", "--schedules", "schedules", "--out", target)
    assert code == 0 and (target / "tariff_e_1.py").is_file()
