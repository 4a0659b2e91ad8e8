"""A small hand-made quarter (2026Q3) whose every indicator is computed by hand in the tests.

Referrals (wait = start − referral):
  R1 c1 West      dagbegeleiding      P1/P1  ref 06-20 start 07-01 (11)            group
  R2 c1 West      vervoersvoorziening P3/P3  ref 07-10 start 07-20 (10) end 09-30  (no norm)
  R3 c2 Overvecht dagbegeleiding      P2/P1  ref 07-01 start 08-02 (32)            subcontracted
  R4 c3 Overvecht beschermd_verblijf  P1/P1  ref 05-01 still waiting
  R5 c4 West      dagbegeleiding      P2/P1  ref 09-15 cancelled 09-20
  R6 c5 Overvecht dagbegeleiding      P3/P3  ref 08-10 start 10-01 (after Q)
  R7 c2 Overvecht dagbegeleiding      P1/P1  ref 01-05 start 01-10 end 06-30 (before Q)
  R8 c3 West      dagbegeleiding      P1/P1  ref 03-01 start 03-10 end 07-01
P1 large care provider (main contractor), P2 resident organisation, P3 small care provider.
"""

import datetime

from districts.models import Buurtteam, District, DistrictPopulation
from providers.models import Provider
from wmo.catalogue.models import ServiceType
from wmo.quality.models import Complaint, SurveyResponse
from wmo.referrals.models import BuurtteamCase, Client, Referral

D = datetime.date


def build():
    west = District.objects.get(code="WK034401")
    overvecht = District.objects.get(code="WK034403")
    for district in District.objects.all():
        population = {"WK034401": 26_000, "WK034403": 35_000}.get(district.code, 10_000)
        DistrictPopulation.objects.create(district=district, year=2026, population=population)
    p1 = Provider.objects.create(
        agb_code="10000001", name="Groot Zorg", kind="care_provider", size_override="large"
    )
    p2 = Provider.objects.create(
        agb_code="10000002", name="Buurtkracht", kind="resident_org", size_override="large"
    )
    p3 = Provider.objects.create(agb_code="10000003", name="Klein Zorg", kind="care_provider",
                                 size_override="small")  # fmt: skip
    service = {s.code: s for s in ServiceType.objects.all()}
    clients = {n: Client.objects.create(key=f"sleutel-{n}") for n in range(1, 6)}

    def referral(
        rid,
        client,
        district,
        code,
        provider,
        contractor,
        ref,
        start=None,
        end=None,
        cancelled=None,
        group=False,
    ):
        return Referral.objects.create(
            external_id=rid, client=clients[client], district=district, service_type=service[code],
            provider=provider, contractor=contractor, referral_date=ref, start_date=start,
            end_date=end, end_reason="19" if end else "", cancelled_date=cancelled,
            group_based=group,
        )  # fmt: skip

    referral("R1", 1, west, "dagbegeleiding", p1, p1, D(2026, 6, 20), D(2026, 7, 1), group=True)
    referral(
        "R2", 1, west, "vervoersvoorziening", p3, p3, D(2026, 7, 10), D(2026, 7, 20), D(2026, 9, 30)
    )
    referral("R3", 2, overvecht, "dagbegeleiding", p2, p1, D(2026, 7, 1), D(2026, 8, 2))
    referral("R4", 3, overvecht, "beschermd_verblijf", p1, p1, D(2026, 5, 1))
    referral("R5", 4, west, "dagbegeleiding", p2, p1, D(2026, 9, 15), cancelled=D(2026, 9, 20))
    referral("R6", 5, overvecht, "dagbegeleiding", p3, p3, D(2026, 8, 10), D(2026, 10, 1))
    referral(
        "R7", 2, overvecht, "dagbegeleiding", p1, p1, D(2026, 1, 5), D(2026, 1, 10), D(2026, 6, 30)
    )
    referral("R8", 3, west, "dagbegeleiding", p1, p1, D(2026, 3, 1), D(2026, 3, 10), D(2026, 7, 1))

    team = {t.code: t for t in Buurtteam.objects.all()}

    def case(
        cid, client, district, team_code, registered, contact=None, closed=None, form="individual"
    ):
        BuurtteamCase.objects.create(
            external_id=cid, client=clients[client], district=district, buurtteam=team[team_code],
            registration_date=registered, first_contact_date=contact, closed_date=closed,
            support_form=form,
        )  # fmt: skip

    # K1: Mon 29 Jun → Fri 3 Jul = 4 working days; closed in Q; c1 was referred (R2) in between.
    case("K1", 1, west, "BT01", D(2026, 6, 29), D(2026, 7, 3), D(2026, 8, 15))
    # K2: Mon 6 Jul → Fri 17 Jul = 9 working days; closed in Q; no referral of c2 in between.
    case("K2", 2, overvecht, "BT05", D(2026, 7, 6), D(2026, 7, 17), D(2026, 9, 30), "group")
    case("K3", 5, overvecht, "BT06", D(2026, 9, 28), form="blended")
    case("K4", 4, west, "BT02", D(2026, 3, 2), D(2026, 3, 3), D(2026, 6, 30))

    def survey(sid, day, district, provider, solution, self_reliance):
        SurveyResponse.objects.create(
            external_id=sid, date=day, district=district, service_type=service["dagbegeleiding"],
            provider=provider, q_solution=solution, q_self_reliance=self_reliance,
        )  # fmt: skip

    survey("S1", D(2026, 7, 15), west, p1, 5, 3)
    survey("S2", D(2026, 8, 15), west, p1, 4, None)
    survey("S3", D(2026, 9, 30), overvecht, p2, 2, 4)
    survey("S4", D(2026, 6, 30), west, p1, 5, 5)

    def complaint(kid, provider, district, received, resolved=None):
        Complaint.objects.create(
            external_id=kid, provider=provider, service_type=service["dagbegeleiding"],
            district=district, received_date=received, resolved_date=resolved,
        )  # fmt: skip

    complaint("C1", p1, west, D(2026, 7, 5), D(2026, 7, 15))
    complaint("C2", p2, overvecht, D(2026, 6, 20), D(2026, 7, 10))
    complaint("C3", p1, west, D(2026, 9, 30))
