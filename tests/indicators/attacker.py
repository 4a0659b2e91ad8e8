"""An attacker on the council's figures, written apart from indicators/suppression.py.

It reads only what a council member is shown (pages, downloads, the PDF, the API, the public
export), plus what is public anyway (wijk populations), and tries to work out a figure that was
hidden or to find a small group in a figure that was shown:

(a) value × denominator: a shown percentage, mean or rate whose denominator is known (shown
    beside it, or a count shown elsewhere: started referrals, people waiting, ...) gives its
    numerator; a numerator or complement of 1–4, or a denominator below 10, is a finding;
(b) a count of 1–4 shown;
(c) subtraction: the rows of a breakdown (wijken, voorzieningen, aanbieders, contractpartijen,
    wijk × voorziening both ways) add up to their total, for counts and for the numerators and
    denominators of percentages, means and rates; a hidden figure pinned down to one number is
    a finding (a `<5` is known to be 1–4, so two of them with a remainder of 2 are found too);
(d) a numerator or denominator shown for a hidden figure;
(e) the same figure hidden in one place and shown in another.

Every fact is an integer interval per quantity; the same quantity carried by several
indicators (the denominator of `group_share` is the count `started`) is one quantity, and the
relations are applied until nothing narrows any more. Rounding is honoured exactly (a value of
23,1 % over 13 means 100·k/13 lies in [23,05; 23,15)), so what it finds really follows.
"""

import json
import math
import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from html import unescape

from indicators.definitions import INDICATORS

INF = 10**12
SMALL, DASH = "<5", "—"
NOTE = "afgeschermd om herleiding te voorkomen"

# What each kind is, from INDICATORS.md (written out here, not read from the app's rules).
COUNTS = {code for code, d in INDICATORS.items() if d.kind == "count"}
PERCENTAGES = {code for code, d in INDICATORS.items() if d.kind == "percentage"}
# Money per client (BUDGET.md): spend (euros with cents, shown) over clients in care; read apart
# from the means of whole numbers below.
MONEY_MEANS = {"cost_per_client_eur"}
MONEY = {code for code, d in INDICATORS.items() if d.kind == "amount"}
MEANS = ({code for code, d in INDICATORS.items() if d.kind == "mean"}
         - {"mean_waiting_per_month"} - MONEY_MEANS)  # fmt: skip
MEDIANS = {code for code, d in INDICATORS.items() if d.kind == "median"}
# value = scale × numerator / denominator, one decimal.
SCALE = {**dict.fromkeys(PERCENTAGES, 100), **dict.fromkeys(MEANS, 1),
         "clients_per_1000": 1000, "complaints_per_100_clients": 100,
         # The mean of the three month-end waiting counts: numerator / 3.
         "mean_waiting_per_month": 1}  # fmt: skip
# One quantity, several carriers (INDICATORS.md): (indicator, part) -> quantity.
SAME = {
    ("mean_wait_days", "denominator"): "started",
    ("median_wait_days", "denominator"): "started",
    ("group_share", "denominator"): "started",
    ("mean_days_waiting_at_end", "denominator"): "waiting_at_end",
    ("clients_per_1000", "numerator"): "clients_in_care",
    ("clients_per_1000", "denominator"): "population",
    ("complaints_per_100_clients", "numerator"): "complaints",
    ("complaints_per_100_clients", "denominator"): "clients_in_care",
    ("small_org_share", "denominator"): "referrals_in_care",
    ("exp_solution_pct", "denominator"): "exp_solution_n",
    ("exp_self_reliance_pct", "denominator"): "exp_self_reliance_n",
    ("bt_group_share", "denominator"): "bt_new_cases",
    ("cost_per_client_eur", "denominator"): "clients_in_care",
}
# (rows level, total level, the total's key for a row key)
BREAKDOWNS = [
    ("district", "system", lambda key: "all"),
    ("service_type", "system", lambda key: "all"),
    ("provider", "system", lambda key: "all"),
    ("contractor", "system", lambda key: "all"),
    ("district_service", "district", lambda key: key.split(":")[0]),
    ("district_service", "service_type", lambda key: key.split(":")[1]),
]
RATIO_TITLES = {
    "Buurtteam: doorverwezen naar aanvullende zorg (doel 80/20)": "bt_referral_rate",
    "Buurtteam: groepsgericht of gecombineerd (doel 50/50)": "bt_group_share",
    "Aanvullende zorg: groepsgericht gestart (doel 15/85)": "group_share",
}


