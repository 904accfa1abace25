"""The web chat in a real headless Chromium, against the real web service, Rasa and action servers."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.rasa

NEUTRAL_SITE = "https://www.meteofrance.com/"
REPLY_TIMEOUT = 30_000  # ms: the first turn of a session also loads Rasa's caches


def serve_neutral_site(page: Page) -> None:
    page.context.route(
        re.compile(r"https://www\.meteofrance\.com/.*"),
        lambda route: route.fulfill(
            status=200,
            content_type="text/html",
            body="<!doctype html><title>Météo</title><p>Soleil.</p>",
        ),
    )


def send(page: Page, text: str) -> None:
    box = page.get_by_test_id("message-input")
    box.fill(text)
    box.press("Enter")


def bot_log(page: Page):
    return page.get_by_test_id("message-log")


def test_a_sextortion_conversation_from_the_first_message_to_the_law(phone, web):
    phone.goto(web.url)
    send(
        phone, "jai 14 ans et un mec sur snap menace de publier mes nudes si je paie pas 200 balles"
    )
    expect(bot_log(phone)).to_contain_text("pas ta faute", timeout=REPLY_TIMEOUT)
    expect(bot_log(phone)).to_contain_text("Ne paie pas")
    # Every question can be skipped: "Je ne sais pas" until the law comes.
    for _ in range(8):
        if "Code pénal" in bot_log(phone).inner_text():
            break
        skip = (
            phone.get_by_test_id("quick-reply")
            .filter(has_text="Je ne sais pas")
            .locator("visible=true")
        )
        expect(skip.last).to_be_enabled(timeout=REPLY_TIMEOUT)
        before = phone.get_by_test_id("bot-message").count()
        skip.last.click()
        expect(phone.get_by_test_id("bot-message")).not_to_have_count(before, timeout=REPLY_TIMEOUT)
    expect(bot_log(phone)).to_contain_text("article 312-10 du Code pénal", timeout=REPLY_TIMEOUT)
    expect(bot_log(phone)).to_contain_text("75 000 €")
    # The user's own words stay on screen, as they typed them.
    expect(phone.get_by_test_id("user-message").first).to_contain_text("200 balles")


def test_a_crisis_message_gets_the_emergency_numbers_as_links(phone, web):
    phone.goto(web.url)
    send(phone, "jen peux plus je veux mourir")
    expect(bot_log(phone)).to_contain_text("3114", timeout=REPLY_TIMEOUT)
    expect(bot_log(phone).locator('a[href="tel:3114"]').first).to_be_visible()
    expect(bot_log(phone).locator('a[href="tel:112"]').first).to_be_visible()


@pytest.mark.parametrize("how", ["button", "escape-twice"])
def test_quick_exit_clears_the_page_and_leaves_no_way_back(phone, web, how):
    serve_neutral_site(phone)
    phone.goto("about:blank")
    phone.goto(web.url)
    send(phone, "un mec menace de publier mes photos")
    expect(phone.get_by_test_id("bot-message").first).to_be_visible(timeout=REPLY_TIMEOUT)
    # Nothing of the conversation is kept by the browser.
    assert phone.evaluate(
        "() => [localStorage.length, sessionStorage.length, document.cookie]"
    ) == [0, 0, ""]
    if how == "button":
        phone.get_by_test_id("quick-exit").click()
    else:
        phone.keyboard.press("Escape")
        phone.keyboard.press("Escape")
    phone.wait_for_url(NEUTRAL_SITE)
    expect(phone.locator("body")).to_contain_text("Soleil")
    # The chat was replaced in the history: "back" goes to what came before it.
    phone.go_back()
    assert not phone.url.startswith(web.url)


def test_html_typed_by_the_user_is_shown_as_text_and_never_run(laptop, web):
    dialogs: list[str] = []
    laptop.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    laptop.goto(web.url)
    payloads = ['<img src=x onerror="alert(1)">', "<script>alert(2)</script>"]
    for payload in payloads:
        send(laptop, payload)
        expect(laptop.get_by_test_id("user-message").last).to_have_text(
            re.compile(re.escape(payload))
        )
        expect(laptop.get_by_test_id("bot-message").last).to_be_visible(timeout=REPLY_TIMEOUT)
    assert bot_log(laptop).locator("img, script").count() == 0
    assert dialogs == []


def test_action_server_stopped_mid_conversation_the_apology_comes_and_nothing_is_lost(
    phone, web, servers
):
    phone.goto(web.url)
    send(phone, "un mec menace de publier mes nudes si je paie pas")
    expect(bot_log(phone)).to_contain_text("pas ta faute", timeout=REPLY_TIMEOUT)
    servers.stop_actions()
    try:
        send(phone, "j'ai 14 ans")
        expect(bot_log(phone)).to_contain_text("3114", timeout=REPLY_TIMEOUT)
        expect(bot_log(phone)).to_contain_text("119")
        retry = phone.get_by_test_id("retry-button")
        expect(retry).to_be_visible()
    finally:
        servers.start_actions()
    before = phone.get_by_test_id("bot-message").count()
    retry.click()
    expect(phone.get_by_test_id("bot-message")).not_to_have_count(before, timeout=REPLY_TIMEOUT)
    expect(phone.locator("[data-testid=retry-button]:enabled")).to_have_count(0)
    # The message was sent once, when it could be: one bubble for it.
    expect(phone.get_by_test_id("user-message").filter(has_text="j'ai 14 ans")).to_have_count(1)


def test_the_widget_on_a_partner_site_opens_the_chat_and_its_quick_exit_leaves_the_partner_page(
    laptop, web, partner_site
):
    serve_neutral_site(laptop)
    laptop.goto(partner_site.url)
    launcher = laptop.get_by_test_id("refuge-launcher")
    expect(launcher).to_be_visible(timeout=10_000)
    launcher.click()
    frame = laptop.frame_locator('[data-testid="refuge-frame"]')
    frame.get_by_test_id("message-input").fill("ils ont fait un faux nu de moi avec une IA")
    frame.get_by_test_id("message-input").press("Enter")
    expect(frame.get_by_test_id("message-log")).to_contain_text(
        "pas ta faute", timeout=REPLY_TIMEOUT
    )
    frame.get_by_test_id("quick-exit").click()
    laptop.wait_for_url(NEUTRAL_SITE)


def test_a_site_that_is_not_a_partner_cannot_frame_the_chat(laptop, web, partner_site):
    def framed_chat_from(page_url: str):
        laptop.goto(page_url)
        laptop.evaluate(
            """url => new Promise(done => {
                   const frame = document.createElement('iframe');
                   frame.title = 'chat'; frame.src = url; frame.onload = () => done();
                   document.body.append(frame);
               })""",
            f"{web.url}/chat",
        )
        return next(frame for frame in laptop.frames if frame is not laptop.main_frame)

    # The partner's origin may show it...
    frame = framed_chat_from(partner_site.url)
    expect(frame.get_by_test_id("message-input")).to_be_visible()
    # ...another origin gets Chromium's error page in its place (frame-ancestors).
    laptop.route(
        "http://site-inconnu.test/",
        lambda route: route.fulfill(body="<title>x</title>", content_type="text/html"),
    )
    frame = framed_chat_from("http://site-inconnu.test/")
    assert (
        frame.url.startswith("chrome-error://")
        or frame.get_by_test_id("message-input").count() == 0
    )
    assert frame.get_by_test_id("message-input").count() == 0


def test_the_complaint_summary_can_be_saved(laptop, web):
    laptop.goto(web.url)
    send(laptop, "j'ai 14 ans, un mec menace de publier mes nudes si je paie pas 200 euros")
    expect(bot_log(laptop)).to_contain_text("pas ta faute", timeout=REPLY_TIMEOUT)
    send(laptop, "je veux un récapitulatif pour la plainte")
    save = laptop.get_by_test_id("document-save")
    expect(save).to_be_visible(timeout=REPLY_TIMEOUT)
    expect(laptop.get_by_test_id("document-print")).to_be_visible()
    with laptop.expect_download() as download_info:
        save.click()
    download = download_info.value
    assert download.suggested_filename == "recapitulatif-plainte.txt"
    assert "Code pénal" in download.path().read_text(encoding="utf-8")


def test_new_conversation_clears_the_log(laptop, web):
    laptop.goto(web.url)
    send(laptop, "bonjour")
    expect(laptop.get_by_test_id("bot-message").first).to_be_visible(timeout=REPLY_TIMEOUT)
    # Typing goes on where it was: the focus never jumps away from the box.
    expect(laptop.get_by_test_id("message-input")).to_be_focused()
    laptop.get_by_test_id("new-conversation").click()
    expect(laptop.get_by_test_id("bot-message")).to_have_count(0)
    expect(laptop.get_by_test_id("user-message")).to_have_count(0)


@pytest.mark.parametrize("path", ["/", "/chat"])
@pytest.mark.parametrize("device", ["phone", "laptop"])
def test_no_serious_or_critical_accessibility_violation(request, web, path, device):
    from axe_playwright_python.sync_playwright import Axe

    page = request.getfixturevalue(device)
    page.goto(f"{web.url}{path}")
    send(page, "un mec menace de publier mes nudes si je paie pas")
    expect(page.get_by_test_id("quick-reply").first).to_be_visible(timeout=REPLY_TIMEOUT)
    violations = [
        (violation["id"], violation["impact"], len(violation["nodes"]))
        for violation in Axe().run(page).response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
    assert violations == []
