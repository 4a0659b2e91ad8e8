"""The error summary after a failed form submit (templates/includes/form_errors.html): every
field error as a link to its field, focusable, and the page's only alert; the errors beside
the fields are tied to their inputs by aria-describedby (tests/e2e/test_error_summary.py: the
summary gets focus in a browser)."""

import re

import pytest

pytestmark = pytest.mark.django_db

SUMMARY = re.compile(r'<div class="[^"]*wmo-error-summary[^"]*"[^>]*>.*?</ul>', re.S)
LINK = re.compile(
    r'<li class="utrecht-unordered-list__item"><a class="utrecht-link" href="#([^"]+)">'
)


def summary_of(html):
    match = SUMMARY.search(html)
    assert match, "no error summary with a list"
    return match.group()


@pytest.mark.parametrize(
    ("role", "url", "fields"),
    [
        ("contract_manager", "/normen/eerste-contact-buurtteam/nieuw/",
         ["id_value", "id_valid_from", "id_source"]),
        ("buurtteam_worker", "/verwijzingen/registreren/",
         ["id_bsn", "id_service_type", "id_provider"]),
    ],
)  # fmt: skip
def test_failed_submit_lists_each_error_as_a_link_to_its_field(client_for, role, url, fields):
    response = client_for(role).post(url, data={})
    assert response.status_code == 200
    html = response.content.decode()
    summary = summary_of(html)
    assert 'tabindex="-1"' in summary.split(">", 1)[0] and "data-error-summary" in summary
    targets = LINK.findall(summary)
    form = response.context["form"]
    assert len(targets) == sum(len(field.errors) for field in form.visible_fields())
    for field in fields:
        assert field in targets
        assert f'id="{field}"' in html  # the link leads somewhere
        error_id = f"{field}-fout"
        assert re.search(rf'id="{field}"[^>]*aria-describedby="[^"]*{error_id}', html) or re.search(
            rf'aria-describedby="[^"]*{error_id}[^"]*"[^>]*id="{field}"', html
        )
    # One alert on the page: the summary, not each field's error besides.
    assert html.count('role="alert"') == 1
    assert "/static/js/error-summary.js" in html
    # The title says it first too, as on a refused referral action (tests/referrals/
    # test_refused_actions.py).
    assert "<title>Fout: " in html
