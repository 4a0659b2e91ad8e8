"""The tender's content matches its sources word for word where it quotes them
(shared/domain/POLICY.md): the 8 principles as the college letter words them, shown as principles
of the dialogue and not as weighted award criteria; no invented award criteria or weights; the
letter's "heroverwegingsclausule"; the motion's three instructions complete. The data migrations
correct databases loaded before."""

import datetime
import html
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from procurement.models import AwardCriterion, Motion, Principle, Tender, TenderOption

# Copied from shared/domain/POLICY.md ("in the letter's own words"), quote marks and the final
# period of 8 included.
LETTER_PRINCIPLES = [
    "We werken vanuit een gedeelde benadering",
    "De ondersteuningsvraag van inwoners staat centraal",
    "De specialistische begeleiding is aanvullend op sociale basis en basiszorg",
    "De specialistische begeleiding wordt wijkgericht en collectief uitgevoerd",
    "De specialistische begeleiding werkt domeinoverstijgend",
    "De specialistische begeleiding werkt efficiënt en draagt bij aan de houdbaarheid van zorg en "
    "ondersteuning",
    'Een "tenzij" is altijd mogelijk',
    "Stapsgewijs samen leren en ontwikkelen.",
]
MOTION_THIRD_QUOTE = '"bij voorkeur nog dit jaar 2025"'


def shown_principles(page: str) -> list[str]:
    listing = re.search(r'<ol [^>]*id="uitgangspunten-lijst">(.*?)</ol>', page, re.S).group(1)
    return [html.unescape(item) for item in re.findall(r"<li [^>]*>(.*?)</li>", listing)]


@pytest.mark.django_db
def test_the_principles_are_the_letters_words_without_weight(council_client):
    tender = Tender.objects.get(reference="30209886")
    assert [p.title for p in tender.principles.all()] == LETTER_PRINCIPLES
    assert "weight" not in {f.name for f in Principle._meta.get_fields()}
    page = council_client.get("/aanbesteding/30209886/").content.decode()
    assert shown_principles(page) == LETTER_PRINCIPLES
    assert "geen gewogen gunningscriteria" in page
    body = council_client.get("/api/v1/aanbestedingen/30209886").json()
    assert [u["uitgangspunt"] for u in body["uitgangspunten"]] == LETTER_PRINCIPLES


@pytest.mark.django_db
def test_no_invented_award_criteria_or_weights(council_client):
    assert not AwardCriterion._meta.get_field("weight").has_default()
    assert not AwardCriterion.objects.exists()  # the seeded tender has none
    tender = Tender.objects.create(
        title="Nieuw", reference="T-NIEUW", procedure="open", regime="full",
        instrument="public_contract",
    )  # fmt: skip
    assert not tender.criteria.exists() and not tender.principles.exists()
    page = council_client.get("/aanbesteding/30209886/").content.decode()
    assert "12,5" not in page and "12.5" not in page
    assert "nog geen gunningscriteria en wegingen vastgelegd" in page


@pytest.mark.django_db
def test_heroverwegingsclausule_as_the_letter_says(council_client):
    assert TenderOption.Kind.HBH_REVIEW_2031.label == (
        "Heroverwegingsclausule hulp bij het huishouden"
    )
    option = TenderOption.objects.get(tender__reference="30209886", kind="hbh_review_2031")
    assert option.title == "Heroverwegingsclausule: hulp bij het huishouden toevoegen"
    for url in ("/aanbesteding/", "/aanbesteding/30209886/"):
        page = council_client.get(url).content.decode()
        assert "Heroverwegingsclausule" in page and "erzieningsclausule" not in page


@pytest.mark.django_db
def test_the_motion_carries_its_three_instructions():
    motion = Motion.objects.get(date=datetime.date(2025, 7, 17))
    first, second, third = (r.text for r in motion.requests.all())
    assert "aan te houden" in first and "meerdere aanbieders" in first
    assert "alternatief model" in second and "kleinschaligheid" in second
    assert "nabije zorg" in second and "per doelgroep" in second
    assert MOTION_THIRD_QUOTE in third and "aan de raad voor te leggen" in third


BEFORE = [("procurement", "0005_award_dates_on_milestones")]


@pytest.mark.migrations
@pytest.mark.django_db(transaction=True)
def test_the_data_migrations_correct_stored_rows():
    """Rows as migration 0002 used to seed them: reworded principles of 12.5 %, the
    'Herzieningsclausule' and two of the motion's instructions. An untouched seed loses its
    invented criteria; a tender whose weights a contract manager set keeps them, with scores."""
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    OldPrinciple = old.get_model("procurement", "Principle")
    seeded = old.get_model("procurement", "Tender").objects.get(reference="30209886")
    assert OldPrinciple.objects.get(tender=seeded, number=2).title == (
        "De ondersteuningsvraag van de inwoner staat centraal"
    )
    assert (
        old.get_model("procurement", "TenderOption")
        .objects.get(tender=seeded, kind="hbh_review_2031")
        .title.startswith("Herzieningsclausule")
    )
    own = old.get_model("procurement", "Tender").objects.create(
        title="Eigen", reference="T-EIGEN", procedure="open", regime="full",
        instrument="public_contract",
    )  # fmt: skip
    quality = OldPrinciple.objects.create(tender=own, number=1, title="Kwaliteit", weight=70)
    OldPrinciple.objects.create(tender=own, number=2, title="Prijs", weight=30)
    candidate = old.get_model("procurement", "Candidate").objects.create(tender=own, name="Alfa")
    old.get_model("procurement", "EvaluationScore").objects.create(
        candidate=candidate, principle=quality, score=8
    )
    request = old.get_model("procurement", "MotionRequest").objects.get(
        motion__date=datetime.date(2025, 7, 17), number=3
    )
    request.response = "Wordt uitgewerkt."
    request.save()

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    tender = Tender.objects.get(reference="30209886")
    assert [p.title for p in tender.principles.all()] == LETTER_PRINCIPLES
    assert not tender.criteria.exists()
    own = Tender.objects.get(reference="T-EIGEN")
    assert [(c.number, c.title, c.weight) for c in own.criteria.all()] == [
        (1, "Kwaliteit", Decimal("70.00")), (2, "Prijs", Decimal("30.00")),
    ]  # fmt: skip
    score = own.candidates.get().scores.get()
    assert (score.criterion.title, score.score) == ("Kwaliteit", Decimal("8.0"))
    option = TenderOption.objects.get(tender=tender, kind="hbh_review_2031")
    assert option.title == "Heroverwegingsclausule: hulp bij het huishouden toevoegen"
    third = Motion.objects.get(date=datetime.date(2025, 7, 17)).requests.get(number=3)
    assert MOTION_THIRD_QUOTE in third.text
    assert third.response == "Wordt uitgewerkt."  # the college's response is kept
