"""Reading a story's facts from a person's own words (refuge.story): who sends, who demands, whose age."""

from __future__ import annotations

import pytest

from refuge.story import (
    ages_in,
    amount_in_text,
    places_of_story,
    platform_mentions,
    read_story,
    situation_from_story,
    speaker_in,
    speaks_of_adult_life,
)
from refuge.text import normalise


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # What the victim SENT is not what the author DEMANDS.
        (
            "jlui ai envoyé des nudes et la il veut 150 balles",
            {"demande": ["argent"], "montant": "150 €", "contenu": "reel"},
        ),
        (
            "elle lui a envoyé des photos et maintenant il réclame 200 €",
            {"demande": ["argent"], "montant": "200 €"},
        ),
        (
            "il veut que je lui envoie d'autres photos sinon il publie",
            {"demande": ["images"], "menace_diffusion": True},
        ),
        (
            "il menace de publier mes photos si je paie pas",
            {"demande": ["argent"], "menace_diffusion": True},
        ),
        ("il veut me voir samedi", {"demande": ["rencontre"], "rencontre_proposee": True}),
        # Asking a child for nude photos is a sexual proposal; photos asked for do not exist
        # yet: they say nothing of the images' kind.
        # Underwear photos asked for are a demand of images (227-23-1), not by themselves a
        # sexual proposal: that one is asked, not guessed. Nude ones are both.
        ("il veut des photos de moi en sous vetements", {"demande": ["images"]}),
        (
            "il lui demande des photos de lui sans vêtements",
            {"demande": ["images"], "propositions_sexuelles": True},
        ),
        ("il m'a rien demandé il a juste tout balancé", {"demande": [], "menace_diffusion": False}),
        # A school year is not an amount.
        ("une élève d'une classe de 4e m'a parlé", {}),
        ("jsuis en 3e", {}),
        ("c la 2e fois qu il me demande", {}),
        # The author's real age, not the one he claimed, and never the victim's.
        ("il m'a dit qu'il avait 14 ans mais il en a 27", {"auteur_majeur": True}),
        ("un mec de 27 ans qui disait en avoir 15", {"auteur_majeur": True}),
        ("un homme de 24 ans qui se faisait passer pour un ado de 16 ans", {"auteur_majeur": True}),
        ("il dit qu'il a 16 ans", {}),
        # Images already spread, or only threatened.
        ("il menace de tout envoyer a mes parents", {"menace_diffusion": True}),
        ("il a rien publié pour l'instant", {"diffuse": False}),
        ("non il menace pas", {"menace_diffusion": False}),
        (
            "g deja payé 50e mais il en veut encore",
            {"demande_obtenue": True, "montant": "50 €", "demande": ["argent"]},
        ),
        # What the author offers to lure is no demand; what the victim is told to give is.
        ("un monsieur sur roblox veut me donner des robux si je lui envoie des photos de moi",
         {"demande": ["images"], "auteur_majeur": True}),
        ("il m'a offert plein de subs", {}),
        ("il veut que je lui donne 50e sinon il publie",
         {"demande": ["argent"], "montant": "50 €", "menace_diffusion": True}),
        ("mtn c un mec et il veut 200e sinon il envoi tout a mes contacts",
         {"demande": ["argent"], "montant": "200 €", "menace_diffusion": True}),
        # SMS glues the subject to the verb: "jvienne" is "je vienne", "jen" is "j'en".
        ("la il veut que jvienne chez lui mercredi",
         {"demande": ["rencontre"], "rencontre_proposee": True}),
        ("il veut que jen envoie dautres sinon il poste",
         {"demande": ["images"], "menace_diffusion": True}),
        ("j'ai rien payé", {"demande_obtenue": False}),
        # Harassment with a fake account in the victim's name.
        ("ils ont créé un faux compte à mon nom sur insta", {"usurpation_identite": True}),
        # A fake profile of the author is not the victim's identity.
        ("il avait un faux profil de fille", {}),
        ("un montage de moi toute nue fait avec une ia", {"contenu": "genere"}),
        (
            "un mec de 24 ans me parle de sexe et veut me voir en vrai",
            {"auteur_majeur": True, "propositions_sexuelles": True, "rencontre_proposee": True,
             "demande": ["rencontre"]},
        ),
    ],
)  # fmt: skip
def test_a_story_gives_only_the_facts_its_words_state(text: str, expected: dict) -> None:
    facts = read_story(text)
    facts.pop("contenu_sexuel", None)
    facts.pop("role", None)
    # Exactly these: a fact the words do not state stays unknown, and is asked.
    assert facts == expected


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        (
            "des gars de ma classe ont fait tourner ma photo dans le groupe de la classe",
            # Whether a class group is public is not said: asked, never guessed.
            {"diffuse": True, "diffusion_en_ligne": None, "auteur_majeur": False},
        ),
        ("mon ex a envoyé des photos de moi à mes amis et mes collègues", {"diffuse": True}),
        ("il l'a posté sur insta", {"diffuse": True, "diffusion_en_ligne": True}),
        ("elle la mis sur tiktok", {"diffuse": True, "diffusion_en_ligne": True}),
        ("c'est dans un groupe privé", {"diffusion_en_ligne": False}),
        (
            "il les a envoyées à mes potes sur insta en dm",
            {"diffuse": True, "diffusion_en_ligne": False},
        ),
        ("un faux compte tiktok à son nom a posté la vidéo", {"diffusion_en_ligne": True}),
        # A threat to post is not a post: no infinitive reads as done.
        (
            "il menace de publier la video sur insta si je paie pas",
            {"diffuse": None, "diffusion_en_ligne": None},
        ),
        (
            "mon ex a publié une vidéo intime de nous sur un site porno",
            {"diffuse": True, "diffusion_en_ligne": True},
        ),
    ],
)
def test_spreading_is_read_with_where_it_was_spread(text: str, facts: dict) -> None:
    found = read_story(text)
    assert {k: found.get(k) for k in facts} == facts


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("ma fille de 13 ans reçoit des messages", "parent"),
        ("je suis sa grand-mère", "parent"),
        ("Je suis professeure principale d'une classe de 4e", "professionnel"),
        ("Je suis CPE dans un collège, une élève est venue me voir", "professionnel"),
        ("en tant qu'infirmière scolaire je reçois une élève", "professionnel"),
        ("Une de mes joueuses m'a montré des messages", "professionnel"),
        ("ma pote a ses nudes qui tournent", "temoin"),
        ("mon petit frère parle avec un adulte sur roblox", "temoin"),
        ("ya une video intime dune fille de ma classe qui tourne", "temoin"),
        ("elle tourne partout, jveux laider mais jsais pas comment", "temoin"),
        ("ma pote a envoyé une photo d'elle a son copain", "temoin"),
        # The writer's own image, even with a boyfriend named: the victim.
        ("ma photo seins nus que javais envoyée a mon copain est sur insta", "victime"),
        # The writer is the one targeted: the victim, whatever else they mention.
        ("mon ex a balancé mes nudes à mes potes", "victime"),
        ("mon ex a envoyé des photos de moi à mes amis", "victime"),
        ("un élève de ma classe m'a insulté sur snap", "victime"),
        ("des gars de ma classe me harcèlent", "victime"),
        ("un mec menace de publier des photos", None),
    ],
)
def test_who_writes_is_read_from_their_words(text: str, role: str | None) -> None:
    assert speaker_in(normalise(text)) == role


