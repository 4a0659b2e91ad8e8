"""A refused action on a referral's or case's page (a 400 from ReferralTransitionView /
CaseStepView). A tester found the error only far down the page beside the action's form, with
no summary, no focus move and the page's title unchanged, so a worker thought it was saved. Now
it comes back like a refused registration: the error summary above the facts (focused by
static/js/error-summary.js; tests/e2e/test_referral_form.py checks the focus), linking to the
action's field, and a title that starts with "Fout: "."""

import re

import pytest

from tests.wmo.test_error_summary import LINK, summary_of

from .test_case_steps import _case

pytestmark = pytest.mark.django_db


def title_of(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1)


def assert_refused_page(response, field_id: str, message: str):
    assert response.status_code == 400
    html = response.content.decode()
    summary = summary_of(html)
    assert 'tabindex="-1"' in summary.split(">", 1)[0] and "data-error-summary" in summary
    assert message in summary
    assert LINK.findall(summary) == [field_id]
    assert f'id="{field_id}"' in html  # the link leads to the action's own field
    # The summary is the page's one alert, at the top: before the facts and the actions.
    assert html.count('role="alert"') == 1
    assert html.index("data-error-summary") < html.index('class="ref-facts"')
    assert html.index("data-error-summary") < html.index(">Acties</h2>")
    return html


def test_a_refused_assignment_comes_back_with_the_summary_and_the_title(client_for,
                                                                        make_referral):  # fmt: skip
    referral = make_referral(team_code="BT05")
    client = client_for("buurtteam_worker", team_code="BT05")
    page = f"/verwijzingen/{referral.external_id}/"
    assert title_of(client.get(page).content.decode()).startswith(
        f"Verwijzing {referral.external_id} — "
    )
    response = client.post(f"{page}toewijzen/", {"date": "31-02-2026"})
    html = assert_refused_page(response, "id_assign_date",
                               "Toewijzen: er is niets opgeslagen. Verbeter de gemarkeerde velden.")  # fmt: skip
    assert title_of(html).startswith(f"Fout: Verwijzing {referral.external_id} — ")
    referral.refresh_from_db()
    assert referral.assignment_date is None


def test_a_refused_rule_names_the_date_field_in_the_summary(client_for, make_referral):
    # Valid as a date, refused by the service's rule: a start before the referral date.
    referral = make_referral(team_code="BT05")
    client = client_for("buurtteam_worker", team_code="BT05")
    response = client.post(f"/verwijzingen/{referral.external_id}/starten/", {"date": "01-03-2026"})
    html = assert_refused_page(response, "id_start_date", "Start ondersteuning vastleggen: ")
    assert title_of(html).startswith("Fout: ")
    referral.refresh_from_db()
    assert referral.start_date is None


def test_a_refused_case_step_comes_back_with_the_summary_and_the_title(client_for):
    case = _case()
    client = client_for("buurtteam_worker", team_code="BT05")
    page = f"/verwijzingen/casussen/{case.external_id}/"
    assert not title_of(client.get(page).content.decode()).startswith("Fout")
    response = client.post(f"{page}eerste-contact/", {"date": "30-10-2026"})
    html = assert_refused_page(response, "id_first_contact_date",
                               "Eerste contact vastleggen: er is niets opgeslagen.")  # fmt: skip
    assert "De datum van eerste contact ligt vóór de aanmelddatum." in summary_of(html)
    assert title_of(html).startswith(f"Fout: Buurtteamcasus {case.external_id} — ")
    case.refresh_from_db()
    assert case.first_contact_date is None


def test_in_english_the_title_says_error(client_for, make_referral):
    referral = make_referral(team_code="BT05")
    client = client_for("buurtteam_worker", team_code="BT05")
    client.cookies["django_language"] = "en"
    response = client.post(
        f"/verwijzingen/{referral.external_id}/toewijzen/", {"date": "31-02-2026"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert title_of(html).startswith(f"Error: Referral {referral.external_id} — ")
    assert "Assign: nothing has been saved. Correct the marked fields." in summary_of(html)
