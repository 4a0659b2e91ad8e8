"""The voorzieningen were loaded here until ServiceType moved to `wmo.catalogue`; the catalogue's
own data migration (catalogue 0003, get_or_create) loads them now, so the list has one home.
Nothing between this migration and that one reads service types."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("referrals", "0001_initial")]
    operations = []
