"""Source fidelity, part 2: the 8 content principles are the letter's words and what the dialogue
is about; award criteria and their weights are the contract manager's, per tender, with no
invented defaults.

Before, each principle doubled as an award criterion of 12.5 %, reworded. Per tender:
- if its principle rows are still exactly what migration 0002 seeded for tender 30209886 (the
  same eight numbers and reworded titles, every weight 12.50) and no candidate has a score on
  any of them, they were never anybody's criteria: the tender gets no award criteria;
- otherwise a contract manager changed them or scored candidates on them: each principle row
  becomes an award criterion with its number, title and weight, and the scores move with it.
  Nothing a user entered is lost.
Then the principles of tender 30209886 take the letter's words (shared/domain/POLICY.md), and
the weight leaves the principle."""

from decimal import Decimal

from django.db import migrations

REFERENCE = "30209886"
SEEDED_WEIGHT = Decimal("12.50")
# What 0002 seeded before: reworded principles used as criteria of 12.5 % each.
SEEDED = {
    1: "Gezamenlijke aanpak",
    2: "De ondersteuningsvraag van de inwoner staat centraal",
    3: "Specialistische ondersteuning is aanvullend op de sociale basis en de basiszorg",
    4: "Wijkgericht en collectief",
    5: "Domeinoverstijgend",
    6: "Efficiënt, draagt bij aan de houdbaarheid van de zorg",
    7: "Een 'tenzij' is altijd mogelijk",
    8: "Stap voor stap leren en ontwikkelen",
}
# The college letter's words, as 0002 now seeds them.
LETTER = {
    1: "We werken vanuit een gedeelde benadering",
    2: "De ondersteuningsvraag van inwoners staat centraal",
    3: "De specialistische begeleiding is aanvullend op sociale basis en basiszorg",
    4: "De specialistische begeleiding wordt wijkgericht en collectief uitgevoerd",
    5: "De specialistische begeleiding werkt domeinoverstijgend",
    6: "De specialistische begeleiding werkt efficiënt en draagt bij aan de houdbaarheid van zorg "
    "en ondersteuning",
    7: 'Een "tenzij" is altijd mogelijk',
    8: "Stapsgewijs samen leren en ontwikkelen.",
}


def _untouched_seed(tender, principles, scored) -> bool:
    """The tender's rows are the seeded defaults, unchanged and unscored. The letter's words
    count as seeded too: a database created after 0002 was corrected seeds them with the old
    default weight."""
    if tender.reference != REFERENCE or scored:
        return False
    rows = {p.number: (p.title, p.weight) for p in principles}
    return set(rows) == set(SEEDED) and all(
        weight == SEEDED_WEIGHT and title in (SEEDED[number], LETTER[number])
        for number, (title, weight) in rows.items()
    )


def forwards(apps, schema_editor):
    Tender = apps.get_model("procurement", "Tender")
    Principle = apps.get_model("procurement", "Principle")
    AwardCriterion = apps.get_model("procurement", "AwardCriterion")
    EvaluationScore = apps.get_model("procurement", "EvaluationScore")
    for tender in Tender.objects.all():
        principles = list(Principle.objects.filter(tender=tender))
        scored = EvaluationScore.objects.filter(principle__tender=tender).exists()
        if principles and not _untouched_seed(tender, principles, scored):
            for principle in principles:
                criterion = AwardCriterion.objects.create(
                    tender=tender, number=principle.number, title=principle.title,
                    weight=principle.weight,
                )  # fmt: skip
                EvaluationScore.objects.filter(principle=principle).update(criterion=criterion)
        if tender.reference == REFERENCE:
            for number, title in LETTER.items():
                Principle.objects.update_or_create(
                    tender=tender, number=number, defaults={"title": title}
                )


def backwards(apps, schema_editor):
    """Principles take the weights of the criteria with their numbers again (0 for a principle
    without one), or 12.50 each for a tender without criteria, as before."""
    Tender = apps.get_model("procurement", "Tender")
    Principle = apps.get_model("procurement", "Principle")
    AwardCriterion = apps.get_model("procurement", "AwardCriterion")
    EvaluationScore = apps.get_model("procurement", "EvaluationScore")
    for tender in Tender.objects.all():
        criteria = list(AwardCriterion.objects.filter(tender=tender))
        if tender.reference == REFERENCE:
            for number, title in SEEDED.items():
                Principle.objects.filter(tender=tender, number=number).update(title=title)
        if not criteria:
            Principle.objects.filter(tender=tender).update(weight=SEEDED_WEIGHT)
            continue
        Principle.objects.filter(tender=tender).update(weight=Decimal("0"))
        for criterion in criteria:
            principle, _ = Principle.objects.update_or_create(
                tender=tender, number=criterion.number,
                defaults={"title": criterion.title, "weight": criterion.weight},
            )  # fmt: skip
            EvaluationScore.objects.filter(criterion=criterion).update(principle=principle)


class Migration(migrations.Migration):
    dependencies = [("procurement", "0007_award_criterion")]

    operations = [migrations.RunPython(forwards, backwards)]
