"""The continuity monitor (TRANSITION.md) on a crafted transition: successors before, on and
after the day, the same and another provider, none, an end reason, a cancelled successor, a
gap, a contractor whose contract carries on."""

import datetime

import pytest
from django.db import connection

from districts.models import District
from providers.models import Contract
from wmo.catalogue.models import ServiceType
from wmo.referrals.models import Client, Referral
from wmo.referrals.transition import monitor, to_transfer, unresolved

D = datetime.date
T = D(2026, 12, 31)
OLD, SUB, NEW = "13063077", "83058805", "98094829"


@pytest.fixture
def crafted(providers):
    service = ServiceType.objects.get(code="dagbegeleiding")
    for reference, agb, start, end in [
        ("OLD", OLD, D(2025, 1, 1), T),
        ("NEW", NEW, D(2026, 1, 1), D(2030, 12, 31)),
    ]:
        contract = Contract.objects.create(
            reference=reference, name=reference, contractor=providers[agb],
            instrument="public_contract", financing="lump_sum", city_wide=True,
            start_date=start, end_date=end,
        )  # fmt: skip
        contract.service_types.add(service)
    wijk = {code: District.objects.get(code=code) for code in ("WK034403", "WK034401")}
    made = {}

    def referral(rid, start, end=None, reason="", provider=OLD, contractor=OLD, previous=None,
                 referral_date=None, cancelled=None, district="WK034403"):  # fmt: skip
        client = previous.client if previous else Client.objects.create(key=f"k-{rid}")
        made[rid] = Referral.objects.create(
            external_id=rid, client=client, district=wijk[district], service_type=service,
            provider=providers[provider], contractor=providers[contractor],
            referral_date=referral_date or start or D(2026, 12, 1), start_date=start,
            end_date=end, end_reason=reason, cancelled_date=cancelled, previous=previous,
        )  # fmt: skip
        return made[rid]

    def successor(rid, of, start, provider=SUB, **kw):
        return referral(rid, start, provider=provider, contractor=NEW, previous=made[of],
                        referral_date=D(2026, 12, 1), **kw)  # fmt: skip

    referral("P1", D(2026, 1, 10))
    successor("S1", "P1", D(2026, 12, 20), provider=OLD)  # before the day, same provider
    referral("P2", D(2026, 2, 1), end=T, reason="38")
    successor("S2", "P2", D(2027, 1, 1))  # on the next day: no gap
    referral("P3", D(2026, 3, 1), end=T, reason="38")
    successor("S3", "P3", D(2027, 1, 15))  # after the day: a gap of 14 days
    referral("P4", D(2026, 4, 1))
    successor("S4", "P4", None)  # registered, not started: planned
    referral("P5", D(2026, 5, 1))  # no successor: unresolved
    referral("P6", D(2026, 5, 1), end=T, reason="02")  # an end reason: not unresolved
    referral("P7", D(2026, 6, 1), provider=NEW, contractor=NEW)  # the contract carries on
    referral("P8", D(2026, 6, 1), end=D(2026, 12, 30), reason="19")  # out of care before T
    referral("P9", D(2026, 7, 1), end=D(2026, 12, 30 + 1), reason="38")
    successor("S9", "P9", T, provider=OLD)  # on the day itself, same provider
    referral("P10", D(2026, 8, 1))
    successor("S10", "P10", None, cancelled=D(2026, 12, 10))  # cancelled: unresolved
    referral("P11", D(2026, 8, 1), district="WK034401")  # unresolved, in another wijk
    # A voorziening no contract names (the Wmo-loket's): its clients change no contractor.
    made["L1"] = Referral.objects.create(
        external_id="L1", client=Client.objects.create(key="k-L1"), district=wijk["WK034403"],
        service_type=ServiceType.objects.get(code="vervoersvoorziening"),
        provider=providers[OLD], contractor=providers[OLD], referral_date=D(2026, 3, 1),
        start_date=D(2026, 3, 2),
    )  # fmt: skip
    return made


def test_counts_on_the_crafted_transition(crafted):
    result = monitor(T, as_of=D(2027, 2, 1))
    total = result.total.as_dict()
    assert sorted(to_transfer(T).values_list("external_id", flat=True)) == sorted(
        ["P1", "P2", "P3", "P4", "P5", "P6", "P9", "P10", "P11"]
    )
    assert total == {"to_transfer": 9, "planned": 1, "transferred": 4, "same_provider": 2,
                     "unresolved": 3, "gap_mean": 14.0, "gap_max": 14}  # fmt: skip
    # The list (page, download, export) and the monitor's count agree.
    ids = sorted(unresolved(T, D(2027, 2, 1)).values_list("external_id", flat=True))
    assert ids == ["P10", "P11", "P5"]
    (old,) = result.by_contractor
    assert (old.key, old.to_transfer) == (OLD, 9)
    assert {t.key: (t.to_transfer, t.unresolved) for t in result.by_area} == {
        "WK034401": (1, 1), "WK034403": (8, 2)}  # fmt: skip
    assert [(t.key, t.transferred) for t in result.by_service] == [("dagbegeleiding", 4)]


def test_as_of_before_the_successors_started(crafted):
    """Looking on 15-12-2026: every successor registered (01-12-2026) is planned; the one
    cancelled on 10-12 no longer counts; P6's end reason is not recorded yet (ends on T)."""
    total = monitor(T, as_of=D(2026, 12, 15)).total.as_dict()
    assert total["planned"] == 5 and total["transferred"] == 0 and total["same_provider"] == 0
    assert total["unresolved"] == 4  # P5, P6, P10, P11
    assert total["gap_max"] is None


