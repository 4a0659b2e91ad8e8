"""The one-screen overview: per objective its headline figures from the stored values (IV and V
pooled over their services), with norm, direction against the period before and a sparkline
with its table; the council's overview suppressed; every tile opens its objective's details."""

import re
from decimal import Decimal

import pytest

from indicators.models import IndicatorValue
from tests.access import ROLES, Access
from tests.indicators.test_dashboard import text

Q3, Q2 = "2026Q3", "2026Q2"
OVERVIEW = f"/dashboard/overzicht/?kwartaal={Q3}"
COUNCIL = f"/dashboard/raad/overzicht/?kwartaal={Q3}"

# (quarter, level, level_key, indicator, value, numerator, denominator, norm)
ROWS = [
    (Q3, "system", "all", "clients_in_care", 1234, None, None, None),
    (Q2, "system", "all", "clients_in_care", 1200, None, None, None),
    (Q3, "system", "all", "bt_mean_wait_workdays", "6.1", None, 120, "5"),
    (Q2, "system", "all", "bt_mean_wait_workdays", "5.4", None, 110, "5"),
    (Q3, "system", "all", "bt_referral_rate", "18.3", 22, 120, None),
    (Q2, "system", "all", "bt_referral_rate", "21.0", 21, 100, None),
    (Q3, "system", "all", "bt_group_share", "44.0", 44, 100, None),
    # Objective IV: two services, pooled (5 + 15) / (8 + 20) = 71.4 %; before 10 / 20 = 50 %.
    (Q3, "service_type", "dagbegeleiding", "pct_within_norm", "62.5", 5, 8, None),
    (Q3, "service_type", "hulp_bij_huishouden", "pct_within_norm", "75.0", 15, 20, None),
    (Q2, "service_type", "dagbegeleiding", "pct_within_norm", "50.0", 10, 20, None),
    (Q3, "service_type", "dagbegeleiding", "waiting_at_end", 9, None, None, None),
    (Q3, "service_type", "hulp_bij_huishouden", "waiting_at_end", 3, None, None, None),
    (Q2, "service_type", "dagbegeleiding", "waiting_at_end", 14, None, None, None),
    (Q2, "service_type", "hulp_bij_huishouden", "waiting_at_end", 6, None, None, None),
    (Q3, "service_type", "dagbegeleiding", "group_share", "16.2", 12, 74, None),
    # Objective V: one service.
    (Q3, "service_type", "beschermd_verblijf", "waiting_at_end", 30, None, None, None),
    (Q2, "service_type", "beschermd_verblijf", "waiting_at_end", 25, None, None, None),
    (Q3, "service_type", "beschermd_verblijf", "pct_within_norm", "90.0", 27, 30, None),
]


def store_overview_rows():
    """The hand-made stored values above (also used by the browser test)."""
    IndicatorValue.objects.bulk_create(
        IndicatorValue(quarter=q, level=lvl, level_key=key, indicator=ind,
                       value=Decimal(str(v)), numerator=n, denominator=d,
                       norm=None if norm is None else Decimal(norm))
        for q, lvl, key, ind, v, n, d, norm in ROWS
    )  # fmt: skip


@pytest.fixture
def stored(db):
    store_overview_rows()


def figure(html: str, objective: str, indicator: str) -> str:
    section = re.search(rf'<section[^>]*data-doel="{objective}"[^>]*>(.*?)</section>', html, re.S)
    assert section, f"no objective {objective}"
    match = re.search(rf'<article[^>]*data-indicator="{indicator}"[^>]*>(.*?)</article>',
                      section.group(1), re.S)  # fmt: skip
    assert match, f"no figure {indicator} in {objective}"
    return match.group(1)


def test_staff_overview_shows_headlines_with_norm_and_direction(stored, contract_manager_client):
    html = contract_manager_client.get(OVERVIEW).content.decode()
    wait = text(figure(html, "III", "bt_mean_wait_workdays"))
    assert "6,1 werkdagen" in wait
    assert "gestegen (slechter) t.o.v. 2026Q2: 5,4" in wait
    assert "Norm of doel: 5 werkdagen — Boven de norm (5)" in wait
    referred = text(figure(html, "III", "bt_referral_rate"))
    assert "18,3 %" in referred and "gedaald (beter) t.o.v. 2026Q2: 21,0" in referred
    assert "Norm of doel: 20 % (80/20) — Voldoet aan het doel (≤ 20)" in referred
    assert "geen vergelijking" in text(figure(html, "III", "bt_group_share"))
    within = text(figure(html, "IV", "pct_within_norm"))
    assert "71,4 %" in within and "gestegen (beter) t.o.v. 2026Q2: 50,0" in within
    assert "Signaalwaarde: 80 % — Onder de signaalwaarde (80)" in within
    waiting = text(figure(html, "IV", "waiting_at_end"))
    assert "12 " in waiting and "gedaald t.o.v. 2026Q2: 20" in waiting
    assert "Norm" not in waiting and "Signaalwaarde" not in waiting
    assert "30 " in text(figure(html, "V", "waiting_at_end"))
    assert "90,0 %" in text(figure(html, "V", "pct_within_norm"))
    # The sparkline: an SVG hidden from screen readers, its values in a table they read.
    spark = figure(html, "IV", "waiting_at_end")
    assert re.search(r'<svg[^>]*aria-hidden="true"', spark)
    assert "<polyline" in spark and "style=" not in spark
    assert re.search(r"<th scope=\"row\">2026Q2</th><td>20</td>", spark)
    assert re.search(r"<th scope=\"row\">2026Q3</th><td>12</td>", spark)
    assert re.search(r"<th scope=\"row\">2025Q4</th><td>geen waarde</td>", spark)


