"""The spend indicators (BUDGET.md, "Spend indicators"): `spend_eur` and `cost_per_client_eur`
per level, computed by the indicator job over the hand-made quarter of scenario.py, stored, in
`export_indicators`, on the staff dashboard, and on the council dashboard only at system and
voorziening level, with the clients-in-care rule of a mean (INDICATORS.md).

Clients in care in 2026Q3 (scenario.py): system 3 (c1, c2, c3); dagbegeleiding 3 (c1 R1, c2 R3,
c3 R8), vervoersvoorziening 1 (c1 R2), beschermd_verblijf 0 (R4 still waiting); contractor P1 3
(R1, R3 subcontracted to P2, R8), P3 1 (R2; R6 starts after Q)."""

import csv
import io
import re
from decimal import Decimal
from html import unescape

import pytest
from django.core.management import call_command

from indicators.models import IndicatorValue
from indicators.services import compute_values, replace_period
from providers.models import Provider
from wmo.catalogue.models import ServiceType
from wmo.finance.models import SpendBooking
from wmo.periods import HalfYear, Quarter, Year

from .scenario import build

Q3 = Quarter(2026, 3)
P1, P3 = "10000001", "10000003"
DAY, TRANSPORT, SHELTER = "dagbegeleiding", "vervoersvoorziening", "beschermd_verblijf"

BOOKINGS = [
    # (id, quarter, objective, service, contractor, amount)
    ("B1", "2026Q3", "IV", DAY, P1, "10000.00"),
    ("B2", "2026Q3", "IV", DAY, P1, "-1234.56"),  # a credit note counts
    ("B3", "2026Q3", "IV", TRANSPORT, P3, "500.10"),
    ("B4", "2026Q3", "V", SHELTER, P1, "3000.00"),  # a service without clients in care
    ("B5", "2026Q3", "IV", DAY, P3, "250.15"),
    ("B6", "2026Q2", "IV", DAY, P1, "7777.77"),  # another quarter: in the year, not in Q3
    ("B7", "2026Q3", "III", None, None, "99999.00"),  # buurtteam spend: not IV or V
]


def book(rows=BOOKINGS):
    services = {s.code: s for s in ServiceType.objects.all()}
    providers = {p.agb_code: p for p in Provider.objects.all()}
    for booking_id, quarter, objective, service, contractor, amount in rows:
        SpendBooking.objects.create(
            booking_id=booking_id, quarter=quarter, objective=objective,
            service_type=services.get(service), contractor=providers.get(contractor),
            amount_eur=Decimal(amount),
        )  # fmt: skip


@pytest.fixture
def spend(db):
    build()
    book()
    replace_period(Q3, compute_values(Q3))
    return stored(Q3)


def stored(period):
    return {
        (v.level, v.level_key, v.indicator): (v.value, v.numerator, v.denominator)
        for v in IndicatorValue.objects.filter(quarter=period, indicator__in=(
            "spend_eur", "cost_per_client_eur"))
    }  # fmt: skip


def test_spend_and_cost_per_client_per_level(spend):
    # System: 10000.00 − 1234.56 + 500.10 + 3000.00 + 250.15 = 12515.69 (not B6, not B7);
    # 12515.69 / 3 = 4171.896… → 4171.9.
    assert spend[("system", "all", "spend_eur")] == (Decimal("12515.69"), None, None)
    assert spend[("system", "all", "cost_per_client_eur")] == (
        Decimal("4171.9"),
        Decimal("12515.69"),
        3,
    )
    # Dagbegeleiding: 10000.00 − 1234.56 + 250.15 = 9015.59; / 3 = 3005.196… → 3005.2.
    assert spend[("service_type", DAY, "spend_eur")][0] == Decimal("9015.59")
    assert spend[("service_type", DAY, "cost_per_client_eur")] == (
        Decimal("3005.2"),
        Decimal("9015.59"),
        3,
    )
    assert spend[("service_type", TRANSPORT, "cost_per_client_eur")] == (
        Decimal("500.1"),
        Decimal("500.10"),
        1,
    )
    # Beschermd verblijf has spend but no clients in care: the cost per client is empty.
    assert spend[("service_type", SHELTER, "spend_eur")][0] == Decimal("3000.00")
    assert spend[("service_type", SHELTER, "cost_per_client_eur")] == (None, Decimal("3000"), 0)
    # P1: 10000.00 − 1234.56 + 3000.00 = 11765.44; / 3 = 3921.813… → 3921.8.
    assert spend[("contractor", P1, "cost_per_client_eur")] == (
        Decimal("3921.8"),
        Decimal("11765.44"),
        3,
    )
    # P3: 500.10 + 250.15 = 750.25 over 1 client: 750.25 → 750.3, half away from zero (a
    # banker's rounding would give 750.2).
    assert spend[("contractor", P3, "spend_eur")][0] == Decimal("750.25")
    assert spend[("contractor", P3, "cost_per_client_eur")][0] == Decimal("750.3")
    # Only the groups with bookings, at the three levels.
    assert {level for level, _, _ in spend} == {"system", "service_type", "contractor"}
    assert len(spend) == 2 * (1 + 3 + 2)