@pytest.mark.parametrize(
    ("text", "role", "victim", "author"),
    [
        ("j'ai 14 ans et lui il a 19 ans", "victime", 14, 19),
        ("g 15 ans", "victime", 15, None),
        ("14 ans, un mec me menace", "victime", 14, None),
        ("ma fille de 13 ans", "parent", 13, None),
        ("elle a 13 ans", "parent", 13, None),
        ("un homme de 40 ans parle à ma fille", "parent", None, 40),
        ("une élève de 4e (14 ans)", "professionnel", 14, None),
        ("j'ai 15 ans et ma pote 14 ans", "temoin", 14, None),
        ("ça dure depuis 2 ans", "victime", None, None),
        ("ça fait 10 ans que je suis sur insta", "victime", None, None),
        ("une jeune que j'accompagne, qui va sur ses 17 ans", "professionnel", 16, None),
        ("ma fille va sur ses 14 ans", "parent", 13, None),
        ("jvais sur mes 15 ans", "victime", 14, None),
        ("il a 16 ans moi 15", "victime", 15, 16),
        ("un admin qui a 30 ans", "victime", None, 30),
        ("un bénévole du club âgé de 22 ans", "professionnel", None, 22),
        # His words reported: "jai 22 ans" is his age, not the child's.
        ("et hier il ma dit en vrai jai 22 ans", "victime", None, 22),
        ("il ma dit jai 15 ans", "victime", None, None),
        ("Bonjour, je suis le grand frère (22 ans) d'une fille de 14 ans.", "temoin", 14, None),
        ("Son copain, qui a 19 ans, a publié des photos intimes d'elle", "parent", None, 19),
        ("des images truquées d'une de leurs camarades, 13 ans", "professionnel", 13, None),
        # The classmate whose age comes before what he did to the child is the author.
        ("un camarade de 15 ans a publié la photo de ma fille de 13 ans", "parent", 13, 15),
        # A claim earlier in the message does not make the writer's own age a lie.
        (
            "il ma juste ecrit tu sais ce qui va se passer si tu payes pas. jai eu 15 ans en mars",
            "victime",
            15,
            None,
        ),
    ],
)
def test_each_age_is_given_to_whom_it_belongs(text, role, victim, author) -> None:
    ages = ages_in(normalise(text), role)
    assert (ages.victim, ages.author) == (victim, author)


