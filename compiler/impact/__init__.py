"""Bill impacts of a proposed rate at chosen usage levels (the staff table form).

    levels.py    scenario → bills under two versions → ImpactRow (exact)
    scenario.py  a TOML scenario file → Scenario
    render.py    text, CSV, JSON
    chart.py     the picture (matplotlib SVG/PNG)

The population form (every customer's interval data) is in `tariffc.compiler.bulk`.
"""
