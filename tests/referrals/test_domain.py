import datetime

import pytest
from django.core.exceptions import ValidationError

from wmo.calendar import BUURTTEAM
from wmo.referrals import services
from wmo.referrals.models import Client, Referral, ReferralEvent, ReferralState
from wmo.referrals.pseudonyms import bsn_error, client_key, is_valid_bsn
from wmo.referrals.rules import referral_date_errors

D = datetime.date


@pytest.mark.parametrize("bsn", ["111222333", "123456782", "418820028", "251377908"])
def test_eleven_test_accepts_valid(bsn):
    assert is_valid_bsn(bsn)
    assert bsn_error(bsn) is None


@pytest.mark.parametrize("bsn", ["111222334", "123456789", "000000000"])
def test_eleven_test_rejects_invalid(bsn):
    assert not is_valid_bsn(bsn)
    assert "elfproef" in bsn_error(bsn)


@pytest.mark.parametrize("bsn", ["12345678", "1234567890", "12345678a", ""])
def test_eleven_test_rejects_wrong_length(bsn):
    assert not is_valid_bsn(bsn)
    assert bsn_error(bsn)


def test_client_key_is_hmac_sha256_with_the_pseudonym_key(settings):
    import hashlib
    import hmac

    settings.WMO_PSEUDONYM_KEY = "sleutel-een"
    key = client_key("111222333")
    expected = hmac.new(b"sleutel-een", b"111222333", hashlib.sha256).hexdigest()
    assert key == expected and key != hashlib.sha256(b"111222333").hexdigest()
    assert client_key(" 111222333 ") == key != client_key("123456782")
    settings.WMO_PSEUDONYM_KEY = "sleutel-twee"
    assert client_key("111222333") == hmac.new(b"sleutel-twee", b"111222333",
                                               hashlib.sha256).hexdigest() != key  # fmt: skip


@pytest.mark.parametrize(
    "a, b, expected",
    [
        (D(2026, 4, 24), D(2026, 4, 28), 1),  # Fri → Tue: Mon 27 April is Koningsdag
        (D(2026, 4, 20), D(2026, 4, 30), 7),  # 8 weekdays minus Koningsdag
        (D(2026, 5, 13), D(2026, 5, 15), 1),  # Thu 14 May 2026 is Hemelvaart
        (D(2026, 12, 23), D(2026, 12, 28), 2),  # 24 Thu, 25 Fri Kerst, 26/27 weekend, 28 Mon
        (D(2026, 12, 24), D(2026, 12, 24), 0),
        (D(2026, 12, 28), D(2026, 12, 24), 0),
        (D(2025, 12, 19), D(2026, 1, 9), 12),  # Christmas 25/26 Dec and 1 January out
    ],
)
def test_working_days(a, b, expected):
    assert BUURTTEAM.working_days_between(a, b) == expected


def test_working_days_long_span_matches_day_by_day():
    is_working_day = BUURTTEAM.is_working_day

    a, b = D(2020, 1, 1), D(2026, 12, 31)
    slow = sum(is_working_day(a + datetime.timedelta(days=i)) for i in range(1, (b - a).days + 1))
    assert BUURTTEAM.working_days_between(a, b) == slow


TODAY = D(2026, 6, 1)


@pytest.mark.parametrize(
    "values, field",
    [
        ({"referral_date": None}, "referral_date"),
        ({"referral_date": D(2026, 6, 2)}, "referral_date"),
        ({"start_date": D(2026, 2, 28)}, "start_date"),
        ({"start_date": D(2026, 6, 2)}, "start_date"),
        ({"end_date": D(2026, 3, 5)}, "end_date"),
        ({"start_date": D(2026, 3, 5), "end_date": D(2026, 3, 4)}, "end_date"),
        ({"cancelled_date": D(2026, 2, 1)}, "cancelled_date"),
        ({"start_date": D(2026, 3, 5), "cancelled_date": D(2026, 3, 6)}, "cancelled_date"),
        ({"cancelled_date": D(2026, 7, 1)}, "cancelled_date"),
        ({"assignment_date": D(2026, 2, 1)}, "assignment_date"),
    ],
)
def test_referral_date_rules(values, field):
    args = {"referral_date": D(2026, 3, 1), "assignment_date": None, "start_date": None,
            "end_date": None, "end_reason": "", "cancelled_date": None, **values}  # fmt: skip
    assert field in referral_date_errors(**args, on=TODAY)