def test_a_successor_with_the_leaving_contractor_hands_nobody_over(crafted):
    """P5's successor is registered with OLD itself, whose contract ends on T: not planned,
    not transferred, still unresolved (it counted as planned)."""
    successor = Referral.objects.create(
        external_id="S5", client=crafted["P5"].client, district=crafted["P5"].district,
        service_type=crafted["P5"].service_type, provider=crafted["P5"].provider,
        contractor=crafted["P5"].contractor, referral_date=D(2026, 12, 1), previous=crafted["P5"],
    )  # fmt: skip
    total = monitor(T, as_of=D(2027, 2, 1)).total.as_dict()
    assert (total["planned"], total["transferred"], total["unresolved"]) == (1, 4, 3)
    assert "P5" in unresolved(T, D(2027, 2, 1)).values_list("external_id", flat=True)
    # Started in 2027 under OLD (which has no contract then): still no handover.
    Referral.objects.filter(pk=successor.pk).update(start_date=D(2027, 1, 4))
    total = monitor(T, as_of=D(2027, 2, 1)).total.as_dict()
    assert (total["transferred"], total["unresolved"]) == (4, 3)


def test_gap_mean_and_max_over_clients_with_a_gap(crafted):
    Referral.objects.filter(external_id="S2").update(start_date=D(2027, 1, 5))  # gap of 4
    result = monitor(T, as_of=D(2027, 2, 1))
    assert (result.total.gap_mean, result.total.gap_max) == (9.0, 14)


def test_export_transition_command(crafted, tmp_path, monkeypatch):
    import io

    from django.core.management import call_command
    from openpyxl import load_workbook

    from wmo.accounts.models import AuditEntry
    from wmo.referrals import rules

    monkeypatch.setattr(rules, "today", lambda: D(2027, 2, 1))
    out = io.StringIO()
    call_command("export_transition", "--date", "2026-12-31", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == ("indeling,code,naam,to_transfer,planned,transferred,same_provider,"
                        "unresolved,gap_mean,gap_max")  # fmt: skip
    assert lines[1] == "totaal,,,9,1,4,2,3,14.0,14"
    assert "wijk,WK034401," in out.getvalue()
    listed = io.StringIO()
    call_command("export_transition", "--onopgelost", stdout=listed)
    assert [line.split(",")[0] for line in listed.getvalue().splitlines()[1:]] == [
        "P10", "P11", "P5"]  # fmt: skip
    assert AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).count() == 1
    path = tmp_path / "t.xlsx"
    call_command("export_transition", "--format", "xlsx", "--output", str(path),
                 stderr=io.StringIO())  # fmt: skip
    sheet = load_workbook(path).active
    assert [c.value for c in sheet[2]][:4] == ["totaal", None, None, 9]


def test_weekly_warning_in_app_and_by_mail(crafted, settings, mailoutbox, monkeypatch):
    from django.conf import settings as django_settings

    from tests.factories import make_user
    from wmo.referrals.models import TransitionNotice
    from wmo.referrals.notices import warn_unresolved
    from wmo.referrals.tasks import warn_transition

    assert "transition-warning" in django_settings.CELERY_BEAT_SCHEDULE
    manager = make_user("contract_manager")
    manager.email = "cm@example.nl"
    manager.save()
    make_user("council_member", username="raad").__class__.objects.filter(username="raad").update(
        email="raad@example.nl")  # fmt: skip
    # More than 60 days before T: no warning.
    assert warn_unresolved(T, D(2026, 10, 31)) is None
    settings.EMAIL_HOST = ""
    notice = warn_unresolved(T, D(2026, 11, 1))  # 60 days before; no successor registered yet
    assert notice.unresolved == 9 and "nog 9 cliënten" in notice.text and mailoutbox == []
    settings.EMAIL_HOST = "smtp.example.nl"
    monkeypatch.setattr("wmo.referrals.rules.today", lambda: D(2026, 12, 28))
    assert warn_transition() == 4  # P5, P6 (its end on T not yet recorded), P10, P11
    assert [m.to for m in mailoutbox] == [["cm@example.nl"]]
    assert warn_transition() == 4 and len(mailoutbox) == 1  # once a day
    assert TransitionNotice.objects.count() == 2
    assert warn_unresolved(T, D(2027, 1, 1)) is None  # after the day


def test_notice_shown_to_contract_managers(crafted, client_for):
    from wmo.referrals.notices import warn_unresolved

    warn_unresolved(T, D(2026, 12, 1))
    html = client_for("contract_manager").get("/dashboard/overgang/").content.decode()
    assert 'id="overgangsmelding"' in html
    council = client_for("council_member").get("/dashboard/overgang/").content.decode()
    assert 'id="overgangsmelding"' not in council


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL planner setting")
@pytest.mark.django_db
def test_iterators_are_planned_for_every_row():
    """`.iterator()` (a server-side cursor) reads to the end everywhere here: the settings tell
    PostgreSQL so, or it plans for the first 10 % of the rows (wmo/settings/base.py)."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW cursor_tuple_fraction")
        assert cursor.fetchone()[0] == "1"


@pytest.mark.parametrize("option", ["--date", "--as-of"])
def test_export_transition_refuses_a_day_out_of_range(db, option):
    from django.core.management import CommandError, call_command

    # 9999-12-31 has no next day: the count of contracts in force then raised OverflowError.
    with pytest.raises(CommandError, match="De datum ligt tussen 01-01-2000 en 31-12-2100"):
        call_command("export_transition", option, "9999-12-31")
