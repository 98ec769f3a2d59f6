"""Render the bundled example's notebook view (``Article._repr_html_``) to ``docs/article_html.png``.

    python scripts/render_article_png.py [--out docs/article_html.png] [--width 1000]

Needs headless Chromium (Debian: ``apt-get install chromium``). The page is the same HTML that
Jupyter shows for an ``Article`` (:func:`beritanlp.display.article_html` with ``page=True``).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "xinhua-sco-2023-05-04.txt"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "article_html.png")
    parser.add_argument("--width", type=int, default=1000)
    parser.add_argument("--height", type=int, default=2150)
    args = parser.parse_args(argv)
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        print("chromium not found: apt-get install chromium", file=sys.stderr)
        return 2

    import beritanlp
    from beritanlp.display import article_html

    article = beritanlp.analyze(EXAMPLE.read_text(encoding="utf-8"), published="2023-05-04")
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "article.html"
        page.write_text(article_html(article, page=True), encoding="utf-8")
        subprocess.run(
            [
                browser,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                f"--window-size={args.width},{args.height}",
                f"--screenshot={args.out.resolve()}",
                page.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
    print(f"{args.out} ({args.width} x {args.height})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