PARTS = ("numerator", "denominator")
PERIOD = re.compile(r"\d{4}([QH]\d)?")


def month_ends(period: str) -> int:
    """The month-ends of a period (INDICATORS.md): 3 in a quarter, 6 in a half-year, 12 in a
    year."""
    return 3 if "Q" in period else 6 if "H" in period else 12


BASELINE_YEARS = ("2020", "2021", "2022")


def quantity(indicator: str, part: str) -> str:
    if part == "value" and indicator in COUNTS:
        return indicator
    return SAME.get((indicator, part), f"{indicator}.{part}")


@dataclass(frozen=True)
class Seen:
    """One figure as a council member saw it somewhere."""

    source: str
    period: str
    level: str
    key: str
    indicator: str
    value: object  # Decimal, SMALL, DASH, or None (empty: no value)
    numerator: int | str | None = None  # a number, or `<5`
    denominator: int | str | None = None
    noted: bool = False

    @property
    def hidden(self) -> bool:
        return isinstance(self.value, str)


# --- reading what was shown ---------------------------------------------------------------------


def dutch_figure(text) -> tuple[object, bool]:
    """A shown figure ('1.234', '12,5 dagen', '<5*', '— (afgeschermd …)', 17.5, None) as
    (Decimal | SMALL | DASH | None, noted)."""
    if text is None:
        return None, False
    if isinstance(text, int | float):
        return Decimal(str(round(text, 1))), False
    text = str(text)
    noted = NOTE in text or "*" in text
    text = text.replace(f"({NOTE})", "").replace("*", "").strip()
    if not text or text == "geen waarde":
        return None, noted
    token = text.split()[0]
    if token in (SMALL, DASH):
        return token, noted
    return Decimal(token.replace(".", "").replace(",", ".")), noted


def machine_figure(text) -> object:
    """A value from the API or the export: a number, '<5', '—' or empty."""
    if text in (None, ""):
        return None
    if isinstance(text, int | float):
        return Decimal(str(text))
    return text if text in (SMALL, DASH) else Decimal(text)


def _int(text) -> int | str | None:
    if text in (None, "", SMALL):
        return text or None
    return int(Decimal(str(text)))


def from_api(rows: list[dict], source: str) -> list[Seen]:
    return [
        Seen(source, r["kwartaal"], r["niveau"], r["niveauSleutel"], r["indicator"],
             machine_figure(r["waarde"]), _int(r["teller"]), _int(r["noemer"]),
             bool(r.get("toelichting")))
        for r in rows
    ]  # fmt: skip


def from_export(rows: list[list], source: str) -> list[Seen]:
    """Rows of `export_indicators --suppressed` (CSV or XLSX), header first."""
    header = list(rows[0])
    seen = []
    for row in rows[1:]:
        r = dict(zip(header, row, strict=False))
        # The XLSX holds an AGB code as a number.
        seen.append(Seen(source, str(r["period"]), r["level"], str(r["level_key"]), r["indicator"],
                         machine_figure(r["value"]), _int(r["numerator"]),
                         _int(r["denominator"]), bool(r.get("note"))))  # fmt: skip
    return seen


@dataclass
class Page:
    """What the attacker knows about a dashboard page: its quarter and selection."""

    quarter: str
    previous: str
    last_year: str
    district: str = ""
    service: str = ""
    names: dict | None = None  # "districts" (and "services") -> {name: code}

    @property
    def level(self) -> tuple[str, str]:
        if self.district and self.service:
            return "district_service", f"{self.district}:{self.service}"
        if self.district:
            return "district", self.district
        if self.service:
            return "service_type", self.service
        return "system", "all"

    def area(self, name: str) -> tuple[str, str]:
        """A row of the diversity table: a wijk, or the city."""
        return (
            ("system", "all") if name == "Heel Utrecht" else ("district", self.district_code(name))
        )

    def district_code(self, name: str) -> str:
        return self.names["districts"][name]

    def wijk_row(self, label: str) -> tuple[str, str]:
        if label == "Heel Utrecht":
            return ("service_type", self.service) if self.service else ("system", "all")
        code = self.district_code(label)
        if self.service:
            return "district_service", f"{code}:{self.service}"
        return "district", code


