"""The personal calendar subscription link: it opens the same .ics without a session, and only
while the link is current, the user active and allowed to view the tender."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from icalendar import Calendar

from procurement.feeds import feed_token, issue_feed, resolve_feed, revoke_feed
from procurement.models import CalendarFeed

pytestmark = pytest.mark.django_db

UID = "@wmo-aanvullende-zorg.utrecht.nl"


def feed_path(feed):
    return f"/aanbesteding/agenda/{feed_token(feed)}.ics"


def parse(response):
    calendar = Calendar.from_ical(response.content)
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_the_link_works_without_a_session_and_matches_the_download(user_for, client_for):
    user = user_for("council_member")
    feed = issue_feed(user)
    anonymous = Client()
    response = anonymous.get(feed_path(feed))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, no-cache"
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "sessionid" not in response.cookies
    events = parse(response)
    assert len(events) == 22 + 3 + 1  # milestones, options, motion
    start = events[f"aanbesteding-30209886-mijlpaal-contract_start{UID}"]
    assert start.decoded("DTSTART") == datetime.date(2027, 1, 1)
    downloaded = parse(client_for("council_member").get("/aanbesteding/planning.ics"))
    assert set(downloaded) == set(events)
    feed.refresh_from_db()
    assert feed.last_used_at is not None


def test_token_shape_and_storage(user_for):
    feed = issue_feed(user_for("contract_manager"))
    token = feed_token(feed)
    assert re.fullmatch(r"[A-Za-z0-9_-]{59}", token)
    assert token.startswith(feed.key)
    # The database holds the key but not the signature that makes it a working link.
    assert token[len(feed.key) :] not in {feed.key, str(feed.pk)}
    assert resolve_feed(token) == feed


@pytest.mark.parametrize(
    "mangle",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),  # forged signature
        lambda token: ("A" if token[0] != "A" else "B") + token[1:],  # other key, same signature
        lambda token: token[:-1],  # too short
        lambda token: token + "A",  # too long
        lambda token: "x" * 59,
        lambda token: token[:-1] + "é",  # non-ASCII, right length
        lambda token: token[:-1] + "%2F",
    ],
    ids=["signature", "key", "short", "long", "garbage", "non-ascii", "escaped"],
)
def test_altered_tokens_are_404(user_for, mangle):
    feed = issue_feed(user_for("contract_manager"))
    response = Client().get(f"/aanbesteding/agenda/{mangle(feed_token(feed))}.ics")
    assert response.status_code == 404


def test_revoked_link_is_404(user_for):
    user = user_for("buurtteam_worker")
    path = feed_path(issue_feed(user))
    assert Client().get(path).status_code == 200
    assert revoke_feed(user) is True
    assert Client().get(path).status_code == 404
    assert revoke_feed(user) is False


def test_inactive_user_link_is_404(user_for):
    user = user_for("council_member")
    path = feed_path(issue_feed(user))
    user.is_active = False
    user.save()
    assert Client().get(path).status_code == 404


def test_user_without_a_role_any_more_link_is_404(user_for):
    user = user_for("council_member")
    path = feed_path(issue_feed(user))
    user.groups.remove(Group.objects.get(name="council_member"))
    assert Client().get(path).status_code == 404


def test_rotated_secret_key_keeps_links_working_only_as_fallback(user_for, settings):
    path = feed_path(issue_feed(user_for("council_member")))
    old = settings.SECRET_KEY
    settings.SECRET_KEY = "a-new-secret-key-for-this-test-only-0123456789abcdef"
    assert Client().get(path).status_code == 404
    settings.SECRET_KEY_FALLBACKS = [old]
    assert Client().get(path).status_code == 200


@pytest.mark.parametrize("role", ["buurtteam_worker", "contract_manager", "council_member"])
def test_every_role_makes_renews_and_revokes_its_own_link(client_for, role):
    client = client_for(role)
    page = client.get("/aanbesteding/").content.decode()
    assert "Abonneren in uw agenda-app" in page
    assert ">Link maken</button>" in page
    assert "webcal://" not in page

    response = client.post("/aanbesteding/agenda/nieuwe-link/", secure=True)
    assert response.status_code == 302
    assert response["Location"] == "/aanbesteding/#agenda"
    feed = CalendarFeed.objects.get()
    first = feed_token(feed)
    page = client.get("/aanbesteding/", secure=True).content.decode()
    assert f'value="https://testserver/aanbesteding/agenda/{first}.ics"' in page
    assert f'href="webcal://testserver/aanbesteding/agenda/{first}.ics"' in page
    assert ">Nieuwe link maken</button>" in page
    assert "Agendalink gemaakt." in page
    assert Client().get(f"/aanbesteding/agenda/{first}.ics").status_code == 200

    client.post("/aanbesteding/agenda/nieuwe-link/")
    second = feed_token(CalendarFeed.objects.get())
    assert second != first
    assert CalendarFeed.objects.count() == 1
    assert Client().get(f"/aanbesteding/agenda/{first}.ics").status_code == 404
    assert Client().get(f"/aanbesteding/agenda/{second}.ics").status_code == 200
    page = client.get("/aanbesteding/").content.decode()
    assert "De vorige link werkt niet meer" in page
    assert f"http://testserver/aanbesteding/agenda/{second}.ics" in page

    response = client.post("/aanbesteding/agenda/intrekken/")
    assert response.status_code == 302
    assert CalendarFeed.objects.count() == 0
    assert Client().get(f"/aanbesteding/agenda/{second}.ics").status_code == 404
    assert "Agendalink ingetrokken." in client.get("/aanbesteding/").content.decode()


def test_a_user_cannot_see_or_touch_another_users_link(client_for, user_for):
    other = issue_feed(user_for("contract_manager"))
    token = feed_token(other)
    client = client_for("council_member")
    assert token not in client.get("/aanbesteding/").content.decode()
    client.post("/aanbesteding/agenda/intrekken/")
    client.post("/aanbesteding/agenda/nieuwe-link/")
    assert resolve_feed(token) == other
    assert CalendarFeed.objects.count() == 2


def test_renewing_needs_a_csrf_token(user_for):
    user = user_for("council_member")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post("/aanbesteding/agenda/nieuwe-link/").status_code == 403
    assert client.post("/aanbesteding/agenda/intrekken/").status_code == 403
    assert not CalendarFeed.objects.exists()
    page = client.get("/aanbesteding/").content.decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post("/aanbesteding/agenda/nieuwe-link/", {"csrfmiddlewaretoken": csrf})
    assert response.status_code == 302
    assert CalendarFeed.objects.filter(user=user).count() == 1


def test_feed_query_count_is_bounded(user_for, django_assert_max_num_queries):
    path = feed_path(issue_feed(user_for("council_member")))
    with django_assert_max_num_queries(10):
        assert Client().get(path).status_code == 200
