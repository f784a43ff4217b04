"""Sign-in through a real OpenID Connect provider process (oidc-provider-mock on 127.0.0.1)."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from itsdangerous import TimestampSigner
from sqlalchemy import select
from starlette.datastructures import Secret

from participation.accounts.models import ExternalIdentity, User
from participation.db import Database
from tests.conftest import Browser, Loop, Person, Server, free_port, page, unique

BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(
        [str(BIN / "oidc-provider-mock"), "--port", str(port), "--require-nonce", "true"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    issuer = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx.get(f"{issuer}/.well-known/openid-configuration").status_code == 200:
                break
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            process.kill()
            raise RuntimeError("the OpenID Connect provider did not start")
        time.sleep(0.1)
    yield issuer
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def app_with_provider(make_server: Callable[..., Server], provider: str) -> Server:
    return make_server(
        oidc_issuer=provider,
        oidc_client_id="participation",
        oidc_client_secret=Secret("client-secret"),
        oidc_name="Berlin-Login",
    )


def claims_at_provider(provider: str, subject: str, **claims: object) -> None:
    response = httpx.put(f"{provider}/users/{subject}", json={"sub": subject, **claims})
    assert response.status_code == 204


def start(browser: Browser) -> str:
    """Follow the sign-in button to the provider; return its authorization URL."""
    response = browser.get("/de/signin/provider")
    assert response.status_code in (302, 303, 307)
    return response.headers["location"]


def authorize(authorization_url: str, subject: str) -> str:
    """Sign in at the provider as `subject`; return the callback URL it redirects to."""
    response = httpx.post(authorization_url, data={"sub": subject})
    assert response.status_code in (302, 303), response.text
    return response.headers["location"]


def finish(browser: Browser, callback_url: str) -> httpx.Response:
    parts = urlsplit(callback_url)
    return browser.get(parts.path + "?" + parts.query)


def identities(db: Database, loop: Loop, email: str) -> list[tuple[str, str]]:
    async def read() -> list[tuple[str, str]]:
        async with db.session() as session:
            rows = await session.execute(
                select(ExternalIdentity.issuer, ExternalIdentity.subject)
                .join(User, User.id == ExternalIdentity.user_id)
                .where(User.email == email)
            )
            return [tuple(row) for row in rows.all()]  # type: ignore[misc]

    return loop.run(read())


def test_button_appears_only_when_configured(client: Browser, app_with_provider: Server) -> None:
    assert page(client.get("/de/signin")).select_one("a[href^='/de/signin/provider']") is None
    with Browser(base_url=app_with_provider.url) as browser:
        button = page(browser.get("/de/signin")).select_one("a[href^='/de/signin/provider']")
    assert button is not None
    assert "Berlin-Login" in button.get_text()


def test_first_sign_in_creates_a_confirmed_account(
    app_with_provider: Server, provider: str, db: Database, loop: Loop
) -> None:
    subject = unique("sub")
    email = f"{subject}@example.org"
    claims_at_provider(provider, subject, email=email, email_verified=True, name="Aylin Kaya")
    with Browser(base_url=app_with_provider.url) as browser:
        authorization_url = start(browser)
        query = parse_qs(urlsplit(authorization_url).query)
        assert query["code_challenge_method"] == ["S256"]  # PKCE
        assert query["nonce"] and query["state"]
        done = finish(browser, authorize(authorization_url, subject))
        assert done.status_code == 303
        profile = browser.get("/de/profile")
    assert profile.status_code == 200
    assert "Aylin Kaya" in profile.text
    assert identities(db, loop, email) == [(provider, subject)]


def test_sign_in_links_the_account_with_the_same_confirmed_address(
    app_with_provider: Server,
    provider: str,
    make_user: Callable[..., Person],
    db: Database,
    loop: Loop,
) -> None:
    person = make_user()
    subject = unique("sub")
    claims_at_provider(provider, subject, email=person.email.upper(), email_verified=True)
    with Browser(base_url=app_with_provider.url) as browser:
        assert finish(browser, authorize(start(browser), subject)).status_code == 303
        assert person.display_name in browser.get("/de/profile").text
    assert identities(db, loop, person.email) == [(provider, subject)]
    # The next time, the link is used (even if the provider's address changed).
    claims_at_provider(provider, subject, email="anders@example.org", email_verified=True)
    with Browser(base_url=app_with_provider.url) as browser:
        assert finish(browser, authorize(start(browser), subject)).status_code == 303
        assert person.display_name in browser.get("/de/profile").text


def test_unconfirmed_address_at_the_provider_is_refused(
    app_with_provider: Server, provider: str, make_user: Callable[..., Person]
) -> None:
    person = make_user()
    subject = unique("sub")
    claims_at_provider(provider, subject, email=person.email, email_verified=False)
    with Browser(base_url=app_with_provider.url) as browser:
        response = finish(browser, authorize(start(browser), subject))
        assert response.status_code == 400
        assert browser.get("/de/profile").status_code == 303  # not signed in


def test_wrong_state_is_refused(app_with_provider: Server, provider: str) -> None:
    subject = unique("sub")
    claims_at_provider(provider, subject, email=f"{subject}@example.org", email_verified=True)
    with Browser(base_url=app_with_provider.url) as browser:
        callback = authorize(start(browser), subject)
        forged = callback.replace("state=", "state=forged")
        response = finish(browser, forged)
        assert response.status_code == 400
        assert page(response).select_one("a[href='/de/signin']") is not None
        assert browser.get("/de/profile").status_code == 303


def test_wrong_nonce_is_refused(app_with_provider: Server, provider: str) -> None:
    subject = unique("sub")
    claims_at_provider(provider, subject, email=f"{subject}@example.org", email_verified=True)
    secret = str(app_with_provider.settings.secret_key)
    with Browser(base_url=app_with_provider.url) as browser:
        callback = authorize(start(browser), subject)
        # Replace the nonce this browser's session remembers, as an attacker replaying another
        # person's ID token would present a nonce that does not match.
        signer = TimestampSigner(secret)
        raw = signer.unsign(browser.cookies["session"].encode())
        data = json.loads(base64.b64decode(raw))
        for key, value in data.items():
            if key.startswith("_state_provider_"):
                value["data"]["nonce"] = "not-the-nonce"
        forged = signer.sign(base64.b64encode(json.dumps(data).encode())).decode()
        browser.cookies.set("session", forged, domain="127.0.0.1")
        response = finish(browser, callback)
        assert response.status_code == 400
        assert browser.get("/de/profile").status_code == 303


def test_provider_down_gives_a_translated_error_and_password_sign_in_still_works(
    make_server: Callable[..., Server], make_user: Callable[..., Person]
) -> None:
    down = make_server(
        oidc_issuer=f"http://127.0.0.1:{free_port()}", oidc_client_id="participation"
    )
    person = make_user()
    with Browser(base_url=down.url) as browser:
        for locale, phrase in [("de", "nicht erreichbar"), ("ar", "")]:
            response = browser.get(f"/{locale}/signin/provider")
            assert response.status_code == 502
            assert page(response).html["lang"] == locale  # type: ignore[index]
            assert phrase in response.text
        browser.sign_in(person)
        assert browser.get("/de/profile").status_code == 200
