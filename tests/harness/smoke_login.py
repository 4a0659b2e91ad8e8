"""Log in as each demo role on a running server and check its home page (stdlib only)."""

import http.cookiejar
import re
import sys
import time
import urllib.parse
import urllib.request

EXPECTED = {
    "accounthouder": "Accounthouder",
    "buurtteam": "Buurtteammedewerker",
    "raadslid": "Raadslid",
    "beheerder": "beheerder",
}


def wait_for(base):
    for _ in range(100):
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("server did not come up")


def login(base, username, password, opener=None):
    jar = http.cookiejar.CookieJar()
    opener = opener or urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/account/inloggen/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": username, "password": password, "next": "/"}
    ).encode()
    request = urllib.request.Request(
        f"{base}/account/inloggen/", data=data, headers={"Referer": base}
    )
    with opener.open(request) as response:
        return response.geturl(), response.read().decode()


def main(base, logins_file):
    wait_for(base)
    logins = {}
    with open(logins_file, encoding="utf-8") as lines:
        rows = [line.split() for line in lines]
    for parts in rows:
        if len(parts) >= 2 and parts[0] in EXPECTED:
            logins[parts[0]] = parts[1]
    assert set(logins) == set(EXPECTED), f"demo logins printed: {sorted(logins)}"
    for username, password in logins.items():
        url, html = login(base, username, password)
        assert urllib.parse.urlsplit(url).path == "/", f"{username}: ended on {url}"
        assert "Welkom, " + username in html, f"{username}: no welcome on home page"
        assert EXPECTED[username] in html, f"{username}: role not shown"
        print(f"smoke: {username} logged in, home page OK")
    # The demo computes the indicators, so a contract manager's dashboard shows figures at once.
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    login(base, "accounthouder", logins["accounthouder"], opener)
    dashboard = opener.open(f"{base}/dashboard/").read().decode()
    assert 'id="kwartaal-kop"' in dashboard and "Cliënten in zorg" in dashboard, "dashboard empty"
    print("smoke: demo dashboard shows stored figures")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