def _by_title() -> dict[str, str]:
    titles = {}
    for code, d in INDICATORS.items():
        titles[d.label] = code
        titles[f"{d.label} ({d.unit})"] = code
    return titles


TITLES = _by_title()


def table_figures(table_id: str, columns: list, rows: list, page: Page, ratio_levels: dict):
    """(period, level, key, indicator, shown) for each figure of a council table (or chart
    data in the same shape). An unknown table fails: every council table must be read."""
    quarter = page.quarter
    level = page.level
    if table_id in ("budget", "uitgaven-kwartalen-tabel"):
        return  # money, no people
    if table_id == "overzicht":
        # The period, the one before and (not for a year) the same one a year earlier.
        periods = [str(c) for c in columns[1:] if PERIOD.fullmatch(str(c))]
        for label, cells in rows:
            for period, shown in zip(periods, cells[: len(periods)], strict=True):
                yield period, *level, TITLES[label], shown
    elif table_id.startswith(("trend-", "jaartrend-")) and table_id.endswith("-tabel"):
        indicator = table_id.split("-", 1)[1][: -len("-tabel")]
        for label, cells in rows:
            if "nulmeting" in str(label) or str(label) in BASELINE_YEARS:
                continue  # the published 2020–2022 figures (chart data: plain years)
            yield str(label), *level, indicator, cells[0]
    elif table_id == "doel-iii":
        # The buurtteam's figures: for the chosen wijk, else the city (said per row).
        for label, cells in rows:
            at = ("district", page.district) if cells[3] == "gekozen wijk" else ("system", "all")
            yield quarter, *at, TITLES[label], cells[0]
    elif table_id in ("doel-iv", "doel-v"):
        # Per service of the objective (per wijk × service when a wijk is chosen); the first
        # figure column is the service's waiting norm.
        titles = [TITLES[str(c).split(" — doel")[0]] for c in columns[2:]]
        for label, cells in rows:
            code = page.names["services"][label]
            at = (("district_service", f"{page.district}:{code}") if page.district
                  else ("service_type", code))  # fmt: skip
            for indicator, shown in zip(titles, cells[1:], strict=True):
                yield quarter, *at, indicator, shown
    elif table_id in ("per-wijk", "wijk-bereik-tabel", "wijk-wachttijd-tabel"):
        for label, cells in rows:
            for title, shown in zip(columns[1:], cells, strict=True):
                yield quarter, *page.wijk_row(label), TITLES[title], shown
    elif table_id == "verhoudingen":
        for label, cells in rows:
            indicator = RATIO_TITLES[label]
            at = level if cells[3] == "gekozen selectie" else ("system", "all")
            ratio_levels[indicator] = at
            yield quarter, *at, indicator, cells[0]
    elif table_id == "verhoudingen-grafiek-tabel":
        for label, cells in rows:
            indicator = RATIO_TITLES[label]
            yield quarter, *ratio_levels[indicator], indicator, cells[0]
    elif table_id == "uitgaven-voorziening":
        # Spend, clients in care and cost per client per service, the city last; always at
        # these levels, whatever the page's selection.
        titles = [TITLES[str(c)] for c in columns[1:]]
        for label, cells in rows:
            at = (("system", "all") if label == "Heel Utrecht"
                  else ("service_type", page.names["services"][label]))  # fmt: skip
            for indicator, shown in zip(titles, cells, strict=True):
                yield quarter, *at, indicator, shown
    elif table_id == "diversiteit":
        periods = [str(c) for c in columns[1:-1]]
        for label, cells in rows:
            at = page.area(label)
            for period, shown in zip(periods, cells[:-1], strict=True):
                yield period, *at, "small_org_share", shown
            yield quarter, *at, "providers_active", cells[-1]
    elif table_id == "diversiteit-grafiek-tabel":
        for period, cells in rows:
            for name, shown in zip(columns[1:], cells, strict=True):
                yield str(period), *page.area(name), "small_org_share", shown
    else:
        raise AssertionError(f"the attacker cannot read council table {table_id!r} yet")


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def html_tables(html: str) -> list[tuple[str, list[str], list[tuple[str, list[str]]]]]:
    found = []
    for table_id, body in re.findall(r'<table[^>]*id="tabel-([^"]+)"[^>]*>(.*?)</table>', html,
                                     re.S):  # fmt: skip
        head = re.search(r"<thead[^>]*>(.*?)</thead>", body, re.S).group(1)
        columns = [_text(c) for c in re.findall(r"<th[^>]*>(.*?)</th>", head, re.S)]
        rows = []
        for row in re.findall(r"<tr[^>]*data-sleutel=[^>]*>(.*?)</tr>", body, re.S):
            cells = [_text(c).replace(" — naar de wachtlijst", "")
                     for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]  # fmt: skip
            rows.append((cells[0], cells[1:]))
        found.append((table_id, columns, rows))
    return found


