"""What the dashboards and the quarterly report show: the sections, the figures in each, which
way is good for a figure with a norm or target, and the periods the trends span."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from wmo.periods import HalfYear, Period, Quarter, Year

# The yearly trends show the published baseline years, then the computed years from FIRST_YEAR;
# the quarterly (or half-yearly) trends show stored periods from FIRST_QUARTER on, never the
# baseline: a year's clients beside a quarter's would read as a collapse.
BASELINE_YEARS = (2020, 2021, 2022)
FIRST_QUARTER = Quarter(2023, 1)
FIRST_YEAR = Year(2023)
FIRST_OF_KIND: dict[type[Period], Period] = {
    Quarter: FIRST_QUARTER, HalfYear: HalfYear(2023, 1), Year: FIRST_YEAR}  # fmt: skip
# The city-wide contract (one contracting party, district teams) starts here.
SWITCH = Quarter(2027, 1)

LOWER, HIGHER = "lower", "higher"
# Which way is good, for the figures that have a norm or target.
DIRECTION = {
    "mean_wait_days": LOWER,
    "median_wait_days": LOWER,
    "bt_mean_wait_workdays": LOWER,
    "bt_referral_rate": LOWER,  # 80/20: at most a fifth of buurtteam cases is referred on
    "bt_group_share": HIGHER,  # 50/50 group vs individual at the buurtteam
    "group_share": HIGHER,  # 15/85 in aanvullende zorg: more group-based support is the aim
    "pct_within_norm": HIGHER,
}
# Each service has its own waiting norm, so the city and a wijk have none for the mean waiting
# time; the share started within each referral's own norm is what carries the norm there. Policy
# sets no share to reach, so the dashboard colours it against this signal value (said on the page).
SIGNAL_VALUES = {"pct_within_norm": Decimal(80)}

# The titles (and the ratios' below) are translated where they are shown.
TILE_GROUPS = [
    ("bereik", gettext_noop("Bereik"), ["clients_in_care", "new_referrals", "clients_per_1000", "bt_clients"]),
    ("beschikbaarheid", gettext_noop("Beschikbaarheid"),
     ["mean_wait_days", "median_wait_days", "pct_within_norm", "waiting_at_end",
      "mean_days_waiting_at_end", "mean_waiting_per_month", "bt_mean_wait_workdays"]),
    ("kwaliteit", gettext_noop("Kwaliteit"),
     ["exp_solution_pct", "exp_self_reliance_pct", "complaints", "complaints_per_100_clients",
      "bt_exp_solution_pct", "bt_exp_self_reliance_pct"]),
]  # fmt: skip
# Waiting times and waiting counts: on the staff dashboard they link to the live waiting list.
WAITING = ("mean_wait_days", "median_wait_days", "waiting_at_end", "mean_waiting_per_month",
           "mean_days_waiting_at_end")  # fmt: skip

# (indicator, baseline service (None: the selected service), baseline indicator)
TREND_SERIES = [
    ("clients_in_care", None, "unique_clients"),
    ("bt_clients", "buurtteam", "unique_clients"),
    ("mean_wait_days", None, "mean_wait"),
    ("pct_within_norm", None, None),
    ("bt_mean_wait_workdays", "buurtteam", "mean_wait"),
    ("waiting_at_end", None, None),
    ("mean_waiting_per_month", None, "mean_waiting_per_month"),
]
RATIOS = [
    (
        "bt_referral_rate",
        gettext_noop("Buurtteam: doorverwezen naar aanvullende zorg (doel 80/20)"),
    ),
    ("bt_group_share", gettext_noop("Buurtteam: groepsgericht of gecombineerd (doel 50/50)")),
    ("group_share", gettext_noop("Aanvullende zorg: groepsgericht gestart (doel 15/85)")),
]
DISTRICT_COLUMNS = [
    "clients_in_care", "clients_per_1000", "new_referrals", "mean_wait_days", "pct_within_norm",
    "waiting_at_end", "bt_mean_wait_workdays", "bt_referral_rate", "small_org_share",
    "exp_solution_pct",
]  # fmt: skip
SERVICE_COLUMNS = [
    "clients_in_care", "new_referrals", "started", "mean_wait_days", "pct_within_norm",
    "waiting_at_end", "mean_waiting_per_month", "group_share",
]  # fmt: skip
ORGANISATION_COLUMNS = [
    "clients_in_care", "started", "ended", "mean_wait_days", "pct_within_norm", "waiting_at_end",
    "group_share", "small_org_share", "exp_solution_pct", "complaints",
]  # fmt: skip
DIVERSITY = ("small_org_share", "providers_active", "referrals_in_care")
# The opening view: the policy objectives of the programme budget, each with its figures.
# III: the buurtteam's own indicators (levels system and district only), with the 5-working-day
# norm and the 80/20 and 50/50 targets. IV and V: per service of that objective.
OBJECTIVE_III = ["bt_clients", "bt_new_cases", "bt_mean_wait_workdays", "bt_pct_within_norm",
                 "bt_referral_rate", "bt_group_share", "bt_exp_solution_pct",
                 "bt_exp_self_reliance_pct"]  # fmt: skip
OBJECTIVE_SERVICE_COLUMNS = ["clients_in_care", "new_referrals", "started", "mean_wait_days",
                             "pct_within_norm", "waiting_at_end", "group_share"]  # fmt: skip
OBJECTIVES = {
    "III": _("III — laagdrempelige basiszorg (buurtteams)"),
    "IV": _("IV — passende aanvullende zorg"),
    "V": _("V — opvang en verblijf (U16)"),
}


def objective_titles() -> dict[str, str]:
    """OBJECTIVES in the current language, as text: what the selectors build is cached per
    language, so it holds the translation of the moment, not a lazy string."""
    return {objective: str(title) for objective, title in OBJECTIVES.items()}


SERIES_INDICATORS = sorted(
    {code for _, _, codes in TILE_GROUPS for code in codes}
    | {code for code, _, _ in TREND_SERIES}
    | {code for code, _ in RATIOS}
)

# The fourth corner (BUDGET.md): spend and cost per client in care of objectives IV and V, for
# the city and per voorziening and contracting party, against the budget of those objectives.
SPEND = ("spend_eur", "cost_per_client_eur")
SPEND_COLUMNS = ("spend_eur", "clients_in_care", "cost_per_client_eur")
SPEND_OBJECTIVES = ("IV", "V")

# The objectives open the page; the family sections after them are their drill-down.
STAFF_SECTIONS = ("objectives", "overview", "trends", "districts", "services", "providers",
                  "contractors", "ratios", "diversity", "budget", "spend")  # fmt: skip
COUNCIL_SECTIONS = ("objectives", "overview", "trends", "districts", "ratios", "diversity",
                    "budget", "spend")  # fmt: skip
