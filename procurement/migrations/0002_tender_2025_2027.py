"""The tender of the college letter of 2 April 2025 (kenmerk 30209886), its eight steps, the
council information moments, the 8 content principles (in the letter's words; no award criteria:
those are the contract manager's per tender), the contract options and the council motion of
17 July 2025. Frozen copy: a migration keeps loading the same data when code changes.

Planned periods follow the letter's precision: "begin" = days 1–10, "half" = 11–20,
"eind" = 21 to the end of the month. Actual dates are left empty: a contract manager records them.
Request texts of the motion are our summary (shared/domain/POLICY.md), not the motion's wording.
The principles, the clause's title and the requests now follow the sources word for word; 0006
and 0008 correct databases that loaded the earlier wording."""

import datetime

from django.db import migrations

D = datetime.date
REFERENCE = "30209886"

TENDER = {
    "title": "Wmo aanvullende zorg in de wijk",
    "procedure": "dialogue",
    "regime": "sas_above_threshold",
    "instrument": "public_contract",
    "contract_start": D(2027, 1, 1),
    "standstill_days": 20,
}
DOCUMENTS = [
    ("Beleidsnota Wmo 'Samen leven, samen zorgen' (vastgesteld door de raad)", D(2024, 3, 28)),
    ("Collegebrief 'Aanbesteding Wmo aanvullende zorg' (kenmerk 30209886)", D(2025, 4, 2)),
]
# code, order, title, planned_start, planned_end, planned_label
STEPS = [
    ("draft_publication", 10, "Concept-publicatie van de opdracht en marktconsultatie", D(2025, 5, 11), D(2025, 5, 20), "half mei 2025"),
    ("definitive_publication", 20, "Definitieve publicatie", D(2025, 8, 21), D(2025, 9, 10), "eind augustus/begin september 2025"),
    ("selection", 30, "Selectie van kandidaten voor de dialoog", D(2025, 11, 11), D(2025, 11, 20), "half november 2025"),
    ("dialogue", 40, "Dialoogsessies", D(2025, 12, 1), D(2026, 1, 31), "december 2025 – januari 2026"),
    ("provisional_award", 50, "Voorlopige gunning", D(2026, 3, 1), D(2026, 3, 10), "begin maart 2026"),
    ("definitive_award", 60, "Definitieve gunning", D(2026, 4, 1), D(2026, 4, 10), "begin april 2026"),
    ("implementation", 70, "Implementatieperiode", D(2026, 4, 1), D(2026, 12, 31), "april – december 2026"),
    ("contract_start", 80, "Start van het contract", D(2027, 1, 1), D(2027, 1, 1), "1 januari 2027"),
]  # fmt: skip
# Extra council letters at selection and at award, besides the verzamelbrief at every step.
COUNCIL_LETTERS = [
    ("council_selection", "selection", "Raadsinformatiebrief bij de selectie van kandidaten"),
    ("council_provisional_award", "provisional_award", "Raadsinformatiebrief bij de voorlopige gunning"),
    ("council_definitive_award", "definitive_award", "Raadsinformatiebrief bij de definitieve gunning"),
]  # fmt: skip
# The college letter's own words (shared/domain/POLICY.md), including the quote marks and the
# final period of 8. They are the subject of the dialogue, not weighted award criteria.
PRINCIPLES = [
    (1, "We werken vanuit een gedeelde benadering"),
    (2, "De ondersteuningsvraag van inwoners staat centraal"),
    (3, "De specialistische begeleiding is aanvullend op sociale basis en basiszorg"),
    (4, "De specialistische begeleiding wordt wijkgericht en collectief uitgevoerd"),
    (5, "De specialistische begeleiding werkt domeinoverstijgend"),
    (6, "De specialistische begeleiding werkt efficiënt en draagt bij aan de houdbaarheid van zorg en ondersteuning"),
    (7, 'Een "tenzij" is altijd mogelijk'),
    (8, "Stapsgewijs samen leren en ontwikkelen."),
]  # fmt: skip
OPTIONS = [
    {
        "code": "bt_pilots_2027_2028", "kind": "bt_pilots",
        "title": "Pilots Beschermd Thuis (24/7 ambulante begeleiding) met nieuwe instroom",
        "period_start": D(2027, 1, 1), "period_end": D(2028, 12, 31), "period_label": "2027–2028",
        "description": "24/7 ambulante begeleiding die nu als Beschermd Thuis wordt gegeven, "
        "beperkt tot pilots met nieuwe instroom in 2027–2028.",
    },
    {
        "code": "u16_decision_2029", "kind": "u16_decision_2029",
        "title": "Besluit over Beschermd Thuis vanaf 2029, samen met de U16",
        "period_start": D(2029, 1, 1), "period_end": None, "period_label": "vanaf 2029",
        "description": "De koers voor 2029 en later wordt met de zestien gemeenten van de U16 besloten.",
    },
    {
        "code": "hbh_review_2031", "kind": "hbh_review_2031",
        "title": "Heroverwegingsclausule: hulp bij het huishouden toevoegen",
        "period_start": D(2031, 1, 1), "period_end": None,
        "period_label": "gericht op 2031, eerder als evaluaties daartoe aanleiding geven",
        "description": "Hulp bij het huishouden kan later aan de opdracht worden toegevoegd, gericht "
        "op het einde van de huidige contracten hulp bij het huishouden in 2031.",
    },
]  # fmt: skip
MOTION = {
    "date": D(2025, 7, 17),
    "title": "WMO aanvullende zorg, divers en kleinschalig houden",
    "submitter": "",
    "party": "EenUtrecht",
    "status": "unknown",
    "summary": (
        "Constateert dat aanvullende zorg nu door 56 organisaties wordt geleverd, waarvan veel "
        "bewoners- en doelgroeporganisaties (genoemd: Attifa, Karma Zorg, Zorgtrecht, Impulzz; "
        "belangenbehartiger U op leeftijd). Verwijst naar onderzoek (PPRC/I&O 2014–2015; de "
        "jaarlijkse CEO-monitoring Wmo) waaruit blijkt dat cliënttevredenheid en "
        "zelfredzaamheid bij meerdere aanbieders gemiddeld hoger zijn en bewonersinitiatieven "
        "makkelijker werk kunnen oppakken. Waarschuwt voor een extra, kostbare laag tussen "
        "cliënt, kleine organisaties en gemeente."
    ),
}
MOTION_REQUESTS = [
    (1, "Het besluit om over te gaan naar één aanbieder aan te houden en voorlopig de huidige praktijk met meerdere aanbieders voort te zetten."),
    (2, "Op zoek te gaan naar een alternatief model waarin kleinschaligheid en diverse, nabije zorg, waar nodig per doelgroep, centraal staan."),
    (3, 'Dit alternatief "bij voorkeur nog dit jaar 2025" aan de raad voor te leggen.'),
]  # fmt: skip
MOTION_MILESTONES = ["definitive_publication", "selection"]
# Steps that are a period, finished only once their last day is recorded (0005 adds the field).
PERIOD_STEPS = {"dialogue", "implementation"}