@pytest.mark.parametrize(
    ("text", "amount"),
    [("150 balles", "150 €"), ("50e", "50 €"), ("100 euros", "100 €"), ("30 dollars", "30 $"),
     ("en 4e", None), ("une classe de 3e", None), ("la 2e fois", None)],
)  # fmt: skip
def test_amounts_are_money_and_school_years_are_not(text: str, amount: str | None) -> None:
    assert amount_in_text(normalise(text)) == amount


@pytest.mark.parametrize(
    ("facts", "situation"),
    [
        ({"contenu": "genere"}, "deepfake"),
        ({"menace_diffusion": True, "demande": ["argent"]}, "sextorsion"),
        ({"auteur_majeur": True, "propositions_sexuelles": True}, "grooming"),
        ({"diffuse": True, "contenu": "reel"}, "diffusion_non_consentie"),
        ({"usurpation_identite": True}, "cyberharcelement"),
        ({"auteur_majeur": True}, None),
        ({}, None),
    ],
)
def test_a_situation_is_read_from_the_facts_only_when_they_are_clear(facts, situation) -> None:
    assert situation_from_story(facts, "") == situation


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        # Asked for, then sent: the images exist, and they are real.
        ("il m a demandé une photo en calecon g envoyé", {"contenu": "reel"}),
        ("il lui demande des photos d'elle nue", {"contenu": None}),
        # Young people of the victim's school are minors, however they are named.
        ("des gens de mon colege font des tiktok sur moi", {"auteur_majeur": False}),
        ("un compte créé par des camarades se moque d'elle", {"auteur_majeur": False}),
        ("le mec cest quelquun de notre classe", {"auteur_majeur": False}),
        ("des filles de son ancien collège la harcèlent", {"auteur_majeur": False}),
        # Children's images sent to, or seen by, the young person: sexual content received.
        ("un inconnu lui a envoyé des images montrant des enfants dans des scènes sexuelles",
         {"contenu_sexuel_recu": True, "contenu_mineurs_tiers": True}),
        ("elle a vu des vidéos d'abus sexuels sur de jeunes enfants",
         {"contenu_sexuel_recu": True}),
        ("ya des videos d enfants tout nus dans le groupe", {"contenu_sexuel_recu": True}),
        # A condition, then he spreads: a threat; a post threatened is not online yet.
        ("si je revien pas avec lui et que jlui renvoie pas des nouvelles photos il les poste "
         "en story. pour l instant il a rien posté",
         {"menace_diffusion": True, "demande": ["images"], "diffuse": False,
          "diffusion_en_ligne": None}),
        ("des photos que je lui avais envoyer, dont une ou je suis completement nue",
         {"contenu": "reel"}),
        ("il en a deja envoyé une a ma meilleure pote", {"diffuse": True}),
        # Sexual acts asked for, compliments for one's age, virginity: sexual proposals.
        ("il veut que je fasse des trucs en cam genre me toucher",
         {"demande": ["actes_sexuels"], "propositions_sexuelles": True}),
        ("il me dit que jsuis trop belle pour mon age", {"propositions_sexuelles": True}),
        ("il lui demande s'il est puceau", {"propositions_sexuelles": True}),
        ("il ma envoyé des photos de son truc", {"contenu_sexuel_recu": True}),
    ],
)  # fmt: skip
def test_what_is_implied_by_plain_words_is_read(text: str, facts: dict) -> None:
    found = read_story(text)
    assert {k: found.get(k) for k in facts} == facts


