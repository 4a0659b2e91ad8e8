"""The audit trail page in the browser: filter through the form, read the lines, stay
accessible (WCAG 2.1 AA by axe-core), also with a Dutch error next to a field."""

import pytest
from django.contrib.contenttypes.models import ContentType

from wmo.accounts.models import AuditEntry

pytestmark = pytest.mark.django_db(transaction=True)


def test_filter_read_and_accessible(page, login, assert_accessible):
    referral = ContentType.objects.get_by_natural_key("referrals", "referral")
    for user, ids in (("anna", ["V1", "V2"]), ("bert", ["V3"])):
        AuditEntry.objects.create(actor_username=user, action=AuditEntry.Action.ACCESS,
                                  content_type=referral, record_ids=ids, record_count=len(ids),
                                  object_repr=f"{len(ids)} verwijzingen", remote_addr="192.0.2.1")  # fmt: skip
    login("contract_manager")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Audittrail").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Audittrail"
    page.get_by_label("Gebruikersnaam").fill("anna")
    page.get_by_role("button", name="Filteren").click()
    page.wait_for_load_state()
    rows = page.locator("#audittrail tbody tr")
    assert rows.count() == 1 and "V1, V2" in rows.first.inner_text()
    assert_accessible()
    page.get_by_label("Vanaf").fill("31-02-2026")
    page.get_by_role("button", name="Filteren").click()
    page.wait_for_load_state()
    assert "Vul een geldige datum in als DD-MM-JJJJ." in page.locator("#id_vanaf-fout").inner_text()
    assert_accessible()
