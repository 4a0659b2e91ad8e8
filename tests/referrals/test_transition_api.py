"""GET /api/v1/overgang: the continuity monitor's counts (TRANSITION.md) per leaving
contractor, wijk and service, the same as the page /dashboard/overgang/: exact for contract
managers, suppressed for council members and buurtteam workers (as the page shows them)."""

import datetime
import re

import pytest

from indicators.suppression import NOTE
from tests.access import Access, call, expand
from wmo.referrals import rules

from .test_transition import OLD, crafted  # noqa: F401 (fixture)

URL = "/api/v1/overgang"
Q = {"peildatum": "2027-02-01"}
MATRIX = [
    Access("GET", URL + "?peildatum=2027-02-01", {"anonymous": 401, "buurtteam_worker": 200,
                                                  "contract_manager": 200, "council_member": 200}),
    Access("POST", URL, {"anonymous": 401, "buurtteam_worker": 403, "contract_manager": 403,
                         "council_member": 403}),
]  # fmt: skip
COUNT_NAMES = ["overTeDragen", "gepland", "overgedragen", "zelfdeAanbieder", "onopgelost"]


@pytest.mark.parametrize(("row", "role", "status"), expand(MATRIX), ids=str)
def test_matrix(db, client_for, row, role, status):
    response = call(client_for(role), row)
    assert response.status_code == status
    if status != 200:
        assert response["Content-Type"] == "application/problem+json"


def test_contract_manager_gets_the_exact_counts(client_for, crafted):  # noqa: F811
    body = client_for("contract_manager").get(URL, Q).json()
    assert (body["overgangsdag"], body["peildatum"], body["afgeschermd"]) == (
        "2026-12-31", "2027-02-01", False)  # fmt: skip
    # test_transition's hand count: 9 to transfer (P1–P6, P9–P11), P4 planned, P1 P2 P3 P9
    # transferred (P1 and P9 to the same provider), P5 P10 P11 unresolved; one gap of 14 days.
    total = {"overTeDragen": 9, "gepland": 1, "overgedragen": 4, "zelfdeAanbieder": 2,
             "onopgelost": 3, "zorggatGemiddeldDagen": 14.0, "zorggatLangsteDagen": 14,
             "toelichting": None}  # fmt: skip
    assert body["perOpdrachtnemer"] == {"totaal": total, "groepen": [
        {"code": OLD, "naam": f"Aanbieder {OLD}", **total}]}  # fmt: skip
    wijken = {g["code"]: g for g in body["perWijk"]["groepen"]}
    assert sorted(wijken) == ["WK034401", "WK034403"]
    # P11 is the only one in WK034401: in care, no successor.
    assert {k: wijken["WK034401"][k] for k in COUNT_NAMES} == {
        "overTeDragen": 1,
        "gepland": 0,
        "overgedragen": 0,
        "zelfdeAanbieder": 0,
        "onopgelost": 1,
    }
    assert {k: wijken["WK034403"][k] for k in COUNT_NAMES} == {
        "overTeDragen": 8,
        "gepland": 1,
        "overgedragen": 4,
        "zelfdeAanbieder": 2,
        "onopgelost": 2,
    }
    assert [g["code"] for g in body["perVoorziening"]["groepen"]] == ["dagbegeleiding"]
    assert body["pilotsBeschermdThuis"] == 0


def test_as_of_earlier_moves_the_counts(client_for, crafted):  # noqa: F811
    # On 2026-12-15 no successor has started yet (S1 starts 20-12, S2/S3/S9 later, S4 has no
    # start): P1 P2 P3 P4 P9 are planned, none transferred. S10 is cancelled by then; P6's end
    # (31-12, with a reason) lies after the peildatum: P5, P6, P10, P11 are unresolved.
    body = client_for("contract_manager").get(URL, {"peildatum": "2026-12-15"}).json()
    totaal = body["perOpdrachtnemer"]["totaal"]
    assert (totaal["gepland"], totaal["overgedragen"], totaal["onopgelost"]) == (5, 0, 4)


def _page_cells(html: str, level: str) -> dict:
    """The page's table for a breakdown: row key → the shown cells (texts)."""
    table = html[html.index(f'id="overgang-{level}"') :]
    table = table[: table.index("</table>")]
    rows = {}
    for row in re.findall(r"<tr class=\"utrecht-table__row\">(.*?)</tr>", table, re.S):
        head = re.search(r"<th scope=\"row\"[^>]*>(.*?)</th>", row, re.S)
        if head:
            key = re.search(r"\(([^)]*)\)$", head.group(1).strip())
            cells = re.findall(r"<td class=\"utrecht-table__cell\">(.*?)</td>", row, re.S)
            rows[key.group(1) if key else "totaal"] = [_shown(c) for c in cells]
    return rows