def test_tiles_open_the_objective_on_the_full_page_with_the_same_selection(
    stored, contract_manager_client
):
    html = contract_manager_client.get(OVERVIEW + "&wijk=WK034401").content.decode()
    links = re.findall(r'href="(/dashboard/\?[^"#]*#doel-[IV]+-kop)"', html)
    assert links and set(links) >= {
        "/dashboard/?kwartaal=2026Q3&amp;wijk=WK034401#doel-III-kop",
        "/dashboard/?kwartaal=2026Q3&amp;wijk=WK034401#doel-IV-kop",
        "/dashboard/?kwartaal=2026Q3&amp;wijk=WK034401#doel-V-kop",
    }
    detail = contract_manager_client.get("/dashboard/?kwartaal=2026Q3&wijk=WK034401")
    page = detail.content.decode()
    assert detail.status_code == 200
    assert 'id="doel-III-kop"' in page and 'id="doel-IV-kop"' in page and 'id="doel-V-kop"' in page
    assert 'href="/dashboard/overzicht/?kwartaal=2026Q3&amp;wijk=WK034401"' in page


def test_council_overview_is_suppressed(stored, council_client):
    html = council_client.get(COUNCIL).content.decode()
    # hulp_bij_huishouden's 3 waiting is hidden from the council, so the pooled 12 would give
    # it back by subtraction from the details: the pooled figure is hidden too.
    waiting = text(figure(html, "IV", "waiting_at_end"))
    assert "<5" in waiting and "12" not in waiting
    assert "<td>12</td>" not in html
    # Percentages over fewer than 10 are hidden, so the pooled share with them is as well.
    within = text(figure(html, "IV", "pct_within_norm"))
    assert "—" in within and "71,4" not in within and "Onder de signaalwaarde" not in within
    # Shown figures stay: the buurtteam's wait, objective V's count.
    assert "6,1 werkdagen" in text(figure(html, "III", "bt_mean_wait_workdays"))
    assert "30 " in text(figure(html, "V", "waiting_at_end"))
    assert 'href="/dashboard/raad/?kwartaal=2026Q3#doel-IV-kop"' in html
    assert "een cijfer met * is afgeschermd om herleiding te voorkomen" in html
    assert "/referrals/" not in html and "wachtlijst" not in html.lower()


def test_navigation_opens_the_overviews(stored, client_for):
    staff = client_for("contract_manager").get("/").content.decode()
    assert 'href="/dashboard/overzicht/"' in staff
    council = client_for("council_member").get("/").content.decode()
    assert 'href="/dashboard/raad/overzicht/"' in council
    assert 'href="/dashboard/overzicht/"' not in council


OK, LOGIN, FORBIDDEN = 200, 302, 403
STAFF_PAGE = {"anonymous": LOGIN, "buurtteam_worker": FORBIDDEN, "contract_manager": OK,
              "council_member": FORBIDDEN}  # fmt: skip
COUNCIL_PAGE = {**STAFF_PAGE, "council_member": OK}
MATRIX = [
    Access("GET", "/dashboard/overzicht/", STAFF_PAGE),
    Access("GET", "/dashboard/overzicht/?periode=2026H1&wijk=WK034401", STAFF_PAGE),
    Access("GET", "/dashboard/raad/overzicht/", COUNCIL_PAGE),
    Access("GET", "/dashboard/raad/overzicht/?periode=2025", COUNCIL_PAGE),
]  # fmt: skip


@pytest.mark.parametrize("row", MATRIX, ids=str)
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(stored, client_for, row, role):
    response = client_for(role).get(row.url)
    assert response.status_code == row.expected[role]
    if role == "anonymous":
        assert "/account/inloggen/" in response["Location"]


@pytest.mark.parametrize("url", ["/dashboard/overzicht/?kwartaal=2026Q3",
                                 "/dashboard/raad/overzicht/?kwartaal=2026Q3"])  # fmt: skip
