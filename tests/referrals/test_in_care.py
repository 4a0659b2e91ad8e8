"""The team's referrals in care (started, not ended): where a worker finds the referral to end
or to give a successor. A tester found a started referral left the waiting list and no page
listed it again, so ending it needed its number from memory."""

import datetime

import pytest

from tests.access import ROLES, Access, call
from wmo.accounts.models import AuditEntry

D = datetime.date
URL = "/verwijzingen/in-zorg/"
MATRIX = [
    Access("GET", URL, {"anonymous": 302, "buurtteam_worker": 200, "contract_manager": 200,
                        "council_member": 403}),
]  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", MATRIX, ids=str)
def test_in_care_matrix(client_for, db, row, role):
    assert call(client_for(role), row).status_code == row.expected[role]


def test_the_list_holds_the_teams_running_support_longest_first(client_for, make_referral):
    later = make_referral(start_date=D(2026, 5, 1))
    earlier = make_referral(start_date=D(2026, 3, 10))
    waiting = make_referral()
    ended = make_referral(start_date=D(2026, 3, 5), end_date=D(2026, 4, 1), end_reason="19")
    theirs = make_referral(team_code="BT01", start_date=D(2026, 3, 3))
    html = client_for("buurtteam_worker").get(URL).content.decode()
    shown = [
        r.external_id for r in (earlier, later, waiting, ended, theirs) if r.external_id in html
    ]
    assert shown == [earlier.external_id, later.external_id]
    assert html.index(earlier.external_id) < html.index(later.external_id)
    assert f'href="/verwijzingen/{earlier.external_id}/"' in html and "10-03-2026" in html
    line = AuditEntry.objects.filter(action=AuditEntry.Action.ACCESS, path=URL).get()
    assert set(line.record_ids) == {earlier.external_id, later.external_id}
    every = client_for("contract_manager").get(URL).content.decode()
    assert theirs.external_id in every
    assert URL in client_for("buurtteam_worker").get("/verwijzingen/").content.decode()
