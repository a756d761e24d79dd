"""Where the site's hand-written pages come from, and the mkdocs configuration that builds the site.

    pages = reference_dir(None)                          # the pages shipped with tariffc
    text = mkdocs_yml(Path("mkdocs.yml"), Path("build/site-src"))   # this repository's mkdocs.yml

The reference pages (`docs/*.md` and the pictures they show, `docs/img/*.svg`) ship inside the
package as `tariffc.reference`, as the schedules ship as `tariffc.schedules`: a `tariffc docs` run
from an installed package, in any folder, puts the same pages on the site as one run in the
repository. The mkdocs configuration is written by `mkdocs_yml` for any pair of (configuration
file, pages folder); the repository's own `mkdocs.yml` is that text for (`mkdocs.yml`,
`build/site-src`) (tests/cli/test_docs_anywhere.py checks it), so both build the same site.
"""

from __future__ import annotations

import importlib.resources
import os
from pathlib import Path

from tariffc.compiler.docsgen.nav import NAV_FILE
from tariffc.compiler.project import UsageError

PACKAGE = "tariffc.reference"

# Everything in the configuration but the three paths (docs_dir, site_dir, INHERIT).
SETTINGS = """\
site_name: CPAU effective rates (tariffc)
site_description: City of Palo Alto Utilities rate schedules, generated from the checked .tariff files
INHERIT: {nav}   # the navigation, generated with the pages
docs_dir: {docs}
site_dir: {site}
use_directory_urls: false
strict: true
theme:
  name: mkdocs
  highlightjs: false
  navigation_depth: 3
extra_css:
  - css/tariffc.css
markdown_extensions:
  - toc:
      permalink: false
  - tables
  - fenced_code
  - admonition
  - codehilite:
      guess_lang: false
      css_class: codehilite
validation:
  links:
    not_found: warn
    anchors: warn
    absolute_links: warn
    unrecognized_links: warn
"""


def reference_dir(given: Path | None) -> Path:
    """The folder of hand-written pages: `given` (`--docs DIR`), else the pages shipped with tariffc
    (package `tariffc.reference`), else a source checkout's `docs/` beside `compiler/`. UsageError
    when none is a folder."""
    if given is not None:
        if not Path(given).is_dir():
            raise UsageError(f"--docs {given}: no such folder of hand-written pages (*.md)")
        return Path(given)
    try:
        root = importlib.resources.files(PACKAGE)
    except ModuleNotFoundError:
        root = None
    if isinstance(root, Path) and any(root.glob("*.md")):
        return root
    checkout = Path(__file__).resolve().parents[2] / "docs"
    if any(checkout.glob("*.md")):
        return checkout
    raise UsageError(f"the reference pages shipped with tariffc are missing (package {PACKAGE}); reinstall "
                     "tariffc, or name a folder of pages with --docs DIR")


def site_dir(out: Path) -> Path:
    """Where mkdocs writes the HTML for pages in `out`: `site` beside it (`build/site` for
    `build/site-src`), never inside it."""
    site = out.parent / "site"
    return site if site != out else out.parent / "site-html"


def mkdocs_yml(config: Path, out: Path) -> str:
    """The mkdocs configuration, to be written at `config`, for the pages `tariffc docs` wrote to
    `out` (both absolute, or both relative to one folder): paths relative to the configuration's
    folder. UsageError when `config` lies inside `out` (mkdocs reads its pages from a folder that
    does not hold its configuration)."""
    base = config.parent
    if config.parent == out or out in config.parents:
        raise UsageError(f"--mkdocs {config}: put the configuration outside --out {out} (mkdocs reads the pages "
                         "from a folder that does not hold its configuration), e.g. --mkdocs mkdocs.yml")

    def rel(path: Path) -> str:
        return Path(os.path.relpath(path, base)).as_posix()

    header = (f"# The public site of effective rates. Pages are generated from the schedules:\n"
              f"#   tariffc docs --out {rel(out)} --mkdocs {config.name} && mkdocs build --strict -f {config.name}\n")
    return header + SETTINGS.format(nav=f"{rel(out)}/{NAV_FILE}", docs=rel(out), site=rel(site_dir(out)))