def load(apps, schema_editor):
    Tender = apps.get_model("procurement", "Tender")
    TenderDocument = apps.get_model("procurement", "TenderDocument")
    Milestone = apps.get_model("procurement", "Milestone")
    Principle = apps.get_model("procurement", "Principle")
    TenderOption = apps.get_model("procurement", "TenderOption")
    Motion = apps.get_model("procurement", "Motion")
    MotionRequest = apps.get_model("procurement", "MotionRequest")

    tender, _ = Tender.objects.get_or_create(reference=REFERENCE, defaults=TENDER)
    for title, date in DOCUMENTS:
        TenderDocument.objects.get_or_create(tender=tender, title=title, defaults={"date": date})
    # The test suite reloads this data on the current models after a flush; only they have the
    # field of migration 0005, which marks the periods when this migration runs for real.
    has_period = any(f.name == "is_period" for f in Milestone._meta.get_fields())
    steps = {}
    for code, order, title, start, end, label in STEPS:
        defaults = {"kind": "step", "order": order, "title": title, "planned_start": start,
                    "planned_end": end, "planned_label": label}  # fmt: skip
        if has_period:
            defaults["is_period"] = code in PERIOD_STEPS
        steps[code], _ = Milestone.objects.get_or_create(
            tender=tender, code=code, defaults=defaults
        )
        Milestone.objects.get_or_create(
            tender=tender, code=f"verzamelbrief_{code}",
            defaults={"kind": "council_info", "channel": "verzamelbrief", "concerns": steps[code],
                      "order": order + 1, "title": f"Verzamelbrief aan de raad: {title.lower()}",
                      "planned_start": start, "planned_end": end, "planned_label": label},
        )  # fmt: skip
    for code, step_code, title in COUNCIL_LETTERS:
        step = steps[step_code]
        Milestone.objects.get_or_create(
            tender=tender, code=code,
            defaults={"kind": "council_info", "channel": "raadsinformatiebrief", "concerns": step,
                      "order": step.order + 2, "title": title, "planned_start": step.planned_start,
                      "planned_end": step.planned_end, "planned_label": step.planned_label},
        )  # fmt: skip
    for number, title in PRINCIPLES:
        Principle.objects.get_or_create(tender=tender, number=number, defaults={"title": title})
    for option in OPTIONS:
        values = dict(option)
        TenderOption.objects.get_or_create(tender=tender, code=values.pop("code"), defaults=values)
    motion = Motion.objects.filter(
        tender=tender, date=MOTION["date"], title=MOTION["title"]
    ).first()
    if motion is None:
        motion = Motion.objects.create(tender=tender, **MOTION)
        motion.milestones.set([steps[code] for code in MOTION_MILESTONES])
        for number, text in MOTION_REQUESTS:
            MotionRequest.objects.create(motion=motion, number=number, text=text)


def unload(apps, schema_editor):
    apps.get_model("procurement", "Tender").objects.filter(reference=REFERENCE).delete()


class Migration(migrations.Migration):
    dependencies = [("procurement", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
