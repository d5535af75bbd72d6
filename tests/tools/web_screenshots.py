"""Screenshots of `quotes serve` for docs/: the search page and a speaker page, in headless Chromium.

    python tests/tools/web_screenshots.py --index-dir DIR --query "taxes OR economy" --speaker "Donald Trump" \
        --out docs/

Needs the `browser` extra and Debian's chromium and chromium-driver (as tests/test_browser.py does).
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import urllib.parse
from pathlib import Path

from selenium import webdriver

from tests.bench.web_bench import serving
from tests.test_browser import FLAGS


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index-dir", type=Path, required=True)
    parser.add_argument("--query", required=True)
    parser.add_argument("--speaker", required=True)
    parser.add_argument("--out", type=Path, default=Path("docs"))
    args = parser.parse_args()
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for flag in FLAGS:
        options.add_argument(flag)
    with tempfile.TemporaryDirectory() as profile, serving(args.index_dir) as base:
        options.add_argument(f"--user-data-dir={profile}")
        driver = webdriver.Chrome(options=options,
                                  service=webdriver.ChromeService(executable_path=shutil.which("chromedriver")))
        try:
            driver.get(f"{base}/?q={urllib.parse.quote(args.query)}")
            driver.save_screenshot(str(args.out / "web-search.png"))
            driver.get(f"{base}/speaker/{urllib.parse.quote(args.speaker)}")
            driver.save_screenshot(str(args.out / "web-speaker.png"))
        finally:
            driver.quit()
    print(f"wrote {args.out / 'web-search.png'} and {args.out / 'web-speaker.png'}")


if __name__ == "__main__":
    main()