def test_a_year_adds_its_quarters_spend_and_divides_by_its_own_clients(spend):
    # 2026: Q3's 12515.69 plus B6's 7777.77 = 20293.46; clients in care during 2026: c1, c2, c3
    # and c5 (R6 starts 1 October) = 4; 20293.46 / 4 = 5073.365 → 5073.4.
    year = Year(2026)
    replace_period(year, compute_values(year))
    values = stored(year)
    assert values[("system", "all", "spend_eur")][0] == Decimal("20293.46")
    assert values[("system", "all", "cost_per_client_eur")] == (
        Decimal("5073.4"),
        Decimal("20293.46"),
        4,
    )
    # The second half-year holds Q3 only (Q4 has no bookings).
    half = HalfYear(2026, 2)
    replace_period(half, compute_values(half))
    assert stored(half)[("system", "all", "spend_eur")][0] == Decimal("12515.69")


def test_a_period_without_bookings_has_empty_spend(db):
    build()
    replace_period(Q3, compute_values(Q3))
    assert stored(Q3) == {("system", "all", "spend_eur"): (None, None, None),
                          ("system", "all", "cost_per_client_eur"): (None, None, None)}  # fmt: skip


def test_export_indicators_has_the_rows(spend):
    out = io.StringIO()
    call_command("export_indicators", "--period", "2026Q3", stdout=out)
    rows = {(r["level"], r["level_key"], r["indicator"]): r
            for r in csv.DictReader(io.StringIO(out.getvalue()))}  # fmt: skip
    system = rows[("system", "all", "cost_per_client_eur")]
    assert (system["value"], system["numerator"], system["denominator"]) == (
        "4171.9",
        "12515.69",
        "3",
    )
    assert rows[("system", "all", "spend_eur")]["value"] == "12515.69"
    assert rows[("service_type", SHELTER, "spend_eur")]["value"] == "3000.00"
    assert rows[("service_type", SHELTER, "cost_per_client_eur")]["value"] == ""
    assert rows[("contractor", P3, "cost_per_client_eur")]["value"] == "750.3"
    # The other indicators read as before: whole counts, one decimal.
    assert rows[("system", "all", "clients_in_care")]["value"] == "3"
    assert rows[("system", "all", "mean_wait_days")]["value"] == "17.7"


