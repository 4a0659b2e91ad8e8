"""The tender's candidates are consortia from providers/; its options point at contract options."""

import pytest

from procurement.demo import seed_tender_links
from procurement.models import Candidate, Tender
from tests.seeded import demo_providers


@pytest.mark.django_db
def test_awarded_consortium_and_options_are_linked(contract_manager_client):
    demo_providers()
    assert seed_tender_links() == 2
    assert seed_tender_links() == 0  # idempotent
    tender = Tender.objects.get(reference="30209886")
    candidate = Candidate.objects.get(tender=tender, name="Samenwerkingsverband Wijkzorg Utrecht")
    assert candidate.consortium.main_contractor is not None
    assert candidate.consortium_label == "Samenwerkingsverband Wijkzorg Utrecht"
    linked = {o.kind: o.contract_option.name for o in tender.options.exclude(contract_option=None)}
    assert linked == {
        "bt_pilots": "Pilots Beschermd Thuis met nieuwe instroom",
        "hbh_review_2031": "Heroverwegingsclausule hulp bij het huishouden",
    }
    page = contract_manager_client.get(f"/aanbesteding/{tender.reference}/").content.decode()
    assert "Samenwerkingsverband Wijkzorg Utrecht" in page
    body = contract_manager_client.get(f"/api/v1/aanbestedingen/{tender.reference}").json()
    options = {o["soort"]: o["contractoptie"] for o in body["contractopties"]}
    assert options["bt_pilots"] == tender.options.get(kind="bt_pilots").contract_option_id


@pytest.mark.django_db
def test_free_text_candidate_keeps_its_name():
    tender = Tender.objects.get(reference="30209886")
    candidate = Candidate.objects.create(
        tender=tender, name="Kandidaat B", consortium_name="Zorg Samen"
    )
    assert candidate.consortium_label == "Zorg Samen"


@pytest.mark.django_db
def test_the_2029_u16_decision_links_to_a_matching_contract_option():
    """The pilots (2027–2028) and the 2029 decision are both about Beschermd Thuis: each links to
    the contract option whose period it is, and the 2029 decision stays unlinked without one."""
    import datetime

    from procurement.services import link_award
    from providers.models import Consortium, Contract, ContractOption

    demo_providers()
    tender = Tender.objects.get(reference="30209886")
    consortium = Consortium.objects.get(name="Samenwerkingsverband Wijkzorg Utrecht")
    contract = Contract.objects.get(reference="AZ-2027-STAD")
    link_award(tender, consortium, contract)
    assert tender.options.get(kind="u16_decision_2029").contract_option is None
    pilots = tender.options.get(kind="bt_pilots").contract_option
    after_pilots = ContractOption.objects.create(
        contract=contract, name="Beschermd Thuis vanaf 2029 (besluit met de U16)",
        service_type=pilots.service_type, start_date=datetime.date(2029, 1, 1),
        decision_date=datetime.date(2028, 6, 30),
    )  # fmt: skip
    assert link_award(tender, consortium, contract) == 1
    assert tender.options.get(kind="u16_decision_2029").contract_option == after_pilots
    assert tender.options.get(kind="bt_pilots").contract_option == pilots


@pytest.mark.django_db
def test_an_exercised_option_is_gelicht_in_the_tender_and_in_the_contract(contract_manager_client):
    """One word for one decision: the tender's option and the contract's option it points at
    (before: "Gelicht" on the tender, "Gebruikt" on the contract)."""
    from providers.models import ContractOption

    demo_providers()
    seed_tender_links()
    tender = Tender.objects.get(reference="30209886")
    option = tender.options.get(kind="bt_pilots")
    option.status, option.decision_date = "exercised", option.period_start
    option.save()
    ContractOption.objects.filter(pk=option.contract_option_id).update(status="exercised")
    assert option.get_status_display() == option.contract_option.get_status_display() == "Gelicht"
    contract_id = option.contract_option.contract_id
    page = contract_manager_client.get(f"/contracten/{contract_id}/").content.decode()
    assert ">Gelicht</span>" in page and "Gebruikt" not in page and "gebruikt" not in page
    tender_page = contract_manager_client.get(f"/aanbesteding/{tender.reference}/").content
    assert ">Gelicht</td>" in tender_page.decode()
