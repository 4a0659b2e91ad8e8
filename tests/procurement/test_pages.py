"""What the rendered pages say: lateness on the timeline, the award and standstill rows, the today
line only within the axis, a total of 0,00, table rows that fit their header."""

import datetime
from pathlib import Path

import pytest
from django.utils import timezone

from procurement import selectors
from procurement.models import Candidate, EvaluationScore, Milestone, Tender
from wmo.empty import empty_marker

from .criteria import record_criteria

D = datetime.date
pytestmark = pytest.mark.django_db


def timeline_row(page, key):
    return page.split(f'id="tijdlijn-{key}"', 1)[1].split("</li>", 1)[0]


def table_row(page, title):
    table = page.split('id="tijdlijn-tabel"', 1)[1]
    return next(row for row in table.split("<tr") if f">{title}</a>" in row)


@pytest.fixture
def on(monkeypatch):
    """on(day): the pages render as if today were `day`."""

    def set_today(day):
        monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)

    return set_today


def test_a_late_step_says_so_on_the_timeline(council_client, on):
    on(D(2026, 12, 1))
    page = council_client.get("/aanbesteding/").content.decode()
    # Half May 2025, nothing recorded: 560 days past the planned end of 20 May 2025.
    row = timeline_row(page, "mijlpaal-draft_publication")
    assert "pt-row--late" in page.split('id="tijdlijn-mijlpaal-draft_publication"')[0][-80:]
    assert "Te laat (560 dagen na de geplande einddatum)" in row
    assert "Werkelijk: nog geen datum" in row
    assert "Te laat (560 dagen)" in table_row(
        page, "Concept-publicatie van de opdracht en marktconsultatie"
    )
    # Implementation runs until 31 December 2026: not late yet; the contract start is ahead.
    assert "Loopt</span>" in timeline_row(page, "mijlpaal-implementation")
    assert "Gepland</span>" in timeline_row(page, "mijlpaal-contract_start")
    # 6 steps and their 6 verzamelbrieven, and the 3 council letters, are past their plan.
    assert "15 onderdelen zijn te laat" in page


def test_a_step_recorded_on_time_is_not_late(council_client, on):
    on(D(2026, 12, 1))
    Milestone.objects.filter(code="draft_publication").update(actual_start=D(2025, 5, 15))
    row = timeline_row(council_client.get("/aanbesteding/").content.decode(),
                       "mijlpaal-draft_publication")  # fmt: skip
    assert "Afgerond</span>" in row and "Werkelijk: 15 mei 2025" in row
    assert "dagen na de geplande einddatum" not in row


def test_award_and_standstill_rows_of_the_timeline(council_client, on):
    on(D(2026, 3, 20))
    Milestone.objects.filter(code="provisional_award").update(actual_start=D(2026, 3, 5))
    page = council_client.get("/aanbesteding/").content.decode()
    group = page.split('id="groep-award"', 1)[1].split("</ol>", 1)[0]
    standstill = timeline_row(group, "opschortende-termijn")
    assert "Opschortende termijn (20 kalenderdagen)" in standstill
    assert "Periode: 6 maart 2026 t/m 25 maart 2026" in standstill
    assert "Loopt nog 6 dagen" in standstill
    signing = timeline_row(group, "vroegste-ondertekening")
    assert "Vroegst: 26 maart 2026" in signing
    assert "Ondertekend: nog niet" in signing and "Nog niet getekend" in signing
    assert "Loopt nog 6 dagen" in table_row(page, "Opschortende termijn (20 kalenderdagen)")

    on(D(2026, 4, 1))
    Milestone.objects.filter(code="definitive_award").update(actual_start=D(2026, 3, 30))
    page = council_client.get("/aanbesteding/").content.decode()
    assert "Verstreken" in timeline_row(page, "opschortende-termijn")
    signing = timeline_row(page, "vroegste-ondertekening")
    assert "Ondertekend: 30 maart 2026" in signing and "Ondertekend</span>" in signing


@pytest.mark.parametrize(
    ("today", "drawn"),
    [(D(2026, 12, 1), True), (D(2024, 12, 31), False), (D(2032, 1, 1), False)],
    ids=["in-range", "before-2025", "after-2031"],
)
def test_today_line_only_within_the_axis(council_client, on, today, drawn):
    on(today)
    page = council_client.get("/aanbesteding/").content.decode()
    assert ('class="pt-timeline pt-timeline--today"' in page) is drawn
    assert ('class="pt-today-label"' in page) is drawn
    css = (Path(__file__).parents[2] / "static/css/procurement.css").read_text()
    assert ".pt-timeline--today .pt-track::after" in css
    assert "\n.pt-track::after" not in css  # never drawn without the in-range class


def test_a_total_of_zero_shows_as_0_00(council_client):
    tender = Tender.objects.get(reference="30209886")
    criteria = record_criteria(tender)
    zero = Candidate.objects.create(tender=tender, name="Nul")
    for criterion in criteria:
        EvaluationScore.objects.create(candidate=zero, criterion=criterion, score=0)
    Candidate.objects.create(tender=tender, name="Onbeoordeeld")
    page = council_client.get("/aanbesteding/30209886/").content.decode()
    assert "<strong>0,00</strong>" in page
    assert f"<strong>{empty_marker()}</strong>" in page  # the candidate without scores


@pytest.mark.parametrize(("role", "columns"), [("contract_manager", 5), ("council_member", 4)])
def test_empty_milestone_table_row_spans_every_column(client_for, role, columns):
    Tender.objects.create(
        title="Zonder stappen", reference="T-LEEG", procedure="open", regime="full",
        instrument="public_contract",
    )  # fmt: skip
    page = client_for(role).get("/aanbesteding/T-LEEG/").content.decode()
    section = page.split('id="stappen"', 1)[1].split("</table>", 1)[0]
    assert section.count('<th scope="col"') == columns
    assert f'<td class="utrecht-table__cell" colspan="{columns}">Geen.</td>' in section


def test_timeline_selector_uses_the_prefetch(django_assert_max_num_queries):
    tender = selectors.timeline_tender()
    with django_assert_max_num_queries(0):
        selectors.timeline(tender, today=D(2026, 12, 1))
