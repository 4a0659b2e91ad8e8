"""Issue 18, "first start": `make run` seeds once, computes the newest periods at once and the
rest in the background with its progress on the dashboard; a second start changes nothing."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from indicators.models import IndicatorRun, IndicatorValue
from providers.models import Contract, Provider
from wmo.demo import indicators as demo_indicators
from wmo.demo.management.commands.seed_demo import _periods_from
from wmo.demo.models import DemoSeed
from wmo.periods import Quarter

# Each test seeds the whole demo (seed_demo, 3–4 s): the slow tier, not `make check`'s.
pytestmark = [pytest.mark.django_db, pytest.mark.slow]

SMALL = ["--referrals", "1500", "--seed", "3"]
WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE|TRUNCATE|COPY)\b", re.IGNORECASE)


def seed(*args) -> str:
    out = io.StringIO()
    call_command("seed_demo", *SMALL, *args, stdout=out)
    return out.getvalue()


def test_a_second_seed_keeps_users_edits_and_writes_nothing():
    seed("--indicators-since", "geen")
    contract = Contract.objects.filter(reference__startswith="HBH-2016-").earliest("reference")
    contract.name = "Door de accounthouder hernoemd"
    contract.save()
    provider = contract.contractor
    provider.name = "Eigen naam van de aanbieder"
    provider.save()

    with CaptureQueriesContext(connection) as queries:
        out = seed("--indicators-since", "geen")

    assert "De database bevat al demogegevens" in out and "--opnieuw" in out
    assert [q["sql"] for q in queries if WRITES.match(q["sql"])] == []
    assert len(queries) <= 3, [q["sql"] for q in queries]
    assert Contract.objects.get(pk=contract.pk).name == "Door de accounthouder hernoemd"
    assert Provider.objects.get(pk=provider.pk).name == "Eigen naam van de aanbieder"
    assert DemoSeed.objects.count() == 1


def test_opnieuw_reseeds_deliberately():
    seed("--indicators-since", "geen")
    contract = Contract.objects.filter(reference__startswith="HBH-2016-").earliest("reference")
    contract.name = "Door de accounthouder hernoemd"
    contract.save()
    out = seed("--indicators-since", "geen", "--opnieuw")
    assert "Verwijzingen: 1500" in out
    assert Contract.objects.get(pk=contract.pk).name.startswith("Hulp bij het huishouden 2016")


def test_a_database_seeded_before_the_marker_counts_as_seeded():
    seed("--indicators-since", "geen")
    DemoSeed.objects.all().delete()  # seeded by the earlier seed_demo, which kept no marker
    assert "De database bevat al demogegevens" in seed("--indicators-since", "geen")


def test_first_seed_computes_the_newest_two_periods_and_leaves_the_rest_to_the_background():
    last = Quarter.last_completed(timezone.localdate())
    since = last.previous().previous()  # three quarters and the half-years closed among them
    out = seed("--indicators-since", str(since))

    # Three quarters, and the half-year and year they lie in once closed.
    expected = demo_indicators.newest_first(_periods_from(str(since)))
    assert {since, since.next(), last} <= set(expected)
    assert DemoSeed.objects.get().periods == [str(p) for p in expected]
    assert expected[:2] == [last, last.previous()]
    runs = {str(r.quarter): r.status for r in IndicatorRun.objects.filter(trigger="demo")}
    assert runs == {str(p): ("done" if p in expected[:2] else "queued") for p in expected}
    stored = set(IndicatorValue.objects.values_list("quarter", flat=True).distinct())
    assert {str(p) for p in stored} == {str(last), str(last.previous())}
    assert f"De overige {len(expected) - 2} perioden" in out
    assert demo_indicators.progress() == {
        "done": 2,
        "total": len(expected),
        "active": len(expected) - 2,
    }

    lines = []
    assert demo_indicators.compute_pending(write=lines.append) == len(expected) - 2
    assert lines[0].startswith(f"Demo-indicatoren: {expected[2]} klaar")  # in order, newest first
    assert set(IndicatorRun.objects.filter(trigger="demo").values_list("status", flat=True)) == {
        "done"
    }
    assert demo_indicators.progress() is None


def test_a_run_left_by_a_stopped_background_process_is_taken_over():
    last = Quarter.last_completed(timezone.localdate())
    seed("--indicators-since", str(last.previous().previous()), "--direct", "0")
    orphan = IndicatorRun.objects.filter(trigger="demo").order_by("pk").first()
    long_ago = timezone.now() - timezone.timedelta(minutes=5)
    IndicatorRun.objects.filter(pk=orphan.pk).update(status="running", heartbeat_at=long_ago)
    demo_indicators.compute_pending(write=lambda line: None)
    assert IndicatorRun.objects.get(pk=orphan.pk).status == "done"


@pytest.mark.parametrize("role", ["contract_manager", "council_member"])
def test_the_dashboard_shows_the_background_progress(client_for, role):
    last = Quarter.last_completed(timezone.localdate())
    seed("--indicators-since", str(last.previous().previous()))
    total = len(DemoSeed.objects.get().periods)
    url = reverse("dashboard:staff" if role == "contract_manager" else "dashboard:council")
    page = client_for(role).get(url).content.decode()
    assert (
        f"Demo-indicatoren worden op de achtergrond berekend: 2 van {total} perioden klaar." in page
    )
    assert f'<progress max="{total}" value="2"' in page

    demo_indicators.compute_pending(write=lambda line: None)
    assert "Demo-indicatoren worden" not in client_for(role).get(url).content.decode()


def test_demo_users_are_only_added_when_missing():
    seed("--indicators-since", "geen")
    call_command("create_demo_users", "--force", stdout=io.StringIO())
    user = get_user_model().objects.get(username="accounthouder")
    user.set_password("mijn-eigen-wachtwoord-2027")
    user.save()
    get_user_model().objects.filter(username="raadslid").delete()
    out = io.StringIO()
    call_command("create_demo_users", "--force", stdout=out)
    assert (
        get_user_model()
        .objects.get(username="accounthouder")
        .check_password("mijn-eigen-wachtwoord-2027")
    )
    assert get_user_model().objects.get(username="raadslid").check_password("Utrecht-raadslid-2027")
    assert "accounthouder" in out.getvalue() and "(bestond al, niet gewijzigd)" in out.getvalue()
