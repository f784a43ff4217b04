"""Four interface languages: every page in each, the start-page redirect, plurals, catalogs."""

from __future__ import annotations

import gettext
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from bs4 import BeautifulSoup
from sqlalchemy import update

from participation.db import Database
from participation.ideas.models import Idea
from tests.conftest import ROOT, Browser, Loop, Person, Place, Server, page, text_of

LOCALES = ["de", "en", "tr", "ar"]
DIRECTION = {"de": "ltr", "en": "ltr", "tr": "ltr", "ar": "rtl"}
PLACEHOLDER = re.compile(r"%\((\w+)\)")


@cache
def catalog(locale: str) -> Catalog:
    with (ROOT / "locales" / locale / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return read_po(f, locale=locale)


def squash(value: str) -> str:
    return re.sub(r"\s+", " ", value).strip()


def tr(locale: str, msgid: str, **variables: Any) -> str:
    message = catalog(locale).get(msgid)
    assert message is not None and message.string, f"{msgid!r} is not translated to {locale}"
    assert isinstance(message.string, str)
    return squash(message.string % variables if variables else message.string)


def plural(locale: str, msgid: str, n: int) -> str:
    """What ngettext shows for n, with n formatted by Babel for the locale."""
    cat = catalog(locale)
    message = cat.get(msgid)
    assert message is not None and isinstance(message.string, tuple), msgid
    form = message.string[gettext.c2py(cat.plural_expr)(n)]
    assert form, f"plural form for {n} of {msgid!r} is empty in {locale}"
    return squash(form % {"num": format_decimal(n, locale=locale)})


def leftovers(soup: BeautifulSoup, locale: str) -> list[str]:
    """English interface texts shown on a page in a language that translates them.

    Texts people wrote carry their own `lang` attribute and are left out.
    """
    soup = BeautifulSoup(str(soup), "html.parser")
    for element in soup.select("body [lang]"):
        element.decompose()
    texts = [soup.get_text(" ")]
    for element in soup.find_all(True):
        for attribute in ("aria-label", "title", "placeholder", "alt"):
            if element.has_attr(attribute):
                texts.append(str(element[attribute]))
    haystack = squash(" ".join(texts))
    found = []
    for message in catalog(locale):
        if not message.id or not isinstance(message.id, str) or "%(" in message.id:
            continue
        translation = message.string if isinstance(message.string, str) else ""
        english = squash(message.id)
        if not translation or squash(translation) == english or english in squash(translation):
            continue
        if re.search(r"(?<!\w)" + re.escape(english) + r"(?!\w)", haystack):
            found.append(english)
    return found


# -- every page in every language -----------------------------------------------------------


@dataclass
class Scene:
    place: Place
    idea: int
    member: Person


@pytest.fixture
def scene(
    make_user: Callable[..., Person],
    make_area: Callable[..., Place],
    make_idea: Callable[..., int],
) -> Scene:
    place = make_area()
    member = make_user(member_of={place.slug: ["resident"]})
    return Scene(place, make_idea(place, member), member)


def anonymous_pages(scene: Scene) -> list[tuple[str, int]]:
    return [
        ("/", 200),
        ("/areas/mehringplatz", 200),
        (f"/areas/{scene.place.slug}", 200),
        ("/areas/mariannenplatz", 200),
        ("/areas/mehringplatz/ideas", 200),
        (f"/areas/{scene.place.slug}/ideas", 200),
        (f"/ideas/{scene.idea}", 200),
        ("/signup", 200),
        ("/signin", 200),
        ("/password/forgot", 200),
        ("/password/reset/not-a-token", 400),
        ("/verify/not-a-token", 400),
        ("/accessibility", 200),
        ("/easy-read", 200),
        ("/privacy", 200),
        ("/imprint", 200),
        ("/no-such-page", 404),
    ]


def member_pages(scene: Scene) -> list[tuple[str, int]]:
    return [
        (f"/areas/{scene.place.slug}/ideas/new", 200),
        ("/profile", 200),
        ("/areas/mehringplatz/join", 200),
        (f"/ideas/{scene.idea}", 200),
        ("/profile/email", 200),
        ("/profile/password", 200),
        ("/profile/delete", 200),
        (f"/areas/{scene.place.slug}/verify", 200),
    ]


def check_page(response: httpx.Response, locale: str, status: int, signed_in: bool) -> list[str]:
    problems = []
    if response.status_code != status:
        return [f"status {response.status_code}"]
    soup = page(response)
    html = soup.html
    assert html is not None
    if (html.get("lang"), html.get("dir")) != (locale, DIRECTION[locale]):
        problems.append(f"<html lang={html.get('lang')} dir={html.get('dir')}>")
    nav = soup.select_one(".account-nav")
    nav_text = squash(nav.get_text(" ")) if nav else ""
    expected_nav = tr(locale, "Sign out" if signed_in else "Sign in")
    if expected_nav not in nav_text:
        problems.append(f"account navigation {nav_text!r} lacks {expected_nav!r}")
    skip = soup.select_one(".skip-link")
    if skip is None or squash(skip.get_text()) != tr(locale, "Skip to main content"):
        problems.append("skip link not translated")
    if locale != "en":
        problems += [f"English text {text!r}" for text in leftovers(soup, locale)]
    return problems


@pytest.mark.parametrize("locale", LOCALES)
def test_every_page_in_every_language(
    client: Browser, new_client: Callable[[], Browser], scene: Scene, locale: str
) -> None:
    member = new_client()
    member.sign_in(scene.member, locale)
    problems = {}
    for browser, pages, signed_in in [
        (client, anonymous_pages(scene), False),
        (member, member_pages(scene), True),
    ]:
        for path, status in pages:
            url = f"/{locale}{path}"
            found = check_page(browser.get(url), locale, status, signed_in)
            if found:
                problems[url] = found
    assert problems == {}


def test_sign_in_link_is_translated(client: Browser) -> None:
    texts = {
        locale: text_of(client.get(f"/{locale}/"), f".account-nav a[href='/{locale}/signin']")
        for locale in LOCALES
    }
    assert texts["de"] == "Anmelden"
    assert texts["en"] == "Sign in"
    assert len(set(texts.values())) == 4, texts
    for locale, shown in texts.items():
        assert shown == tr(locale, "Sign in")


def test_german_pages_speak_german(client: Browser) -> None:
    home = client.get("/de/")
    assert text_of(home, ".account-nav a[href='/de/signup']") == "Registrieren"
    assert "Alle Gebiete" in text_of(home, ".site-footer")
    signin = client.get("/de/signin")
    assert text_of(signin, "h1") == "Anmelden"
    assert text_of(signin, "label[for=password]") == "Passwort"


# -- which language `/` opens -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept_language", "cookie", "expected"),
    [
        (None, None, "/de/"),
        ("tr-TR,tr;q=0.9", None, "/tr/"),
        ("fr", None, "/de/"),
        ("fr-FR,fr;q=0.9,ar;q=0.8,en;q=0.5", None, "/ar/"),
        ("en-GB,en;q=0.9,de;q=0.8", None, "/en/"),
        ("de;q=0.3,en;q=0.9", None, "/en/"),
        ("tr-TR,tr;q=0.9", "ar", "/ar/"),
        ("tr-TR,tr;q=0.9", "xx", "/tr/"),
        (None, "en", "/en/"),
    ],
)
def test_start_page_language(
    new_client: Callable[[], Browser],
    accept_language: str | None,
    cookie: str | None,
    expected: str,
) -> None:
    headers = {}
    if accept_language:
        headers["accept-language"] = accept_language
    if cookie:
        headers["cookie"] = f"lang={cookie}"
    response = new_client().get("/", headers=headers)
    assert response.status_code in (302, 303, 307)
    assert response.headers["location"] == expected
    vary = response.headers.get("vary", "").lower()
    assert "accept-language" in vary and "cookie" in vary


