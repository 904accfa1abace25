"""Takes the README's screenshots: the chat on a phone and a laptop, then the console's triage list and a transcript.

.venv/bin/python scripts/screenshots.py --url http://127.0.0.1:8000   (make run first)

The console's screenshots need an account: `--compte NOM`, its password in
REFUGE_SCREENSHOT_PASSWORD (never on the command line).
"""

from __future__ import annotations

import argparse
import os
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
    parser.add_argument("--compte", help="un compte de la console, pour ses captures")
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
        if args.compte:
            console_screenshots(browser, args.url, args.compte)
        browser.close()


def console_screenshots(browser, url: str, account: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    page = context.new_page()
    page.goto(f"{url}/operateur/")
    page.get_by_label("Identifiant").fill(account)
    page.get_by_label("Mot de passe").fill(os.environ["REFUGE_SCREENSHOT_PASSWORD"])
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name="Conversations")).to_be_visible()
    path = DOCS / "console-triage.png"
    page.screenshot(path=str(path))
    print(path)
    page.locator("table.triage tbody tr a").first.click()
    page.locator("li.tour.personne details").first.evaluate("element => element.open = true")
    path = DOCS / "console-conversation.png"
    page.screenshot(path=str(path), full_page=False)
    print(path)
    context.close()


if __name__ == "__main__":
    main()
