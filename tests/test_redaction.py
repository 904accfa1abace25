"""Redaction of personal identifiers before a chat message reaches Rasa (web/redaction.py)."""

from __future__ import annotations

import dataclasses
import re
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from stdnum import iban, luhn

from web.redaction import PLACEHOLDERS, Redaction, redact

ROOT = Path(__file__).resolve().parent.parent


def _assert_redacted(text: str, expected: str, kinds: tuple[str, ...]) -> None:
    result = redact(text)
    assert result.text == expected
    assert result.found == kinds


def _assert_unchanged(text: str) -> None:
    assert redact(text) == Redaction(text, ())


# --- Telephone ---------------------------------------------------------------------------------

FRENCH_MOBILES = [
    "06 12 34 56 78",
    "0612345678",
    "06.12.34.56.78",
    "06-12-34-56-78",
    "+33 6 12 34 56 78",
    "+33612345678",
    "0033 6 12 34 56 78",
    "0033 6 50 60 30 96",  # 13 digits that pass Luhn: no card number starts with 0
    "+33 (0)6 12 34 56 78",
    "07 12 34 56 78",  # a range libphonenumber does not list as allocated: a person all the same
    "07 98 76 54 32",
]


@pytest.mark.parametrize("number", FRENCH_MOBILES)
def test_french_mobile_formats_become_placeholder(number: str) -> None:
    _assert_redacted(
        f"appelle moi au {number} stp", "appelle moi au [téléphone] stp", ("telephone",)
    )


@pytest.mark.parametrize(
    "number",
    [
        "01 23 45 67 89",
        "0123456789",
        "04 78 12 34 56",
        "+44 7911 123456",
        "+32 470 12 34 56",
        "+1 555 010 0000",  # not allocated: only the POSSIBLE leniency finds it
    ],
)
def test_landlines_and_foreign_numbers_become_placeholder(number: str) -> None:
    _assert_redacted(f"son numéro : {number}.", "son numéro : [téléphone].", ("telephone",))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "ses numéros 06 12 34 56 78 07 98 76 54 32",
            "ses numéros [téléphone] [téléphone]",
        ),
        ("en 2024 06 12 34 56 78 m'a écrit", "en 2024 [téléphone] m'a écrit"),
        ("tel:0612345678", "tel:[téléphone]"),
    ],
)
def test_numbers_side_by_side_or_next_to_a_year_are_each_redacted(text: str, expected: str) -> None:
    result = redact(text)
    assert result.text == expected
    assert set(result.found) == {"telephone"}


# --- What the assistant needs: amounts, ages, service numbers, dates --------------------------

MUST_STAY = [
    "appelle le 3018",
    "tu peux appeler le 3114, le 119, le 112, le 17, le 114 ou le 15",
    "3018 119 112",
    "il veut 500 euros",
    "il m'a demandé 200€ puis 2000 balles",
    "il veut 1 500 000 euros",
    "il veut 10000000 euros",
    "il a 10 000 000 abonnés",
    "j'ai 14 ans",
    "il a 25 ans",
    "ça a commencé en 2024",
    "il m'a écrit à 23h",
    "ça fait 30 min",
    "il l'a fait 2 fois",
    "le 12/03/2024",
    "le 12-03-2024 et le 12 03 2024",
    "l'année 2023-2024",
    "de 2019 à 2024",
    "un mec me menace de publier mes nudes si je paie pas 500 balles",
    "jsp quoi faire il dit qu'il va tout envoyer à mes potes",
    "J'AI PEUR 3018 AIDE MOI",
]


@pytest.mark.parametrize("text", MUST_STAY)
def test_service_numbers_amounts_ages_years_and_times_stay(text: str) -> None:
    _assert_unchanged(text)


# --- E-mail ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("écris à lea@gmail.com", "écris à [email]"),
        ("prenom.nom@gmail.com", "[email]"),
        ("x_y+z@sub.domain.fr.", "[email]."),
        ("Mon mail: Lea.Dupont2009@Hotmail.FR, merci", "Mon mail: [email], merci"),
        ("léa.dupont@orange.fr", "[email]"),
        ("(kev-93@yahoo.co.uk)", "([email])"),
    ],
)
def test_email_addresses_become_placeholder(text: str, expected: str) -> None:
    _assert_redacted(text, expected, ("email",))


@pytest.mark.parametrize("text", ["lea@", "rdv @ 18h", "a@b", "mail@localhost", "@ plus"])
def test_at_signs_that_are_not_addresses_stay(text: str) -> None:
    _assert_unchanged(text)