@pytest.mark.parametrize(
    ("text", "role", "facts"),
    [
        # "quil" is "qu'il": the threat is read through it.
        ("il dit quil va envoyer mes photos ou jsuis en soutif a toute ma classe si jlui en envoie pas dautres",
         "victime", {"menace_diffusion": True, "contenu": "reel", "demande": ["images"]}),
        ("sinon elle l'enverra à tous ses contacts", "professionnel", {"menace_diffusion": True}),
        # A condition on either side of "il la publie" makes it a threat, not a spread.
        ("si elle envoie pas une autre photo il la publie", "parent",
         {"menace_diffusion": True, "diffuse": None}),
        ("il la publie si je paye pas", "victime", {"menace_diffusion": True, "diffuse": None}),
        ("il a envoyé la photo a mes potes", "victime", {"diffuse": True}),
        # Those it is sent to are not who sends it; a guess without proof is not known.
        ("il envoie des messages aux gens de mon bahut en se faisant passer pour moi", "victime",
         {"auteur_majeur": None, "usurpation_identite": True}),
        ("le compte suit tt les gens de mon lycee. g 15 ans et jsais pas qui a fait ca", "victime",
         {"auteur_majeur": None, "age_victime": 15}),
        ("Elle pense que c'est un élève mais n'a aucune preuve.", "professionnel",
         {"auteur_majeur": None}),
        ("des gens de ma classe ont créé un faux compte a mon nom", "victime",
         {"auteur_majeur": False}),
        ("Comme il n'a pas payé, l'individu a déjà envoyé la vidéo à trois élèves de sa classe.",
         "professionnel", {"auteur_majeur": None, "diffuse": True}),
        ("le compte suit tt les gens de mon lycee", "victime", {"auteur_majeur": None}),
        ("il a posté la video de moi qui me branle", "victime", {"contenu": "reel", "diffuse": True}),
        ("Il a des photos d'elle dénudée", "professionnel", {"contenu": "reel"}),
        ("si tu m en envoie pas d autres jles met sur le serveur", "victime",
         {"menace_diffusion": True, "demande": ["images"]}),
        # "1 000 €" is one sum; "elle envoyait" reports the threat; "je les ai versés" paid it.
        ("Elle m'a demandé 1 000 € sinon elle envoyait la vidéo à mes collègues. Je les ai versés"
         " par virement et maintenant elle en redemande.", "victime",
         {"montant": "1 000 €", "menace_diffusion": True, "demande_obtenue": True,
          "demande": ["argent"]}),
        ("il veut 1.500 euros", "victime", {"montant": "1 500 €"}),
        ("Bonjour, ma colocataire est streameuse sur Twitch, des vidéos truquées d'elle nue",
         None, {"role": "temoin", "contenu": "genere"}),
        # Told by a witness, the classmate introduced is the victim; the one who acts, the
        # author; and a guess is no fact.
        ("les nudes d une fille de ma classe tournent dans un groupe snap", "temoin",
         {"auteur_majeur": None, "diffuse": True}),
        ("un mec de ma classe a posté la photo de ma pote", "temoin", {"auteur_majeur": False}),
        ("ca vient de filles de mon college jcrois", "victime", {"auteur_majeur": None}),
        # Other pupils who received a classmate's fake images: she did not receive them.
        ("plusieurs élèves de 5e ont reçu des images pornographiques truquées d'une camarade",
         "professionnel", {"contenu_sexuel_recu": None}),
        ("Mon fils a reçu des vidéos pornographiques", "parent", {"contenu_sexuel_recu": True}),
        # An address published is no image spread; images asked for do not exist yet.
        ("Elles lui envoient des insultes et ont publié l'adresse du foyer en story.",
         "professionnel", {"diffuse": None}),
        ("il dit quil va me mettre modo si jlui envoie des photos de moi en calecon", "victime",
         {"contenu": None, "demande": ["images"]}),
        ("il dit que si jlui envoie pas dautres videos il la balance dans le serv", "victime",
         {"menace_diffusion": True, "diffuse": None}),
        ("un mec de 24 ans veut que jvienne chez lui pour coucher avec lui", "victime",
         {"demande": ["actes_sexuels", "rencontre"]}),
        # "tout le lycee la": l'a, the verb left out, at the end; "la trouve belle" is no spread.
        ("elle a fait une capture et mtn tout le lycee la", "victime", {"diffuse": True}),
        ("tout le monde la trouve belle", "victime", {"diffuse": None}),
        # Filming oneself doing things is a video demanded, and sexual acts.
        ("il veut que jme filme en train de faire des trucs sinon il la met sur le serveur",
         "victime", {"demande": ["images", "actes_sexuels"], "menace_diffusion": True}),
        ("il lui a demandé de se filmer nu", "parent", {"demande": ["images"]}),
        ("un streameur d'une trentaine d'années", "parent", {"auteur_majeur": True}),
        ("une vingtaine de messages", "victime", {"auteur_majeur": None}),
        ("elle a deja envoyer encore 3 photo parce que elle a peur", "parent", {"demande_obtenue": True}),
        ("il a deja envoyé 50 et ils lachent pas", "temoin", {"demande_obtenue": True}),
        # Photos sent before the demand are no payment: "g envoyé 2 et mtn il veut 80e".
        ("il ma demander des photos et g envoyé 2 et mtn il veut 80e sinon il les met en story",
         "victime", {"demande_obtenue": None, "demande": ["argent"]}),
        ("jlui ai envoyé 50e hier", "victime", {"demande_obtenue": True}),
        ("jai deja mis 50e en paysafecard hier", "victime", {"demande_obtenue": True, "montant": "50 €"}),
        ("jai deja payé 50e par paypal et maintenant il en veut 150 de plus", "victime",
         {"demande_obtenue": True, "montant": "150 €"}),
        ("il veut 3 photos de plus", "victime", {"montant": None}),
        ("jai mis 18 ans sur tinder", "victime", {"demande_obtenue": None}),
        # The sum already paid is not the sum demanded.
        ("mtn ils veulent 300 balles sinon ils envoient la video jai deja mis 50e en paysafecard hier",
         "victime", {"montant": "300 €", "demande_obtenue": True}),
        # "ni menace ni demande"; "un groupe contre moi" is no exchange.
        ("Il n'y a eu ni menace ni demande, il l'a simplement transférée", "parent",
         {"menace_diffusion": False, "demande": []}),
        ("ils ont fait un groupe snap contre moi ils mettent des photos de moi", "victime", {"demande": None}),
        # "si elle lui donne pas 100 balles" is the demand, not the author's offer; after
        # "sinon" comes the threat, not what is demanded.
        ("il dit que si elle lui donne pas 100 balles il les met sur insta", "temoin",
         {"demande": ["argent"], "montant": "100 €"}),
        ("exige 250 € en cartes cadeaux, sinon elle enverra une photo de lui nu à tous ses contacts",
         "professionnel", {"demande": ["argent"], "menace_diffusion": True}),
        ("Deux camarades disent déjà l'avoir reçue.", "professionnel", {"diffuse": True}),
        ("sur insta en dm. il m a rien demandé", "victime", {"diffusion_en_ligne": False}),
        ("jai ete ajouté dans un groupe et ya des gens qui postent des videos d enfants", "victime",
         {"contenu_sexuel_recu": True}),
        ("il veut me payer le train pour venir chez lui a lyon", "victime", {"rencontre_proposee": True}),
        ("il lui propose de le raccompagner seul en voiture", "professionnel", {"rencontre_proposee": True}),
        ("il lui propose un « shooting » samedi prochain", "parent", {"rencontre_proposee": True}),
        ("il en a aussi mis sur un forum pornographique", "victime", {"diffusion_en_ligne": True}),
        ("une vidéo filmée par son ancien compagnon, âgé de 20 ans", "professionnel", {"auteur_majeur": True}),
        ("Elle a refusé, et il l'a envoyée à plusieurs", "parent", {"demande_obtenue": False, "diffuse": True}),
        # A refusal or a condition is not what the victim sent: "si elle donne pas encore photo".
        ("il dit il envoi a l'ecole si elle donne pas encore photo", "parent", {"demande": ["images"]}),
        # The pupil a teacher speaks of is the victim, not other children; a parent's "une fille" is.
        ("une photo intime d'une élève de 15 ans circule", "professionnel", {"contenu_mineurs_tiers": None}),
        ("une vidéo sexuelle d'une fille qui a l'air d'avoir 12 ans a été postée", "parent",
         {"contenu_mineurs_tiers": True}),
        ("des packs de photos de meufs de 13 14 ans toutes nues", "temoin", {"contenu_mineurs_tiers": True}),
        ("une vidéo montrant un jeune enfant victime d'actes sexuels", "parent", {"contenu_mineurs_tiers": True}),
        ("ils vendent des packs de photos", "temoin", {"diffuse": True}),
        # Fake images, however named; the witness's own age is no fact of the story.
        ("une photo d'elle trafiquée", "temoin", {"contenu": "genere"}),
        ("ils ont incrusté son visage dans une vidéo pornographique", "parent", {"contenu": "genere"}),
        ("ma petite soeur a 14 ans et des gamins de sa classe ont fait tourner une photo. j'ai 19 ans",
         "temoin", {"age_victime": 14, "auteur_majeur": False}),
        ("g 17 ans et lui aussi", "victime", {"age_victime": 17, "auteur_majeur": False}),
        ("elle a 15 ans, lui 16", "parent", {"age_victime": 15, "auteur_majeur": False}),
        ("une meuf (elle a 17 aussi)", "victime", {"auteur_majeur": False}),
        ("des élèves ont fabriqué une fausse photo de ma fille", "parent", {"auteur_majeur": False}),
        ("des filles de 3e ont fait une fausse photo delle", "temoin", {"auteur_majeur": False}),
        # Where it is: in DMs is not public; on an account or a site is.
        ("il a envoyé mes nudes a mes amis sur insta en dm", "victime", {"diffusion_en_ligne": False}),
        ("en mp il menvoie des liens porno", "victime", {"diffusion_en_ligne": None, "contenu_sexuel_recu": True}),
        ("jcrois c que le groupe", "victime", {"diffusion_en_ligne": False}),
        ("elle est sur un compte ficha insta", "victime", {"diffusion_en_ligne": True}),
        ("des vidéos truquées circulent sur un site pour adultes", "victime", {"diffusion_en_ligne": True}),
        # Real images: undressing on a video call, "ses nudes", the video he threatens to send.
        ("on a fait un appel vidéo où je me suis déshabillé", "victime", {"contenu": "reel"}),
        ("il a ses nudes", "temoin", {"contenu": "reel"}),
        ("sinon ils envoient la vidéo à toute la famille", "parent", {"contenu": "reel"}),
        # Grooming's words.
        ("il me dit que chui mature pour mon age", "victime", {"propositions_sexuelles": True}),
        ("des vbucks si je lui envoie une photo de moi tout nu", "victime", {"propositions_sexuelles": True}),
        ("il ma envoye une video degeulasse de gens tout nu", "victime", {"contenu_sexuel_recu": True}),
        ("il veut qu on aille chez lui", "victime", {"rencontre_proposee": True}),
        ("il veut me payer le train pour quon se voit", "victime", {"rencontre_proposee": True}),
        # What these readings must not take.
        ("c pour mon meilleur pote, il a 15 ans comme moi", "temoin", {"auteur_majeur": None}),
        ("le compte est public, des élèves de son collège l'ont vue", "parent", {"auteur_majeur": None}),
        ("une fille de ma classe ma envoyé sur whatsapp une photo de moi toute nue", "victime",
         {"contenu_sexuel_recu": None}),
        ("des photos de son sexe à lui qu'il lui a envoyées", "parent", {"contenu": None}),
        ("un faux compte a mon nom avec mes photos qui insulte tout le monde en dm", "victime",
         {"diffusion_en_ligne": None}),
        ("des videos denfants tout nus avec des adultes", "temoin", {"auteur_majeur": None}),
        ("l'ex-petit ami de ma fille, qui a 18 ans, a publié une vidéo. Elle a 16 ans.", "parent",
         {"age_victime": 16, "auteur_majeur": True}),
        ("ils ont fait un truc avec lIA", "victime", {"contenu": "genere"}),
    ],
)  # fmt: skip
def test_more_plain_words_are_read(text: str, role: str, facts: dict) -> None:
    found = read_story(text, role)
    assert {k: found.get(k) for k in facts} == facts