def _shown(cell: str) -> str:
    """What a cell shows on screen: the empty marker's dash without its spoken label."""
    cell = re.sub(r'<span class="wmo-visually-hidden">.*?</span>', "", cell)
    return re.sub(r"<[^>]+>", "", cell).replace("&lt;", "<").strip()


@pytest.mark.parametrize("role", ["council_member", "buurtteam_worker"])
def test_council_and_buurtteam_get_what_the_council_page_shows(client_for, crafted, role):  # noqa: F811
    client = client_for(role)
    body = client.get(URL, Q).json()
    assert body["afgeschermd"] is True and body["pilotsBeschermdThuis"] is None
    wijk = body["perWijk"]
    # By hand (indicators.suppression_tallies.council_breakdown): WK034401's 1 to transfer is `<5`; the
    # total 9 is shown, so 9 − 1 would give it away: WK034403's 8 is hidden too (secondary).
    assert wijk["totaal"]["overTeDragen"] == 9
    groups = {g["code"]: g for g in wijk["groepen"]}
    assert groups["WK034401"]["overTeDragen"] == "<5"
    assert groups["WK034403"]["overTeDragen"] == "<5"
    assert groups["WK034403"]["toelichting"] == NOTE
    assert wijk["totaal"]["onopgelost"] == "<5"  # 3 unresolved
    assert all(g["zorggatGemiddeldDagen"] is None and g["zorggatLangsteDagen"] is None
               for g in wijk["groepen"])  # fmt: skip
    # The page's table (the same user) shows exactly these values (`*` marks the note).
    html = client.get("/dashboard/overgang/?overgang=2026-12-31&peildatum=2027-02-01")
    page = _page_cells(html.content.decode(), "wijk")
    for code, group in groups.items():
        shown = [str(group[name]) for name in COUNT_NAMES]
        assert [cell.rstrip("*") for cell in page[code]] == shown
        assert any(cell.endswith("*") for cell in page[code]) == bool(group["toelichting"])
    assert [c.rstrip("*") for c in page["totaal"]] == [str(wijk["totaal"][n]) for n in COUNT_NAMES]


def test_contract_manager_api_equals_the_page(client_for, crafted):  # noqa: F811
    client = client_for("contract_manager")
    body = client.get(URL, Q).json()
    html = client.get("/dashboard/overgang/?overgang=2026-12-31&peildatum=2027-02-01")
    page = _page_cells(html.content.decode(), "wijk")
    for group in body["perWijk"]["groepen"]:
        expected = [str(group[name]) for name in COUNT_NAMES]
        gaps = [group["zorggatGemiddeldDagen"], group["zorggatLangsteDagen"]]
        # The page writes numbers the Dutch way (14,0).
        expected += ["—" if gap is None else str(gap).replace(".", ",") for gap in gaps]
        assert page[group["code"]] == expected


def test_defaults_are_the_transition_day_and_today(client_for, crafted, monkeypatch):  # noqa: F811
    monkeypatch.setattr(rules, "today", lambda: datetime.date(2027, 2, 1))
    body = client_for("contract_manager").get(URL).json()
    assert (body["overgangsdag"], body["peildatum"]) == ("2026-12-31", "2027-02-01")
    assert body["perOpdrachtnemer"]["totaal"]["overgedragen"] == 4


@pytest.mark.parametrize(
    ("query", "name", "reason"),
    [({"peildatum": "2027-13-01"}, "peildatum", "Geef een datum als JJJJ-MM-DD"),
     ({"peildatum": "morgen"}, "peildatum", "Geef een datum als JJJJ-MM-DD"),
     ({"overgangsdag": "9999-12-31"}, "overgangsdag", "De datum ligt tussen 01-01-2000 en "
      "31-12-2100.")],
)  # fmt: skip
def test_a_bad_date_is_a_problem(contract_manager_client, db, query, name, reason):
    response = contract_manager_client.get(URL, query)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    params = response.json()["invalidParams"]
    assert [p["name"] for p in params] == [name] and reason in params[0]["reason"]
