"""The typical-bills page: computed through `tariffc.compiler.api` when it loads (here a stand-in that
records its calls), and an honest "unavailable" page when it does not."""

from __future__ import annotations

import sys
import types
from decimal import Decimal
from pathlib import Path

from tariffc.compiler.docsgen.bills import BillSource, bills_page, season_window, tier_curves

REPO = Path(__file__).resolve().parents[2]


class StandInTariffs:
    calls: list = []

    @classmethod
    def load(cls, directory):
        return cls()

    def bill(self, schedule_id, *, start, end, **usage):
        self.calls.append((schedule_id, start, end, usage))
        return types.SimpleNamespace(total=Decimal("12.34") + Decimal(str(usage.get("kwh", usage.get("therms", 0)))))


def test_bills_come_from_the_api_when_it_loads(monkeypatch, project):
    module = types.ModuleType("tariffc.compiler.api")
    module.Tariffs = StandInTariffs
    monkeypatch.setitem(sys.modules, "tariffc.compiler.api", module)
    source = BillSource([REPO / "schedules"])
    assert source.tariffs is not None
    schedule = project.schedule("E-1")
    page = "\n".join(bills_page(schedule, source))
    assert "312.34" in page  # 300 kWh through the stand-in
    for schedule_id, start, end, _ in StandInTariffs.calls:
        assert schedule_id == "E-1" and (end - start).days == 30
    curves, unit, note = tier_curves(schedule, source)
    assert unit == "kWh" and "compiled bill functions" in note


def test_unavailable_api_is_stated(monkeypatch, project):
    monkeypatch.setitem(sys.modules, "tariffc.compiler.api", None)  # import fails
    source = BillSource([REPO / "schedules"])
    assert source.tariffs is None
    page = "\n".join(bills_page(project.schedule("E-1"), source))
    assert "Typical bills are unavailable" in page
    curves, unit, note = tier_curves(project.schedule("E-1"), source)
    assert "from the tier rule" in note


def test_season_window_stays_inside_the_version_and_the_season(project):
    schedule = project.schedule("G-1")
    for version in schedule.versions:
        for season in version.rules.seasons:
            window = season_window(version, season)
            if window is None:
                continue
            start, end = window
            assert version.effective <= start and (version.ends is None or end <= version.ends)


def test_site_bills_are_the_api_bills(site):
    """E-1, 300 kWh, 30 days on version 2024-07-01: 4.64 + 300 x 0.19461 = 63.023 -> 63.02 (the staff's
    Table 17, seed 003 line 1348, prints 63.02)."""
    import importlib.util

    if importlib.util.find_spec("tariffc.compiler.api") is None:
        import pytest

        pytest.skip("the bill API is not in this build")
    page = (site.src / "bills" / "E-1.md").read_text(encoding="utf-8")
    section = page.split("## Version 2024-07-01")[1].split("## Version")[0]
    assert '<tr><td>300 kWh</td><td class="amount">63.02</td></tr>' in section
