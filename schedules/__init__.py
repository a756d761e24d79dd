"""The CPAU rate schedules as `.tariff` files, shipped with tariffc as package data
(`tariffc.schedules`; see compiler/schedules_tree.py). No Python here: the loader reads the files."""