def test_the_language_of_a_page_is_remembered(new_client: Callable[[], Browser]) -> None:
    browser = new_client()
    assert browser.get("/tr/signin").status_code == 200
    response = browser.get("/", headers={"accept-language": "ar"})
    assert response.headers["location"] == "/tr/"


def test_account_preference_wins(
    new_client: Callable[[], Browser], make_user: Callable[..., Person]
) -> None:
    person = make_user(locale="en")
    browser = new_client()
    browser.sign_in(person, "tr")  # visiting Turkish pages sets the cookie to tr
    assert browser.cookies.get("lang") == "tr"
    response = browser.get("/", headers={"accept-language": "ar"})
    assert response.headers["location"] == "/en/"


# -- the language switcher ------------------------------------------------------------------


def test_switcher_links_to_the_same_idea(client: Browser, scene: Scene, server: Server) -> None:
    response = client.get(f"/de/ideas/{scene.idea}")
    soup = page(response)
    title = text_of(response, "h1")
    for locale in LOCALES:
        link = soup.select_one(f".language-nav a[hreflang={locale}]")
        assert link is not None
        assert link["href"] == f"/{locale}/ideas/{scene.idea}"
        assert link["lang"] == locale
        alternate = soup.select_one(f"link[rel=alternate][hreflang={locale}]")
        # Search engines need the alternates as absolute addresses (from BASE_URL).
        expected = f"{server.url}/{locale}/ideas/{scene.idea}"
        assert alternate is not None and alternate["href"] == expected
    current = soup.select(".language-nav a[aria-current]")
    assert [a["hreflang"] for a in current] == ["de"]

    followed = client.get(f"/ar/ideas/{scene.idea}")
    assert followed.status_code == 200
    assert page(followed).html["dir"] == "rtl"  # type: ignore[index]
    assert text_of(followed, "h1") == title


