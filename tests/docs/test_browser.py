"""The built site in headless Chromium: the home page and the E-4-TOU page show their rate tables and
the period map; screenshots are saved under build/screenshots/ for a person to look at."""

from __future__ import annotations

import functools
import http.server
import shutil
import subprocess
import threading
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SHOTS = REPO / "build" / "screenshots"
CHROMIUM = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)), None)

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (Debian: apt-get install -y "
                                                          "chromium); the browser check of the rates site is skipped")


@pytest.fixture(scope="module")
def server(site):
    assert site.build.returncode == 0, site.build.stdout + site.build.stderr
    handler = functools.partial(QuietHandler, directory=str(site.html))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def chromium(url: str, profile: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                           "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
                           f"--user-data-dir={profile}", *extra, url], capture_output=True, text=True, timeout=90)


@pytest.mark.parametrize("page, shot, must_show", [
    ("index.html", "home.png", ['data-rate="E-4-TOU|', 'href="schedules/E-4-TOU.html"', "Key rates"]),
    ("schedules/E-4-TOU.html", "E-4-TOU.png",
     ['<img alt="E-4-TOU energy periods', 'data-rate="E-4-TOU|', "tariff-source", "Demand Charge"]),
])
def test_page_in_chromium(server, tmp_path, page, shot, must_show):
    dom = chromium(f"{server}/{page}", tmp_path / "dom", "--dump-dom")
    assert dom.returncode == 0, dom.stderr[-2000:]
    for text in must_show:
        assert text in dom.stdout, f"{page}: {text!r} not in the rendered DOM"
    SHOTS.mkdir(parents=True, exist_ok=True)
    target = SHOTS / shot
    result = chromium(f"{server}/{page}", tmp_path / "shot", f"--screenshot={target}", "--window-size=1280,1600")
    assert result.returncode == 0, result.stderr[-2000:]
    assert target.is_file() and target.stat().st_size > 10_000
