"""Every stored value a dashboard section shows is on the page as stored (staff) or in its
suppressed form (council), and every table's XLSX holds what the page shows.

The expectations are built here from the stored rows with their own Dutch formatting and the
suppression rules of INDICATORS.md, not with the dashboard's builders; the cells are found by
table, row key and column header, so a figure in the wrong place fails too."""

import io
import random
import re
from decimal import Decimal
from html import unescape

import pytest
from openpyxl import load_workbook

from districts.models import District
from indicators.definitions import INDICATORS
from indicators.models import IndicatorValue
from providers.models import Provider

Q3, Q2, LAST_YEAR = "2026Q3", "2026Q2", "2025Q3"
STAFF_URL = f"/dashboard/?kwartaal={Q3}"
COUNCIL_URL = f"/dashboard/raad/?kwartaal={Q3}"
SERVICES = ("dagbegeleiding", "ambulante_begeleiding", "beschermd_wonen_bovenregionaal")
PROVIDERS = ("10000001", "10000002")

# What each section shows (the issue and INDICATORS.md), written out here on purpose.
TILES = [
    "clients_in_care", "new_referrals", "clients_per_1000", "bt_clients",
    "mean_wait_days", "median_wait_days", "pct_within_norm", "waiting_at_end",
    "mean_days_waiting_at_end", "mean_waiting_per_month", "bt_mean_wait_workdays",
    "exp_solution_pct", "exp_self_reliance_pct", "complaints", "complaints_per_100_clients",
    "bt_exp_solution_pct", "bt_exp_self_reliance_pct",
]  # fmt: skip
DISTRICT_TABLE = [
    "clients_in_care", "clients_per_1000", "new_referrals", "mean_wait_days", "pct_within_norm",
    "waiting_at_end", "bt_mean_wait_workdays", "bt_referral_rate", "small_org_share",
    "exp_solution_pct",
]  # fmt: skip
SERVICE_TABLE = [
    "clients_in_care", "new_referrals", "started", "mean_wait_days", "pct_within_norm",
    "waiting_at_end", "mean_waiting_per_month", "group_share",
]  # fmt: skip
ORGANISATION_TABLE = [
    "clients_in_care", "started", "ended", "mean_wait_days", "pct_within_norm", "waiting_at_end",
    "group_share", "small_org_share", "exp_solution_pct", "complaints",
]  # fmt: skip
RATIOS = ["bt_referral_rate", "bt_group_share", "group_share"]
SPEND_TABLE = ["spend_eur", "clients_in_care", "cost_per_client_eur"]
OBJECTIVE_COLUMNS = ["clients_in_care", "new_referrals", "started", "mean_wait_days",
                     "pct_within_norm", "waiting_at_end", "group_share"]  # fmt: skip
TREND_SERIES = ["clients_in_care", "bt_clients", "mean_wait_days", "pct_within_norm",
                "bt_mean_wait_workdays", "waiting_at_end", "mean_waiting_per_month"]  # fmt: skip

# Suppression (INDICATORS.md): counts 1–4 are `<5`; a share or mean over fewer than 10
# observations is `—`, and a share whose numerator or complement is 1–4 too. The average of
# three month-end counts is suppressed as a count; a rate per inhabitants or clients also hides
# a numerator of 1–4. (These rows are stored without marks: no secondary suppression here.)
COUNTS = {code for code, d in INDICATORS.items() if d.kind == "count"} | {"mean_waiting_per_month"}
RATES = {"clients_per_1000", "complaints_per_100_clients"}


def dutch(value: Decimal, decimals: int) -> str:
    """1234567.5 -> '1.234.567,5' (own implementation, not the dashboard's)."""
    whole, _, fraction = f"{abs(value):.{decimals}f}".partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return ("-" if value < 0 else "") + ".".join(groups) + (f",{fraction}" if fraction else "")


def exact(indicator: str, row) -> str:
    if row.value is None:
        return ""
    # Counts are whole; every mean, share and rate has one decimal (INDICATORS.md), also the
    # mean of the three month-end waiting counts.
    whole = INDICATORS[indicator].kind == "count" and indicator != "mean_waiting_per_month"
    # Amounts in euros have cents (BUDGET.md).
    return dutch(row.value, 0 if whole else 2 if INDICATORS[indicator].kind == "amount" else 1)