# --- IBAN --------------------------------------------------------------------------------------

VALID_IBANS = [
    "FR76 3000 6000 0112 3456 7890 189",
    "FR7630006000011234567890189",
    "fr76 3000 6000 0112 3456 7890 189",
    "GB82 WEST 1234 5698 7654 32",
    "DE89 3704 0044 0532 0130 00",
    "BE71 0961 2345 6769",
]
TYPOED_IBANS = [
    "FR76 3000 6000 0112 3456 7890 188",  # wrong last digit
    "FR76 3000 6000 0112 3456 7890 18",  # one digit missing
    "FR76 3000 6000 0112 3456 7890 1899",  # one digit too many
]


@pytest.mark.parametrize("number", VALID_IBANS)
def test_valid_ibans_become_placeholder(number: str) -> None:
    assert iban.is_valid(number)
    _assert_redacted(
        f"il veut un virement sur {number} merci", "il veut un virement sur [iban] merci", ("iban",)
    )


@pytest.mark.parametrize("number", TYPOED_IBANS)
def test_ibans_with_a_typo_are_still_redacted(number: str) -> None:
    assert not iban.is_valid(number)
    _assert_redacted(f"l'iban c {number} et voilà", "l'iban c [iban] et voilà", ("iban",))


def test_an_iban_stops_before_the_year_after_it() -> None:
    _assert_redacted("FR76 3000 6000 0112 3456 7890 189 2024", "[iban] 2024", ("iban",))


@pytest.mark.parametrize(
    "text", ["ps45 abcd efgh", "il a une ps45 et une xbox", "XX12 3456 7890 1234", "FR76 1234 5678"]
)
def test_iban_lookalikes_without_the_shape_of_one_are_not_ibans(text: str) -> None:
    assert "iban" not in redact(text).found


# --- Payment card --------------------------------------------------------------------------------

CARDS = [
    "4970 1012 3456 7893",
    "4970101234567893",
    "4111-1111-1111-1111",
    "5132 0612 3456 7891",
    "3782 822463 10005",  # American Express, 15 digits
    "6011 0009 9013 9424",
]


@pytest.mark.parametrize("number", CARDS)
def test_luhn_valid_card_numbers_become_placeholder(number: str) -> None:
    assert luhn.is_valid(number.replace(" ", "").replace("-", ""))
    _assert_redacted(
        f"ma carte {number} exp 12/27", "ma carte [carte bancaire] exp 12/27", ("carte",)
    )


@pytest.mark.parametrize("number", ["4970 1012 3456 7894", "1234567890123456"])
def test_digit_runs_that_fail_luhn_become_codes(number: str) -> None:
    assert not luhn.is_valid(number.replace(" ", ""))
    _assert_redacted(f"voilà {number}", "voilà [code]", ("code",))


# --- Voucher and gift card codes ------------------------------------------------------------------

CODES = [
    "0123 4567 8901 2345",  # Paysafecard, 16 digits
    "0123456789012345",
    "4821-9937-5520",  # Transcash
    "12345678",
    "A1B2C3D4E5",  # Neosurf
    "x7k9pl2mq4",
    "ab12cd34ef",  # letter parts that could pass for SMS words: the alternation tells
    "X7K9-PL2M-Q4RT",  # Google Play
    "X7K9-PL2M-Q4RT-ZZ12",
    "AB1CD-EF2GH-IJ3KL",  # Steam
    "X7K9 PL2M Q4RT",  # Apple, printed with spaces
    "ABCD1234",
]


@pytest.mark.parametrize("code", CODES)
def test_voucher_codes_become_placeholder(code: str) -> None:
    _assert_redacted(f"il veut le code {code} ce soir", "il veut le code [code] ce soir", ("code",))


def test_a_code_glued_to_a_word_loses_its_digits() -> None:
    _assert_redacted("code pcs1234567890123456 stp", "code pcs[code] stp", ("code",))


ORDINARY_TOKENS = [
    "il m'a ficha sur insta",
    "va sur snapchat.com ou instagram.com",
    "il veut 500euros ou 2000balles",
    "jai14ans et lui 25",
    "il a un iphone12",
    "mon snap c mort",
    "covid-19",
    "post-2020",
    "<script>alert(1)</script>",
    "mp3 mp4 h264 4k",
]


