"""Kwaliteit at contractor level through the subcontract in force on the record's date, and the
buurtteam's own Ervaringwijzer (bt_exp_*), on a hand-made 2026 Q1. Every number is worked out
by hand below; the same tests run on SQLite and on PostgreSQL.

Contracts and subcontracts:
  K1  contractor C  dagbegeleiding + ambulante_begeleiding, wijk West only, 2025-01-01–2027-12-31
      S1  P under K1 from 2026-03-01, limited to dagbegeleiding (all of K1's wijken)
  K2  contractor X  ambulante_begeleiding, city-wide, 2025-01-01–2027-12-31
      S2  P under K2 from 2026-01-01, no limits (all of K2's voorzieningen and wijken)
Survey responses about aanvullende zorg (q_solution) and the contractor they count for:
  E1  P West dagbegeleiding        02-15  5  → P (S1 not yet in force)
  E2  P West dagbegeleiding        03-01  4  → C (S1's first day)
  E3  P West dagbegeleiding        03-10  2  → C
  E4  P Overvecht dagbegeleiding   03-10  1  → P (K1 does not cover Overvecht)
  E5  P West ambulante_begeleiding 03-10  5  → X (S1 is limited to dagbegeleiding; S2 fits)
  E6  C West dagbegeleiding        03-20  3  → C (C is no subcontractor)
Complaints (received → resolved):
  L1  P West dagbegeleiding 02-20 → 03-20 (28 days) → P
  L2  P West dagbegeleiding 03-05 → 03-15 (10 days) → C
  L3  P West dagbegeleiding 03-06, open              → C
Referral in care: R1 client c1, West dagbegeleiding, provider P, contractor C, from 03-02.
Responses about the buurtteam (q_solution, q_self_reliance), none with a provider:
  B1 West (5, 4) team BT01   B2 West (3, –)   B3 West (–, 5)   B4 Overvecht (4, 2) team BT05
"""

import datetime
from decimal import Decimal

import pytest

from districts.models import Buurtteam, District
from indicators import suppression
from indicators.definitions.base import Value
from indicators.services import compute_values
from providers.models import Contract, Provider, Subcontract
from wmo.catalogue.models import ServiceType
from wmo.periods import Quarter
from wmo.quality.models import Complaint, SurveyResponse
from wmo.referrals.models import Client, Referral

D = datetime.date
Q1 = Quarter(2026, 1)
C, P, X = "30000001", "30000002", "30000003"
WEST, OVERVECHT, ZUID = "WK034401", "WK034403", "WK034407"


def build():
    west, overvecht = (District.objects.get(code=c) for c in (WEST, OVERVECHT))
    service = {s.code: s for s in ServiceType.objects.all()}
    day_care, ambulant = service["dagbegeleiding"], service["ambulante_begeleiding"]
    c, p, x = (Provider.objects.create(agb_code=agb, name=name, kind="care_provider")
               for agb, name in ((C, "Hoofd"), (P, "Onder"), (X, "Ander")))  # fmt: skip
    terms = {"instrument": "public_contract", "financing": "lump_sum",
             "start_date": D(2025, 1, 1), "end_date": D(2027, 12, 31)}  # fmt: skip
    k1 = Contract.objects.create(reference="K1", name="K1", contractor=c, **terms)
    k1.service_types.set([day_care, ambulant])
    k1.districts.set([west])
    k2 = Contract.objects.create(reference="K2", name="K2", contractor=x, city_wide=True, **terms)
    k2.service_types.set([ambulant])
    s1 = Subcontract.objects.create(contract=k1, subcontractor=p, annual_value=1000,
                                    start_date=D(2026, 3, 1), end_date=D(2027, 12, 31))  # fmt: skip
    s1.service_types.set([day_care])
    Subcontract.objects.create(contract=k2, subcontractor=p, annual_value=1000,
                               start_date=D(2026, 1, 1), end_date=D(2027, 12, 31))  # fmt: skip

    def survey(sid, provider, district, service_type, day, solution):
        SurveyResponse.objects.create(external_id=sid, date=day, district=district,
                                      service_type=service_type, provider=provider,
                                      q_solution=solution)  # fmt: skip

    survey("E1", p, west, day_care, D(2026, 2, 15), 5)
    survey("E2", p, west, day_care, D(2026, 3, 1), 4)
    survey("E3", p, west, day_care, D(2026, 3, 10), 2)
    survey("E4", p, overvecht, day_care, D(2026, 3, 10), 1)
    survey("E5", p, west, ambulant, D(2026, 3, 10), 5)
    survey("E6", c, west, day_care, D(2026, 3, 20), 3)
    for kid, received, resolved in (("L1", D(2026, 2, 20), D(2026, 3, 20)),
                                    ("L2", D(2026, 3, 5), D(2026, 3, 15)),
                                    ("L3", D(2026, 3, 6), None)):  # fmt: skip
        Complaint.objects.create(external_id=kid, provider=p, service_type=day_care,
                                 district=west, received_date=received, resolved_date=resolved)  # fmt: skip
    Referral.objects.create(
        external_id="R1", client=Client.objects.create(key="sleutel-1"), district=west,
        service_type=day_care, provider=p, contractor=c, referral_date=D(2026, 2, 20),
        start_date=D(2026, 3, 2),
    )  # fmt: skip
    team = {t.code: t for t in Buurtteam.objects.filter(code__in=["BT01", "BT05"])}
    for sid, district, solution, self_reliance, code in (
        ("B1", west, 5, 4, "BT01"), ("B2", west, 3, None, None), ("B3", west, None, 5, None),
        ("B4", overvecht, 4, 2, "BT05"),
    ):  # fmt: skip
        SurveyResponse.objects.create(
            external_id=sid, date=D(2026, 2, 1), district=district, about_buurtteam=True,
            team=team.get(code), q_solution=solution, q_self_reliance=self_reliance,
        )  # fmt: skip


