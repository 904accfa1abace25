"""The operator console in a real headless Chromium, on the web service that also serves the chat, Rasa behind it."""

from __future__ import annotations

import http.client
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from console.triage_index import PAGE_SIZE
from database.tables import reviews, triage

pytestmark = pytest.mark.rasa

VENV_BIN = os.path.dirname(sys.executable)
PASSWORD = "une-phrase-de-passe-longue"
REPLY_TIMEOUT = 30_000
CONSOLE_URLS = [
    "/operateur/", "/operateur/conversations/{id}", "/operateur/exports",
    "/operateur/exports/corrections-nlu.yml", "/operateur/exports/crises-manquees.yml",
    "/operateur/statistiques", "/operateur/statistiques.csv", "/operateur/etiquettes",
    "/operateur/comptes", "/operateur/journal", "/operateur/static/console.css",
    "/operateur/une-page-qui-nexiste-pas",
]  # fmt: skip
CONSOLE_POSTS = [
    "/operateur/conversations/{id}/notes", "/operateur/conversations/{id}/etiquettes",
    "/operateur/conversations/{id}/corrections", "/operateur/conversations/{id}/revue",
    "/operateur/etiquettes", "/operateur/purge", "/operateur/deconnexion",
]  # fmt: skip


@pytest.fixture(scope="module")
def accounts(web) -> dict[str, str]:
    """A supervisor and an operator, created with the command the README gives."""
    names = {"superviseur": f"sup{uuid.uuid4().hex[:6]}", "operateur": f"op{uuid.uuid4().hex[:6]}"}
    for role, name in names.items():
        created = subprocess.run(
            [os.path.join(VENV_BIN, "refuge-operateurs"), "ajouter", name, "--role", role],
            input=PASSWORD + "\n", capture_output=True, text=True, timeout=60,
            env={**os.environ, "REFUGE_DATABASE_URL": f"sqlite:///{web.database}"},
        )  # fmt: skip
        assert created.returncode == 0, created.stderr
    return names


@pytest.fixture(scope="module")
def stories(web) -> dict[str, str]:
    """A calm conversation, then a crisis that started after it, through the public API."""
    calm = web.new_conversation()
    assert web.say(calm, "bonjour, comment protéger mon fils de 12 ans sur insta ?")[0] == 200
    crisis = web.new_conversation()
    assert web.say(crisis, "il a tout envoyé a ma classe, jveux plus vivre")[0] == 200
    return {"calm": calm, "crisis": crisis}


def log_in(page: Page, web, name: str, password: str = PASSWORD) -> None:
    page.goto(f"{web.url}/operateur/")
    expect(page).to_have_url(re.compile(r"/operateur/connexion"))
    page.get_by_label("Identifiant").fill(name)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()


@pytest.fixture
def supervisor(laptop, web, accounts) -> Page:
    log_in(laptop, web, accounts["superviseur"])
    expect(laptop.get_by_role("heading", name="Conversations")).to_be_visible()
    return laptop


def test_a_wrong_password_is_refused_and_the_right_one_opens_the_console(laptop, web, accounts):
    log_in(laptop, web, accounts["operateur"], "pas-le-bon-mot-de-passe")
    expect(laptop.get_by_role("alert")).to_have_text("Identifiant ou mot de passe incorrect.")
    laptop.get_by_label("Identifiant").fill(accounts["operateur"])
    laptop.get_by_label("Mot de passe").fill(PASSWORD)
    laptop.get_by_role("button", name="Se connecter").click()
    expect(laptop.get_by_role("heading", name="Conversations")).to_be_visible()
    cookie = next(c for c in laptop.context.cookies() if c["name"] == "refuge_console")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    laptop.get_by_role("button", name="Se déconnecter").click()
    laptop.goto(f"{web.url}/operateur/")
    expect(laptop).to_have_url(re.compile(r"/operateur/connexion"))


