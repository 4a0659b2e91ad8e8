import datetime

import pytest

from districts.models import District
from providers.models import Provider, ProviderKind
from wmo.catalogue.models import ServiceType
from wmo.quality.models import Complaint, SurveyResponse

# The AGB codes the sample files in domain/samples name (survey.csv and complaints.csv).
SAMPLE_AGB = ["10116225", "13063077", "25083808", "51025507", "63003158", "70043578",
              "76126508", "83058805", "87137463", "88017394"]  # fmt: skip

SURVEY_CSV = """response_id,date,district,service_type,provider_agb,q_solution,q_self_reliance
S00000,2025-12-19,WK034406,dagbegeleiding,70043578,1,
S00001,2026-01-04,WK034403,beschermd_verblijf,83058805,5,1
S00002,2025-12-11,WK034401,individuele_begeleiding,76126508,5,1
S00003,2025-08-01,WK034408,dagbegeleiding,88017394,4,5
S00004,2025-03-02,WK034403,living_lab,88017394,4,1
S00005,2025-02-13,WK034410,vervoersvoorziening,63003158,5,
S00006,2026-10-25,WK034401,beschermd_thuis,87137463,5,2
S00007,2025-05-06,WK034405,living_lab,51025507,4,3
"""

SURVEY_NL_CSV = """\ufeffresponse_id;date;district;service_type;provider_agb;q_solution;q_self_reliance
S00000;19-12-2025;WK034406;dagbegeleiding;70043578;1;
S00001;04-01-2026;WK034403;beschermd_verblijf;83058805;5;1
S00002;11-12-2025;WK034401;individuele_begeleiding;76126508;5;1
S00003;01-08-2025;WK034408;dagbegeleiding;88017394;4;5
S00004;02-03-2025;WK034403;living_lab;88017394;4;1
S00005;13-02-2025;WK034410;vervoersvoorziening;63003158;5;
S00006;25-10-2026;WK034401;beschermd_thuis;87137463;5;2
S00007;06-05-2025;WK034405;living_lab;51025507;4;3
"""

COMPLAINTS_CSV = """complaint_id,provider_agb,service_type,district,received_date,resolved_date
K0000,10116225,vervoersvoorziening,WK034401,2025-12-10,2026-02-11
K0001,25083808,ambulante_begeleiding,WK034410,2026-01-06,2026-03-27
K0002,63003158,dagbegeleiding,WK034402,2025-01-01,2025-01-03
K0003,13063077,beschermd_thuis,WK034403,2025-08-13,2025-08-28
K0004,10116225,vervoersvoorziening,WK034406,2025-04-17,2025-06-13
"""

COMPLAINTS_NL_CSV = """\ufeffcomplaint_id;provider_agb;service_type;district;received_date;resolved_date
K0000;10116225;vervoersvoorziening;WK034401;10-12-2025;11-02-2026
K0001;25083808;ambulante_begeleiding;WK034410;06-01-2026;27-03-2026
K0002;63003158;dagbegeleiding;WK034402;01-01-2025;03-01-2025
K0003;13063077;beschermd_thuis;WK034403;13-08-2025;28-08-2025
K0004;10116225;vervoersvoorziening;WK034406;17-04-2025;13-06-2025
"""


@pytest.fixture
def sample_providers(db):
    return [
        Provider.objects.get_or_create(agb_code=agb, defaults={
            "name": f"Voorbeeldaanbieder {agb}", "kind": ProviderKind.CARE_PROVIDER})[0]
        for agb in SAMPLE_AGB
    ]  # fmt: skip


@pytest.fixture
def survey_response(sample_providers):
    return SurveyResponse.objects.create(
        external_id="S10000", date=datetime.date(2025, 5, 1),
        district=District.objects.get(code="WK034403"),
        service_type=ServiceType.objects.get(code="dagbegeleiding"),
        provider=sample_providers[0], q_solution=4, q_self_reliance=None,
    )  # fmt: skip


@pytest.fixture
def complaint(sample_providers):
    return Complaint.objects.create(
        external_id="K10000", received_date=datetime.date(2025, 5, 1),
        resolved_date=datetime.date(2025, 5, 20),
        district=District.objects.get(code="WK034403"),
        service_type=ServiceType.objects.get(code="dagbegeleiding"),
        provider=sample_providers[0],
    )  # fmt: skip
