"""A schedule page says plainly when no version is in effect (ended, or not yet begun)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import attrs

from tariffc.compiler.docsgen.schedule_page import _not_in_effect
from tariffc.compiler.project import load

ROOT = Path(__file__).resolve().parents[2]
E1 = load([ROOT / "schedules"]).schedule("E-1")


def test_a_withdrawn_schedule_says_since_when():
    last = attrs.evolve(E1.versions[-1], ends=dt.date(2026, 7, 1))
    withdrawn = attrs.evolve(E1, versions=E1.versions[:-1] + (last,))
    assert withdrawn.version_on(dt.date(2026, 11, 23)) is None
    assert "No longer in effect since 2026-07-01" in _not_in_effect(withdrawn, dt.date(2026, 11, 23))


def test_before_the_first_version():
    assert "first version takes effect on 2019-07-01" in _not_in_effect(E1, dt.date(2010, 1, 1))