@pytest.mark.parametrize("text", ORDINARY_TOKENS)
def test_ordinary_words_and_urls_without_codes_stay(text: str) -> None:
    _assert_unchanged(text)


BUTTON_PAYLOADS = [
    '/informer{"contenu": "reel"}',
    '/informer{"contenu": "genere"}',
    '/informer{"demande": "actes_sexuels"}',
    "/ne_sait_pas",
    "/signaler_sextorsion",
]


@pytest.mark.parametrize("payload", BUTTON_PAYLOADS)
def test_button_payloads_pass_through_unchanged(payload: str) -> None:
    _assert_unchanged(payload)


def _payloads(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["payload"]] if isinstance(node.get("payload"), str) else []
        return own + [payload for value in node.values() for payload in _payloads(value)]
    if isinstance(node, list):
        return [payload for value in node for payload in _payloads(value)]
    return []


def test_every_button_payload_of_the_domain_passes_through_unchanged() -> None:
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    # Doubled braces are Rasa's escape in responses; the web chat sends them single.
    payloads = {p.replace("{{", "{").replace("}}", "}") for p in _payloads(domain)}
    assert any("{" in payload for payload in payloads)
    for payload in payloads:
        _assert_unchanged(payload)


# --- Identifiers made of words -------------------------------------------------------------------

WORD_IDENTIFIERS = [
    # account names
    ("il m'a ajouté, c'est @kevin.93", "il m'a ajouté, c'est [pseudo]", ("pseudo",)),
    ("mon pseudo c lea_du_93", "mon pseudo c [pseudo]", ("pseudo",)),
    ("mon snap c lea2009", "mon snap c [pseudo]", ("pseudo",)),
    ("son insta cest kev.dark", "son insta cest [pseudo]", ("pseudo",)),
    ("son pseudo : darkangel", "son pseudo : [pseudo]", ("pseudo",)),
    ("le compte xx_lea_xx poste tout", "le compte [pseudo] poste tout", ("pseudo",)),
    # links, the platform kept
    ("va sur https://www.instagram.com/lea_du_93 stp", "va sur [lien instagram] stp", ("lien",)),
    ("tiktok.com/@lea.dance/video/123", "[lien tiktok]", ("lien",)),
    ("le site http://exemple.org/page?id=3.", "le site [lien].", ("lien",)),
    # e-mails spelled out
    ("lea.dupont arobase gmail point com", "[email]", ("email",)),
    ("écris à kev93 at hotmail dot fr", "écris à [email]", ("email",)),
    ("lea (arobase) orange (point) fr", "[email]", ("email",)),
    # schools, their kind kept
    ("au collège Jean Moulin il y a", "au collège [établissement] il y a", ("etablissement",)),
    ("au college jean moulin il y a", "au college [établissement] il y a", ("etablissement",)),
    (
        "lycée professionnel Louise-Michel",
        "lycée professionnel [établissement]",
        ("etablissement",),
    ),
    ("école primaire Pierre et Marie Curie", "école primaire [établissement]", ("etablissement",)),
    ("le lycée de la Plaine", "le lycée [établissement]", ("etablissement",)),
    # people's names
    ("il s'appelle Kevin Martin", "il s'appelle [nom]", ("nom",)),
    (
        "elle s appelle lea dupont et elle a 15 ans",
        "elle s appelle [nom] et elle a 15 ans",
        ("nom",),
    ),
    ("c'est Lucas Bernard de ma classe", "c'est [nom] de ma classe", ("nom",)),
    ("Bonjour, ma fille Léa Martin a 13 ans", "Bonjour, ma fille [nom] a 13 ans", ("nom",)),
    ("la prof Madame Durand", "la prof [nom]", ("nom",)),
]


@pytest.mark.parametrize(("text", "expected", "kinds"), WORD_IDENTIFIERS)
def test_account_names_links_spelled_emails_schools_and_names_become_placeholders(
    text: str, expected: str, kinds: tuple[str, ...]
) -> None:
    _assert_redacted(text, expected, kinds)