def test_valid_dates_have_no_errors():
    assert referral_date_errors(D(2026, 3, 1), D(2026, 3, 1), D(2026, 3, 2), D(2026, 3, 2), "19",
                                None, on=TODAY) == {}  # fmt: skip


def test_register_and_transitions_record_events(make_referral, user_for):
    user = user_for("buurtteam_worker")
    referral = make_referral(user=user)
    assert referral.state == ReferralState.REGISTERED
    assert Client.objects.count() == 1
    services.assign(referral, user=user, date=D(2026, 3, 3))
    services.start(referral, user=user, date=D(2026, 3, 10))
    referral = services.end(referral, user=user, date=D(2026, 4, 1), end_reason="19")
    assert referral.state == ReferralState.ENDED
    events = list(ReferralEvent.objects.filter(referral=referral).order_by("id"))
    assert [(e.from_state, e.to_state, e.changes) for e in events] == [
        ("", "registered", {"district": "WK034403", "service_type": "dagbegeleiding",
                            "provider": "13063077", "contractor": "13063077",
                            "referral_date": "2026-03-02", "group_based": False, "team": "BT05"}),
        ("registered", "assigned", {"assignment_date": "2026-03-03"}),
        ("assigned", "started", {"start_date": "2026-03-10"}),
        ("started", "ended", {"end_date": "2026-04-01", "end_reason": "19"}),
    ]  # fmt: skip
    assert {e.user for e in events} == {user} and {e.source for e in events} == {"form"}


def test_cancel_only_before_start(make_referral):
    referral = make_referral()
    services.start(referral, user=None, date=D(2026, 3, 4))
    with pytest.raises(ValidationError):
        services.cancel(referral, user=None, date=D(2026, 3, 5))
    other = make_referral()
    assert services.cancel(other, user=None, date=D(2026, 3, 5)).state == "cancelled"
    with pytest.raises(ValidationError):
        services.start(other, user=None, date=D(2026, 3, 6))


@pytest.mark.parametrize(
    "action, date",
    [("start", D(2026, 3, 1)), ("start", D(2099, 1, 1)), ("cancel", D(2026, 2, 1)),
     ("assign", D(2026, 2, 27))],
)  # fmt: skip
def test_transition_date_rules(make_referral, action, date):
    referral = make_referral()
    with pytest.raises(ValidationError):
        services.transition(referral, action, user=None, date=date)
    referral.refresh_from_db()
    assert referral.state == "registered"
    assert referral.events.count() == 1


def test_end_needs_reason_and_start(make_referral):
    referral = make_referral()
    with pytest.raises(ValidationError):
        services.end(referral, user=None, date=D(2026, 3, 4), end_reason="19")
    services.start(referral, user=None, date=D(2026, 3, 4))
    with pytest.raises(ValidationError):
        services.end(referral, user=None, date=D(2026, 3, 3), end_reason="19")
    with pytest.raises(ValidationError):
        services.end(referral, user=None, date=D(2026, 3, 5), end_reason="")


def _registration(providers, **overrides):
    import uuid

    from districts.models import Buurtteam, District
    from wmo.catalogue.models import ServiceType

    return {"user": None, "bsn": "111222333", "district": District.objects.get(code="WK034403"),
            "team": Buurtteam.objects.get(code="BT05"),
            "service_type": ServiceType.objects.get(code="dagbegeleiding"),
            "provider": providers["13063077"], "referral_date": D(2026, 3, 2),
            "idempotency_key": uuid.UUID("6f1c1c3e-8c1a-4d59-9d1e-0f4b6b0a1a11"),
            **overrides}  # fmt: skip


def test_idempotency_key_creates_one_referral(providers):
    first = services.register_referral(**_registration(providers))
    second = services.register_referral(**_registration(providers))
    assert first.pk == second.pk and Referral.objects.count() == 1
    assert ReferralEvent.objects.count() == 1