def shown(indicator: str, row, suppressed: bool) -> str:
    if not suppressed or row.value is None or INDICATORS[indicator].kind == "amount":
        return exact(indicator, row)  # money is no group of people
    if indicator in COUNTS:
        return "<5" if 0 < row.value < 5 else exact(indicator, row)
    too_few = row.denominator is None or row.denominator < 10
    if indicator in RATES:
        too_few = too_few or (row.numerator is not None and 1 <= row.numerator <= 4)
    if INDICATORS[indicator].kind == "percentage" and not too_few:
        complement = row.denominator - row.numerator
        too_few = 1 <= row.numerator <= 4 or 1 <= complement <= 4
    return "—" if too_few else exact(indicator, row)


def random_row(rng: random.Random, quarter: str, level: str, key: str, indicator: str):
    definition = INDICATORS[indicator]
    numerator = denominator = None
    if definition.kind == "count":
        value = Decimal(rng.choice([0, 1, 2, 4, 5, 9, 37, 812, 1234, 56789]))
    elif indicator == "mean_waiting_per_month":
        value = Decimal(rng.choice([23, 41, 125, 4417])) / 10  # 2,3 … 441,7
        denominator = 3
    else:
        # Shares up to 100 %, means and rates sometimes above a thousand; a tenth always shown.
        top = 1000 if definition.kind == "percentage" else 20000
        value = Decimal(rng.randint(0, top)) / 10
        denominator = rng.choice([1, 4, 9, 10, 11, 48, 1500])
        numerator = rng.choice([0, 1, 3, 4, 5, 30])
    return IndicatorValue(quarter=quarter, level=level, level_key=key, indicator=indicator,
                          value=value, numerator=numerator, denominator=denominator)  # fmt: skip


@pytest.fixture
def every_value(db):
    """A value for every indicator at every level it exists at (2026Q3), with the quarters the
    tiles compare with at city level; the seed makes small counts and small denominators."""
    rng = random.Random(2027)
    Provider.objects.create(agb_code="10000001", name="Groot Zorg", kind="care_provider")
    Provider.objects.create(agb_code="10000002", name="Buurtkracht", kind="resident_org")
    keys = {
        "system": ["all"],
        "district": list(District.objects.values_list("code", flat=True)),
        "service_type": list(SERVICES),
        "provider": list(PROVIDERS),
        "contractor": ["10000001"],
    }
    rows = []
    for level, level_keys in keys.items():
        for key in level_keys:
            for indicator, definition in INDICATORS.items():
                if level in definition.levels:
                    rows.append(random_row(rng, Q3, level, key, indicator))
    for quarter in (Q2, LAST_YEAR):
        rows += [random_row(rng, quarter, "system", "all", code) for code in INDICATORS]
    IndicatorValue.objects.bulk_create(rows)
    return {(r.quarter, r.level, r.level_key, r.indicator): r for r in rows}


def text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def tables(html: str) -> dict[str, dict]:
    """table id -> {"columns": [header texts], "rows": {row key: [cell texts]}}."""
    found = {}
    for table_id, body in re.findall(r'<table[^>]*id="tabel-([^"]+)"[^>]*>(.*?)</table>', html,
                                     re.S):  # fmt: skip
        head = re.search(r"<thead[^>]*>(.*?)</thead>", body, re.S).group(1)
        columns = [text(c) for c in re.findall(r"<th[^>]*>(.*?)</th>", head, re.S)]
        rows = {}
        for key, row in re.findall(r'<tr[^>]*data-sleutel="([^"]*)"[^>]*>(.*?)</tr>', body, re.S):
            cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
            rows[unescape(key)] = [text(c).replace(" — naar de wachtlijst", "") for c in cells]
        found[table_id] = {"columns": columns, "rows": rows}
    return found


def column(table: dict, indicator: str) -> int:
    definition = INDICATORS[indicator]
    titles = (definition.label, f"{definition.label} ({definition.unit})")
    matches = [i for i, title in enumerate(table["columns"]) if title in titles]
    assert len(matches) == 1, (indicator, table["columns"])
    return matches[0]


def tile_value(html: str, indicator: str) -> tuple[str, dict[str, str]]:
    match = re.search(
        rf'<article[^>]*data-indicator="{indicator}"[^>]*>(.*?)</article>', html, re.S
    )
    assert match, f"no tile for {indicator}"
    value = text(re.search(r'<p class="dash-tile__value">(.*?)</p>', match.group(1), re.S)[1])
    facts = {k: text(v) for k, v in
             re.findall(r'<dd data-kolom="([a-z-]+)">(.*?)</dd>', match.group(1), re.S)}  # fmt: skip
    return value, facts