WORDS_THAT_STAY = [
    "au collège on m'a dit que",
    "dans mon lycée une fille a une photo de moi",
    "à l'école hier soir",
    "il est sur Snapchat et Instagram",
    "Bonjour Madame",
    "Merci Beaucoup",
    "il s'appelle comment deja",
    "jsuis en 4e au collège",
    "C'est Mardi Soir qu'il a envoyé",
    "un mec sur snap me menace de tout publier",
    "mon insta c privé",
    "la gendarmerie de Lyon",
    # Title Case typing: capitals say nothing of names there.
    "Il Menace De Publier Mes Photos",
    "mon compte 500e a été vidé",
    "sur snap 10min pour payer",
    "j'ai changé de pseudo pour pas qu'il me trouve",
    "ça s'appelle sextorsion",
    # After a school, a condition or a day is no school's name.
    "il dit il envoi a l'ecole si elle donne pas encore photo",
    "il va le montrer au college sinon",
    "au lycee lundi il me l'a montré",
]


@pytest.mark.parametrize(
    "text",
    ["Je Veux Mourir", "Mourir Serait Mieux Pour Tout Le Monde",
     "jveux mourir, il s appelle Kevin Martin", "Je Vais Me Tuer Ce Soir"],
)  # fmt: skip
def test_a_message_about_suicide_keeps_every_word_for_the_crisis_net(text: str) -> None:
    from refuge.crisis import detect_crisis

    assert detect_crisis(text)
    assert redact(text).text == text
    assert detect_crisis(redact(text).text)


@pytest.mark.parametrize("text", WORDS_THAT_STAY)
def test_words_of_the_story_are_not_taken_for_names(text: str) -> None:
    _assert_unchanged(text)


# --- Postal address ------------------------------------------------------------------------------

STREETS = [
    "12 rue des Lilas",
    "12 rue des lilas",
    "12 RUE DES LILAS",
    "3 bis avenue Jean Jaurès",
    "3bis av. Jean Jaures",
    "45, bd de la République",
    "7 allée des Chênes",
    "7 allee des chenes",
    "2 impasse du Moulin",
    "10 place de la Mairie",
    "5 chemin des Vignes",
    "12 route de Lyon",
    "8 quai de la Loire",
    "4 cours Mirabeau",
    "1 square Montholon",
    "6 résidence les Pins",
    "9 lotissement le Clos",
    "12 rue du 8 Mai 1945",
    "14 rue de l'Église",
]


@pytest.mark.parametrize("street", STREETS)
def test_street_addresses_become_placeholder(street: str) -> None:
    _assert_redacted(f"j'habite au {street}", "j'habite au [adresse]", ("adresse",))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("75011 Paris", "[adresse]"),
        ("il habite 69003 Lyon", "il habite [adresse]"),
        ("13001 Marseille", "[adresse]"),
        ("vers 44000 Nantes", "vers [adresse]"),
        ("j'habite à 75011 paris", "j'habite à [adresse]"),
        ("76600 Le Havre", "[adresse]"),
    ],
)
def test_postcode_and_town_become_placeholder(text: str, expected: str) -> None:
    _assert_redacted(text, expected, ("adresse",))


@pytest.mark.parametrize(
    "address",
    [
        "12 rue des Lilas 75011 Paris",
        "12 rue des Lilas, 75011 Paris",
        "12 rue des lilas 75011 paris",
        "12 rue des Lilas\n75011 Paris",
        "45, bd de la République, 69003 Lyon",
        "12 rue des Lilas - 75011 Paris",
        "6 résidence les Pins, 4 allée des Chênes",
    ],
)
def test_street_postcode_and_town_become_one_placeholder(address: str) -> None:
    _assert_redacted(f"c'est {address}", "c'est [adresse]", ("adresse",))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12 rue des Lilas et toi ?", "[adresse] et toi ?"),
        ("12 rue des lilas, c'est là", "[adresse], c'est là"),
        ("12 rue des Lilas. Il m'attend", "[adresse]. Il m'attend"),
        ("5 chemin des Vignes à Lyon", "[adresse] à Lyon"),
        ("5 chemin des vignes a lyon", "[adresse] a lyon"),
        ("3 bis avenue Jean Jaurès pour le colis", "[adresse] pour le colis"),
        ("12 rue des lilas depuis 3 ans", "[adresse] depuis 3 ans"),
        ("12 rue des lilas il m'attend", "[adresse] il m'attend"),
        ("12 rue des lilas 500 euros", "[adresse] 500 euros"),
        ("12 rue du 8 Mai 1945 à Paris", "[adresse] à Paris"),
    ],
)
def test_an_address_stops_at_punctuation_a_connector_or_a_number(text: str, expected: str) -> None:
    _assert_redacted(text, expected, ("adresse",))


