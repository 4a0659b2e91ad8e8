"""The landscape page's figures on a small known fixture, 2026 vs 2027."""

import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from districts.models import District
from providers.services import annual_values, coverage_check, landscape, provider_sizes

from .factories import ContractFactory, DistrictTeamFactory, ProviderFactory, SubcontractFactory

pytestmark = pytest.mark.django_db
D2026, D2027 = datetime.date(2026, 6, 30), datetime.date(2027, 6, 30)
WEST, NOORDWEST, OOST = "WK034401", "WK034402", "WK034405"


@pytest.fixture
def fixture_landscape():
    a = ProviderFactory(name="A groot", kind="care_provider")
    b = ProviderFactory(name="B klein", kind="care_provider")
    r = ProviderFactory(name="R bewoners", kind="resident_org")
    w = ProviderFactory(name="W welzijn", kind="welfare")
    s = ProviderFactory(name="S klein", kind="care_provider")
    m = ProviderFactory(name="M hoofdaannemer", kind="care_provider")
    ContractFactory(contractor=a, wijken=[WEST, NOORDWEST], jaarwaarden={2026: 500000})
    ContractFactory(contractor=b, wijken=[WEST], jaarwaarden={2026: 50000})
    ContractFactory(contractor=r, wijken=[NOORDWEST], jaarwaarden={2026: 200000})
    d = ContractFactory(contractor=w, wijken=[WEST], jaarwaarden={2026: 120000})
    SubcontractFactory(contract=d, subcontractor=s, annual_value=Decimal(30000), wijken=[WEST])
    e = ContractFactory(contractor=m, city_wide=True, start_date=datetime.date(2027, 1, 1),
                        end_date=datetime.date(2030, 12, 31), jaarwaarden={2027: 10_000_000})  # fmt: skip
    SubcontractFactory(contract=e, subcontractor=r, annual_value=None,
                       share_percent=Decimal(10), wijken=[WEST])  # fmt: skip
    SubcontractFactory(contract=e, subcontractor=s, annual_value=Decimal(80000))
    SubcontractFactory(contract=e, subcontractor=b, annual_value=Decimal(10000),
                       end_date=datetime.date(2027, 3, 31), wijken=[OOST])  # fmt: skip
    DistrictTeamFactory(contract=e, district=District.objects.get(code=WEST), provider=m)
    DistrictTeamFactory(contract=e, district=District.objects.get(code=NOORDWEST), provider=m)
    return {"a": a, "b": b, "r": r, "w": w, "s": s, "m": m, "e": e}


def figures(day):
    return {
        (row.district.code if row.district else "totaal"): (
            row.organisations,
            row.small_or_resident,
            row.share,
        )
        for row in landscape(day)
    }


def test_landscape_2026(fixture_landscape):
    result = figures(D2026)
    assert result[WEST] == (4, 2, Decimal("50.0"))  # A, B, W, S — small: B, S
    assert result[NOORDWEST] == (2, 1, Decimal("50.0"))  # A, R — resident: R
    assert result[OOST] == (0, 0, None)
    assert result["totaal"] == (5, 3, Decimal("60.0"))


def test_landscape_2027(fixture_landscape):
    result = figures(D2027)
    assert result[WEST] == (3, 2, Decimal("66.7"))  # M, R (share), S (all wijken)
    assert result[NOORDWEST] == (2, 1, Decimal("50.0"))  # M, S
    assert result[OOST] == (2, 1, Decimal("50.0"))  # B's subcontract ended on 31-03-2027
    assert result["totaal"] == (3, 2, Decimal("66.7"))


def test_sizes_from_contract_and_subcontract_values(fixture_landscape):
    f = fixture_landscape
    values = annual_values(2027)
    assert values[f["r"].id] == Decimal("1000000")  # 10 % of 10 M
    assert values[f["s"].id] == Decimal("80000")
    sizes = provider_sizes(2026)
    assert sizes[f["w"].id] == "large" and sizes[f["b"].id] == "small"
    f["w"].size_override = "small"
    f["w"].save()
    assert provider_sizes(2026)[f["w"].id] == "small"  # the manual override wins


def test_coverage_check_lists_missing_and_double(fixture_landscape):
    f = fixture_landscape
    DistrictTeamFactory(contract=f["e"], district=District.objects.get(code=WEST),
                        provider=f["s"], name="Tweede team West")  # fmt: skip
    warnings = coverage_check(f["e"])
    missing = sorted(w.district.code for w in warnings if w.kind == "missing")
    double = [w for w in warnings if w.kind == "double"]
    assert missing == [f"WK0344{n:02d}" for n in range(3, 11)]
    assert len(double) == 1 and double[0].district.code == WEST
    assert double[0].message.startswith("Wijk West heeft 2 wijkteams")
    assert "Wijk Overvecht heeft geen wijkteam." in [w.message for w in warnings]


def test_landscape_page_and_csv(fixture_landscape, council_client):
    response = council_client.get("/landschap/?datum1=2026-06-30&datum2=2027-06-30")
    html = response.content.decode()
    assert response.status_code == 200
    assert "2 (50,0 %)" in html and "2 (66,7 %)" in html
    default = council_client.get("/landschap/").content.decode()
    assert "30-06-2026" in default and "30-06-2027" in default
    csv_response = council_client.get(
        "/landschap/landschap.csv?datum1=2026-06-30&datum2=2027-06-30"
    )
    assert csv_response["Content-Type"].startswith("text/csv")
    lines = csv_response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("peildatum;wijkcode;wijk;organisaties")
    assert "2026-06-30;WK034401;West;4;2;2;0;50,0" in lines
    assert "2027-06-30;GM0344;Heel Utrecht;3;2;1;1;66,7" in lines
    # The page offers the same table as a workbook, for the dates it shows.
    assert ('href="/landschap/landschap.xlsx?datum1=2026-06-30&amp;datum2=2027-06-30"'
            in html)  # fmt: skip
    xlsx = council_client.get("/landschap/landschap.xlsx?datum1=2026-06-30&datum2=2027-06-30")
    assert xlsx["Content-Disposition"] == (
        'attachment; filename="landschap_2026-06-30_2027-06-30.xlsx"'
    )
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.title == "Landschap per wijk"
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][:4] == ["peildatum", "wijkcode", "wijk", "organisaties"]
    assert [datetime.datetime(2026, 6, 30), "WK034401", "West", 4, 2, 2, 0, 50.0] in rows


def test_structure_page_shows_warnings_and_table(fixture_landscape, contract_manager_client):
    html = contract_manager_client.get(
        f"/contracten/{fixture_landscape['e'].pk}/structuur/"
    ).content.decode()
    assert "Wijk Overvecht heeft geen wijkteam." in html
    assert 'id="structuur-tabel"' in html
    assert "R bewoners" in html
