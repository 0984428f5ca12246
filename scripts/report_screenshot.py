"""Render the example cluster's HTML report and screenshot it for the README (docs/report-syria.png).

The briefing is benchmarks/results/before/syria-2016-02-21.json: `summarizer brief` on
examples/syria-2016-02-21 with the embedded SmolLM2-135M model (no need to rerun the 20-minute
extraction to redraw the picture). Needs chromium (apt-get install -y chromium).

    .venv/bin/python scripts/report_screenshot.py [--out docs/report-syria.png] [--html /tmp/syria.html]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
from pathlib import Path

from playwright.sync_api import sync_playwright

from summarizer.ingest.load import load_many
from summarizer.render import report
from summarizer.schemas import Briefing

ROOT = Path(__file__).resolve().parents[1]
BRIEFING = ROOT / "benchmarks" / "results" / "before" / "syria-2016-02-21.json"
ARTICLES = ROOT / "examples" / "syria-2016-02-21"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "report-syria.png")
    ap.add_argument("--html", type=Path, default=Path("/tmp/report-syria.html"))
    args = ap.parse_args()
    data = json.loads(BRIEFING.read_text(encoding="utf-8"))
    data["run"].pop("wall_s", None)
    b = Briefing.model_validate(data)
    args.html.write_text(report.to_html(b, load_many([ARTICLES]).articles), encoding="utf-8")
    chromium = os.environ.get("SUMMARIZER_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1440, "height": 900}, device_scale_factor=1)
        page.goto(args.html.as_uri())
        # The Observatory's 57 for Homs: the chart, the claims and the highlighted span in its article.
        claim = page.locator("article.event").first.locator("table.claims tr", has_text="Observatory").last
        claim.locator("a.cite.figure").click()
        page.locator("article.event").first.locator("h3").evaluate("h => window.scrollTo(0, h.offsetTop - 8)")
        page.mouse.move(0, 0)
        page.screenshot(path=str(args.out))
        browser.close()
    print(f"wrote {args.out} and {args.html}")


if __name__ == "__main__":
    main()
