"""U16 clients (INDICATORS.md, levels; INTERCHANGE.md): a referral has a wijk or, for an objective
V service only, another U16 municipality; never both, never neither. One rule
(rules.referral_area_errors) for the model, the form, the API and the importer."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from districts.models import District, Municipality
from wmo.catalogue.models import ServiceType
from wmo.referrals.imports import ReferralImporter
from wmo.referrals.models import Referral, ReferralEvent
from wmo.referrals.rules import AREA_BOTH, AREA_NEITHER, AREA_NOT_V, AREA_UTRECHT

from .conftest import HEADER, VALID_BSN
from .test_pages import form_data

API = "/api/v1/verwijzingen"
U16 = {"bsn": VALID_BSN, "gemeenteCode": "GM0310", "voorziening": "beschermd_verblijf",
       "aanbiederAgb": "13063077", "verwijsdatum": "2026-03-02"}  # fmt: skip


def gm(code):
    return Municipality.objects.get(code=code).pk


def service(code):
    return ServiceType.objects.get(code=code).pk


def test_the_form_registers_a_u16_client_for_objective_v(client_for, providers):
    data = form_data(providers, district="", municipality=gm("GM0310"),
                     service_type=service("beschermd_verblijf"))  # fmt: skip
    response = client_for("buurtteam_worker").post("/verwijzingen/registreren/", data)
    assert response.status_code == 302, response.context["form"].errors
    referral = Referral.objects.get()
    assert referral.district is None and referral.municipality.code == "GM0310"
    assert referral.events.get().changes["municipality"] == "GM0310"
    page = client_for("contract_manager").get(response.url).content.decode()
    assert "Gemeente (U16)" in page and "De Bilt (GM0310)" in page


@pytest.mark.parametrize(
    "overrides, field, message",
    [({"district": ""}, "district", AREA_NEITHER),
     ({"municipality": "GM0310"}, "municipality", AREA_BOTH),
     ({"district": "", "municipality": "GM0310", "service_type": "dagbegeleiding"},
      "municipality", AREA_NOT_V),
     ({"district": "", "municipality": "GM0344"}, "municipality",
      "Kies een gemeente uit de lijst.")],
)  # fmt: skip
def test_the_form_refuses_in_dutch(client_for, providers, overrides, field, message):
    values = {"service_type": "beschermd_verblijf", **overrides}
    values["service_type"] = service(values["service_type"])
    if values.get("municipality"):
        values["municipality"] = gm(values["municipality"])
    response = client_for("buurtteam_worker").post("/verwijzingen/registreren/",
                                                   form_data(providers, **values))  # fmt: skip
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert Referral.objects.count() == 0


def test_the_api_registers_a_u16_client_and_filters_on_it(client_for, providers):
    client = client_for("buurtteam_worker")
    response = client.post(API, U16, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["gemeenteCode"] == "GM0310" and body["wijkCode"] is None
    rows = client.get(f"{API}?gemeenteCode=GM0310").json()["resultaten"]
    assert [r["verwijzingId"] for r in rows] == [body["verwijzingId"]]
    # A transition checks the area rule again through the model's clean(); it still holds.
    started = client.post(f"{API}/{body['verwijzingId']}/starts", {"datum": "2026-03-04"},
                          content_type="application/json")  # fmt: skip
    assert started.status_code == 201, started.content


@pytest.mark.parametrize(
    "change, name, reason",
    [({"gemeenteCode": None}, "wijkCode", AREA_NEITHER),
     ({"wijkCode": "WK034403"}, "gemeenteCode", AREA_BOTH),
     ({"voorziening": "dagbegeleiding"}, "gemeenteCode", AREA_NOT_V),
     ({"gemeenteCode": "GM0344"}, "gemeenteCode", AREA_UTRECHT)],
)  # fmt: skip
def test_the_api_refuses_with_problem_json_in_dutch(client_for, providers, change, name, reason):
    response = client_for("buurtteam_worker").post(API, {**U16, **change},
                                                   content_type="application/json")  # fmt: skip
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert [(p["name"], p["reason"]) for p in response.json()["invalidParams"]] == [(name, reason)]
    assert Referral.objects.count() == 0


def test_an_unknown_gemeente_code_is_a_400(client_for, providers):
    response = client_for("buurtteam_worker").post(API, {**U16, "gemeenteCode": "GM9999"},
                                                   content_type="application/json")  # fmt: skip
    assert response.status_code == 400
    assert [p["name"] for p in response.json()["invalidParams"]] == ["gemeenteCode"]


ROWS = """
U1,111222333,,beschermd_verblijf,13063077,,2026-03-02,,,,,nee,GM0310
U2,111222333,WK034403,beschermd_thuis,13063077,,2026-03-02,,,,,nee,
"""
BAD_ROWS = """
U3,111222333,,beschermd_verblijf,13063077,,2026-03-02,,,,,nee,GM9999
U4,111222333,WK034403,beschermd_verblijf,13063077,,2026-03-02,,,,,nee,GM0310
U5,111222333,,dagbegeleiding,13063077,,2026-03-02,,,,,nee,GM0310
U6,111222333,,beschermd_verblijf,13063077,,2026-03-02,,,,,nee,
U7,111222333,,beschermd_verblijf,13063077,,2026-03-02,,,,,nee,GM0344
"""


def test_the_importer_reads_the_optional_municipality_column(providers):
    result = ReferralImporter().run((f"{HEADER},municipality" + ROWS).encode())
    assert result.ok, result.report
    u1, u2 = Referral.objects.order_by("external_id")
    assert (u1.district, u1.municipality.code) == (None, "GM0310")
    assert (u2.district.code, u2.municipality) == ("WK034403", None)
    assert ReferralEvent.objects.get(referral=u1).changes["municipality"] == "GM0310"
    # Without the column every referral needs its wijk, as before.
    assert ReferralImporter().run((HEADER + ROWS.replace(",GM0310", "").replace(
        "nee,\n", "nee\n")).encode()).problems[0].column == "district"  # fmt: skip


def test_the_importer_reports_line_column_and_reason(providers):
    result = ReferralImporter().run((f"{HEADER},municipality" + BAD_ROWS).encode())
    assert not result.ok and Referral.objects.count() == 0
    assert [(p.line, p.column, p.message) for p in result.problems] == [
        (2, "municipality", "Onbekende gemeentecode."),
        (3, "municipality", AREA_BOTH),
        (4, "municipality", AREA_NOT_V),
        (5, "district", "Dit veld is verplicht."),
        (6, "municipality", AREA_UTRECHT),
    ]


def test_the_database_refuses_both_or_neither(make_referral):
    referral = make_referral()
    with pytest.raises(IntegrityError), transaction.atomic():
        Referral.objects.filter(pk=referral.pk).update(municipality_id=gm("GM0310"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Referral.objects.filter(pk=referral.pk).update(district=None)
    referral.district, referral.municipality_id = None, gm("GM0310")
    with pytest.raises(ValidationError) as refused:
        referral.full_clean()
    assert refused.value.message_dict["municipality"] == [AREA_NOT_V]  # dagbegeleiding


def test_utrecht_is_not_offered_on_the_form(client_for, providers):
    form = client_for("buurtteam_worker").get("/verwijzingen/registreren/").context["form"]
    codes = set(form.fields["municipality"].queryset.values_list("code", flat=True))
    assert len(codes) == 15 and "GM0344" not in codes
    assert District.objects.count() == 10
