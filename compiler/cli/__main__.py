"""`python -m tariffc.compiler.cli …` runs the `tariffc` command."""

from tariffc.compiler.cli import main

main()
