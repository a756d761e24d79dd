#!/usr/bin/env bash
# The main job: check every schedule, build the public site, print a sample bill.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
echo "== tariffc check schedules/"
.venv/bin/tariffc check --quiet schedules/
echo "== tariffc docs (site source) and mkdocs build --strict"
.venv/bin/tariffc docs --schedules schedules --out build/site-src --force
.venv/bin/mkdocs build --strict --quiet
echo "site built in build/site; serve it with: .venv/bin/mkdocs serve  (or: python3 -m http.server -d build/site)"
echo "== sample bill: E-1, 600 kWh, 2025-07-01 to 2025-07-31"
.venv/bin/tariffc bill E-1 --start 2025-07-01 --end 2025-07-31 --kwh 600