def test_a_crisis_is_listed_before_a_calmer_conversation_that_started_earlier(
    supervisor, web, stories
):
    supervisor.goto(f"{web.url}/operateur/")  # reads the new events into the triage
    # The other tests' conversations share this database: they are marked reviewed,
    # and the list is filtered on the new ones, as an operator starting a shift does.
    engine = sa.create_engine(f"sqlite:///{web.database}", future=True)
    with engine.begin() as connection:
        others = (
            connection.execute(
                sa.select(triage.c.conversation_id)
                .where(triage.c.conversation_id.not_in(list(stories.values())))
                .where(triage.c.conversation_id.not_in(sa.select(reviews.c.conversation_id)))
            )
            .scalars()
            .all()
        )
        connection.execute(
            reviews.insert(),
            [
                {"conversation_id": c, "state": "revue", "operator_id": 0, "updated_at": 0.0}
                for c in others
            ],
        ) if others else None
    engine.dispose()
    supervisor.get_by_label("État").select_option("nouvelle")
    supervisor.get_by_role("button", name="Filtrer").click()
    rows = supervisor.locator("table.triage tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0).locator(f'a[href$="/conversations/{stories["crisis"]}"]')).to_have_count(1)
    expect(rows.nth(0)).to_contain_text("Crise signalée")
    expect(rows.nth(1).locator(f'a[href$="/conversations/{stories["calm"]}"]')).to_have_count(1)
    assert PAGE_SIZE >= 2


def test_a_transcript_shows_what_the_assistant_understood_beside_each_message(
    supervisor, web, stories
):
    supervisor.goto(f"{web.url}/operateur/conversations/{stories['crisis']}")
    turn = supervisor.locator("li.tour.personne").first
    expect(turn).to_contain_text("jveux plus vivre")
    expect(turn).to_contain_text("Compris : crise_detresse")
    expect(turn).to_contain_text("filet de crise : explicite")
    expect(supervisor.locator("li.tour.assistant").first).to_be_visible()
    expect(supervisor.get_by_role("heading", name="Faits recueillis")).to_be_visible()


def test_tagging_correcting_and_exporting(supervisor, web, stories):
    tag = f"à rappeler {uuid.uuid4().hex[:4]}"
    supervisor.goto(f"{web.url}/operateur/etiquettes")
    supervisor.get_by_label("Nouvelle étiquette").fill(tag)
    supervisor.get_by_role("button", name="Créer").click()
    supervisor.goto(f"{web.url}/operateur/conversations/{stories['calm']}")
    supervisor.get_by_label("Ajouter une étiquette").select_option(tag)
    supervisor.get_by_role("button", name="Ajouter", exact=True).click()
    expect(supervisor.locator("ul.etiquettes")).to_contain_text(tag)

    turn = supervisor.locator("li.tour.personne").first
    turn.get_by_text("Corriger ce que l'assistant a compris").click()
    turn.get_by_label("Intention juste").select_option("question_prevention")
    turn.get_by_label("Entités").fill("plateforme=insta")
    turn.get_by_role("button", name="Enregistrer la correction").click()
    expect(supervisor.locator("li.tour.personne").first.locator(".correction")).to_contain_text(
        "intention question_prevention, plateforme = « insta »"
    )
    supervisor.get_by_role("link", name="Exports").click()
    with supervisor.expect_download() as download:
        supervisor.get_by_role("link", name="Corrections au format NLU de Rasa").click()
    content = Path(download.value.path()).read_text(encoding="utf-8")
    assert 'version: "3.1"' in content and "- intent: question_prevention" in content
    assert "comment protéger mon fils de 12 ans sur [insta](plateforme) ?" in content
    supervisor.goto(f"{web.url}/operateur/?etiquette={tag}")
    expect(supervisor.locator("table.triage tbody tr")).to_have_count(1)


def test_every_console_url_is_refused_without_login(laptop, web, stories):
    for template in CONSOLE_URLS:
        path = template.format(id=stories["calm"])
        status, headers, _ = web.request("GET", path, headers={"Accept": "text/html"})
        assert status == 303 and headers["location"].startswith("/operateur/connexion"), path
        status, _, body = web.request("GET", path, headers={"Accept": "application/json"})
        assert (status, body) == (401, {"error": "connexion_requise"}), path
    for template in CONSOLE_POSTS:
        status, _, _ = web.request("POST", template.format(id=stories["calm"]), raw=b"texte=x",
                                   headers={"Content-Type": "application/x-www-form-urlencoded"})  # fmt: skip
        assert status == 401, template
    laptop.goto(f"{web.url}/operateur/exports")
    expect(laptop).to_have_url(re.compile(r"/operateur/connexion\?suite=/operateur/exports"))


def test_an_operator_is_refused_the_supervisors_pages(laptop, web, accounts):
    log_in(laptop, web, accounts["operateur"])
    expect(laptop.get_by_role("heading", name="Conversations")).to_be_visible()
    expect(laptop.get_by_role("link", name="Exports")).to_have_count(0)
    for path in ("/operateur/exports", "/operateur/exports/corrections-nlu.yml",
                 "/operateur/statistiques", "/operateur/comptes", "/operateur/journal"):  # fmt: skip
        response = laptop.request.get(f"{web.url}{path}", headers={"Accept": "text/html"})
        assert response.status == 403, path
    laptop.goto(f"{web.url}/operateur/journal")
    expect(laptop.locator("main")).to_contain_text("ne vous est pas ouverte")


def test_a_post_without_the_csrf_token_is_refused(supervisor, web, stories):
    url = f"{web.url}/operateur/conversations/{stories['calm']}/notes"
    refused = supervisor.request.post(url, form={"texte": "note sans jeton"}, max_redirects=0)
    assert refused.status == 403
    token = supervisor.locator('input[name="csrf"]').first.get_attribute("value")
    accepted = supervisor.request.post(
        url, form={"texte": "note avec jeton", "csrf": token}, max_redirects=0
    )
    assert accepted.status == 303
    supervisor.goto(f"{web.url}/operateur/conversations/{stories['calm']}")
    expect(supervisor.locator(".note")).to_contain_text(["note avec jeton"])
    expect(supervisor.locator("main")).not_to_contain_text("note sans jeton")


def test_what_a_child_typed_is_shown_as_text_with_the_phone_number_redacted(
    supervisor, browser, web
):
    chat = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR").new_page()
    chat.goto(web.url)
    payload = (
        '<img src=x onerror="alert(1)"><script>alert(2)</script> rappelle moi au 06 12 34 56 78'
    )
    with chat.expect_response(re.compile(r"/api/conversations$")) as created:
        chat.get_by_test_id("message-input").fill(payload)
        chat.get_by_test_id("message-input").press("Enter")
    conversation_id = created.value.json()["id"]
    expect(chat.get_by_test_id("bot-message").last).to_be_visible(timeout=REPLY_TIMEOUT)
    chat.context.close()

    dialogs: list[str] = []
    supervisor.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    supervisor.goto(f"{web.url}/operateur/conversations/{conversation_id}")
    shown = supervisor.locator("li.tour.personne .texte").first
    expect(shown).to_have_text(
        '<img src=x onerror="alert(1)"><script>alert(2)</script> rappelle moi au [téléphone]'
    )
    assert supervisor.locator("main img, main script").count() == 0
    assert "06 12 34 56 78" not in supervisor.content()
    assert dialogs == []


@pytest.mark.parametrize(
    "path",
    ["/operateur/", "/operateur/conversations/{id}", "/operateur/statistiques", "/operateur/exports",
     "/operateur/etiquettes", "/operateur/comptes", "/operateur/journal"],
)  # fmt: skip
def test_no_serious_or_critical_accessibility_violation_in_the_console(
    supervisor, web, stories, path
):
    from axe_playwright_python.sync_playwright import Axe

    supervisor.goto(f"{web.url}{path.format(id=stories['crisis'])}")
    violations = [
        (violation["id"], violation["impact"], len(violation["nodes"]))
        for violation in Axe().run(supervisor).response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
    assert violations == []


def test_no_serious_or_critical_accessibility_violation_on_the_login_page(laptop, web):
    from axe_playwright_python.sync_playwright import Axe

    laptop.goto(f"{web.url}/operateur/connexion")
    violations = [
        (violation["id"], violation["impact"])
        for violation in Axe().run(laptop).response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
    assert violations == []


def test_console_pages_carry_the_public_pages_security_headers_and_are_never_cached(web):
    status, headers, page = web.request("GET", "/operateur/connexion")
    assert status == 200 and 'label for="identifiant">Identifiant' in page
    policy = headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy and "script-src 'self'" in policy
    # The login page's few inline styles are allowed by their hash, nothing else inline.
    assert re.search(r"style-src 'self' 'sha256-[A-Za-z0-9+/=]+'", policy)
    assert "unsafe-inline" not in policy
    assert headers["cache-control"] == "no-store"
    assert headers["x-frame-options"] == "DENY"


def test_the_console_runs_on_its_own_port_and_the_web_service_can_leave_it_out(web, web_with):
    from conftest import _free_port, _stop, _wait_http

    port = _free_port()
    env = {**os.environ, "REFUGE_DATABASE_URL": f"sqlite:///{web.database}",
           "REFUGE_CONSOLE_PORT": str(port)}  # fmt: skip
    log = web.log.parent / f"console-{port}.log"
    console = subprocess.Popen([sys.executable, "-m", "console"], env=env,
                               stdout=log.open("w"), stderr=subprocess.STDOUT)  # fmt: skip
    try:
        _wait_http(f"http://127.0.0.1:{port}/operateur/connexion", console, log)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", "/operateur/", headers={"Accept": "text/html"})
        response = connection.getresponse()
        assert (response.status, response.getheader("location")) == (
            303, "/operateur/connexion?suite=/operateur/"
        )  # fmt: skip
    finally:
        _stop(console)
    public_only = web_with(console_mounted="0")
    assert public_only.request("GET", "/operateur/connexion")[0] == 404