def test_the_public_export_leaves_out_contractor_amounts(spend):
    out = io.StringIO()
    call_command("export_indicators", "--period", "2026Q3", "--suppressed", stdout=out)
    rows = {(r["level"], r["level_key"], r["indicator"]): r
            for r in csv.DictReader(io.StringIO(out.getvalue()))}  # fmt: skip
    assert not [key for key in rows if key[0] == "contractor" and key[2].endswith("_eur")]
    assert ("contractor", P1, "clients_in_care") in rows
    assert rows[("service_type", DAY, "spend_eur")]["value"] == "9015.59"
    # 3 clients in care: below 10 for a mean, and the count itself is `<5`.
    assert rows[("service_type", DAY, "cost_per_client_eur")]["value"] == "—"
    assert rows[("service_type", DAY, "cost_per_client_eur")]["numerator"] == ""


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def _table(html: str, table_id: str) -> dict[str, list[str]]:
    body = re.search(rf'<table[^>]*id="tabel-{table_id}"[^>]*>(.*?)</table>', html, re.S).group(1)
    return {
        unescape(key): [_text(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for key, row in re.findall(r'<tr[^>]*data-sleutel="([^"]*)"[^>]*>(.*?)</tr>', body, re.S)
    }


def test_staff_dashboard_shows_spend_per_service_and_contractor(spend, contract_manager_client):
    html = contract_manager_client.get("/dashboard/?periode=2026Q3").content.decode()
    tile = re.search(r'<article[^>]*data-indicator="cost_per_client_eur"[^>]*>(.*?)</article>',
                     html, re.S).group(1)  # fmt: skip
    assert "4.171,9" in _text(tile)
    assert "12.515,69" in _text(
        re.search(
            r'<article[^>]*data-indicator="spend_eur"[^>]*>(.*?)</article>', html, re.S
        ).group(1)
    )
    services = _table(html, "uitgaven-voorziening")
    # Uitgaven, cliënten in zorg, kosten per cliënt.
    assert services[DAY][1:] == ["9.015,59", "3", "3.005,2"]
    assert services[SHELTER][1:] == ["3.000,00", "0", ""]
    assert services["totaal"][1:] == ["12.515,69", "3", "4.171,9"]
    contractors = _table(html, "uitgaven-contractpartij")
    assert contractors[P3][0] == "Klein Zorg"
    assert contractors[P3][1:] == ["750,25", "1", "750,3"]
    assert contractors[P1][1:] == ["11.765,44", "3", "3.921,8"]
    # The chart's table: Q3 realised (k€) against a quarter of the objectives IV and V budget.
    # Budget 2026: IV 88,562 + V 117,658 = 206,220 k€, a quarter 51,555.0 k€.
    chart = _table(html, "uitgaven-kwartalen-tabel")
    assert chart["2026Q3"][1:] == ["12,5", "51.555,0"]
    assert chart["2026Q1"][1:] == ["", "51.555,0"]  # not computed: no bar
    assert "Een kwart van de begroting 2026 (beleidsdoelen IV en V) is € 51.555,0 k." in html


def test_council_dashboard_shows_services_but_no_contractors(spend, council_client):
    html = council_client.get("/dashboard/raad/?periode=2026Q3").content.decode()
    assert 'id="tabel-uitgaven-voorziening"' in html
    assert "uitgaven-contractpartij" not in html
    assert "Groot Zorg" not in html and "11.765,44" not in html and "750,25" not in html
    services = _table(html, "uitgaven-voorziening")
    # Spend is money, shown; clients in care 3 and 1 are `<5`, so the cost per client (a mean
    # over fewer than 10 clients) is hidden, without its parts.
    assert services[DAY][1:] == ["9.015,59", "<5", "—"]
    assert services[TRANSPORT][1:] == ["500,10", "<5", "—"]
    tile = re.search(r'<article[^>]*data-indicator="cost_per_client_eur"[^>]*>(.*?)</article>',
                     html, re.S).group(1)  # fmt: skip
    assert "4.171,9" not in tile and "—" in tile


def test_council_sees_cost_per_client_from_ten_clients(db, council_client):
    """A mean over 10 or more clients in care is shown; the API leaves contractor amounts out."""
    from indicators.definitions.base import Value

    rows = [
        Value("system", "all", "clients_in_care", 12),
        Value("system", "all", "spend_eur", Decimal("1200.50")),
        Value("system", "all", "cost_per_client_eur", Decimal("100.0"), Decimal("1200.50"), 12),
        Value("contractor", P1, "spend_eur", Decimal("1200.50")),
        Value("contractor", P1, "cost_per_client_eur", Decimal("100.0"), Decimal("1200.50"), 12),
    ]
    replace_period(Q3, rows)
    answer = council_client.get("/api/v1/indicatoren?periode=2026Q3").json()
    found = {(r["niveau"], r["indicator"]): r for r in answer["resultaten"]}
    assert found[("system", "cost_per_client_eur")]["waarde"] == 100.0
    assert found[("system", "cost_per_client_eur")]["teller"] is None
    assert ("contractor", "spend_eur") not in found
    assert ("contractor", "cost_per_client_eur") not in found


def test_the_attacker_works_clients_back_from_spend_and_cost_per_client():
    """Why the cost per client follows the clients-in-care rule: spend / cost gives the count."""
    from .attacker import SMALL, Seen, attack

    def seen(indicator, value):
        return Seen("pagina", "2026Q3", "service_type", DAY, indicator, value)

    findings = attack([seen("spend_eur", Decimal("750.25")), seen("clients_in_care", SMALL),
                       seen("cost_per_client_eur", Decimal("750.3"))])  # fmt: skip
    cell = "('2026Q3', 'service_type', 'dagbegeleiding'"
    assert findings == [f"(a) pagina: {cell}, 'cost_per_client_eur') = 750.3 shown over 1 clients",
                        f"(c) pagina: hidden count {cell}, 'clients_in_care') is 1"]  # fmt: skip
    hidden = attack([seen("spend_eur", Decimal("750.25")), seen("clients_in_care", SMALL),
                     seen("cost_per_client_eur", "—")])  # fmt: skip
    assert hidden == []