# Read on the eighth blind story file.
@pytest.mark.parametrize(
    ("text", "role", "facts"),
    [
        # A demand met at once is where it started; what is demanded now comes after.
        ("elle ma demander une video de moi tout nu et jlai fait. mtn il veut 3 cartes paysafe de 25",
         "victime", {"demande": ["argent"], "montant": "75 €", "demande_obtenue": None}),
        # ... and what was sent met the first demand, not the blackmail's: said after, or asked.
        ("il ma demandé une photo de moi toute nue et jlai envoyée. mtn il veut une video sinon il "
         "envoie la photo a ma mere", "victime", {"demande_obtenue": None}),
        ("il me donne 2000 vbucks si jlui envoie une photo de mon zizi. jlai fait et mtn il en veut "
         "dautres sinon il dit quil les envoie a tout mon college", "victime",
         {"demande": ["images"], "menace_diffusion": True, "demande_obtenue": None}),
        # A groomer's demands add up.
        ("il veut que jlui envoie des photos de moi sans rien. jlui en ai envoyé une en soutif. il "
         "veut qu on se voit samedi", "victime", {"demande": ["images", "rencontre"]}),
        ("Une soi-disant jeune fille lui a demandé des photos intimes, il en a envoyé, et depuis on "
         "le menace de les envoyer à tous ses contacts s'il ne paie pas.", "parent",
         {"demande": ["argent"], "contenu": "reel", "menace_diffusion": True}),
        # ... but it is the demand when nothing else is asked.
        ("il ma proposer 2800 vbucks si jlui envoyais une photo de mon zizi. jlai fait.", "victime",
         {"demande": ["images"], "demande_obtenue": True, "propositions_sexuelles": True}),
        # Nothing sent (back).
        ("il veut que jlui en envoie d autres sinon il balance celles qu il a. jai rien renvoye",
         "victime", {"demande_obtenue": False, "demande": ["images"]}),
        ("Le gamin n'a rien envoyé, il a trouvé ça bizarre.", "professionnel",
         {"demande_obtenue": False}),
        ("Mais elle n'a rien envoyé d'autre.", "parent", {"demande_obtenue": False}),
        # Pupils of a school year are minors.
        ("des gars de 3eme ont fait une fausse photo de moi", "victime", {"auteur_majeur": False}),
        ("L'ancienne petite amie est mineure elle aussi, 16 ans.", "professionnel",
         {"auteur_majeur": False}),
        # Denied, not demanded: "pas de demande d'argent ni de menace".
        ("Pas de demande d'argent ni de menace à ce stade.", "professionnel",
         {"demande": [], "menace_diffusion": False}),
        # Plural demands, sums in words, the threat that is not yet done.
        ("Ils demandent cent euros en cartes Paysafecard sinon ils publient des images de lui nu.",
         "parent", {"demande": ["argent"], "montant": "100 €", "menace_diffusion": True,
                    "diffuse": None}),
        ("ils veulent deux cents euros", "victime", {"montant": "200 €"}),
        ("mtn il veut 50 balles sinn il la met sur mon insta en story", "victime",
         {"menace_diffusion": True}),
        ("g envoyé 1 et mtn il veut 100 balles sinn il lenvoi a tt mon college", "victime",
         {"menace_diffusion": True, "montant": "100 €"}),
        ("un mec ma demandé une foto de moi en culotte jlai envoyé. mtn il veut 50 balles sinn il "
         "la met en story", "victime", {"demande": ["argent"], "demande_obtenue": None}),
        # His offer is no demand: "il paye mon billet de train".
        ("il veut qu on se voit a la japan expo il paye mon billet de train", "victime",
         {"demande": ["rencontre"], "montant": None}),
        # What a friend bought is no demand either.
        ("il dit qu il les a achete sur telegram pour 20e", "temoin",
         {"demande": None, "montant": None}),
        # His own naked photo, sent to the child.
        ("il m a envoye une photo de lui aussi tout nu c degueu", "victime",
         {"contenu_sexuel_recu": True}),
        # "Quelqu'un y a posté un lien": posted there, not "there are".
        ("Quelqu'un y a posté un lien vers des images d'enfants nus.", "parent",
         {"contenu_sexuel_recu": None, "contenu_mineurs_tiers": True}),
        # "elle a rien envoyé" is the child, not the author.
        ("non elle a rien envoye", "temoin", {"contenu_sexuel_recu": None}),
        # Other children on the images; what the images show is not the story's author.
        ("qqn a envoyer une video dans le groupe de la classe ou on voit un petit enfant avec un "
         "adulte qui lui fait des trucs sexuels. tout le monde la recu", "victime",
         {"contenu_mineurs_tiers": True, "diffuse": True, "auteur_majeur": None,
          "propositions_sexuelles": None}),
        # Caresses all over, a naked boy: sexual proposals to an 11-year-old.
        ("il veut me faire des calins et des bisous partout et il ma demande si j avais deja vu un "
         "garcon tout nu", "victime", {"propositions_sexuelles": True}),
        # A face on a naked body; a porn site; thousands of views.
        ("des gens ont fait une video avec sa tete sur le corps d une meuf toute nue", "temoin",
         {"contenu": "genere"}),
        ("un collègue m'a prévenue qu'il y avait des vidéos avec mon visage sur un site porno",
         "victime", {"diffusion_en_ligne": True, "diffuse": True}),
        ("la video a 12k vues", "temoin", {"diffusion_en_ligne": True}),
        # They met: "elle l'a rejoint dans un parc".
        ("en fait elle l'a rejoint dans un parc", "parent", {"rencontre_eue_lieu": True}),
        # He claims to be younger: no age of his.
        ("un homme qui se présente comme un ado de 14 ans lui offre des Robux", "parent",
         {"auteur_majeur": True}),
        # The pupil whose age is said, then what he did, is the author.
        ("Un élève de 16 ans a fabriqué avec une application de « nudification » de fausses "
         "photos dénudées d'une élève de seconde", "professionnel",
         {"age_victime": None, "auteur_majeur": False}),
        ("Une élève de 15 ans a été filmée par un camarade", "professionnel", {"age_victime": 15}),
        # Her own photo sent is not the author's act.
        ("Ma fille de 14 ans avait envoyé une photo d'elle nue à un garçon de son collège.",
         "parent", {"age_victime": 14}),
        # After "sinon" comes the threat: the video exists.
        ("Ils lui ont demandé 250 euros sinon ils envoient la vidéo à toute la famille", "parent",
         {"contenu": "reel", "demande": ["argent"]}),
        ("personne ma rien demandé c juste pour se moquer", "victime",
         {"demande": [], "menace_diffusion": False}),
        ("la il veut que jvienne a son studio et que jlui envoie d autres photos", "victime",
         {"demande": ["images", "rencontre"]}),
    ],
)  # fmt: skip
def test_the_eighth_blind_file_s_words_are_read(text: str, role: str, facts: dict) -> None:
    found = read_story(text, role)
    assert {k: found.get(k) for k in facts} == facts