def test_switcher_keeps_the_query_string(client: Browser, scene: Scene) -> None:
    path = f"/areas/{scene.place.slug}/ideas"
    query = f"field={scene.place.field_ids[1]}&sort=supported"
    soup = page(client.get(f"/en{path}?{query}"))
    for locale in LOCALES:
        link = soup.select_one(f".language-nav a[hreflang={locale}]")
        assert link is not None
        assert link["href"] == f"/{locale}{path}?{query}"


# -- plurals and numbers --------------------------------------------------------------------


@pytest.mark.parametrize("locale", LOCALES)
def test_idea_counts_use_plural_forms(
    client: Browser,
    make_user: Callable[..., Person],
    make_area: Callable[..., Place],
    make_idea: Callable[..., int],
    locale: str,
) -> None:
    author = make_user()
    one, two = make_area(), make_area()
    make_idea(one, author)
    make_idea(two, author)
    make_idea(two, author)

    shown = {}
    for place, n in [(one, 1), (two, 2)]:
        heading = text_of(client.get(f"/{locale}/areas/{place.slug}/ideas"), "#results-heading")
        assert heading == plural(locale, "%(num)s idea", n)
        shown[n] = heading
    assert shown[1] != shown[2]
    expected = {"de": ("1 Idee", "2 Ideen"), "en": ("1 idea", "2 ideas")}
    if locale in expected:
        assert (shown[1], shown[2]) == expected[locale]


@pytest.mark.parametrize(("locale", "number"), [("de", "1.234"), ("en", "1,234"), ("ar", None)])
def test_large_counts_are_formatted_for_the_language(
    client: Browser,
    db: Database,
    loop: Loop,
    make_user: Callable[..., Person],
    make_area: Callable[..., Place],
    make_idea: Callable[..., int],
    locale: str,
    number: str | None,
) -> None:
    place = make_area()
    idea = make_idea(place, make_user())

    async def popular() -> None:
        async with db.session(write=True) as session:
            await session.execute(update(Idea).where(Idea.id == idea).values(support_count=1234))

    loop.run(popular())
    response = client.get(f"/{locale}/areas/{place.slug}/ideas")
    counts = text_of(response, f"#idea-{idea}-title ~ .counts")
    assert plural(locale, "%(num)s supporter", 1234) in counts
    if number:
        assert number in counts
    assert "1234" not in counts


# -- the catalogs ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    target = tmp_path_factory.mktemp("messages") / "messages.pot"
    pybabel = Path(sys.executable).with_name("pybabel")
    result = subprocess.run(
        [
            str(pybabel),
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "lazy_gettext",
            "-k",
            "_l",
            "-o",
            str(target),
            ".",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    with target.open("rb") as f:
        template = read_po(f)
    assert len([m for m in template if m.id]) > 100
    return template


@pytest.mark.parametrize("locale", LOCALES)
def test_catalog_is_complete(extracted: Catalog, locale: str) -> None:
    cat = catalog(locale)
    missing, untranslated, fuzzy, wrong_plural = [], [], [], []
    for message in extracted:
        if not message.id:
            continue
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        found = cat.get(key)
        if found is None or found.id != message.id:
            missing.append(key)
            continue
        forms = found.string if isinstance(found.string, tuple) else (found.string,)
        if not all(forms):
            untranslated.append(key)
        if found.fuzzy:
            fuzzy.append(key)
        if isinstance(message.id, tuple) and len(forms) != cat.num_plurals:
            wrong_plural.append(key)
    assert missing == []
    assert untranslated == []
    assert fuzzy == []
    assert wrong_plural == []


@pytest.mark.parametrize("locale", LOCALES)
def test_catalog_has_no_stale_entries(extracted: Catalog, locale: str) -> None:
    """Every entry of the catalog is still used somewhere (no `pybabel update` forgotten)."""
    known = {m.id for m in extracted if m.id}
    stale = [m.id for m in catalog(locale) if m.id and m.id not in known]
    assert stale == []


@pytest.mark.parametrize("locale", LOCALES)
def test_translations_keep_the_placeholders(locale: str) -> None:
    cat = catalog(locale)
    problems = []
    for message in cat:
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = {name for text in ids for name in PLACEHOLDER.findall(str(text))}
        allowed = expected | ({"count"} if len(ids) > 1 else set())
        for index, form in enumerate(forms):
            if not form:
                continue
            present = set(PLACEHOLDER.findall(str(form)))
            needed = set(expected)
            if locale == "ar" and len(ids) > 1 and index in (0, 1, 2):
                needed.discard("num")  # zero, one, two may be written out as words
            if not needed <= present or not present <= allowed:
                problems.append(
                    (ids[0], index, sorted(needed - present), sorted(present - allowed))
                )
    assert problems == []
