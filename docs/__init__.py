"""The hand-written reference pages (`docs/*.md`, `docs/img/*.svg`), shipped with tariffc as package
data (`tariffc.reference`; see compiler/docsgen/reference.py), so that `tariffc docs` run anywhere
puts them on the site. No Python here: the generator reads the files."""
