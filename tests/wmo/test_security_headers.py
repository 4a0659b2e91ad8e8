"""Security headers on every answer: Content-Security-Policy without inline script (nonces
where a third-party page needs an inline <style>), Permissions-Policy, Referrer-Policy, and HSTS
in production. The templates themselves carry no inline script, handler or style attribute."""

import re
from pathlib import Path

import pytest
from django.test import override_settings

ROOT = Path(__file__).resolve().parents[2]


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part.strip())
    }


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/account/inloggen/", "/", "/api/v1/wijken", "/bestaat-niet/"])
def test_strict_policy_on_pages_and_api(client_for, url):
    response = client_for("contract_manager").get(url)
    directives = policy(response)
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]  # no nonce when the page has no inline script
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"] and directives["form-action"] == ["'self'"]
    header = response["Content-Security-Policy"]
    assert "unsafe-inline" not in header.split("style-src-attr")[0] and "unsafe-eval" not in header


@pytest.mark.django_db
def test_other_headers(client):
    response = client.get("/account/inloggen/")
    assert response["Permissions-Policy"].startswith("accelerometer=(), camera=(), geolocation=()")
    assert "microphone=()" in response["Permissions-Policy"]
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" not in response  # production only, over HTTPS


@override_settings(SECURE_HSTS_SECONDS=31536000, SECURE_HSTS_INCLUDE_SUBDOMAINS=True,
                   SECURE_HSTS_PRELOAD=True)  # fmt: skip
@pytest.mark.django_db
def test_hsts_over_https_with_the_production_values(client):
    response = client.get("/account/inloggen/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


@pytest.mark.django_db
def test_the_api_documentation_alone_allows_injected_styles(client):
    """ReDoc (the API documentation, /api/v1/docs) styles itself with injected <style>
    elements; its scripts stay as strict as everywhere else, and nothing starts inline."""
    response = client.get("/api/v1/docs")
    directives = policy(response)
    assert directives["style-src"] == ["'self'", "'unsafe-inline'"]
    assert directives["script-src"] == ["'self'"]
    html = response.content.decode()
    assert "<redoc spec-url=" in html and "swagger" not in html.lower()
    assert "fonts.googleapis.com" not in html and "<script>" not in html


@pytest.mark.django_db
def test_a_browser_gets_the_api_as_json_under_the_strict_policy(client_for):
    """No browsable API: a browser asking for HTML gets the JSON, and the policy allows no
    style attributes anywhere."""
    response = client_for("contract_manager").get("/api/v1/wijken", HTTP_ACCEPT="text/html,*/*")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json()["resultaten"]
    assert "style-src-attr" not in response["Content-Security-Policy"]


# The quarterly PDF's template is rendered by WeasyPrint into a PDF, never served as a page.
PDF_TEMPLATES = {"indicators/reports/quarterly_pdf.html"}
INLINE = [
    (re.compile(r"\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "event handler attribute"),
    (re.compile(r"<style\b(?![^>]*\bnonce=)", re.I), "<style> element without the nonce"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]
SCRIPT = re.compile(r"<script\b([^>]*)>", re.I)
COMMENT = re.compile(r"{#.*?#}|{% comment %}.*?{% endcomment %}", re.S)


def test_templates_carry_no_inline_script_or_style():
    found = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        name = str(path.relative_to(ROOT / "templates"))
        if name in PDF_TEMPLATES:
            continue
        text = COMMENT.sub("", path.read_text())
        found += [f"{name}: {what}" for pattern, what in INLINE if pattern.search(text)]
        for attributes in SCRIPT.findall(text):
            data_island = "application/json" in attributes
            if "src=" not in attributes and "nonce=" not in attributes and not data_island:
                found.append(f"{name}: inline <script>")
    assert found == []
