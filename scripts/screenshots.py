"""Takes the README's screenshots of the chat, on a phone and on a laptop, with a real conversation.

.venv/bin/python scripts/screenshots.py --url http://127.0.0.1:8000   (make run first)
"""

from __future__ import annotations

import argparse
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

DOCS = Path(__file__).resolve().parent.parent / "docs"
SIZES = {"telephone": {"width": 390, "height": 844}, "ordinateur": {"width": 1280, "height": 800}}
FIRST_MESSAGE = (
    "jai 14 ans et un mec sur snap menace de publier mes nudes si je paie pas 200 balles"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    DOCS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=args.chromium,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        for name, viewport in SIZES.items():
            context = browser.new_context(
                viewport=viewport,
                device_scale_factor=1,
                is_mobile=name == "telephone",
                locale="fr-FR",
            )
            page = context.new_page()
            page.goto(args.url)
            box = page.get_by_test_id("message-input")
            box.fill(FIRST_MESSAGE)
            box.press("Enter")
            expect(page.get_by_test_id("quick-reply").first).to_be_visible(timeout=30_000)
            page.wait_for_timeout(1000)  # let the messages finish fading in
            path = DOCS / f"chat-{name}.png"
            page.screenshot(path=str(path))
            print(path)
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
