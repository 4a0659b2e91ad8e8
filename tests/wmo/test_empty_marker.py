"""One "no value" marker (wmo/empty.py) for every page: a dash, read out as "geen waarde".
Before, pages showed `—`, `–`, `-` or nothing, each template its own way.

The dashboards are the exception: there `—` is the council's suppression marker (too few
observations), so an undefined figure stays visibly different from a hidden one."""

import re
from pathlib import Path

from django.template import engines

from wmo.empty import empty_marker

ROOT = Path(__file__).resolve().parents[2]
AD_HOC = [
    re.compile(r'\|default:"(?:—|–|-|)"'),  # {{ x|default:"—" }}
    re.compile(r"%\}(?:—|–|-)\{%"),  # {% else %}—{% endif %}, {% empty %}—{% endfor %}
    re.compile(r"<(td|dd)[^>]*>\s*(?:—|–|-)\s*</\1>"),  # <td>—</td>
]
SUPPRESSION_PAGES = "templates/indicators/dashboard/"


def test_no_template_makes_its_own_empty_marker():
    found = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        name = str(path.relative_to(ROOT))
        if name.startswith(SUPPRESSION_PAGES):
            continue
        text = path.read_text(encoding="utf-8")
        found += [f"{name}: {m.group(0)}" for pattern in AD_HOC for m in pattern.finditer(text)]
    assert found == []


def test_the_marker_is_a_dash_read_out_as_geen_waarde():
    marker = str(empty_marker())
    assert marker == (
        '<span class="wmo-empty" title="geen waarde"><span aria-hidden="true">—</span>'
        '<span class="wmo-visually-hidden">geen waarde</span></span>'
    )
    template = engines["django"].from_string(
        "{{ a|or_empty }}|{{ b|date:'d-m-Y'|or_empty }}|{{ c|or_empty }}|{{ d|or_empty }}|"
        "{% for x in e %}{{ x }}{% empty %}{% no_value %}{% endfor %}"
    )
    rendered = template.render({"a": "", "b": None, "c": "<b>", "d": 0, "e": []})
    assert rendered.split("|") == [marker, marker, "&lt;b&gt;", "0", marker]
