"""Pages and lists run a fixed number of queries, however many candidates or milestones exist."""

import pytest

from procurement.models import Candidate, EvaluationScore, Tender

from .criteria import record_criteria

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored_candidates():
    tender = Tender.objects.get(reference="30209886")
    criteria = record_criteria(tender)
    for index in range(6):
        candidate = Candidate.objects.create(tender=tender, name=f"Kandidaat {index}")
        for criterion in criteria:
            EvaluationScore.objects.create(candidate=candidate, criterion=criterion, score=index)


@pytest.mark.parametrize(
    "url",
    [
        "/aanbesteding/",
        "/aanbesteding/30209886/",
        "/aanbesteding/moties/",
        "/aanbesteding/planning.ics",
        "/api/v1/aanbestedingen",
        "/api/v1/mijlpalen",
        "/api/v1/moties",
    ],
)
def test_query_count_is_bounded(
    council_client, scored_candidates, django_assert_max_num_queries, url
):
    council_client.get(url)  # warm the session and role cache paths
    with django_assert_max_num_queries(20):
        assert council_client.get(url).status_code == 200