def expected_tile(indicator: str, cell: str) -> str:
    if cell == "":
        return "geen waarde"
    if cell == "—":
        return "—"  # no unit after "too few observations"
    return f"{cell} {INDICATORS[indicator].unit}"


def check_tiles(html, stored, suppressed):
    for indicator in TILES:
        value, facts = tile_value(html, indicator)
        current = shown(indicator, stored[(Q3, "system", "all", indicator)], suppressed)
        assert value == expected_tile(indicator, current), indicator
        previous = shown(indicator, stored[(Q2, "system", "all", indicator)], suppressed)
        last_year = shown(indicator, stored[(LAST_YEAR, "system", "all", indicator)], suppressed)
        assert facts["vorig"] == (previous or "geen waarde"), indicator
        assert facts["jaar-eerder"] == (last_year or "geen waarde"), indicator


def check_table(table, rows, level_of, indicators, stored, suppressed):
    """`rows`: row key on the page -> stored level_key; `level_of(key)` its stored level."""
    checked = 0
    for row_key, level_key in rows.items():
        assert row_key in table["rows"], row_key
        cells = table["rows"][row_key]
        for indicator in indicators:
            if level_of(level_key) not in INDICATORS[indicator].levels:
                continue
            row = stored[(Q3, level_of(level_key), level_key, indicator)]
            assert cells[column(table, indicator)] == shown(indicator, row, suppressed), (
                row_key, indicator)  # fmt: skip
            checked += 1
    return checked


@pytest.mark.parametrize(("role", "url", "suppressed"), [
    ("contract_manager", STAFF_URL, False), ("council_member", COUNCIL_URL, True)])  # fmt: skip
def test_every_stored_value_is_on_the_page(every_value, client_for, role, url, suppressed):
    html = client_for(role).get(url).content.decode()
    stored = every_value
    check_tiles(html, stored, suppressed)
    found = tables(html)
    districts = {code: code for code in District.objects.values_list("code", flat=True)}
    checked = check_table(found["per-wijk"], {**districts, "totaal": "all"},
                          lambda key: "system" if key == "all" else "district", DISTRICT_TABLE,
                          stored, suppressed)  # fmt: skip
    assert checked == 11 * len(DISTRICT_TABLE)
    ratios = found["verhoudingen"]["rows"]
    for indicator in RATIOS:
        assert ratios[indicator][1] == shown(indicator, stored[(Q3, "system", "all", indicator)],
                                             suppressed), indicator  # fmt: skip
    diversity = found["diversiteit"]
    q3 = diversity["columns"].index(Q3)
    for key in [*districts, "totaal"]:
        level, level_key = ("system", "all") if key == "totaal" else ("district", key)
        cells = diversity["rows"][key]
        assert cells[q3] == shown("small_org_share",
                                  stored[(Q3, level, level_key, "small_org_share")], suppressed)  # fmt: skip
        assert cells[-1] == shown("providers_active",
                                  stored[(Q3, level, level_key, "providers_active")], suppressed)  # fmt: skip
    for indicator in TREND_SERIES:
        trend = found[f"trend-{indicator}-tabel"]["rows"]
        assert trend[Q3][1] == shown(indicator, stored[(Q3, "system", "all", indicator)],
                                     suppressed), indicator  # fmt: skip
        assert trend[Q2][1] == shown(indicator, stored[(Q2, "system", "all", indicator)],
                                     suppressed), indicator  # fmt: skip
    # The objectives: III the buurtteam's figures; IV and V per service of the objective.
    objective_iii = found["doel-iii"]["rows"]
    for indicator in ("bt_clients", "bt_new_cases", "bt_mean_wait_workdays",
                      "bt_pct_within_norm", "bt_referral_rate", "bt_group_share"):  # fmt: skip
        row = stored[(Q3, "system", "all", indicator)]
        assert objective_iii[indicator][1] == shown(indicator, row, suppressed), indicator
    assert objective_iii["bt_referral_rate"][2] == "20 % (doel 80/20)"
    assert objective_iii["bt_group_share"][2] == "50 % (doel 50/50)"
    assert objective_iii["bt_mean_wait_workdays"][2] == "5 werkdagen"
    for table, services in (("doel-iv", ["ambulante_begeleiding", "dagbegeleiding"]),
                            ("doel-v", ["beschermd_wonen_bovenregionaal"])):  # fmt: skip
        rows = found[table]["rows"]
        assert sorted(rows) == services, table
        for service in services:
            for i, indicator in enumerate(OBJECTIVE_COLUMNS, start=2):
                row = stored[(Q3, "service_type", service, indicator)]
                assert rows[service][i] == shown(indicator, row, suppressed), (service, indicator)
        # The waiting norm is the stored one (these rows carry none).
        assert {rows[service][1] for service in services} == {""}
    # Spend and cost per client in care per service, the city as total (BUDGET.md).
    checked = check_table(found["uitgaven-voorziening"], {**{s: s for s in SERVICES}, "totaal": "all"},
                          lambda key: "system" if key == "all" else "service_type", SPEND_TABLE,
                          stored, suppressed)  # fmt: skip
    assert checked == (len(SERVICES) + 1) * len(SPEND_TABLE)
    if suppressed:
        # Council members compare wijken and services, never organisations; no contractor's
        # amounts either.
        assert "per-voorziening" not in found and "per-aanbieder" not in found
        assert "uitgaven-contractpartij" not in found
        return
    checked = check_table(found["uitgaven-contractpartij"], {"10000001": "10000001"},
                          lambda key: "contractor", SPEND_TABLE, stored, suppressed)  # fmt: skip
    assert checked == len(SPEND_TABLE)
    checked = check_table(found["per-voorziening"], {s: s for s in SERVICES},
                          lambda key: "service_type", SERVICE_TABLE, stored, suppressed)  # fmt: skip
    assert checked == len(SERVICES) * len(SERVICE_TABLE)
    checked = check_table(found["per-aanbieder"], {p: p for p in PROVIDERS},
                          lambda key: "provider", ORGANISATION_TABLE, stored, suppressed)  # fmt: skip
    assert checked == len(PROVIDERS) * len(ORGANISATION_TABLE)
    # Kwaliteit counts for the contract holder on the record's date: per contractor as well.
    checked = check_table(found["per-contractpartij"], {"10000001": "10000001"},
                          lambda key: "contractor", ORGANISATION_TABLE, stored, suppressed)  # fmt: skip
    assert checked == len(ORGANISATION_TABLE)


