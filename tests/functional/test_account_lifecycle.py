"""Verified e-mail, password reset, changing address and password, signing out everywhere.

Mails go through the outbox to a real SMTP server; the tests follow the links in them.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import select

from participation.accounts.models import User
from participation.db import Database
from participation.ideas.models import Idea
from tests.conftest import (
    PASSWORD,
    Browser,
    Loop,
    Mailbox,
    Person,
    Server,
    page,
    text_of,
    unique,
)


def link_in(mail: Any, path_part: str) -> str:
    text = mail.get_body(("plain",)).get_content()
    match = re.search(r"https?://\S*" + re.escape(path_part) + r"\S*", text)
    assert match, text
    return match.group(0)


def path_of(link: str) -> str:
    return "/" + link.split("/", 3)[3]


def user_row(db: Database, loop: Loop, email: str) -> User | None:
    async def read() -> User | None:
        async with db.session() as session:
            result = await session.execute(select(User).where(User.email == email))
            return result.scalar_one_or_none()

    return loop.run(read())


def sign_up(client: Browser, locale: str = "de") -> str:
    """Sign up through the form, then sign in (allowed before the address is confirmed)."""
    email = f"{unique('neu')}@example.org"
    response = client.submit(
        f"/{locale}/signup",
        {"email": email, "display_name": "Neue Nachbarin", "password": PASSWORD},
    )
    assert response.status_code == 200
    client.sign_in(Person(0, email, PASSWORD, "Neue Nachbarin"), locale)
    return email


def test_new_account_must_confirm_its_address_before_taking_part(
    client: Browser,
    db: Database,
    loop: Loop,
    smtp_server: Mailbox,
    deliver_mail: Callable[[], int],
) -> None:
    email = sign_up(client, "ar")
    assert client.submit("/ar/areas/mehringplatz/join", {"roles": ["resident"]}).status_code == 303

    # Unverified: the profile works, posting does not.
    profile = client.get("/ar/profile")
    assert profile.status_code == 200
    assert page(profile).select_one(".badge--warning") is not None
    refused = client.get("/ar/areas/mehringplatz/ideas/new")
    assert refused.status_code == 403
    assert page(refused).html["lang"] == "ar"  # type: ignore[index]

    deliver_mail()
    (mail,) = smtp_server.to(email)
    assert mail["Content-Language"] == "ar"
    link = link_in(mail, "/ar/verify/")
    confirmed = client.get(path_of(link))
    assert confirmed.status_code == 303
    row = user_row(db, loop, email)
    assert row is not None and row.email_verified_at is not None

    form = client.get("/ar/areas/mehringplatz/ideas/new")
    assert form.status_code == 200


def test_unverified_member_cannot_comment_or_support(
    client: Browser,
    make_user: Callable[..., Person],
    make_idea: Callable[..., int],
    make_area: Callable[..., Any],
    db: Database,
    loop: Loop,
) -> None:
    place = make_area()
    author = make_user(member_of={place.slug: ["resident"]})
    idea_id = make_idea(place, author)
    email = sign_up(client)
    client.submit(f"/de/areas/{place.slug}/join", {"roles": ["business"]})
    token = client.form_token(f"/de/ideas/{idea_id}")
    assert (
        client.post(
            f"/de/ideas/{idea_id}/support", data={"csrf_token": token, "support": "1"}
        ).status_code
        == 403
    )
    assert (
        client.post(
            f"/de/ideas/{idea_id}/comments",
            data={"csrf_token": token, "body": "Ein Kommentar", "language": "de"},
        ).status_code
        == 403
    )
    detail = client.get(f"/de/ideas/{idea_id}")
    assert page(detail).select_one(f"#support-{idea_id} a[href='/de/profile']") is not None
    assert page(detail).select_one(f"#support-{idea_id} form") is None
    assert user_row(db, loop, email) is not None

    async def counts() -> tuple[int, int]:
        async with db.session() as session:
            idea = await session.get(Idea, idea_id)
            assert idea is not None
            return idea.support_count, idea.comment_count

    assert loop.run(counts()) == (0, 0)


def test_resend_gives_a_new_link(
    client: Browser, smtp_server: Mailbox, deliver_mail: Callable[[], int]
) -> None:
    email = sign_up(client)
    assert client.submit("/de/verify", {}, page_path="/de/profile").status_code == 303
    deliver_mail()
    mails = smtp_server.to(email)
    assert len(mails) == 2
    assert all("/de/verify/" in link_in(m, "/verify/") for m in mails)


def _old_token(secret: str, data: dict[str, Any], salt: str, age: int) -> str:
    class OldSigner(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time()) - age

    serializer = URLSafeTimedSerializer(secret, salt=salt, signer=OldSigner)
    return serializer.dumps(data)


@pytest.mark.parametrize("locale", ["de", "ar"])
def test_expired_and_tampered_links_explain_the_next_step(
    client: Browser, server: Server, locale: str
) -> None:
    secret = str(server.settings.secret_key)
    expired = _old_token(
        secret, {"uid": 1, "email": "x@example.org"}, "participation.verify", 4 * 86400
    )
    response = client.get(f"/{locale}/verify/{expired}")
    assert response.status_code == 400
    assert page(response).html["lang"] == locale  # type: ignore[index]
    assert page(response).select_one("a[href*='signin']") is not None

    tampered = client.get(f"/{locale}/password/reset/{expired[:-3]}abc")
    assert tampered.status_code == 400
    assert page(tampered).select_one(f"a[href='/{locale}/password/forgot']") is not None
    assert text_of(response, "h1") != text_of(tampered, "h1")  # expired vs. broken


def test_password_reset_ends_every_session_and_works_once(
    new_client: Callable[[], Browser],
    make_user: Callable[..., Person],
    smtp_server: Mailbox,
    deliver_mail: Callable[[], int],
) -> None:
    person = make_user()
    elsewhere = new_client()
    elsewhere.sign_in(person)
    assert elsewhere.get("/de/profile").status_code == 200

    asking = new_client()
    unknown = asking.submit("/de/password/forgot", {"email": "niemand@example.org"})
    known = asking.submit("/de/password/forgot", {"email": person.email})
    assert unknown.status_code == known.status_code == 200
    assert text_of(unknown, "h1") == text_of(known, "h1")
    deliver_mail()
    (mail,) = smtp_server.to(person.email)
    reset_path = path_of(link_in(mail, "/password/reset/"))

    new_password = "ein ganz neues passwort"
    done = asking.submit(reset_path, {"password": new_password})
    assert done.status_code == 303
    assert elsewhere.get("/de/profile").status_code == 303  # signed out there
    again = asking.submit(
        reset_path, {"password": "noch ein anderes passwort"}, page_path="/de/signin"
    )
    assert again.status_code == 400

    fresh = new_client()
    old = fresh.submit("/de/signin", {"email": person.email, "password": person.password})
    assert old.status_code == 422
    person.password = new_password
    fresh.sign_in(person)


def test_sign_out_everywhere(
    new_client: Callable[[], Browser], make_user: Callable[..., Person]
) -> None:
    person = make_user()
    phone, laptop = new_client(), new_client()
    phone.sign_in(person)
    laptop.sign_in(person)
    assert (
        laptop.submit("/de/profile/sign-out-everywhere", {}, page_path="/de/profile").status_code
        == 303
    )
    assert phone.get("/de/profile").status_code == 303
    assert laptop.get("/de/profile").status_code == 303


def test_changing_the_address_asks_to_confirm_it_again(
    client: Browser,
    make_user: Callable[..., Person],
    db: Database,
    loop: Loop,
    smtp_server: Mailbox,
    deliver_mail: Callable[[], int],
) -> None:
    person = make_user()
    client.sign_in(person)
    wrong = client.submit(
        "/de/profile/email", {"email": "neu@example.org", "password": "falsch falsch"}
    )
    assert wrong.status_code == 422
    assert page(wrong).select_one("#password-error") is not None
    new_address = f"{unique('umzug')}@example.org"
    moved = client.submit("/de/profile/email", {"email": new_address, "password": person.password})
    assert moved.status_code == 303
    row = user_row(db, loop, new_address)
    assert row is not None and row.email_verified_at is None
    deliver_mail()
    assert len(smtp_server.to(new_address)) == 1
    assert len(smtp_server.to(person.email)) == 1  # the notice to the old address
    client.get(path_of(link_in(smtp_server.to(new_address)[0], "/verify/")))
    row = user_row(db, loop, new_address)
    assert row is not None and row.email_verified_at is not None


def test_changing_the_password_keeps_this_device_signed_in(
    new_client: Callable[[], Browser], make_user: Callable[..., Person]
) -> None:
    person = make_user()
    here, there = new_client(), new_client()
    here.sign_in(person)
    there.sign_in(person)
    wrong = here.submit(
        "/de/profile/password", {"current_password": "nicht richtig", "password": "x" * 12}
    )
    assert wrong.status_code == 422
    changed = here.submit(
        "/de/profile/password",
        {"current_password": person.password, "password": "ein neues langes passwort"},
    )
    assert changed.status_code == 303
    assert here.get("/de/profile").status_code == 200
    assert there.get("/de/profile").status_code == 303


def test_unconfirmed_accounts_are_deleted_after_30_days(
    client: Browser, db: Database, loop: Loop, make_user: Callable[..., Person]
) -> None:
    from datetime import timedelta

    from participation.db import utcnow
    from participation.maintenance import run_maintenance

    email = sign_up(client)
    confirmed = make_user()
    assert loop.run(run_maintenance(db, utcnow() + timedelta(days=29)))["unverified_accounts"] >= 0
    assert user_row(db, loop, email) is not None
    loop.run(run_maintenance(db, utcnow() + timedelta(days=31)))
    assert user_row(db, loop, email) is None
    assert user_row(db, loop, confirmed.email) is not None
