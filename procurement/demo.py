"""Demo: the fictitious 2027 consortium of providers.demo as the tender's selected candidate,
with the tender's options linked to its contract's options."""

from providers.models import Consortium, Contract

from .models import Tender
from .services import link_award


def seed_tender_links() -> int:
    tender = Tender.objects.filter(reference="30209886").first()
    consortium = Consortium.objects.filter(name="Samenwerkingsverband Wijkzorg Utrecht").first()
    contract = Contract.objects.filter(consortium=consortium).order_by("-start_date").first()
    if not (tender and consortium and contract):
        return 0
    return link_award(tender, consortium, contract)