def from_dashboard(html: str, page: Page, source: str) -> list[Seen]:
    """Every figure of a council dashboard page: tiles, ratio tiles, every table and the data
    of every chart."""
    figures = []
    ratio_levels: dict = {}
    tables = html_tables(html)
    # The ratio table says at which level each ratio is shown; read it first.
    tables.sort(key=lambda t: t[0] != "verhoudingen")
    for table_id, columns, rows in tables:
        figures += list(table_figures(table_id, columns, rows, page, ratio_levels))
    for indicator, body in re.findall(
        r'<article[^>]*data-indicator="([a-z_0-9]+)"[^>]*>(.*?)</article>', html, re.S
    ):
        if indicator == "budget":
            continue
        # The spend tiles are the city's, whatever the selection.
        tile_level = ("system", "all") if indicator in MONEY | MONEY_MEANS else page.level
        value = re.search(r'<p class="dash-tile__value">(.*?)</p>', body, re.S).group(1)
        figures.append((page.quarter, *tile_level, indicator, _text(value)))
        for column, period in (("vorig", page.previous), ("jaar-eerder", page.last_year)):
            fact = re.search(rf'<dd data-kolom="{column}">(.*?)</dd>', body, re.S)
            if fact is None and column == "jaar-eerder":
                continue  # a year is compared with the year before only
            figures.append((period, *tile_level, indicator, _text(fact.group(1))))
    for indicator, body in re.findall(r'<li class="dash-tile[^"]*" data-indicator="([a-z_]+)">(.*?)</li>',
                                      html, re.S):  # fmt: skip
        value = re.search(r'<span class="dash-tile__value">(.*?)</span>', body, re.S).group(1)
        figures.append((page.quarter, *ratio_levels[indicator], indicator, _text(value)))
    island = re.search(r'<script id="dashboard-grafieken" type="application/json">(.*?)</script>',
                       html, re.S)  # fmt: skip
    for chart in json.loads(island.group(1)) if island else []:
        datasets = [d for d in chart["datasets"] if d["style"] != "norm"]
        columns = ["", *[d["label"] for d in datasets]]
        rows = [
            (label, [d["data"][i] for d in datasets]) for i, label in enumerate(chart["labels"])
        ]
        for figure in table_figures(f"{chart['id']}-tabel", columns, rows, page, ratio_levels):
            if figure[-1] is not None:  # a missing bar says nothing
                figures.append(figure)
    return _seen(figures, source)


def from_download(table_id: str, rows: list[list], page: Page, source: str,
                  ratio_levels: dict) -> list[Seen]:  # fmt: skip
    """A dashboard table downloaded as CSV (header first) or XLSX (caption, then header)."""
    rows = [list(r) for r in rows if any(c not in (None, "") for c in r)]
    rows = [r for r in rows if not (len([c for c in r if c not in (None, "")]) == 1
                                    and str(r[0]).startswith("*"))]  # the footnote  # fmt: skip
    columns, body = rows[0], rows[1:]
    body = [(r[0], [("" if c is None else c) for c in r[1:]]) for r in body]
    return _seen(table_figures(table_id, columns, body, page, ratio_levels), source)


def _seen(figures, source) -> list[Seen]:
    out = []
    for period, level, key, indicator, shown in figures:
        value, noted = dutch_figure(shown)
        out.append(Seen(source, period, level, key, indicator, value, noted=noted))
    return out


