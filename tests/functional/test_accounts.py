"""Accounts as people use them: sign-up, sign-in and out, joining areas, the profile."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import Any

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from sqlalchemy import text

from participation.db import Database
from tests.conftest import PASSWORD, ROOT, Browser, Loop, Person, page, text_of, unique


@cache
def catalog(locale: str) -> Catalog:
    with (ROOT / "locales" / locale / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return read_po(f, locale=locale)


def tr(locale: str, msgid: str, **variables: Any) -> str:
    """The translation of msgid in the catalog of locale (what the page should show)."""
    message = catalog(locale).get(msgid)
    assert message is not None and message.string, f"{msgid!r} is not translated to {locale}"
    assert isinstance(message.string, str)
    return message.string % variables if variables else message.string


def squash(value: str) -> str:
    return re.sub(r"\s+", " ", value).strip()


def rows(db: Database, loop: Loop, sql: str, **params: Any) -> list[Any]:
    async def run() -> list[Any]:
        async with db.session() as session:
            return list((await session.execute(text(sql), params)).all())

    return loop.run(run())


def user_row(db: Database, loop: Loop, email: str) -> Any:
    found = rows(
        db,
        loop,
        "SELECT id, email, display_name, password_hash, preferred_locale FROM users "
        "WHERE lower(email) = :email",
        email=email.lower(),
    )
    assert len(found) == 1, found
    return found[0]


def roles_in(db: Database, loop: Loop, user_id: int, slug: str) -> set[str]:
    found = rows(
        db,
        loop,
        "SELECT r.role FROM membership_roles r JOIN memberships m ON m.id = r.membership_id "
        "JOIN areas a ON a.id = m.area_id WHERE m.user_id = :uid AND a.slug = :slug",
        uid=user_id,
        slug=slug,
    )
    return {row[0] for row in found}


def memberships_in(db: Database, loop: Loop, user_id: int, slug: str) -> int:
    found = rows(
        db,
        loop,
        "SELECT count(*) FROM memberships m JOIN areas a ON a.id = m.area_id "
        "WHERE m.user_id = :uid AND a.slug = :slug",
        uid=user_id,
        slug=slug,
    )
    return int(found[0][0])


def new_email() -> str:
    return f"{unique('signup')}@example.org"


# -- sign-up --------------------------------------------------------------------------------


def test_sign_up_creates_an_account_to_confirm(client: Browser, db: Database, loop: Loop) -> None:
    local = unique("New.Person")
    typed = f"{local}@Example.ORG"
    name = unique("Neue ")
    response = client.submit(
        "/tr/signup", {"email": f"  {typed} ", "display_name": name, "password": PASSWORD}
    )

    # The answer asks to confirm the address; it does not say whether it was known before.
    assert response.status_code == 200
    assert typed.lower() in text_of(response, "main")
    row = user_row(db, loop, typed)
    assert row.email == typed.lower()
    assert row.display_name == name
    assert row.password_hash.startswith("$argon2")
    assert PASSWORD not in row.password_hash
    assert row.preferred_locale == "tr"

    assert client.get("/tr/profile").status_code == 303  # not signed in yet
    client.sign_in(Person(row.id, typed.lower(), PASSWORD, name), "tr")
    profile = client.get("/tr/profile")
    assert profile.status_code == 200
    assert name in text_of(profile, ".account-nav")
    assert typed.lower() in profile.text


@pytest.mark.parametrize("locale", ["de", "ar"])
def test_preferred_language_is_the_language_of_the_sign_up_page(
    client: Browser, db: Database, loop: Loop, locale: str
) -> None:
    email = new_email()
    response = client.submit(
        f"/{locale}/signup", {"email": email, "display_name": "Sprache", "password": PASSWORD}
    )
    assert response.status_code == 200
    assert user_row(db, loop, email).preferred_locale == locale


@pytest.mark.parametrize(
    ("change", "field", "msgid", "variables"),
    [
        (
            {"email": "not-an-address"},
            "email",
            "Please enter an e-mail address like name@example.org.",
            {},
        ),
        (
            {"password": "short pw"},
            "password",
            "Please write between %(min)d and %(max)d characters.",
            {"min": 10, "max": 200},
        ),
        ({"display_name": ""}, "display_name", "Please fill in this field.", {}),
        (
            {"display_name": "N" * 61},
            "display_name",
            "Please write between %(min)d and %(max)d characters.",
            {"min": 2, "max": 60},
        ),
    ],
    ids=["bad-email", "short-password", "empty-name", "long-name"],
)
def test_sign_up_errors_are_shown_next_to_the_field(
    client: Browser,
    db: Database,
    loop: Loop,
    change: dict[str, str],
    field: str,
    msgid: str,
    variables: dict[str, int],
) -> None:
    email = new_email()
    password = "secret-" + unique("pw") + "-secret"
    data = {"email": email, "display_name": "Kiezperson", "password": password, **change}
    response = client.submit("/de/signup", data)

    assert response.status_code == 422
    expected = tr("de", msgid, **variables)
    assert expected != (msgid % variables if variables else msgid)
    assert text_of(response, f"#{field}-error") == squash(expected)
    assert page(response).select_one(f"#{field}")["aria-invalid"] == "true"  # type: ignore[index]
    # the other fields are kept, the password never comes back
    if field != "email":
        assert page(response).select_one("#email")["value"] == email  # type: ignore[index]
    if field != "display_name":
        kept = page(response).select_one("#display_name")
        assert kept is not None and kept["value"] == "Kiezperson"
    assert not page(response).select_one("#password").has_attr("value")  # type: ignore[union-attr]
    assert password not in response.text
    assert change.get("password", "\0") not in response.text
    # nothing was created
    found = rows(db, loop, "SELECT count(*) FROM users WHERE email = :e", e=email)
    assert found[0][0] == 0


def test_sign_up_with_a_taken_address_in_another_case(
    client: Browser, db: Database, loop: Loop, make_user: Callable[..., Person]
) -> None:
    existing = make_user()
    shouting = existing.email.upper()
    response = client.submit(
        "/en/signup", {"email": shouting, "display_name": "Twin", "password": "another password"}
    )
    fresh = client.submit(
        "/en/signup", {"email": new_email(), "display_name": "Twin", "password": "another password"}
    )

    # The same answer whether or not the address is registered (the owner gets a mail instead).
    assert response.status_code == fresh.status_code == 200
    assert text_of(response, "h1") == text_of(fresh, "h1")
    assert "another password" not in response.text
    found = rows(
        db, loop, "SELECT count(*) FROM users WHERE lower(email) = :e", e=existing.email.lower()
    )
    assert found[0][0] == 1
    # still not signed in
    assert client.get("/en/profile").status_code == 303


def test_sign_up_error_in_german(client: Browser) -> None:
    response = client.submit(
        "/de/signup", {"email": "nope", "display_name": "Kiez", "password": PASSWORD}
    )
    assert response.status_code == 422
    assert "E-Mail" in text_of(response, "#email-error")


# -- sign-in and sign-out -----------------------------------------------------------------


def test_sign_in_and_sign_out(client: Browser, make_user: Callable[..., Person]) -> None:
    person = make_user()
    assert client.get("/de/profile").status_code == 303

    response = client.submit("/de/signin", {"email": person.email, "password": person.password})
    assert response.status_code == 303
    assert response.headers["location"] == "/de/"
    home = client.get("/de/")
    assert person.display_name in text_of(home, ".account-nav")
    assert text_of(home, ".flashes") == tr("de", "You are signed in.")
    assert client.get("/de/profile").status_code == 200

    response = client.submit("/de/signout", {}, page_path="/de/")
    assert response.status_code == 303
    assert response.headers["location"] == "/de/"
    home = client.get("/de/")
    assert person.display_name not in text_of(home, ".account-nav")
    assert text_of(home, ".account-nav a[href='/de/signin']") == "Anmelden"
    profile = client.get("/de/profile")
    assert profile.status_code == 303


def test_sign_in_accepts_the_address_in_any_case(
    client: Browser, make_user: Callable[..., Person]
) -> None:
    person = make_user()
    response = client.submit(
        "/de/signin", {"email": person.email.upper(), "password": person.password}
    )
    assert response.status_code == 303


def test_wrong_password_and_unknown_address_look_the_same(
    client: Browser, make_user: Callable[..., Person]
) -> None:
    person = make_user()
    wrong = client.submit("/de/signin", {"email": person.email, "password": "not the password"})
    unknown = client.submit("/de/signin", {"email": new_email(), "password": person.password})

    expected = tr("de", "The e-mail address or the password is not right.")
    for response in (wrong, unknown):
        assert response.status_code == 422
        assert text_of(response, ".error-summary") == expected
        assert page(response).select_one("#email-error") is None
        assert person.password not in response.text
        assert "not the password" not in response.text
    assert client.get("/de/profile").status_code == 303


def test_sign_in_rotates_the_session(
    client: Browser, new_client: Callable[[], Browser], make_user: Callable[..., Person]
) -> None:
    person = make_user()
    old_token = client.form_token("/de/signin")
    old_cookie = client.cookies.get("session")
    assert old_cookie

    response = client.post(
        "/de/signin",
        data={"csrf_token": old_token, "email": person.email, "password": person.password},
    )
    assert response.status_code == 303
    new_cookie = client.cookies.get("session")
    assert new_cookie and new_cookie != old_cookie

    # The token of the anonymous session is no longer accepted ...
    refused = client.post(
        "/de/profile",
        data={"csrf_token": old_token, "display_name": "Hijacked", "preferred_locale": "ar"},
    )
    assert refused.status_code == 403
    # ... the signed-in session has a new one ...
    assert client.form_token("/de/profile") != old_token
    # ... and someone holding the old cookie is not signed in (the new one is).
    other = new_client()
    assert other.get("/de/profile", headers={"cookie": f"session={old_cookie}"}).status_code == 303
    assert other.get("/de/profile", headers={"cookie": f"session={new_cookie}"}).status_code == 200


def test_next_is_followed_for_local_paths(
    client: Browser, make_user: Callable[..., Person]
) -> None:
    person = make_user()
    form = client.get("/de/signin", params={"next": "/de/areas/mehringplatz?x=1"})
    hidden = page(form).select_one('input[name="next"]')
    assert hidden is not None and hidden["value"] == "/de/areas/mehringplatz?x=1"

    response = client.submit(
        "/de/signin",
        {"email": person.email, "password": person.password, "next": "/de/areas/mehringplatz"},
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/de/areas/mehringplatz"


@pytest.mark.parametrize(
    "target", ["//evil.example", "https://evil.example", "/\\evil.example", "evil.example"]
)
def test_next_never_leads_to_another_site(
    client: Browser, make_user: Callable[..., Person], target: str
) -> None:
    person = make_user()
    response = client.submit(
        "/en/signin", {"email": person.email, "password": person.password, "next": target}
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/en/"


# -- joining areas --------------------------------------------------------------------------


def test_join_an_area_with_several_roles_then_change_them(
    client: Browser, db: Database, loop: Loop, make_user: Callable[..., Person]
) -> None:
    person = make_user()
    client.sign_in(person)
    path = "/de/areas/wassertorplatz/join"
    assert not page(client.get(path)).select("input[name=roles][checked]")

    response = client.submit(path, {"roles": ["resident", "business"]})
    assert response.status_code == 303
    assert response.headers["location"] == "/de/areas/wassertorplatz"
    assert roles_in(db, loop, person.id, "wassertorplatz") == {"resident", "business"}
    assert memberships_in(db, loop, person.id, "wassertorplatz") == 1

    form = client.get(path)
    checked = {str(i["value"]) for i in page(form).select("input[name=roles][checked]")}
    assert checked == {"resident", "business"}

    response = client.submit(path, {"roles": ["owner", "institution"]})
    assert response.status_code == 303
    assert roles_in(db, loop, person.id, "wassertorplatz") == {"owner", "institution"}
    assert memberships_in(db, loop, person.id, "wassertorplatz") == 1

    # Members may now post an idea.
    assert client.get("/de/areas/wassertorplatz/ideas/new").status_code == 200


def test_joining_without_a_role_is_refused(
    client: Browser, db: Database, loop: Loop, make_user: Callable[..., Person]
) -> None:
    person = make_user(member_of={"zentrum-kreuzberg": ["resident"]})
    client.sign_in(person, "en")
    response = client.submit("/en/areas/zentrum-kreuzberg/join", {})

    assert response.status_code == 422
    assert text_of(response, "#roles-error") == tr("en", "Please choose at least one.")
    assert roles_in(db, loop, person.id, "zentrum-kreuzberg") == {"resident"}

    other = make_user()
    client.sign_in(other)
    response = client.submit("/de/areas/zentrum-kreuzberg/join", {})
    assert response.status_code == 422
    assert text_of(response, "#roles-error") == tr("de", "Please choose at least one.")
    assert memberships_in(db, loop, other.id, "zentrum-kreuzberg") == 0


@pytest.mark.parametrize("slug", ["mariannenplatz", "duettmann-siedlung"])
def test_joining_an_area_in_consolidation_is_refused(
    client: Browser, db: Database, loop: Loop, make_user: Callable[..., Person], slug: str
) -> None:
    person = make_user()
    client.sign_in(person)
    form = client.get(f"/de/areas/{slug}/join")
    assert form.status_code == 403
    assert page(form).select_one("input[name=roles]") is None
    token = client.form_token("/de/")

    response = client.post(
        f"/de/areas/{slug}/join", data={"csrf_token": token, "roles": ["resident"]}
    )
    assert response.status_code == 403
    assert tr(
        "de", "This area is in consolidation. Its pages stay readable as an archive."
    ) in squash(page(response).get_text(" "))
    assert memberships_in(db, loop, person.id, slug) == 0


def test_joining_needs_an_account(client: Browser) -> None:
    response = client.get("/de/areas/mehringplatz/join")
    assert response.status_code == 303
    assert response.headers["location"] == "/de/signin?next=/de/areas/mehringplatz/join"


# -- the profile ----------------------------------------------------------------------------


def test_change_name_and_preferred_language(
    client: Browser, db: Database, loop: Loop, make_user: Callable[..., Person]
) -> None:
    person = make_user(locale="de")
    client.sign_in(person)
    new_name = unique("Umbenannt ")
    response = client.submit(
        "/de/profile", {"display_name": f" {new_name} ", "preferred_locale": "tr"}
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/de/profile"

    row = user_row(db, loop, person.email)
    assert row.display_name == new_name
    assert row.preferred_locale == "tr"
    profile = client.get("/de/profile")
    assert new_name in text_of(profile, ".account-nav")
    selected = page(profile).select_one("#preferred_locale option[selected]")
    assert selected is not None and selected["value"] == "tr"

    # The start page now opens in Turkish, whatever the browser and the cookie say.
    assert client.cookies.get("lang") == "de"
    root = client.get("/", headers={"accept-language": "de-DE,de;q=0.9,en;q=0.5"})
    assert root.status_code in (302, 303, 307)
    assert root.headers["location"] == "/tr/"


def test_profile_errors_keep_the_account_unchanged(
    client: Browser, db: Database, loop: Loop, make_user: Callable[..., Person]
) -> None:
    person = make_user(locale="en")
    client.sign_in(person, "en")
    response = client.submit("/en/profile", {"display_name": "X", "preferred_locale": "xx"})
    assert response.status_code == 422
    assert text_of(response, "#display_name-error") == tr(
        "en", "Please write between %(min)d and %(max)d characters.", min=2, max=60
    )
    assert page(response).select_one("#preferred_locale-error") is not None
    row = user_row(db, loop, person.email)
    assert (row.display_name, row.preferred_locale) == (person.display_name, "en")


def test_profile_shows_memberships(client: Browser, make_user: Callable[..., Person]) -> None:
    person = make_user(member_of={"mehringplatz": ["resident", "owner"]})
    client.sign_in(person, "en")
    response = client.get("/en/profile")
    assert response.status_code == 200
    memberships = text_of(response, ".memberships")
    assert "Mehringplatz" in memberships
    assert tr("en", "resident") in memberships
    assert tr("en", "property owner") in memberships


@pytest.mark.parametrize("locale", ["de", "ar"])
def test_anonymous_profile_redirects_to_sign_in(client: Browser, locale: str) -> None:
    response = client.get(f"/{locale}/profile")
    assert response.status_code == 303
    assert response.headers["location"] == f"/{locale}/signin?next=/{locale}/profile"


def test_sign_up_is_rate_limited_per_client(
    make_server: Callable[..., Any], db: Database, loop: Loop
) -> None:
    server = make_server(signup_client_rate_limit="2/hour")
    with Browser(base_url=server.url) as browser:
        statuses = [
            browser.submit(
                "/de/signup",
                {"email": new_email(), "display_name": "Viele", "password": PASSWORD},
            ).status_code
            for _ in range(3)
        ]
    assert statuses == [200, 200, 429]


def test_robots_filling_the_hidden_field_get_no_account(
    client: Browser, db: Database, loop: Loop
) -> None:
    email = new_email()
    response = client.submit(
        "/de/signup",
        {"email": email, "display_name": "Robot", "password": PASSWORD, "website": "http://x"},
    )
    assert response.status_code == 200  # the same answer as for people
    found = rows(db, loop, "SELECT count(*) FROM users WHERE email = :e", e=email)
    assert found[0][0] == 0