@pytest.fixture
def values(db):
    build()
    return {(v.level, v.level_key, v.indicator): v for v in compute_values(Q1)}


def value(values, level, key, indicator):
    row = values[(level, key, indicator)]
    return row.value, row.numerator, row.denominator


def test_a_survey_response_counts_for_the_contract_holder_on_its_date(values):
    # P as contractor: E1 (5, before S1) and E4 (1, outside K1's wijken) → 1 of 2.
    assert value(values, "contractor", P, "exp_solution_pct") == (Decimal("50.0"), 1, 2)
    # C: E2 (4), E3 (2) through S1, and its own E6 (3) → 1 of 3.
    assert value(values, "contractor", C, "exp_solution_pct") == (Decimal("33.3"), 1, 3)
    assert value(values, "contractor", C, "exp_solution_n")[0] == 3
    # X: E5 (5), ambulante begeleiding: S1 is limited to dagbegeleiding, S2 is not → 1 of 1.
    assert value(values, "contractor", X, "exp_solution_pct") == (Decimal("100.0"), 1, 1)
    # The provider level still names the deliverer: P delivered E1–E5 → 5, 4, 5 positive of 5.
    assert value(values, "provider", P, "exp_solution_pct") == (Decimal("60.0"), 3, 5)


def test_complaints_count_for_the_contract_holder_on_the_day_received(values):
    assert value(values, "contractor", P, "complaints")[0] == 1  # L1, received before S1
    assert value(values, "contractor", C, "complaints")[0] == 2  # L2, L3
    # Per 100 clients in care at contractor level: C holds R1 (c1) → 2 per 1 client.
    assert value(values, "contractor", C, "complaints_per_100_clients") == (
        Decimal("200.0"), 2, 1,
    )  # fmt: skip
    # P holds no referral: no clients in care as contractor, so no rate.
    assert value(values, "contractor", P, "complaints_per_100_clients") == (None, 1, 0)
    # Handling time: L1 (28 days) stays with P although resolved under S1; L2 (10) is C's.
    assert value(values, "contractor", P, "median_complaint_days")[0] == Decimal("28.0")
    assert value(values, "contractor", C, "median_complaint_days") == (Decimal("10.0"), None, 1)
    assert value(values, "provider", P, "complaints")[0] == 3


def test_buurtteam_experience_at_system_and_wijk(values):
    # Solution answered by B1 (5), B2 (3), B4 (4) → 2 of 3; self-reliance by B1 (4), B3 (5),
    # B4 (2) → 2 of 3.
    assert value(values, "system", "all", "bt_exp_solution_pct") == (Decimal("66.7"), 2, 3)
    assert value(values, "system", "all", "bt_exp_solution_n")[0] == 3
    assert value(values, "system", "all", "bt_exp_self_reliance_pct") == (Decimal("66.7"), 2, 3)
    assert value(values, "system", "all", "bt_exp_self_reliance_n")[0] == 3
    assert value(values, "district", WEST, "bt_exp_solution_pct") == (Decimal("50.0"), 1, 2)
    assert value(values, "district", WEST, "bt_exp_self_reliance_pct") == (
        Decimal("100.0"), 2, 2,
    )  # fmt: skip
    assert value(values, "district", OVERVECHT, "bt_exp_solution_pct") == (
        Decimal("100.0"), 1, 1,
    )  # fmt: skip
    assert value(values, "district", OVERVECHT, "bt_exp_self_reliance_pct") == (
        Decimal("0.0"), 0, 1,
    )  # fmt: skip
    # A wijk without answers: 0 answers, no share.
    assert value(values, "district", ZUID, "bt_exp_solution_n")[0] == 0
    assert value(values, "district", ZUID, "bt_exp_solution_pct") == (None, 0, 0)
    assert not any(
        ind.startswith("bt_exp_") and level not in ("system", "district")
        for level, _, ind in values
    )


def test_buurtteam_answers_stay_out_of_the_aanvullende_zorg_figures(values):
    # exp_*: E1–E6 only → 5, 4, 2, 1, 5, 3 → 3 positive of 6; no self-reliance answers.
    assert value(values, "system", "all", "exp_solution_pct") == (Decimal("50.0"), 3, 6)
    assert value(values, "system", "all", "exp_self_reliance_n")[0] == 0
    # West: E1, E2, E3, E5, E6 → 5, 4, 2, 5, 3 → 3 of 5 (B1–B3 are not among them).
    assert value(values, "district", WEST, "exp_solution_pct") == (Decimal("60.0"), 3, 5)


def test_council_views_suppress_buurtteam_experience_like_other_shares():
    def row(level, key, numerator, denominator):
        share = Decimal(100 * numerator / denominator).quantize(Decimal("0.1"))
        return Value(level, key, "bt_exp_solution_pct", share, numerator, denominator)

    rows = [row("system", "all", 25, 40), row("district", WEST, 2, 3),
            row("district", OVERVECHT, 10, 17), row("district", ZUID, 13, 20)]  # fmt: skip
    marks = suppression.marks(rows)
    # West: fewer than 10 answers → primary; Overvecht, the smaller other wijk, covers it.
    assert marks == {("district", WEST, "bt_exp_solution_pct"): suppression.PRIMARY,
                     ("district", OVERVECHT, "bt_exp_solution_pct"): suppression.SECONDARY}  # fmt: skip
    assert suppression.council_view(rows[1]).value == suppression.TOO_FEW
    count = Value("district", WEST, "bt_exp_solution_n", Decimal(3))
    assert suppression.council_view(count).value == suppression.SMALL