# Figures over events dated in the period (INDICATORS.md): their counts, and the numerators and
# denominators of the shares and means over them, add up over the quarters of a half-year or a
# year. So does the sum of the month-end waiting counts behind the mean per month.
EVENT_INDICATORS = {
    "new_referrals", "started", "ended", "mean_wait_days", "pct_within_norm", "group_share",
    "mean_waiting_per_month", "bt_new_cases", "bt_mean_wait_workdays", "bt_pct_within_norm",
    "bt_referral_rate", "bt_group_share", "exp_solution_pct", "exp_solution_n",
    "exp_self_reliance_pct", "exp_self_reliance_n", "complaints", "bt_exp_solution_pct",
    "bt_exp_solution_n", "bt_exp_self_reliance_pct", "bt_exp_self_reliance_n",
}  # fmt: skip


def period_parts(period: str) -> list[list[str]]:
    """The ways a period is the sum of shorter ones: a half-year of its quarters, a year of its
    half-years and of its quarters."""
    if "Q" in period:
        return []
    if "H" in period:
        year, half = period.split("H")
        first = 2 * int(half) - 1
        return [[f"{year}Q{first}", f"{year}Q{first + 1}"]]
    return [[f"{period}H1", f"{period}H2"], [f"{period}Q{n}" for n in (1, 2, 3, 4)]]


# --- working it out -----------------------------------------------------------------------------

# Quantities that do not add up over a breakdown: a provider is active in many wijken; the
# month-end average's denominator is 3 everywhere.
NOT_ADDITIVE = {"providers_active", "mean_waiting_per_month.denominator"}
# Distinct clients (INDICATORS.md: they do not add up): a client with two referrals counts in
# each of their rows once. Read as adding up only by an attacker told nothing else (`regional`).
DISTINCT_CLIENTS = {"clients_in_care", "bt_clients", "clients_per_1000.numerator",
                    "complaints_per_100_clients.denominator", "cost_per_client_eur.denominator"}  # fmt: skip


def quantities_of(indicator: str) -> list[str]:
    if indicator in COUNTS:
        return [quantity(indicator, "value")]
    if indicator in MEDIANS:
        return [quantity(indicator, "denominator")]
    return [quantity(indicator, "numerator"), quantity(indicator, "denominator")]


def _between(value: Decimal, scale: int, denominator: int) -> tuple[int, int]:
    """The numerators k with round(scale·k/denominator, 1) == value (half away from zero)."""
    v = Fraction(value)
    low = max(0, math.ceil((v - Fraction(1, 20)) * denominator / scale))
    high = math.ceil((v + Fraction(1, 20)) * denominator / scale) - 1
    return low, high


def _denominators(value: Decimal, scale: int, numerator: int) -> tuple[int, int]:
    """The denominators d with round(scale·numerator/d, 1) == value, for numerator, value > 0."""
    v = Fraction(value)
    low = math.floor(scale * numerator / (v + Fraction(1, 20))) + 1
    high = math.floor(scale * numerator / (v - Fraction(1, 20))) if v > Fraction(1, 20) else INF
    return low, high


def _add(*numbers: int) -> int:
    return INF if any(n >= INF for n in numbers) else sum(numbers)


class Contradiction(Exception):
    pass


