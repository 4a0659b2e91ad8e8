"""Budget lines as data (BUDGET.md "Budget lines"): contract managers change cells and add
later years, on the page and through /api/v1/begrotingsregels, by the rules of
indicators.budget_lines; every change keeps who, when, old and new; a refusal writes nothing.
Amounts are those of the shipped budget_2024_2027.csv."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from indicators import budget_lines
from indicators.budget import budget_figures_by_year, unchanged_policy_deficits
from indicators.models import BudgetLine, BudgetLineChange
from tests.access import Access, call, expand
from tests.factories import make_user

PAGE = "/rapportage/begroting/regels/"
YEAR_PAGE = PAGE + "jaar/"
API = "/api/v1/begrotingsregels"
LOGIN = 302


def page(cm, bw=403, co=403):
    return {"anonymous": LOGIN, "buurtteam_worker": bw, "contract_manager": cm,
            "council_member": co}  # fmt: skip


def api(cm, co=403):
    return {"anonymous": 401, "buurtteam_worker": 403, "contract_manager": cm,
            "council_member": co}  # fmt: skip


MATRIX = [
    Access("GET", PAGE, page(200)),
    Access("GET", PAGE + "IV/budget/", page(200)),
    Access("POST", PAGE + "IV/budget/", page(302), data={}),
    Access("GET", YEAR_PAGE, page(405)),
    Access("POST", YEAR_PAGE, page(302), data={"jaar": "2028"}),
    Access("GET", API, api(200, co=200)),
    Access("GET", API + "/{cell}", api(200, co=200)),
    Access("PATCH", API + "/{cell}", api(200), data={"bedragKeur": 88000, "versie": 1}),
    Access("PUT", API + "/{cell}", api(200), data={"bedragKeur": 88000, "versie": 1}),
    Access("DELETE", API + "/{cell}", api(405)),
    Access(
        "POST",
        API,
        api(201),
        data={
            "beleidsdoel": "III",
            "regel": "savings_to_be_found",
            "jaar": 2026,
            "bedragKeur": -100,
        },
    ),  # fmt: skip
    Access("POST", API + "/jaren", api(201), data={"jaar": 2028}),
]


def cell(objective, line, year):
    return BudgetLine.objects.get(objective=objective, line=line, year=year)


def snapshot():
    return (sorted(BudgetLine.objects.values_list("objective", "line", "year", "amount_keur",
                                                  "version"), key=str),
            BudgetLineChange.objects.count())  # fmt: skip


@pytest.mark.parametrize(("row", "role", "status"), expand(MATRIX), ids=str)
def test_matrix(db, client_for, row, role, status):
    row = row.format(cell=cell("IV", "budget", 2026).pk)
    if row.method == "POST" and row.url == PAGE + "IV/budget/":
        # The form as the page renders it, with one amount changed.
        data = {f"jaar_{y}": str(cell("IV", "budget", y).amount_keur)
                for y in (2024, 2025, 2026, 2027)}  # fmt: skip
        data.update(
            {f"versie_jaar_{y}": "1" for y in (2024, 2025, 2026, 2027)},
            structureel="89758",
            versie_structureel="1",
            jaar_2026="88000",
        )
        response = client_for(role).post(row.url, data)
    elif row.method == "POST" and row.url.startswith("/rapportage"):
        response = client_for(role).post(row.url, row.data)  # a form, not JSON
    else:
        response = call(client_for(role), row)
    assert response.status_code == status
    if role == "anonymous" and row.url.startswith("/rapportage"):
        assert "/account/inloggen/" in response["Location"]
    writes = row.method in ("POST", "PATCH", "PUT")
    if role == "contract_manager" and writes:
        # One cell changed; a new year copies each of the 15 structural values.
        new_year = row.url.endswith(("/jaar/", "/jaren"))
        assert BudgetLineChange.objects.count() == (15 if new_year else 1)
    elif writes:
        assert BudgetLineChange.objects.count() == 0


# --- the rules (indicators/budget_lines.py) ------------------------------------------------------


def test_a_change_keeps_who_when_old_and_new(db):
    user = make_user("contract_manager", username="j.jansen")
    before = cell("IV", "budget", 2026)
    assert (before.amount_keur, before.version) == (Decimal("88562"), 1)
    changes = budget_lines.change_line("IV", "budget", {2026: "90000", 2027: "89758"},
                                       {2026: 1, 2027: 1}, user)  # fmt: skip
    # 2027 is unchanged (89,758 as stored): only 2026 is written.
    assert len(changes) == 1
    change = BudgetLineChange.objects.get()
    assert (change.objective, change.line, change.year) == ("IV", "budget", 2026)
    assert (change.previous_amount, change.new_amount) == (Decimal("88562"), Decimal("90000"))
    assert (change.changed_by, change.changed_by_name) == (user, "j.jansen")
    assert change.kind == BudgetLineChange.Kind.CHANGED and change.changed_at is not None
    after = cell("IV", "budget", 2026)
    assert (after.amount_keur, after.version) == (Decimal("90000"), 2)
    assert cell("IV", "budget", 2027).version == 1
    # The budget figures and the reference line follow: 2026 deficit was 7,700 (test_budget_api);
    # IV's budget up by 1,438 → 7,700 − 1,438 = 6,262.
    assert next(f for f in budget_figures_by_year([2026])[2026]
                if f.objective == "IV").budget_keur == Decimal("90000.0")  # fmt: skip
    assert unchanged_policy_deficits([2026])[0].deficit_keur == Decimal("6262.0")


def test_history_is_append_only(db):
    user = make_user("contract_manager")
    change = budget_lines.change_cell("V", "budget", None, 117000, 1, user)
    change.new_amount = Decimal("1")
    with pytest.raises(ValueError):
        change.save()
    with pytest.raises(ValueError):
        change.delete()


def test_the_shipped_deficit_rises_to_8500(db):
    # Σ III–V (forecast_unchanged_policy − budget) from the CSV, by hand:
    # 2024: (33731−33181) + (86556−85500) + (128274−127594) = 550 + 1056 + 680 = 2286
    # 2025: 550 + (95228−91858 = 3370) + 680 = 4600; 2026: 550 + 6470 + 680 = 7700;
    # 2027: 550 + (97028−89758 = 7270) + 680 = 8500.
    rows = unchanged_policy_deficits([2024, 2025, 2026, 2027])
    assert [(r.year, r.deficit_keur) for r in rows] == [
        (2024, Decimal("2286.0")), (2025, Decimal("4600.0")), (2026, Decimal("7700.0")),
        (2027, Decimal("8500.0"))]  # fmt: skip
    assert (rows[3].budget_keur, rows[3].unchanged_keur) == (
        Decimal("240809.0"),
        Decimal("249309.0"),
    )


def test_a_new_year_starts_from_structural(db):
    user = make_user("contract_manager")
    changes = budget_lines.add_year(2028, user)
    structural = BudgetLine.objects.filter(year__isnull=True).count()
    assert len(changes) == structural == 15  # every line of the CSV has a structural value
    # Structural differs from 2027 for III (33,350 vs 33,337) and V (116,839 vs 117,714).
    assert cell("III", "budget", 2028).amount_keur == Decimal("33350")
    assert cell("V", "budget", 2028).amount_keur == Decimal("116839")
    assert cell("IV", "savings_to_be_found", 2028).amount_keur == Decimal("-6214")
    assert cell("total", "budget_needed", 2028).amount_keur == Decimal("267101")
    change = BudgetLineChange.objects.get(objective="V", line="budget", year=2028)
    assert (change.previous_amount, change.new_amount, change.kind) == (
        None, Decimal("116839"), BudgetLineChange.Kind.NEW_YEAR)  # fmt: skip
    # 2028's deficit: (33900−33350) + (97028−89758) + (117519−116839) = 550 + 7270 + 680.
    assert unchanged_policy_deficits([2028])[0].deficit_keur == Decimal("8500.0")
    assert budget_lines.next_year() == 2029


@pytest.mark.parametrize(
    ("objective", "line", "amounts", "versions", "field", "message"),
    [("IV", "budget", {2026: "veel"}, {2026: 1}, "amount", "Vul een geheel bedrag in k€ in"),
     ("IV", "budget", {2026: "88562,5"}, {2026: 1}, "amount", "zonder decimalen"),
     ("IV", "budget", {2026: "88.562"}, {2026: 1}, "amount", "zonder decimalen, punten"),
     ("IV", "budget", {2026: "-5"}, {2026: 1}, "amount",
      "Dit bedrag is 0 of positief; alleen besparingen zijn negatief."),
     ("IV", "savings_realised", {2026: "100"}, {2026: 1}, "amount",
      "Een besparing is 0 of negatief"),
     ("IV", "budget", {2026: "1" * 13}, {2026: 1}, "amount", "ten hoogste 12 cijfers"),
     ("IV", "budget", {2026: ""}, {2026: 1}, "amount", "Een bestaand bedrag kan niet leeg"),
     ("VI", "budget", {2026: "1"}, {2026: 0}, "objective", "Onbekend beleidsdoel 'VI'"),
     ("I", "forecast_unchanged_policy", {2026: "1"}, {2026: 0}, "line",
      "Beleidsdoel I heeft geen regel 'forecast_unchanged_policy'"),
     ("IV", "budget", {2023: "1"}, {2023: 0}, "year", "Het jaar ligt tussen 2024 en 2040"),
     ("IV", "budget", {2041: "1"}, {2041: 0}, "year", "Het jaar ligt tussen 2024 en 2040"),
     ("IV", "budget", {2030: "1"}, {2030: 0}, "year",
      "Het jaar 2030 staat nog niet in de begroting; voeg het eerst toe."),
     # One bad cell refuses the whole line: 2025's valid change is not written either.
     ("IV", "budget", {2025: "90000", 2026: "x"}, {2025: 1, 2026: 1}, "amount", "geheel bedrag")],
)  # fmt: skip
def test_invalid_input_is_refused_in_dutch_and_writes_nothing(db, objective, line, amounts,
                                                              versions, field, message):  # fmt: skip
    before = snapshot()
    with pytest.raises(budget_lines.BudgetLineError) as refused:
        budget_lines.change_line(objective, line, amounts, versions, make_user("contract_manager"))
    assert not refused.value.conflict
    assert [p.field for p in refused.value.problems] == [field]
    assert message in refused.value.problems[0].reason
    assert snapshot() == before


@pytest.mark.parametrize(
    ("year", "message"),
    [(2023, "Het jaar ligt tussen 2024 en 2040."), (2041, "Het jaar ligt tussen 2024 en 2040."),
     (2027, "2027 staat al in de begroting"),
     (2029, "Voeg de jaren op volgorde toe: het volgende jaar is 2028."),
     ("2028", "Het jaar is een getal van vier cijfers")],
)  # fmt: skip
def test_a_bad_new_year_is_refused(db, year, message):
    before = snapshot()
    with pytest.raises(budget_lines.BudgetLineError) as refused:
        budget_lines.add_year(year, make_user("contract_manager"))
    assert message in str(refused.value)
    assert snapshot() == before


def test_no_lost_update(db):
    """Two editors read version 1; the second save is refused and writes nothing."""
    first, second = make_user("contract_manager"), make_user("contract_manager")
    budget_lines.change_cell("IV", "budget", 2026, "90000", 1, first)
    before = snapshot()
    with pytest.raises(budget_lines.BudgetLineError) as refused:
        budget_lines.change_cell("IV", "budget", 2026, "91000", 1, second)
    assert refused.value.conflict
    assert "is gewijzigd sinds u het las (nu 90000 k€)" in str(refused.value)
    assert snapshot() == before
    # Filling in a cell another editor filled in meanwhile is refused the same way.
    budget_lines.change_cell("III", "savings_to_be_found", 2026, "-100", 0, first)
    with pytest.raises(budget_lines.BudgetLineError) as refused:
        budget_lines.change_cell("III", "savings_to_be_found", 2026, "-200", 0, second)
    assert refused.value.conflict
    assert cell("III", "savings_to_be_found", 2026).amount_keur == Decimal("-100")


# --- the page ------------------------------------------------------------------------------------


def form_data(objective, line, **changed):
    data = {}
    for stored in BudgetLine.objects.filter(objective=objective, line=line):
        name = "structureel" if stored.year is None else f"jaar_{stored.year}"
        data[name] = str(stored.amount_keur)
        data[f"versie_{name}"] = str(stored.version)
    data.update(changed)
    return data


def test_page_edits_a_line_and_shows_the_history(db, client_for):
    user = make_user("contract_manager", username="a.accounthouder")
    client = client_for("anonymous")
    client.force_login(user)
    html = client.get(PAGE).content.decode()
    assert 'id="begrotingsregels"' in html and "Nog geen wijzigingen" in html
    assert "Prognose bij ongewijzigd beleid" in html and ">97028<" in html
    response = client.post(
        PAGE + "IV/forecast_unchanged_policy/",
        form_data("IV", "forecast_unchanged_policy", jaar_2027="98000"),
    )
    assert response.status_code == 302
    assert cell("IV", "forecast_unchanged_policy", 2027).amount_keur == Decimal("98000")
    html = client.get(PAGE).content.decode()
    history = html[html.index('id="begroting-historie"') :]
    assert "a.accounthouder" in history and ">97028<" in history and ">98000<" in history
    # The line by its name, as in the table above, with its code beside it.
    assert "IV — Prognose bij ongewijzigd beleid <span" in history
    assert ">IV<" not in history and ">forecast_unchanged_policy<" not in history
    # The budget page's reference line follows: 2027 deficit 8,500 + 972 = 9,472.
    budget_page = client.get("/rapportage/begroting/").content.decode()
    row = budget_page[budget_page.index('id="tekort"') :]
    row = row[row.index('data-jaar="2027"') :]
    assert "9.472,0" in row[:600]


def test_page_refuses_invalid_input_in_dutch_and_writes_nothing(db, contract_manager_client):
    before = snapshot()
    response = contract_manager_client.post(
        PAGE + "IV/budget/", form_data("IV", "budget", jaar_2025="92000", jaar_2026="twaalf")
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "er is niets opgeslagen" in html
    assert "2026 (k€): Vul een geheel bedrag in k€ in" in html
    assert snapshot() == before


def test_page_refuses_a_stale_form_and_keeps_the_input(db, client_for):
    client = client_for("contract_manager")
    stale = form_data("IV", "budget", jaar_2026="95000")
    budget_lines.change_cell("IV", "budget", 2026, "90000", 1, make_user("contract_manager"))
    before = snapshot()
    response = client.post(PAGE + "IV/budget/", stale)
    assert response.status_code == 409
    html = response.content.decode()
    assert "2026 is gewijzigd sinds u het las (nu 90000 k€)" in html
    assert 'value="95000"' in html and 'name="versie_jaar_2026" value="2"' in html
    assert snapshot() == before
    # Saving again (now on version 2) applies the input.
    again = {**stale, "versie_jaar_2026": "2"}
    assert client.post(PAGE + "IV/budget/", again).status_code == 302
    assert cell("IV", "budget", 2026).amount_keur == Decimal("95000")


def test_unknown_line_is_404(db, contract_manager_client):
    assert contract_manager_client.get(PAGE + "VI/budget/").status_code == 404
    assert contract_manager_client.get(PAGE + "I/savings_realised/").status_code == 404


def test_page_adds_2028_and_the_budget_shows_it(db, contract_manager_client):
    response = contract_manager_client.post(YEAR_PAGE, {"jaar": "2028"})
    assert response.status_code == 302
    html = contract_manager_client.get("/rapportage/begroting/?jaar=2028").content.decode()
    assert 'data-doel="V" data-jaar="2028"' in html
    v2028 = html[html.index('data-doel="V" data-jaar="2028"') :]
    assert "116.839,0" in v2028[:800]
    deficit = html[html.index('id="tekort"') :]
    assert 'data-jaar="2028"' in deficit and "8.500,0" in deficit
    assert '<option value="2028" selected>' in html
    refused = contract_manager_client.post(YEAR_PAGE, {"jaar": "2030"})
    assert refused.status_code == 400
    assert "Voeg de jaren op volgorde toe: het volgende jaar is 2029." in refused.content.decode()


def test_export_budget_2028(db):
    budget_lines.add_year(2028, make_user("contract_manager"))
    out = io.StringIO()
    call_command("export_budget", "--year", "2028", stdout=out)
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[0] == ["year", "objective", "budget_keur", "realised_keur", "quarters_realised",
                       "forecast_keur", "deviation_keur"]  # fmt: skip
    assert rows[1:] == [["2028", "III", "33350.0", "0.0", "0", "", ""],
                        ["2028", "IV", "89758.0", "0.0", "0", "", ""],
                        ["2028", "V", "116839.0", "0.0", "0", "", ""]]  # fmt: skip


# --- the API -------------------------------------------------------------------------------------


def test_api_changes_a_cell_with_history(db, client_for):
    user = make_user("contract_manager", username="api.gebruiker")
    client = client_for("anonymous")
    client.force_login(user)
    target = cell("V", "savings_realised", 2027)
    response = client.patch(
        f"{API}/{target.pk}", {"bedragKeur": -900, "versie": 1}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json() == {"id": target.pk, "beleidsdoel": "V", "regel": "savings_realised",
                               "jaar": 2027, "bedragKeur": -900, "versie": 2}  # fmt: skip
    change = BudgetLineChange.objects.get()
    assert (change.previous_amount, change.new_amount, change.changed_by_name) == (
        Decimal("-680"), Decimal("-900"), "api.gebruiker")  # fmt: skip
    # The same PATCH again is based on version 1: a conflict, nothing written.
    stale = client.patch(
        f"{API}/{target.pk}", {"bedragKeur": -950, "versie": 1}, content_type="application/json"
    )
    assert stale.status_code == 409
    assert stale["Content-Type"] == "application/problem+json"
    assert "is gewijzigd sinds u het las" in stale.json()["detail"]
    assert cell("V", "savings_realised", 2027).amount_keur == Decimal("-900")


@pytest.mark.parametrize(
    ("method", "body", "name", "reason"),
    [("PATCH", {"bedragKeur": "veel", "versie": 1}, "bedragKeur", "Vul een geheel bedrag"),
     ("PATCH", {"bedragKeur": 12.5, "versie": 1}, "bedragKeur", "Vul een geheel bedrag"),
     ("PATCH", {"bedragKeur": -1, "versie": 1}, "bedragKeur", "alleen besparingen zijn negatief"),
     ("PATCH", {"bedragKeur": 10**13, "versie": 1}, "bedragKeur", "ten hoogste 12 cijfers"),
     ("PATCH", {"bedragKeur": 1}, "versie", "Geef de versie die u las"),
     ("POST", {"beleidsdoel": "VI", "regel": "budget", "jaar": 2026, "bedragKeur": 1},
      "beleidsdoel", "Onbekend beleidsdoel 'VI'"),
     ("POST", {"beleidsdoel": "IV", "regel": "budget", "jaar": 2023, "bedragKeur": 1},
      "jaar", "Het jaar ligt tussen 2024 en 2040."),
     ("POST", {"beleidsdoel": "IV", "regel": "budget", "jaar": 2035, "bedragKeur": 1},
      "jaar", "Het jaar 2035 staat nog niet in de begroting"),
     ("POST /jaren", {"jaar": 2041}, "jaar", "Het jaar ligt tussen 2024 en 2040."),
     ("POST /jaren", {"jaar": "twee"}, "jaar", "Het jaar is een getal van vier cijfers"),
     ("POST /jaren", {"jaar": 2026}, "jaar", "2026 staat al in de begroting")],
)  # fmt: skip
def test_api_refusals_are_problems_in_dutch(db, contract_manager_client, method, body, name,
                                            reason):  # fmt: skip
    before = snapshot()
    if method == "PATCH":
        response = contract_manager_client.patch(f"{API}/{cell('IV', 'budget', 2026).pk}", body,
                                                 content_type="application/json")  # fmt: skip
    else:
        url = API + ("/jaren" if method == "POST /jaren" else "")
        response = contract_manager_client.post(url, body, content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    params = response.json()["invalidParams"]
    assert [p["name"] for p in params] == [name]
    assert reason in params[0]["reason"]
    assert snapshot() == before


def test_api_adds_2028_and_the_begroting_shows_it(db, contract_manager_client, council_client):
    response = contract_manager_client.post(API + "/jaren", {"jaar": 2028},
                                            content_type="application/json")  # fmt: skip
    assert response.status_code == 201
    cells = {(c["beleidsdoel"], c["regel"]): c["bedragKeur"] for c in response.json()}
    assert len(cells) == 15 and cells[("III", "budget")] == 33350
    body = council_client.get("/api/v1/begroting", {"jaar": "2028"}).json()
    assert body["tekortOngewijzigdBeleidKeur"] == 8500.0
    assert [r["begrotingKeur"] for r in body["beleidsdoelen"]] == [33350.0, 89758.0, 116839.0]
    listed = council_client.get(API).json()
    assert sum(1 for c in listed if c["jaar"] == 2028) == 15


def test_export_budget_says_when_a_year_has_no_budget_and_refuses_one_out_of_range(db):
    out, err = io.StringIO(), io.StringIO()
    call_command("export_budget", "--year", "2023", stdout=out, stderr=err)
    assert err.getvalue().strip() == (
        "Voor 2023 is geen begroting vastgelegd: budget_keur, forecast_keur en deviation_keur "
        "blijven leeg."
    )
    assert out.getvalue().splitlines()[1] == "2023,III,,0.0,0,,"
    with pytest.raises(CommandError, match="Het jaar ligt tussen 2000 en 2100."):
        call_command("export_budget", "--year", "1999", stdout=io.StringIO())


def test_a_filled_cell_is_not_called_optional_and_cannot_be_emptied(db, contract_manager_client):
    page = contract_manager_client.get(PAGE + "IV/budget/").content.decode()
    label = page[page.index('for="id_jaar_2026"') :]
    assert "2026 (k€)" in label[:200] and "niet verplicht" not in label[:200]
    before = snapshot()
    response = contract_manager_client.post(PAGE + "IV/budget/",
                                            form_data("IV", "budget", jaar_2026=""))  # fmt: skip
    assert response.status_code == 400
    assert "2026 (k€): Een bestaand bedrag kan niet leeg worden" in response.content.decode()
    assert snapshot() == before
