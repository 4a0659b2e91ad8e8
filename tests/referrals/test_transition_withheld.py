"""A breakdown of the continuity monitor withheld for the council (indicators.suppression
`_withheld`): on the page, in the download and in the API alike."""

import csv
import datetime
import io

import pytest

from indicators.api import transition as api_transition
from indicators.dashboards import transition as page_transition
from indicators.suppression import NOTE
from wmo.referrals.transition import Monitor, Tally

from .test_transition_api import _page_cells

PAGE = "/dashboard/overgang/?overgang=2026-12-31&peildatum=2027-02-01"
API = "/api/v1/overgang?peildatum=2027-02-01"


def _monitor(day, as_of):
    """8 to transfer: one leaving contractor; two wijken of 4 (and one of 0); eight
    voorzieningen of 1. Read together the wijken (2 to 8) and the voorzieningen (8 to 32)
    would pin the hidden total at 8 and every voorziening at 1."""
    return Monitor(
        day=day, as_of=as_of, total=Tally(to_transfer=8, planned=8), pilots=0,
        by_contractor=[Tally("12345678", "Aanbieder Oud", to_transfer=8, planned=8)],
        by_area=[Tally("WK034401", "West", to_transfer=4, planned=4),
                 Tally("WK034402", "Noordwest", to_transfer=4, planned=4),
                 Tally("WK034403", "Overvecht")],
        by_service=[Tally(f"dienst{i}", f"Dienst {i}", to_transfer=1, planned=1)
                    for i in range(8)],
    )  # fmt: skip


@pytest.fixture
def pinned(monkeypatch):
    monkeypatch.setattr(api_transition, "monitor", _monitor)
    monkeypatch.setattr(page_transition, "monitor", _monitor)


@pytest.mark.parametrize("role", ["council_member", "buurtteam_worker"])
def test_the_voorzieningen_are_withheld_everywhere(db, client_for, pinned, role):
    client = client_for(role)
    html = client.get(PAGE).content.decode()
    assert "staat voor dat aantal als —* (niet getoond)" in html
    services = _page_cells(html, "voorziening")
    # Over te dragen and gepland (both 8 of 1): withheld; the other counts are 0 everywhere.
    assert services == {
        **{f"dienst{i}": ["—*", "—*", "0", "0", "0"] for i in range(8)},
        "totaal": ["<5*", "<5*", "0", "0", "0"],
    }
    assert _page_cells(html, "wijk") == {
        "WK034401": ["<5", "<5", "0", "0", "0"],
        "WK034402": ["<5", "<5", "0", "0", "0"],
        "WK034403": ["0", "0", "0", "0", "0"],
        "totaal": ["<5*", "<5*", "0", "0", "0"],
    }
    assert _page_cells(html, "opdrachtnemer")["12345678"][:2] == ["<5*", "<5*"]

    body = client.get(API).json()
    groups = body["perVoorziening"]["groepen"]
    assert {(g["overTeDragen"], g["gepland"], g["toelichting"]) for g in groups} == {
        ("—", "—", NOTE)
    }
    assert [g["overTeDragen"] for g in body["perWijk"]["groepen"]] == ["<5", "<5", 0]

    response = client.get(PAGE + "&tabel=aantallen&formaat=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    by_key = {(row[0], row[1]): row[3:] for row in rows[1:-1]}
    services = [by_key["voorziening", f"dienst{i}"] for i in range(8)]
    assert services == [["—*", "—*", "0", "0", "0"]] * 8
    assert by_key["totaal", ""] == ["<5*", "<5*", "0", "0", "0"]
    assert rows[-1] == ["* afgeschermd om herleiding te voorkomen"]


def test_contract_managers_see_every_count(db, client_for, pinned):
    body = client_for("contract_manager").get(API).json()
    assert [g["overTeDragen"] for g in body["perVoorziening"]["groepen"]] == [1] * 8
    assert body["perWijk"]["totaal"]["overTeDragen"] == 8
    assert datetime.date.fromisoformat(body["peildatum"]) == datetime.date(2027, 2, 1)
