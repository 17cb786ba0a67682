"""Screenshots of the main pages at phone and desktop widths, for a reviewer to look at.

Run with `make screenshots` (serves the site on 127.0.0.1 with a fresh database, then drives
Debian's Chromium). The images go to screenshots/, which is not committed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "screenshots"
PAGES = {
    "home": "/",
    "roles": "/roles",
    "role-pain-medicine": "/roles/pain-medicine-physician",
    "settings": "/care-settings",
    "setting-acute-pain-service": "/care-settings/acute-pain-service",
    "training": "/training",
    "compare": "/compare?roles=pain-medicine-physician,anesthesiologist",
    "conditions": "/conditions",
    "condition-sciatica": "/conditions/sciatica",
    "search-sciatica": "/search?q=sciatica",
    "questionnaire": "/which-specialist",
    "about": "/about",
}
WIDTHS = {"phone": 390, "desktop": 1280}
PORT = 5077


def main() -> None:
    OUT.mkdir(exist_ok=True)
    database = Path(tempfile.mkdtemp()) / "screens.db"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}"}
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run([*flask, "content", "load"], cwd=ROOT, env=env, check=True)
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{PORT}", "wsgi:app"],
        cwd=ROOT,
        env=env,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=[
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--no-first-run",
                ],
            )
            for label, width in WIDTHS.items():
                page = browser.new_page(viewport={"width": width, "height": 900})
                for name, path in PAGES.items():
                    page.goto(f"http://127.0.0.1:{PORT}{path}")
                    target = OUT / f"{name}-{label}.png"
                    page.screenshot(path=str(target), full_page=True)
                    print(target.relative_to(ROOT))
                page.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
