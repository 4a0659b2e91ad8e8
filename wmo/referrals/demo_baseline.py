"""How many people the demo puts in care, per voorziening and year, and how long they wait.

2020–2022 are the published 0-measurement (domain/baseline_2020_2022.csv, copied here: the
demo does not read the indicators app). "Unique clients" there are the people with support in
that year, so the plan works in people in care: those who started that year plus those still in
care from the year before. Where the baseline also gives the mean number waiting per month, the
inflow follows from it (waiting ≈ inflow per day × mean wait); elsewhere a share of each year's
clients continues into the next (CONTINUING). Later years continue each series with its last
yearly change, halved every year and capped at 10 %. From 2027 ambulante begeleiding takes the
inflow of the three voorzieningen it replaces, with their waiting times; Beschermd Thuis keeps a
pilot share of its inflow (POLICY.md). Pure arithmetic on floats at the published size; the demo
scales and rounds it.
"""

from dataclasses import dataclass, field

FIRST_YEAR = 2020
BASELINE_YEARS = (2020, 2021, 2022)

UNIQUE_CLIENTS = {
    "individuele_begeleiding": (1943, 2121, 2144),
    "thuisbegeleiding": (374, 385, 396),
    "arbeidsmatige_activering": (717, 698, 654),
    "dagbegeleiding": (563, 632, 643),
    "hulp_bij_huishouden": (7028, 7037, 5888),
    "vervoersvoorziening": (13319, 12912, 12685),
    "woonvoorziening": (3193, 3322, 3458),
    "rolstoelvoorziening": (2491, 2375, 2362),
    "beschermd_thuis": (867, 946, 982),
    "beschermd_verblijf": (1151, 767, 691),
    "beschermd_wonen_bovenregionaal": (257, 162, 122),
    "living_lab": (91, 121, 162),
    "maatschappelijke_opvang": (2303, 2298, 2079),
}
# Mean days from referral to start of support, as published.
MEAN_WAIT = {
    "individuele_begeleiding": (28, 40, 51),
    "thuisbegeleiding": (50, 22, 66),
    "arbeidsmatige_activering": (7, 7, 16),
    "dagbegeleiding": (15, 11, 14),
    "beschermd_thuis": (75, 89, 130),
    "beschermd_verblijf": (125, 199, 179),
    "beschermd_wonen_bovenregionaal": (54, 87, 95),
    "living_lab": (16, 24, 30),
}
# Not published (the Wmo-loket's voorzieningen, hulp bij het huishouden, opvang): assumed.
ASSUMED_WAIT = {
    "hulp_bij_huishouden": (12, 14, 16),
    "vervoersvoorziening": (10, 10, 12),
    "woonvoorziening": (30, 35, 40),
    "rolstoelvoorziening": (20, 22, 25),
    "maatschappelijke_opvang": (5, 6, 7),
}
WAITING_PER_MONTH = {
    "beschermd_thuis": (113, 134, 120),
    "beschermd_verblijf": (199, 182, 130),
    "beschermd_wonen_bovenregionaal": (15, 17, 4),
    "living_lab": (0, 2, 12),
}
# Share of a year's clients still in care the next year, where the baseline does not imply it:
# a wheelchair or a transport pass lasts years, a home adaptation is done within one.
CONTINUING = {
    "individuele_begeleiding": 0.5, "thuisbegeleiding": 0.45, "arbeidsmatige_activering": 0.55,
    "dagbegeleiding": 0.6, "hulp_bij_huishouden": 0.7, "vervoersvoorziening": 0.75,
    "woonvoorziening": 0.2, "rolstoelvoorziening": 0.65, "maatschappelijke_opvang": 0.3,
}  # fmt: skip

BUURTTEAM_NEW_CASES = (4705, 5457, 6325)
BUURTTEAM_OPEN_CASES = (10834, 11654, 12213)
BUURTTEAM_WAIT = (6.4, 7.6, 7.2)  # working days from registration to first contact

MERGED = "ambulante_begeleiding"
MERGED_FROM = ("individuele_begeleiding", "thuisbegeleiding", "beschermd_thuis")
MERGE_YEAR = 2027
PILOT_SHARE = {"beschermd_thuis": 0.15}  # the inflow that stays: pilots with new inflow
MIN_START_SHARE = 0.15  # however the numbers fall, some people start every year


def continued(values: tuple, year: int, cap: float = 0.10) -> float:
    """The series' value in `year`: published up to 2022, then the last yearly change, halved
    each year (capped at ±`cap`)."""
    if year <= BASELINE_YEARS[-1]:
        return float(values[max(0, year - FIRST_YEAR)])
    value, growth = float(values[-1]), values[-1] / values[-2] - 1 if values[-2] else 0.0
    growth = max(-cap, min(cap, growth))
    for _ in range(year - BASELINE_YEARS[-1]):
        growth /= 2
        value *= 1 + growth
    return value


