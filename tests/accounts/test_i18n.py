import pytest


@pytest.mark.django_db
def test_dutch_is_the_default(client):
    html = client.get("/account/inloggen/").content.decode()
    assert '<html lang="nl"' in html
    assert "Direct naar de inhoud" in html


@pytest.mark.django_db
def test_english_is_available(client):
    html = client.get("/account/inloggen/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en"' in html
    assert "Skip to content" in html
    assert '<h1 class="utrecht-heading-1">Log in</h1>' in html


@pytest.mark.django_db
def test_language_switch_sticks(client):
    response = client.post("/taal/", {"language": "en", "next": "/account/inloggen/"})
    assert response.status_code == 302
    assert "Log out" not in client.get("/account/inloggen/").content.decode()
    assert "Skip to content" in client.get("/account/inloggen/").content.decode()