@pytest.mark.parametrize(
    ("text", "role", "victim", "author"),
    [
        ("Ma fille de 14 ans, enfin non elle a 13 ans, elle aura 14 ans en mars. Il a 22 ans.",
         "parent", 13, 22),
        ("jai 16 ans lui 17, ah non il a eu 18 en janvier", "victime", 16, 18),
        # "pardon de vous écrire si tard" corrects nothing.
        ("Bonsoir, pardon de vous écrire si tard. Ma fille de 14 ans a rencontré quelqu'un", "parent",
         14, None),
    ],
)  # fmt: skip
def test_a_number_put_right_by_the_person_is_the_right_one(text, role, victim, author) -> None:
    found = read_story(text, role)
    assert found.get("age_victime") == victim
    expected_adult = None if author is None else author >= 18
    assert found.get("auteur_majeur") == expected_adult


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("il veut 150 balles sinon il la met sur tiktok. non 250 pardon jme suis trompe", "250 €"),
        ("il veut 150 balles", "150 €"),
    ],
)
def test_a_sum_put_right_is_the_sum_demanded(text: str, amount: str) -> None:
    assert read_story(text, "temoin").get("montant") == amount


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("Bonjour. Principal d'un collège de 600 élèves.", "professionnel"),
        ("Bonjour, éducatrice spécialisée en foyer de l'enfance.", "professionnel"),
        ("jcris pour mon pote il ose pas", "temoin"),
        ("Bonjour, professeur d'EPS au collège.", "professionnel"),
        # Asked to write by the one it happens to: a witness still.
        (
            "je vous écris pour une amie, elle a 19 ans. C'est elle qui m'a demandé de vous écrire.",
            "temoin",
        ),
        (
            "je vous écris pour une amie, elle a 19 ans, moi 21. C'est elle qui m'a demandé de me "
            "renseigner.",
            "temoin",
        ),
    ],
)
def test_more_writers_are_known_by_their_words(text: str, role: str) -> None:
    assert read_story(text).get("role") == role