@pytest.mark.parametrize(
    "text",
    [
        "j'ai 14 ans",
        "il a 25 ans",
        "j'ai 2 cours de maths demain",
        "il reste 2 place de libre",
        "j'ai 3 route à faire",
        "il a 10000 abonnés et 20000 vues",
        "il a 15000 amis",
        "il a 10000 Abonnés",
        "il en a envoyé 12000 partout",  # lower case: a town only after "à", "habite"...
        "j'habite rue des Lilas",  # no number: a street, not an address
        "75011",
        "dans la rue",
    ],
)
def test_numbers_before_ordinary_words_are_not_addresses(text: str) -> None:
    _assert_unchanged(text)


# --- Several identifiers --------------------------------------------------------------------------

MIXED = [
    (
        "appelle moi au 06 12 34 56 78 ou écris à lea.dupont@gmail.com, "
        "j'habite 12 rue des Lilas 75011 Paris",
        "appelle moi au [téléphone] ou écris à [email], j'habite [adresse]",
        ("telephone", "email", "adresse"),
    ),
    (
        "il veut 500 euros en PCS 0123 4567 8901 2345 ou sur FR76 3000 6000 0112 3456 7890 189, "
        "j'ai 14 ans",
        "il veut 500 euros en PCS [code] ou sur [iban], j'ai 14 ans",
        ("code", "iban"),
    ),
    (
        "son num +44 7911 123456, son mail x_y+z@sub.domain.fr et sa carte 4970 1012 3456 7893",
        "son num [téléphone], son mail [email] et sa carte [carte bancaire]",
        ("telephone", "email", "carte"),
    ),
    (
        "code neosurf A1B2C3D4E5 envoyé le 12/03/2024 à 23h, appelle le 3018 au 01 23 45 67 89",
        "code neosurf [code] envoyé le 12/03/2024 à 23h, appelle le 3018 au [téléphone]",
        ("code", "telephone"),
    ),
    (
        "lea@gmail.com0612345678",
        "[email][téléphone]",
        ("email", "telephone"),
    ),
]


@pytest.mark.parametrize(("text", "expected", "kinds"), MIXED)
def test_sentences_with_several_identifiers_list_them_in_order(
    text: str, expected: str, kinds: tuple[str, ...]
) -> None:
    _assert_redacted(text, expected, kinds)


def test_found_repeats_a_kind_as_often_as_it_was_replaced() -> None:
    result = redact("lea@gmail.com, 0612345678, kev@free.fr")
    assert result.found == ("email", "telephone", "email")


def test_placeholders_are_the_specified_strings() -> None:
    assert PLACEHOLDERS == {
        "telephone": "[téléphone]",
        "email": "[email]",
        "adresse": "[adresse]",
        "iban": "[iban]",
        "carte": "[carte bancaire]",
        "code": "[code]",
        "pseudo": "[pseudo]",
        "lien": "[lien]",
        "etablissement": "[établissement]",
        "nom": "[nom]",
    }


def test_every_byte_is_redacted_without_error_and_only_once() -> None:
    # Every byte but the digits, whose run "0123456789" is a landline number: "@ABC..." in it
    # has the shape of an account name, and goes.
    text = "".join(chr(byte) for byte in range(256) if not chr(byte).isdigit())
    once = redact(text)
    assert once.found == ("pseudo",)
    assert redact(once.text) == Redaction(once.text, ())


def test_redaction_is_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        redact("").text = "x"  # type: ignore[misc]


# --- Bad inputs ---------------------------------------------------------------------------------

FRENCH_PARAGRAPH = (
    "bonjour je m'appelle lea j'ai 14 ans et un mec sur snap me menace de tout publier "
    "si je paie pas 500 euros, je sais pas quoi faire. "
)

BAD_INPUTS = [
    "",
    " ",
    "\n\t  \r\n",
    "😭😭😭 aidez moi 🙏",
    "a" * 10_000,
    (FRENCH_PARAGRAPH * 100)[:10_000],
    "\x00\x01\x02\x7f\ufffd\u202e\u200b",
    "<script>alert(1)</script>",
    "'; DROP TABLE users; --",
    "SELECT * FROM trackers WHERE sender = '' OR 1=1;",
    "[téléphone] [email] [adresse] [iban] [carte bancaire] [code] [pseudo] [lien] [établissement] [nom]",
    "{{7*7}} ${jndi:ldap://x} %s%s%n",
]


@pytest.mark.parametrize("text", BAD_INPUTS, ids=range(len(BAD_INPUTS)))
def test_bad_inputs_without_identifiers_come_back_unchanged(text: str) -> None:
    _assert_unchanged(text)


