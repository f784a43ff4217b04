"""Managers and the district office are marked by their role, which no display name can imitate."""

from __future__ import annotations

from collections.abc import Callable

from tests.conftest import Browser, Person, Place, page


def comment(browser: Browser, idea_id: int, body: str) -> int:
    response = browser.submit(
        f"/de/ideas/{idea_id}/comments",
        {"body": body, "language": "de"},
        page_path=f"/de/ideas/{idea_id}",
    )
    assert response.status_code == 303
    return int(response.headers["location"].rsplit("-", 1)[1])


def test_badges_come_from_roles_not_names(
    new_client: Callable[[], Browser],
    make_user: Callable[..., Person],
    make_area: Callable[..., Place],
    make_idea: Callable[..., int],
) -> None:
    place = make_area()
    author = make_user(member_of={place.slug: ["resident"]})
    idea_id = make_idea(place, author)
    manager = make_user(manager_of=[place.slug], display_name="Jana vom QM")
    admin = make_user(admin=True, display_name="Lena")
    pretender = make_user(member_of={place.slug: ["resident"]}, display_name=f"QM {place.name}")
    other_manager = make_user(manager_of=["wassertorplatz"], member_of={place.slug: ["owner"]})

    ids = {}
    for person in [manager, admin, pretender, other_manager]:
        browser = new_client()
        browser.sign_in(person)
        ids[person.id] = comment(browser, idea_id, f"Ein Kommentar von {person.display_name}.")

    shown = page(new_client().get(f"/de/ideas/{idea_id}"))

    def badge(person: Person) -> str | None:
        element = shown.select_one(f"#comment-{ids[person.id]} .badge--staff")
        return element.get_text(strip=True) if element else None

    assert badge(manager) == f"QM {place.name}"
    assert badge(admin) == "Bezirksamt"
    assert badge(pretender) is None
    assert badge(other_manager) is None  # a manager elsewhere speaks for nobody here