def mean_wait(code: str, year: int) -> float:
    waits = MEAN_WAIT.get(code) or ASSUMED_WAIT[code]
    return continued(waits, year)


@dataclass
class ServicePlan:
    """Per year: people in care, of whom `starts` started that year and `continuing` were
    already in care the year before; `wait`: the mean wait of that year's starts."""

    code: str
    starts: dict[int, float] = field(default_factory=dict)
    continuing: dict[int, float] = field(default_factory=dict)
    wait: dict[int, float] = field(default_factory=dict)

    def in_care(self, year: int) -> float:
        return self.starts.get(year, 0.0) + self.continuing.get(year, 0.0)


def _unmerged(code: str, last_year: int) -> ServicePlan:
    """The plan as if nothing merged in 2027."""
    plan = ServicePlan(code)
    clients = UNIQUE_CLIENTS[code]
    shares = []
    for year in range(FIRST_YEAR, last_year + 1):
        in_care = continued(clients, year)
        wait = mean_wait(code, year)
        plan.wait[year] = wait
        before = plan.in_care(year - 1) if year > FIRST_YEAR else None
        if code in WAITING_PER_MONTH and year <= BASELINE_YEARS[-1]:
            # Little's law: waiting = inflow per day × mean wait.
            starts = WAITING_PER_MONTH[code][year - FIRST_YEAR] / wait * 365
            starts = max(MIN_START_SHARE * in_care, min(in_care, starts))
            continuing = in_care - starts
            if before is not None:
                continuing = min(continuing, before)
                shares.append(continuing / before)
        else:
            share = (sum(shares) / len(shares)) if shares else CONTINUING[code]
            continuing = share * (before if before is not None else in_care)
            starts = max(in_care - continuing, MIN_START_SHARE * in_care)
        plan.starts[year], plan.continuing[year] = starts, continuing
    return plan


def referral_plan(last_year: int) -> dict[str, ServicePlan]:
    """{voorziening code: plan} for 2020 … last_year at the published size."""
    plans = {code: _unmerged(code, last_year) for code in UNIQUE_CLIENTS}
    if last_year < MERGE_YEAR:
        return plans
    unmerged = {code: plans[code] for code in MERGED_FROM}

    def share(plan, year):  # of last year's clients, still in care this year
        before = plan.in_care(year - 1)
        return plan.continuing[year] / before if before else 0.0

    shares = {code: {y: share(p, y) for y in range(MERGE_YEAR, last_year + 1)}
              for code, p in unmerged.items()}  # fmt: skip
    merged = ServicePlan(MERGED)
    for code in MERGED_FROM:
        plans[code] = ServicePlan(code, dict(unmerged[code].starts),
                                  dict(unmerged[code].continuing), dict(unmerged[code].wait))  # fmt: skip
    for year in range(MERGE_YEAR, last_year + 1):
        moved = {code: unmerged[code].starts[year] * (1 - PILOT_SHARE.get(code, 0.0))
                 for code in MERGED_FROM}  # fmt: skip
        total = sum(moved.values())
        merged.starts[year] = total
        merged.wait[year] = sum(unmerged[c].wait[year] * s for c, s in moved.items()) / total
        mean_share = sum(shares[c][year] for c in MERGED_FROM) / len(MERGED_FROM)
        merged.continuing[year] = mean_share * merged.in_care(year - 1)
        for code in MERGED_FROM:
            plan = plans[code]
            plan.starts[year] = unmerged[code].starts[year] - moved[code]
            plan.continuing[year] = shares[code][year] * plan.in_care(year - 1)
    plans[MERGED] = merged
    return plans


@dataclass
class CasePlan:
    new: dict[int, float] = field(default_factory=dict)
    continuing: dict[int, float] = field(default_factory=dict)
    wait: dict[int, float] = field(default_factory=dict)


def case_plan(last_year: int) -> CasePlan:
    """Buurtteam cases: registered per year, still open from the year before, and the mean
    working days to first contact."""
    plan = CasePlan()
    shares = []
    for year in range(FIRST_YEAR, last_year + 1):
        plan.new[year] = continued(BUURTTEAM_NEW_CASES, year)
        plan.wait[year] = continued(BUURTTEAM_WAIT, year)
        if year <= BASELINE_YEARS[-1]:
            plan.continuing[year] = BUURTTEAM_OPEN_CASES[year - FIRST_YEAR] - plan.new[year]
            if year > FIRST_YEAR:
                before = plan.new[year - 1] + plan.continuing[year - 1]
                shares.append(plan.continuing[year] / before)
        else:
            before = plan.new[year - 1] + plan.continuing[year - 1]
            plan.continuing[year] = sum(shares) / len(shares) * before
    return plan