@pytest.mark.parametrize(
    ("text", "adult"),
    [
        ("elle envoie la vidéo à ma femme et à mes collègues du boulot", True),
        ("ma coloc est tombée sur un canal telegram", True),
        ("mon ex-compagne a créé un faux profil", True),
        ("j'ai cours de master demain", True),
        ("ma mère va me tuer", False),
        ("des gars de ma classe", False),
    ],
)
def test_an_adult_life_is_heard_for_the_voice(text: str, adult: bool) -> None:
    assert speaks_of_adult_life(text) is adult


@pytest.mark.parametrize(
    ("text", "entities", "places"),
    [
        ("des mecs ont pris une photo de mon insta et ca tourne dans le groupe snap",
         [("Instagram", "insta"), ("Snapchat", "snap")], ["Snapchat"]),
        # The only platform named is kept: it may be where it happens too.
        ("il a pris mes photos insta et il les a trafiquées", [("Instagram", "insta")], ["Instagram"]),
        # "des vidéos TikTok" is where they post, not a source.
        ("ils le mettent dans des videos tiktok", [("TikTok", "tiktok")], ["TikTok"]),
        ("a publié une vidéo sur un compte public sur X. Elle", [], ["X"]),
        ("il y a X personnes", [], []),
    ],
)  # fmt: skip
def test_the_places_of_a_story_leave_out_where_the_photos_came_from(text, entities, places) -> None:
    found = [{"entity": "plateforme", "value": v, "start": text.index(w)} for v, w in entities]
    assert places_of_story(platform_mentions(found, text)) == places