class Attacker:
    def __init__(self, seen: list[Seen], public: dict | None = None, complete=(), universe=None,
                 small=None, reads_marks=False, regional=None):  # fmt: skip
        """`public`: (period, level, key, quantity) -> int known to everyone (populations).
        `complete`: periods for which some source listed every stored figure (the API, the
        export), so a row not listed there does not exist. `universe`: level -> every key
        (wijk codes, service codes, AGB codes: public), so a row that is not seen is unknown
        rather than absent where no complete listing was read. `small`: the AGB codes of the
        small and resident organisations (public: the provider register), whose referrals in
        care make up the numerator of the city's small_org_share. `reads_marks`: the attacker
        also knows that a count hidden to protect another (`<5*`) was neither 0 nor small, so
        at least 5. `regional`: the voorzieningen of objective V (public), whose referrals
        from other U16 municipalities count in the city's and the voorziening's figures but in
        no wijk's (INDICATORS.md, levels): given it, the attacker reads the wijken as adding up
        to at most those figures, and distinct clients as not adding up at all, as on real
        data; without it, every breakdown as adding up exactly (hand-made data, where they
        do)."""
        self.seen = seen
        self.reads_marks = reads_marks
        self.small = set(small or ())
        self.regional = None if regional is None else set(regional)
        self.at_most: set[int] = set()  # relations whose members add up to at most the total
        self.public = public or {}
        self.complete = set(complete)
        self.universe = universe or {}
        self.findings: set[str] = set()
        self.interval: dict[tuple, tuple[int, int]] = {}
        self.shown: dict[tuple, Seen] = {}
        self.hidden: dict[tuple, Seen] = {}
        self.money: dict[tuple, Decimal] = {}  # (period, level, key) -> spend shown

    def find(self, text: str):
        self.findings.add(text)

    def _narrow(self, fact, low, high) -> bool:
        old = self.interval.get(fact, (0, INF))
        new = (max(old[0], low), min(old[1], high))
        if new[0] > new[1]:
            raise Contradiction(fact)
        if new != old:
            self.interval[fact] = new
            return True
        return False

    def _bounds(self, fact) -> tuple[int, int]:
        return self.interval.get(fact, (0, INF))

    def _point(self, fact) -> int | None:
        low, high = self._bounds(fact)
        return low if low == high else None

    # reading: (b), (d), (e) and the facts
    def read(self):
        for s in self.seen:
            cell = (s.period, s.level, s.key, s.indicator)
            if s.hidden:
                self.hidden.setdefault(cell, s)
                if s.numerator is not None or s.denominator is not None:
                    self.find(f"(d) {s.source}: {cell} is hidden but shows numerator "
                              f"{s.numerator} / denominator {s.denominator}")  # fmt: skip
            elif s.value is not None:
                self.shown.setdefault(cell, s)
                if s.indicator in MONEY:
                    self.money[cell[:3]] = s.value
                if s.indicator in COUNTS and 0 < s.value < 5:
                    self.find(f"(b) {s.source}: count {cell} = {s.value} shown")
        for cell in sorted(self.hidden.keys() & self.shown.keys()):
            self.find(f"(e) {cell} hidden in {self.hidden[cell].source} but shown in "
                      f"{self.shown[cell].source} as {self.shown[cell].value}")  # fmt: skip
        for fact, number in self.public.items():
            self._narrow(fact, number, number)
        for s in self.seen:
            at = (s.period, s.level, s.key)
            try:
                for part, number in (("numerator", s.numerator), ("denominator", s.denominator)):
                    fact = (*at, quantity(s.indicator, part))
                    if number == SMALL:
                        self._narrow(fact, 1, 4)
                    elif number is not None:
                        self._narrow(fact, number, number)
                if s.indicator in COUNTS and isinstance(s.value, Decimal):
                    self._narrow((*at, s.indicator), int(s.value), int(s.value))
                elif s.indicator in COUNTS and s.value == SMALL and not s.noted:
                    self._narrow((*at, s.indicator), 1, 4)
                elif s.indicator in COUNTS and s.value == SMALL and self.reads_marks:
                    # Hidden to protect another: a count that was neither 0 nor small.
                    self._narrow((*at, s.indicator), 5, INF)
                if s.indicator == "mean_waiting_per_month" and s.value is not None:
                    # The mean over the period's month-ends: 3, 6 or 12 of them.
                    months = month_ends(s.period)
                    self._narrow((*at, quantity(s.indicator, "denominator")), months, months)
                    if s.value == SMALL and not s.noted:
                        self._narrow((*at, quantity(s.indicator, "numerator")), 1,
                                     5 * months - 1)  # fmt: skip
            except Contradiction:
                self.find(f"(e) {s.source}: {s.indicator} at {at} = {s.value} contradicts "
                          "another source")  # fmt: skip

    # relations
    def _relations(self):
        """(total fact, member facts) for every breakdown, period, total and quantity."""
        facts = set(self.interval)
        for period, level, key, indicator in (*self.shown, *self.hidden):
            facts |= {(period, level, key, name) for name in quantities_of(indicator)}
        by_level = defaultdict(set)  # (period, level, name) -> keys
        for period, level, key, name in facts:
            by_level[(period, level, name)].add(key)
        relations = self._over_time(facts) + self._small_organisations(facts)
        for period, level, name in list(by_level):
            if name in NOT_ADDITIVE or (self.regional is not None and name in DISTINCT_CLIENTS):
                continue
            for rows_level, total_level, total_key in BREAKDOWNS:
                if level != total_level:
                    continue
                keys = set(by_level.get((period, rows_level, name), ()))
                if period not in self.complete:
                    keys |= set(self.universe.get(rows_level, ()))
                groups = defaultdict(list)
                for key in keys:
                    groups[total_key(key)].append((period, rows_level, key, name))
                for key in by_level[(period, level, name)]:
                    if groups.get(key):
                        if self._outside_the_wijken(rows_level, total_level, key):
                            self.at_most.add(len(relations))
                        relations.append(((period, level, key, name), sorted(groups[key])))
        return relations

    def _outside_the_wijken(self, rows_level: str, total_level: str, key: str) -> bool:
        """Does the total count referrals from other U16 municipalities that no wijk has?"""
        if self.regional is None:
            return False
        return (rows_level, total_level) == ("district", "system") or (
            (rows_level, total_level) == ("district_service", "service_type")
            and key in self.regional
        )

    def _at_most(self, total, members) -> bool:
        """The members add up to at most the total: the total is at least their lows, and each
        member at most the total's high less the others' lows."""
        bounds = [self._bounds(m) for m in members]
        changed = self._narrow(total, sum(b[0] for b in bounds), INF)
        t_high = self._bounds(total)[1]
        if t_high < INF:
            lows = sum(b[0] for b in bounds)
            for member, (low, high) in zip(members, bounds, strict=True):
                changed |= self._narrow(member, low, min(high, t_high - (lows - low)))
        return changed

    def _over_time(self, facts) -> list:
        """(total fact, member facts) for every period made of shorter ones and quantity that
        adds up over time; a part not seen counts unless its period was listed completely."""
        over_time = {name for indicator in EVENT_INDICATORS for name in quantities_of(indicator)}
        relations = []
        for period, level, key, name in sorted(facts):
            if name not in over_time:
                continue
            for parts in period_parts(period):
                members = [(part, level, key, name) for part in parts
                           if (part, level, key, name) in facts or part not in self.complete]  # fmt: skip
                relations.append(((period, level, key, name), members))
        return relations

    def _small_organisations(self, facts) -> list:
        if not self.small:
            return []
        share = quantity("small_org_share", "numerator")
        relations = []
        for period in sorted({fact[0] for fact in facts if fact[1:] == ("system", "all", share)}):
            keys = {key for p, level, key, name in facts
                    if (p, level, name) == (period, "provider", "referrals_in_care")}  # fmt: skip
            if period not in self.complete:
                keys |= set(self.universe.get("provider", ()))
            members = [(period, "provider", key, "referrals_in_care")
                       for key in sorted(keys & self.small)]  # fmt: skip
            relations.append(((period, "system", "all", share), members))
        return relations

    def _sum(self, total, members) -> bool:
        bounds = [self._bounds(m) for m in members]
        changed = self._narrow(total, sum(b[0] for b in bounds), _add(*(b[1] for b in bounds)))
        t_low, t_high = self._bounds(total)
        for index, (member, (low, high)) in enumerate(zip(members, bounds, strict=True)):
            others = bounds[:index] + bounds[index + 1 :]
            others_low = sum(b[0] for b in others)
            others_high = _add(*(b[1] for b in others))
            new_low = t_low - others_high if others_high < INF else 0
            new_high = t_high - others_low if t_high < INF else INF
            changed |= self._narrow(member, max(low, new_low), min(high, new_high))
        return changed

    def _money_means(self) -> bool:
        """A shown cost per client beside its shown spend: the clients d with
        round(spend / d, 1) == cost (half away from zero) — d in (spend/(cost+0.05),
        spend/(cost−0.05)]."""
        changed = False
        for cell, s in self.shown.items():
            spend = self.money.get(cell[:3])
            if s.indicator not in MONEY_MEANS or not spend or spend <= 0 or s.value <= 0:
                continue
            v, total = Fraction(s.value), Fraction(spend)
            low = math.floor(total / (v + Fraction(1, 20))) + 1
            high = math.floor(total / (v - Fraction(1, 20))) if v > Fraction(1, 20) else INF
            changed |= self._narrow((*cell[:3], quantity(s.indicator, "denominator")), low, high)
        return changed

    def _ratios(self) -> bool:
        changed = self._money_means()
        for cell, s in self.shown.items():
            if s.indicator not in SCALE:
                continue
            at = cell[:3]
            num = (*at, quantity(s.indicator, "numerator"))
            den = (*at, quantity(s.indicator, "denominator"))
            scale = SCALE[s.indicator]
            if s.indicator in PERCENTAGES:
                changed |= self._narrow(num, 0, self._bounds(den)[1])
            d = self._point(den)
            if d:
                changed |= self._narrow(num, *_between(s.value, scale, d))
            n = self._point(num)
            if n and s.value > 0:
                changed |= self._narrow(den, *_denominators(s.value, scale, n))
        return changed

    def run(self, rounds: int = 40) -> list[str]:
        try:
            self.read()
            relations = self._relations()
        except Contradiction as exc:
            self.find(f"(e) contradiction at {exc}")
            return sorted(self.findings)
        broken = set()
        for _ in range(rounds):
            try:
                changed = self._ratios()
            except Contradiction as exc:
                self.find(f"(e) contradiction at {exc}")
                break
            for index, (total, members) in enumerate(relations):
                if index in broken:
                    continue
                saved = dict(self.interval)
                try:
                    add = self._at_most if index in self.at_most else self._sum
                    changed |= add(total, members)
                except Contradiction:
                    # These rows do not add up to this total (e.g. distinct clients counted in
                    # two wijken): the attacker cannot use the relation.
                    self.interval = saved
                    broken.add(index)
            if not changed:
                break
        self._judge()
        return sorted(self.findings)

    def _public_part(self, at, indicator, part) -> bool:
        """Is this part of a ratio itself a shown count, or public (a population)?"""
        name = quantity(indicator, part)
        return (*at, name) in self.public or (name in COUNTS and (*at, name) in self.shown)

    # verdicts: (a) and (c)
    def _judge(self):
        for cell, s in self.shown.items():
            at = cell[:3]
            if s.indicator in MEDIANS:
                d = self._point((*at, quantity(s.indicator, "denominator")))
                if d is not None and d < 10:
                    self.find(f"(a) {s.source}: median {cell} shown over {d} observations")
            if s.indicator in MONEY_MEANS:
                d = self._point((*at, quantity(s.indicator, "denominator")))
                if d is not None and d < 10:
                    self.find(f"(a) {s.source}: {cell} = {s.value} shown over {d} clients")
            if s.indicator not in SCALE or s.indicator == "mean_waiting_per_month":
                continue
            n = self._point((*at, quantity(s.indicator, "numerator")))
            d = self._point((*at, quantity(s.indicator, "denominator")))
            if s.indicator in PERCENTAGES | MEANS and d is not None and d < 10:
                self.find(f"(a) {s.source}: {cell} = {s.value} shown over {d} observations")
            small_group = n is not None and d is not None and (1 <= n <= 4 or 1 <= d - n <= 4)
            if s.indicator in PERCENTAGES and small_group:
                self.find(f"(a) {s.source}: {cell} = {s.value} % of {d}: {n} and {d - n}")
            rate = s.indicator in ("clients_per_1000", "complaints_per_100_clients")
            if rate and n is not None and 1 <= n <= 4:
                self.find(f"(a) {s.source}: {cell} = {s.value} has a numerator of {n}")
        for cell, s in self.hidden.items():
            at = cell[:3]
            if s.indicator in COUNTS:
                value = self._point((*at, s.indicator))
                if value is not None:
                    self.find(f"(c) {s.source}: hidden count {cell} is {value}")
            elif s.indicator in SCALE:
                if all(self._public_part(at, s.indicator, part) for part in PARTS):
                    continue  # a quotient of two shown counts hides nothing more
                n = self._point((*at, quantity(s.indicator, "numerator")))
                d = self._point((*at, quantity(s.indicator, "denominator")))
                if n is not None and d is not None and s.indicator != "mean_waiting_per_month":
                    self.find(f"(c) {s.source}: hidden {cell} is {n}/{d}")
                elif s.indicator == "mean_waiting_per_month" and n is not None:
                    self.find(f"(c) {s.source}: hidden {cell} is {n}/{month_ends(s.period)}")
                elif n is not None and s.indicator in PERCENTAGES and 1 <= n <= 4:
                    self.find(f"(c) {s.source}: hidden {cell} has a numerator of {n}")


def attack(seen: list[Seen], public=None, complete=(), universe=None, small=None,
           reads_marks=False, regional=None) -> list[str]:  # fmt: skip
    return Attacker(seen, public, complete, universe, small, reads_marks, regional).run()