def parse_shown(cell: str):
    """A page cell as a spreadsheet holds it: Dutch numbers as numbers, marks as text."""
    if cell == "":
        return None
    if re.fullmatch(r"-?\d{1,3}(\.\d{3})*(,\d\d?)?", cell):  # amounts have cents
        return float(cell.replace(".", "").replace(",", "."))
    return cell


@pytest.mark.parametrize(("role", "url", "export"), [
    ("contract_manager", STAFF_URL, "/dashboard/export/"),
    ("council_member", COUNCIL_URL, "/dashboard/raad/export/")])  # fmt: skip
def test_every_table_downloads_as_xlsx_with_the_page_figures(every_value, client_for, role,
                                                             url, export):  # fmt: skip
    client = client_for(role)
    html = client.get(url).content.decode()
    page_tables = re.findall(r'<table[^>]*id="tabel-([^"]+)"[^>]*>(.*?)</table>', html, re.S)
    # Staff: the three objectives, budget, overview, 7 quarterly and 3 yearly trends (those with
    # a baseline at city level), ratios, wijken, services, providers, contractors and diversity
    # with their charts, and spend per quarter, per service and per contractor; council members
    # the same without services and organisations, and spend without contractors.
    assert len(page_tables) == (31 if role == "contract_manager" else 24)
    for table_id, body in page_tables:
        caption = text(re.search(r"<caption[^>]*>(.*?)</caption>", body, re.S).group(1))
        page_rows = [
            [text(c).replace(" — naar de wachtlijst", "")
             for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
        ]  # fmt: skip
        response = client.get(f"{export}{table_id}.xlsx?kwartaal={Q3}")
        assert response.status_code == 200, table_id
        sheet = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
        assert sheet[0][0] == caption, table_id
        assert list(sheet[1]) == page_rows[0], table_id
        assert len(sheet) - 2 == len(page_rows) - 1, table_id
        for page_row, sheet_row in zip(page_rows[1:], sheet[2:], strict=True):
            assert sheet_row[0] == page_row[0], table_id
            assert [parse_shown(c) for c in page_row[1:]] == list(sheet_row[1:]), (
                table_id, page_row[0])  # fmt: skip
