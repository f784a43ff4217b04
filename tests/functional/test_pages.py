"""Accessibility statement with feedback by mail, Leichte Sprache, privacy and imprint."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select

from participation.db import Database
from participation.pages.models import AccessibilityFeedback
from tests.conftest import Browser, Loop, Mailbox, Person, Server, page, unique

PAGES = ["accessibility", "easy-read", "privacy", "imprint"]


@pytest.mark.parametrize("locale", ["de", "en", "tr", "ar"])
@pytest.mark.parametrize("name", PAGES)
def test_page_renders_in_every_language(client: Browser, name: str, locale: str) -> None:
    response = client.get(f"/{locale}/{name}")
    assert response.status_code == 200
    html = page(response).html
    assert html is not None
    assert html["lang"] == locale
    assert html["dir"] == ("rtl" if locale == "ar" else "ltr")
    assert page(response).select_one("main h1") is not None


@pytest.mark.parametrize("locale", ["de", "ar"])
def test_every_page_links_the_statement_easy_read_privacy_and_imprint(
    client: Browser, locale: str
) -> None:
    for path in [f"/{locale}/", f"/{locale}/areas/mehringplatz", f"/{locale}/signin"]:
        links = {a["href"] for a in page(client.get(path)).select("footer a[href]")}
        for name in PAGES:
            assert f"/{locale}/{name}" in links, (path, name)


def test_easy_read_is_german_in_every_interface_language(client: Browser) -> None:
    response = client.get("/tr/easy-read")
    easy = page(response).select_one(".easy-read")
    assert easy is not None
    assert easy["lang"] == "de"
    assert "Quartiers·management" in easy.get_text()


def test_sign_language_video_appears_only_when_configured(
    client: Browser, make_server: Callable[..., Server]
) -> None:
    assert page(client.get("/de/easy-read")).select_one("video") is None
    video_url = "https://media.example.org/dgs/erklaerung.mp4"
    other = make_server(sign_language_video_url=video_url)
    with Browser(base_url=other.url) as browser:
        response = browser.get("/de/easy-read")
    video = page(response).select_one("video")
    assert video is not None
    assert video["src"] == video_url
    assert (
        "media-src 'self' https://media.example.org" in response.headers["content-security-policy"]
    )


def test_imprint_shows_the_configured_operator(make_server: Callable[..., Server]) -> None:
    other = make_server(
        operator_address="Musterstraße 1\n10999 Berlin", operator_email="qm@example.org"
    )
    with Browser(base_url=other.url) as browser:
        response = browser.get("/de/imprint")
    address = page(response).select_one("address")
    assert address is not None
    assert "Musterstraße 1, 10999 Berlin" in address.get_text()
    assert address.select_one('a[href="mailto:qm@example.org"]') is not None


def feedback_rows(db: Database, loop: Loop, marker: str) -> list[AccessibilityFeedback]:
    async def read() -> list[AccessibilityFeedback]:
        async with db.session() as session:
            result = await session.execute(
                select(AccessibilityFeedback).where(AccessibilityFeedback.message.contains(marker))
            )
            return list(result.scalars())

    return loop.run(read())


def test_feedback_reaches_the_administrators_by_mail(
    client: Browser,
    make_user: Callable[..., Person],
    db: Database,
    loop: Loop,
    smtp_server: Mailbox,
    deliver_mail: Callable[[], int],
) -> None:
    admin_de = make_user(admin=True, locale="de")
    admin_ar = make_user(admin=True, locale="ar")
    marker = unique("Barriere")
    response = client.submit(
        "/tr/accessibility",
        {
            "message": f"Der Kontrast der Knöpfe ist zu schwach. {marker}",
            "page": "/tr/areas/mehringplatz",
            "name": "Selin",
            "email": "selin@example.org",
            "website": "",
        },
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/tr/accessibility#feedback"
    assert len(feedback_rows(db, loop, marker)) == 1

    assert deliver_mail() >= 2
    for admin, language in [(admin_de, "de"), (admin_ar, "ar")]:
        received = [
            m for m in smtp_server.to(admin.email) if marker in m.get_body(("plain",)).get_content()
        ]
        assert len(received) == 1, admin.email
        mail = received[0]
        assert mail["Content-Language"] == language
        assert mail.get_body(("html",)) is not None
        assert "selin@example.org" in mail.get_body(("plain",)).get_content()
    german = smtp_server.to(admin_de.email)[-1]
    assert "Barrierefreiheit" in german["Subject"] or "Rückmeldung" in german["Subject"]
    # Sending again sends nothing twice.
    deliver_mail()
    again = [
        m for m in smtp_server.to(admin_de.email) if marker in m.get_body(("plain",)).get_content()
    ]
    assert len(again) == 1


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"message": "kurz"}, "message"),
        ({"message": "Ein Problem mit dem Formular.", "email": "keine-adresse"}, "email"),
    ],
)
def test_feedback_errors_keep_the_text(
    client: Browser, db: Database, loop: Loop, data: dict[str, str], field: str
) -> None:
    response = client.submit("/de/accessibility", data)
    assert response.status_code == 422
    soup = page(response)
    assert soup.select_one(f"#{field}-error.field-error") is not None
    textarea = soup.select_one("textarea#message")
    assert textarea is not None
    assert textarea.get_text() == data["message"]
    assert feedback_rows(db, loop, data["message"]) == []


def test_feedback_from_robots_is_dropped(client: Browser, db: Database, loop: Loop) -> None:
    marker = unique("robot")
    response = client.submit(
        "/de/accessibility",
        {"message": f"Buy cheap things here {marker}", "website": "https://spam.example"},
    )
    assert response.status_code == 303
    assert feedback_rows(db, loop, marker) == []
