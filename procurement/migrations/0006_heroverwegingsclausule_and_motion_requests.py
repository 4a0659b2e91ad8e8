"""Source fidelity, part 1: the letter's word is "heroverwegingsclausule", not
"herzieningsclausule" (the choice label and stored option titles and descriptions), and the
motion of 17 July 2025 carries its three instructions complete, the third being to put the
alternative to the council "bij voorkeur nog dit jaar 2025".

Only request texts still exactly as migration 0002 seeded them are replaced; a request a contract
manager rewrote is left alone, and responses and statuses are kept."""

from django.db import migrations, models

MOTION_DATE, MOTION_TITLE = "2025-07-17", "WMO aanvullende zorg, divers en kleinschalig houden"
# number -> (as 0002 seeded it before, as the motion instructs)
REQUESTS = {
    1: (
        "Het besluit om met één stedelijke contractpartij te werken te pauzeren.",
        "Het besluit om over te gaan naar één aanbieder aan te houden en voorlopig de huidige "
        "praktijk met meerdere aanbieders voort te zetten.",
    ),
    2: (
        "Voorlopig door te gaan met meerdere aanbieders van aanvullende zorg.",
        "Op zoek te gaan naar een alternatief model waarin kleinschaligheid en diverse, nabije "
        "zorg, waar nodig per doelgroep, centraal staan.",
    ),
    3: (
        "Een alternatief, kleinschalig en naar doelgroep divers model uit te werken en aan de "
        "raad voor te leggen.",
        'Dit alternatief "bij voorkeur nog dit jaar 2025" aan de raad voor te leggen.',
    ),
}
WORDS = [("Herzieningsclausule", "Heroverwegingsclausule"),
         ("herzieningsclausule", "heroverwegingsclausule")]  # fmt: skip


def _rename(apps, words):
    TenderOption = apps.get_model("procurement", "TenderOption")
    for option in TenderOption.objects.filter(
        models.Q(title__icontains=words[0][0]) | models.Q(description__icontains=words[0][0])
    ):
        for old, new in words:
            option.title = option.title.replace(old, new)
            option.description = option.description.replace(old, new)
        option.save(update_fields=["title", "description"])


def _requests(apps, index_old, index_new):
    MotionRequest = apps.get_model("procurement", "MotionRequest")
    seeded = MotionRequest.objects.filter(motion__date=MOTION_DATE, motion__title=MOTION_TITLE)
    for number, texts in REQUESTS.items():
        seeded.filter(number=number, text=texts[index_old]).update(text=texts[index_new])


def forwards(apps, schema_editor):
    _rename(apps, WORDS)
    _requests(apps, 0, 1)


def backwards(apps, schema_editor):
    _rename(apps, [(new, old) for old, new in WORDS])
    _requests(apps, 1, 0)


class Migration(migrations.Migration):
    dependencies = [("procurement", "0005_award_dates_on_milestones")]

    operations = [
        migrations.AlterField(
            model_name="tenderoption",
            name="kind",
            field=models.CharField(
                choices=[
                    ("bt_pilots", "Pilots Beschermd Thuis"),
                    ("u16_decision_2029", "Besluit 2029 met de U16"),
                    ("hbh_review_2031", "Heroverwegingsclausule hulp bij het huishouden"),
                    ("extension", "Verlengingsoptie"),
                ],
                max_length=30,
                verbose_name="soort",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
