"""The browser tests' axe run checks colour contrast on one element per distinct look
(axe_run.js). These pages show that it still finds every contrast failure that axe over every
element finds: a pale row deep in a long table, the even rows of a striped one, a form field,
a look whose first occurrence is hidden, and text on a dark card."""

import pytest

from .conftest import AXE_FILE, AXE_URL, WCAG_TAGS, axe_violations

STYLE = """<style>
  body { font: 16px sans-serif; color: #111; background: #fff; }
  .pale { color: #bbb; }
  .striped tr:nth-child(even) { background: #333; }
  .card { background: #1a1a1a; padding: 1em; }
  input.faint { color: #ccc; }
</style>"""


def document(body: str) -> str:
    return (f'<!doctype html><html lang="nl"><head><title>Proef</title>{STYLE}</head>'
            f'<body><main><h1>Proef</h1>{body}</main></body></html>')  # fmt: skip


def rows(count: int, pale_row: int | None = None) -> str:
    return "".join(
        f"<tr><td{' class=pale' if index == pale_row else ''}>Rij {index}</td><td>{index}</td></tr>"
        for index in range(count)
    )


PAGES = {
    "clean": f"<table><tbody>{rows(80)}</tbody></table>",
    "pale row 67 of 80": f"<table><tbody>{rows(80, pale_row=67)}</tbody></table>",
    "striped": f'<table class="striped"><tbody>{rows(6)}</tbody></table>',
    "form field": '<label for="v">Naam</label><input id="v" class="faint" value="Jansen">',
    "hidden first": '<p class="pale" hidden>Verborgen</p><p class="pale">Zichtbaar</p>',
    "dark card": '<div class="card"><p>Tekst op donker</p></div>',
}


# The test pages' origin, answered by Playwright: an empty page, and axe-core where the live
# server has it for the other browser tests (conftest.AXE_URL).
ORIGIN = "http://proef.test"


def answer(route):
    if route.request.url == ORIGIN + AXE_URL:
        route.fulfill(path=str(AXE_FILE), content_type="text/javascript")
    else:
        route.fulfill(body="<!doctype html><title>Proef</title>", content_type="text/html")


@pytest.fixture
def bare_page(browser):
    context = browser.new_context()
    context.route(f"{ORIGIN}/**", answer)
    page = context.new_page()
    page.goto(ORIGIN + "/")
    yield page
    context.close()


def failing_texts(page, violations) -> set[str]:
    """The texts of the elements that fail colour contrast."""
    targets = [t[0] for v in violations if v["id"] == "color-contrast" for t in v["nodes"]]
    return {
        page.locator(target).first.evaluate("e => e.value || e.innerText") for target in targets
    }


def every_element(page) -> list[dict]:
    """axe's own run over every element: what the sampled run must agree with."""
    page.add_script_tag(url=AXE_URL)
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})",
        list(WCAG_TAGS),
    )
    return [
        {"id": v["id"], "nodes": [n["target"] for n in v["nodes"]]} for v in result["violations"]
    ]


def test_sampled_contrast_finds_what_every_element_finds(bare_page):
    """Each page in one browser page, one after the other (a page each cost a second more)."""
    for name, body in PAGES.items():
        bare_page.set_content(document(body))
        full = every_element(bare_page)
        failing_in_full = failing_texts(bare_page, full)
        bare_page.set_content(document(body))
        sampled = axe_violations(bare_page)

        assert [v["id"] for v in sampled] == [v["id"] for v in full], name
        if name == "clean":
            assert sampled == [] and full == []
            continue
        # The look that fails is found (in its first visible element), an element axe over
        # every element reports too.
        assert [v["id"] for v in sampled] == ["color-contrast"], name
        assert failing_texts(bare_page, sampled) <= failing_in_full, name
        if name.startswith("pale row"):
            assert bare_page.locator("[data-axe-contrast-sample].pale").inner_text() == "Rij 67"
            # 160 cells in two looks (plain, pale) and the heading: three samples, not 161.
            assert bare_page.locator("[data-axe-contrast-sample]").count() == 3
        if name == "striped":
            # The first even row's cells (Rij 1) are a look of their own.
            sampled_in_even_row = bare_page.locator("tr:nth-child(2) [data-axe-contrast-sample]")
            assert "Rij 1" in sampled_in_even_row.all_inner_texts()