@pytest.mark.parametrize(
    "change",
    [{"bsn": "123456782"}, {"referral_date": D(2026, 3, 3)}, {"group_based": True},
     {"provider": "75039087"}, {"service_type": "arbeidsmatige_activering"},
     {"district": "WK034401"}, {"external_id": "V-EIGEN-1"}],
)  # fmt: skip
def test_reused_idempotency_key_with_other_data_is_refused(providers, change):
    from districts.models import District
    from wmo.catalogue.models import ServiceType

    first = services.register_referral(**_registration(providers))
    lookups = {"provider": lambda v: providers[v], "district": lambda v: District.objects.get(code=v),
               "service_type": lambda v: ServiceType.objects.get(code=v)}  # fmt: skip
    change = {k: lookups[k](v) if k in lookups else v for k, v in change.items()}
    with pytest.raises(ValidationError) as refused:
        services.register_referral(**_registration(providers, **change))
    assert refused.value.message_dict == {"idempotency_key": [services.IDEMPOTENCY_MISMATCH]}
    assert list(Referral.objects.values_list("pk", flat=True)) == [first.pk]
    assert Client.objects.count() == 1 and ReferralEvent.objects.count() == 1


def test_case_idempotency(db):
    import uuid

    from districts.models import Buurtteam, District
    from wmo.referrals.models import BuurtteamCase

    team = Buurtteam.objects.get(code="BT05")
    kwargs = {"user": None, "bsn": "111222333", "district": District.objects.get(code="WK034403"),
              "buurtteam": team, "registration_date": D(2026, 3, 2), "support_form": "group",
              "idempotency_key": uuid.uuid4()}  # fmt: skip
    first = services.register_case(**kwargs)
    assert services.register_case(**kwargs).pk == first.pk
    with pytest.raises(ValidationError) as refused:
        services.register_case(**{**kwargs, "support_form": "individual"})
    assert "idempotency_key" in refused.value.message_dict
    assert BuurtteamCase.objects.count() == 1


def test_birth_year_is_kept_and_replaced_only_when_given(providers):
    services.register_referral(**_registration(providers, idempotency_key=None, birth_year=1956))
    services.register_referral(**_registration(providers, idempotency_key=None))
    assert list(Client.objects.values_list("birth_year", flat=True)) == [1956]
    services.register_referral(**_registration(providers, idempotency_key=None, birth_year=1957))
    assert list(Client.objects.values_list("birth_year", flat=True)) == [1957]
    assert Referral.objects.count() == 3


def test_state_queryset_matches_property(make_referral):
    make_referral()
    make_referral(assignment_date=D(2026, 3, 3))
    make_referral(start_date=D(2026, 3, 3))
    make_referral(start_date=D(2026, 3, 3), end_date=D(2026, 3, 9), end_reason="19")
    make_referral(cancelled_date=D(2026, 3, 3))
    for state in ReferralState.values:
        rows = list(Referral.objects.in_state(state))
        assert len(rows) == 1 and rows[0].state == state
    assert Referral.objects.waiting().count() == 2


def test_dates_before_the_wmo_2015_are_refused():
    from wmo.referrals.rules import case_date_errors, referral_date_errors

    assert referral_date_errors(D(2014, 12, 31), None, None, None, "", None) == {
        "referral_date": "De verwijsdatum ligt vóór 01-01-2015, toen de Wmo 2015 inging."
    }
    assert referral_date_errors(D(2015, 1, 1), None, None, None, "", None) == {}
    assert case_date_errors(D(2014, 6, 1), None, None) == {
        "registration_date": "De aanmelddatum ligt vóór 01-01-2015, toen de Wmo 2015 inging."
    }


def test_a_referral_needs_the_registering_buurtteam(providers):
    with pytest.raises(ValidationError) as refused:
        services.register_referral(**_registration(providers, team=None))
    assert refused.value.message_dict == {"team": [services.NO_TEAM]}
    with pytest.raises(ValidationError) as early:
        services.register_referral(**_registration(providers, referral_date=D(2014, 12, 31)))
    assert list(early.value.message_dict) == ["referral_date"]
