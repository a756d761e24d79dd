"""Which schedules tree commands read: the packaged one by default, `--schedules DIR` (one name in
every command), `TARIFFC_SCHEDULES`; a file checked alone finds its tree's calendars and tables."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from tariffc.compiler.api import ScheduleError, Tariffs
from tariffc.compiler.cli import main
from tariffc.compiler.schedules_tree import ENV_VAR, packaged_schedules, resolve, tree_root

REPO = Path(__file__).resolve().parents[2]
E1 = ["E-1", "--start", "2025-07-01", "--end", "2025-07-31", "--kwh", "600"]


def run(*args, env=None):
    return CliRunner().invoke(main, list(args), env=env)


@pytest.fixture()
def copied_tree(tmp_path):
    tree = tmp_path / "tree"
    shutil.copytree(REPO / "schedules", tree, ignore=shutil.ignore_patterns("__init__.py", "__pycache__"))
    return tree


def test_the_packaged_tree_is_the_default_and_holds_the_calendars(monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)
    tree = resolve(None)
    assert tree.origin == "packaged" and tree.is_default
    assert (tree.path / "calendars" / "cpau.tariff").is_file()
    assert packaged_schedules() == tree.path


def test_commands_run_from_anywhere_with_the_packaged_tree(tmp_path, monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)
    monkeypatch.chdir(tmp_path)
    bill = run("bill", *E1)
    assert bill.exit_code == 0, bill.output
    assert "TOTAL" in bill.output and "schedules:" not in bill.output  # the default tree is not announced
    check = run("check")
    assert check.exit_code == 0, check.output
    assert "17 schedules" in check.output
    assert Tariffs.load().ids == Tariffs.load(REPO / "schedules").ids


def test_another_tree_is_named_in_the_output(copied_tree, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    default = run("bill", *E1)
    by_option = run("bill", *E1, "--schedules", str(copied_tree))
    by_env = run("bill", *E1, env={ENV_VAR: str(copied_tree)})
    assert by_option.exit_code == by_env.exit_code == 0
    assert by_option.output.splitlines()[0] == f"schedules: {copied_tree} (from --schedules)"
    assert by_env.output.splitlines()[0] == f"schedules: {copied_tree} (from {ENV_VAR})"
    # the same bill; only the source paths of the lines differ (they name the tree read)
    strip = lambda text, tree: text.replace(f"{tree}/", "").replace("tree/", "")  # noqa: E731
    assert strip(by_option.output, copied_tree).splitlines()[1:] == \
        strip(default.output, REPO / "schedules").splitlines()
    rates = run("rates", "E-1", "--on", "2025-07-01", "--schedules", str(copied_tree))
    assert rates.exit_code == 0 and rates.output.splitlines()[0] == f"schedules: {copied_tree} (from --schedules)"


def test_the_option_wins_over_the_environment(copied_tree):
    result = run("bill", *E1, "--schedules", str(copied_tree), env={ENV_VAR: "/no/such/tree"})
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("command", [["bill", *E1], ["rates", "E-1"], ["diff", "--from", "2025-01-01", "--to",
                                                                      "2025-08-01"], ["build", "--out", "x"]])
def test_a_missing_tree_is_a_usage_error_named_once(command, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run(*command, "--schedules", "nowhere")
    assert result.exit_code == 2
    assert result.output == "tariffc: --schedules nowhere: no such schedules directory\n"
    assert not (tmp_path / "x").exists()
    env = run(*command, env={ENV_VAR: "nowhere"})
    assert env.exit_code == 2 and env.output == f"tariffc: {ENV_VAR}=nowhere: no such schedules directory\n"


def test_the_older_spelling_schedules_dir_still_works_and_is_hidden(copied_tree):
    assert run("bill", *E1, "--schedules-dir", str(copied_tree)).exit_code == 0
    for command in ("bill", "rates", "inspect", "compare", "docs"):
        help_text = run(command, "--help").output
        assert "--schedules DIR" in help_text and "--schedules-dir" not in help_text, command


def test_compare_takes_the_options_as_arguments_and_the_older_list_option(tmp_path):
    csv = tmp_path / "use.csv"
    rows = [f"2025-07-{d:02d} {h:02d}:00,1" for d in range(1, 32) for h in range(24)]
    csv.write_text("start,kwh\n" + "\n".join(rows) + "\n", encoding="utf-8")
    new = run("compare", "E-1", "E-2", "--intervals", str(csv))
    old = run("compare", "--schedules", "E-1,E-2", "--intervals", str(csv), "--schedules-dir", str(REPO / "schedules"))
    assert new.exit_code == 0, new.output
    assert new.output == old.output
    none = run("compare", "--intervals", str(csv))
    assert none.exit_code == 2 and "name the rate options to compare" in none.output


def test_one_file_checked_alone_finds_its_trees_calendars_and_tables():
    result = run("check", str(REPO / "schedules" / "electric" / "E-1.tariff"))
    assert result.exit_code == 0, result.output
    assert "checked 1 file: 1 schedule," in result.output
    assert "0 published tables" not in result.output  # the staff tables' E-1 rows were compared
    assert "0 errors" in result.output
    assert tree_root(REPO / "schedules" / "electric" / "E-1.tariff") == (REPO / "schedules").resolve()


def test_a_file_outside_any_tree_is_told_how_to_name_its_calendar(tmp_path):
    lone = tmp_path / "E-1.tariff"
    lone.write_text((REPO / "schedules" / "electric" / "E-1.tariff").read_text(encoding="utf-8"), encoding="utf-8")
    result = run("check", str(lone))
    assert result.exit_code == 1
    assert "calendar 'cpau' is not defined" in result.output
    assert "tariffc check FILE CALENDAR.tariff" in result.output
    named = run("check", str(lone), str(REPO / "schedules" / "calendars" / "cpau.tariff"))
    assert named.exit_code == 0, named.output


def test_a_schedule_declared_in_two_files_is_not_billed(copied_tree):
    # T302 in `check`; `bill` and the API must not pick one of the two silently
    original = copied_tree / "electric" / "E-1.tariff"
    copy = copied_tree / "electric" / "E-1-copy.tariff"
    copy.write_text(original.read_text(encoding="utf-8"), encoding="utf-8")
    result = run("bill", *E1, "--schedules", str(copied_tree))
    assert result.exit_code != 0 and "more than one file" in result.output and "E-1-copy.tariff" in result.output
    assert "Traceback" not in result.output
    with pytest.raises(Exception, match="more than one file"):
        Tariffs.load(copied_tree).bill("E-1", start="2025-07-01", end="2025-07-31", kwh=600)
    # the other schedules of the tree still bill
    assert Tariffs.load(copied_tree).bill("E-2", start="2025-07-01", end="2025-07-31", kwh=600).total > 0


def test_impact_names_the_tree_schedules_and_the_options_options(tmp_path):
    help_text = run("impact", "--help").output
    assert "--schedules DIR" in help_text and "--options A,B,…" in help_text and "--schedules-dir" not in help_text
    data = tmp_path / "dataset"
    data.mkdir()
    common = ["impact", "--data", str(data), "--schedule", "E-1"]
    new = run(*common, "--options", "E-1,E-2", "--schedules", str(REPO / "schedules"))
    old = run(*common, "--schedules", "E-1,E-2", "--schedules-dir", str(REPO / "schedules"))
    assert new.exit_code == old.exit_code == 2
    assert new.output == old.output == ("tariffc: give --schedule S (two versions) or --options A,B,… (rate "
                                        "options), not both\n")


def test_a_tree_with_no_tariff_file_is_named_not_an_unknown_schedule(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run("bill", *E1, "--schedules", str(empty))
    assert result.exit_code == 2
    assert result.output.startswith(f"tariffc: --schedules {empty}: no .tariff file in this directory")
    env = run("rates", "E-1", env={ENV_VAR: str(empty)})
    assert env.exit_code == 2 and env.output.startswith(f"tariffc: {ENV_VAR}={empty}: no .tariff file")
    assert "unknown schedule" not in result.output and "Traceback" not in result.output
    with pytest.raises(ScheduleError, match="no .tariff file"):
        Tariffs.load(empty)


@pytest.mark.parametrize("given", [5, ["schedules"], 1.5])
def test_a_tree_named_by_something_not_a_path_is_a_schedule_error(given):
    with pytest.raises(ScheduleError, match="a schedules tree is named by a path"):
        Tariffs.load(given)