def test_a_long_message_is_redacted_quickly() -> None:
    chunk = "appelle 06 12 34 56 78 ou lea@gmail.com, 12 rue des Lilas 75011 Paris A1B2C3D4E5. "
    text = ((FRENCH_PARAGRAPH + chunk) * 60)[:10_000]
    start = time.perf_counter()
    result = redact(text)
    # Generous: this guards against a regular expression gone quadratic, not a few milliseconds.
    assert time.perf_counter() - start < 1.0
    assert "06 12 34 56 78" not in result.text and "@" not in result.text


@pytest.mark.parametrize(
    "text",
    ["a" * 20_000 + " @", "A1" * 10_000, "1 " * 10_000, "12 rue " * 3_000, "FR76 " * 4_000],
    ids=["letters-then-at", "alternating", "spaced-digits", "street-heads", "iban-heads"],
)
def test_pathological_texts_are_redacted_quickly(text: str) -> None:
    start = time.perf_counter()
    redact(text)
    assert time.perf_counter() - start < 1.0


# --- Idempotence and properties ------------------------------------------------------------------

POSITIVE_EXAMPLES = (
    FRENCH_MOBILES
    + VALID_IBANS
    + TYPOED_IBANS
    + CARDS
    + CODES
    + STREETS
    + [t for t, _, _ in MIXED]
    + [t for t, _, _ in WORD_IDENTIFIERS]
)


# Shapes hypothesis found: a link or an "@" next to another identifier's placeholder.
@pytest.mark.parametrize(
    "text",
    [*POSITIVE_EXAMPLES, "06rue instagram.com/rue ", "https://0033A1B2X7K9-Lilas@kevgmail.com/ 34",
     "@kev@_93à b8gmail.com", "@kev12@kev@kevLilas@86@é06B9"],
)  # fmt: skip
def test_redacting_twice_changes_nothing(text: str) -> None:
    once = redact(text)
    assert once.found
    assert redact(once.text) == Redaction(once.text, ())


@given(st.text(alphabet=st.characters(categories=("Ll",)) | st.just(" ")))
def test_lower_case_letters_and_spaces_are_left_alone(text: str) -> None:
    # No digit, no "@", no capital: only a cue word ("collège", "s'appelle", "pseudo")
    # could introduce a name, and none is made of lower-case letters and spaces alone
    # but these, which the strategy leaves out.
    assume(
        not re.search(
            r"coll|lyc|ecole|école|clg|pseudo|identifiant|username|nomm|internat|scolaire", text
        )
    )
    assert redact(text) == Redaction(text, ())


@given(st.text())
def test_redact_never_raises(text: str) -> None:
    result = redact(text)
    assert isinstance(result.text, str)
    assert len(result.found) <= len(text)


FRAGMENTS = [
    "rue ", "avenue ", "place ", "de la ", "du ", "Lilas", "Paris", "paris", "FR76", "75011",
    "06", "12", " 34", "+33", "0033", "@", "gmail.com", "lea.", "bis ", "et ", "à ", ",", ".",
    "-", " ", "\n", "A1B2", "X7K9-", "4111", "500 euros ", "14 ans", "3018", "2024", "[code]",
    "@kev", "_93", "collège ", "Jean ", "Moulin", "s'appelle ", "snap c ", "lea2009", "https://",
    "instagram.com/", " arobase ", " point com", "[nom]", "[lien]",
]  # fmt: skip


@settings(max_examples=300)
@given(st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=3), max_size=30).map("".join))
def test_redacting_twice_changes_nothing_on_any_mix(text: str) -> None:
    once = redact(text).text
    assert redact(once).text == once


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("appelle le 06\u202f12\u202f34\u202f56\u202f78", "appelle le [téléphone]"),
        ("appelle le 06\u200b12\u200b34\u200b56\u200b78", "appelle le [téléphone]"),
        ("écris à lea\u200b@gmail.com", "écris à [email]"),
        ("écris à lea@gmail\u200b.com", "écris à [email]"),
        ("appelle le ０６１２３４５６７８", "appelle le [téléphone]"),
    ],
    ids=[
        "espace-fine",
        "espace-sans-chasse",
        "email-sans-chasse-avant",
        "email-sans-chasse-apres",
        "pleine-chasse",
    ],
)
def test_invisible_or_wide_characters_do_not_hide_an_identifier(text, expected):
    assert redact(text).text == expected