def test_the_overview_in_english_names_objectives_figures_and_units_in_english(
    stored, client_for, settings, url
):
    # Before: the headlines took the definitions' Dutch labels and units and the layout's Dutch
    # objective titles, so an English page showed "Binnen de norm gestart … werkdagen".
    client = client_for("council_member" if "raad" in url else "contract_manager")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(url).content.decode()
    headings = re.findall(r'<section[^>]*data-doel="(\w+)".*?<h2[^>]*>(.*?)</h2>', html, re.S)
    assert [(doel, text(title)) for doel, title in headings] == [
        ("III", "III — accessible basic care (neighbourhood teams)"),
        ("IV", "IV — appropriate specialist support"),
        ("V", "V — shelter and sheltered housing (U16)"),
    ]
    assert "Started within the norm" in text(figure(html, "IV", "pct_within_norm"))
    assert "working days" in text(figure(html, "III", "bt_mean_wait_workdays"))
    for dutch in ("Binnen de norm gestart", "werkdagen", "laagdrempelige basiszorg"):
        assert dutch not in html


def test_the_council_sees_an_objectives_pool_once_the_marks_protect_it(db, council_client):
    """A tester found the council's tiles for IV and V hidden in every quarter: one hidden
    voorziening hid its objective's pool. The marks now protect each pool like a total (a second
    voorziening of the objective is hidden beside a single hidden one), so the pool can show."""
    from indicators.suppression import PRIMARY, SECONDARY, marks

    waiting = {"dagbegeleiding": 3, "hulp_bij_huishouden": 20, "individuele_begeleiding": 40,
               "beschermd_verblijf": 30, "living_lab": 12}  # fmt: skip
    rows = [IndicatorValue(quarter=Q3, level="system", level_key="all", indicator="waiting_at_end",
                           value=Decimal(105))]  # fmt: skip
    rows += [IndicatorValue(quarter=Q3, level="service_type", level_key=code,
                            indicator="waiting_at_end", value=Decimal(n))
             for code, n in waiting.items()]  # fmt: skip
    found = marks(rows)
    assert found == {
        ("service_type", "dagbegeleiding", "waiting_at_end"): PRIMARY,
        ("service_type", "living_lab", "waiting_at_end"): SECONDARY,  # the city's complement
        ("service_type", "hulp_bij_huishouden", "waiting_at_end"): SECONDARY,  # IV's pool
        ("service_type", "beschermd_verblijf", "waiting_at_end"): SECONDARY,  # V's pool
    }
    for row in rows:
        row.suppression = found.get((row.level, row.level_key, row.indicator), "")
    IndicatorValue.objects.bulk_create(rows)
    # The period is offered once it has its city-wide figures.
    IndicatorValue.objects.create(quarter=Q3, level="system", level_key="all",
                                  indicator="clients_in_care", value=Decimal(1234))  # fmt: skip
    html = council_client.get(COUNCIL).content.decode()
    # 3 + 20 + 40 = 63 for IV and 30 + 12 = 42 for V: each leaves two hidden figures together.
    assert "63 " in text(figure(html, "IV", "waiting_at_end"))
    assert "42 " in text(figure(html, "V", "waiting_at_end"))


def test_the_pools_the_suppression_protects_are_the_pools_the_overview_shows():
    """suppression.POOLED_ON_OVERVIEW says which objective pools a page shows (protected as
    totals; the rest are read as unknown): the overview's own list for objectives IV and V."""
    from indicators.selectors.headlines import HEADLINES
    from indicators.suppression import POOLED_ON_OVERVIEW

    assert {code for objective in ("IV", "V") for code in HEADLINES[objective]} == (
        POOLED_ON_OVERVIEW
    )


def test_the_council_overview_hides_a_pool_while_the_citys_figure_is_hidden(db, council_client):
    """Objective IV's 29 waiting (dagbegeleiding `<5`, woonvoorziening `<5*`) would be the
    city's hidden 29: nobody waits in V. The overview shows `<5*` instead; staff see 29."""
    from indicators.suppression import PRIMARY, SECONDARY

    for level, key, n, mark in [("system", "all", 29, SECONDARY),
                                ("service_type", "dagbegeleiding", 3, PRIMARY),
                                ("service_type", "woonvoorziening", 26, SECONDARY)]:  # fmt: skip
        IndicatorValue.objects.create(quarter=Q3, level=level, level_key=key, value=Decimal(n),
                                      indicator="waiting_at_end", suppression=mark)  # fmt: skip
    IndicatorValue.objects.create(quarter=Q3, level="system", level_key="all",
                                  indicator="clients_in_care", value=Decimal(1234))  # fmt: skip
    shown = text(figure(council_client.get(COUNCIL).content.decode(), "IV", "waiting_at_end"))
    assert "<5 * (afgeschermd" in shown and "29" not in shown
