"""Photos on ideas: uploads through the real forms, what is stored, and how photos are served."""

from __future__ import annotations

import hashlib
import io
import random
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from bs4 import BeautifulSoup, Tag
from PIL import ExifTags, Image, ImageOps
from sqlalchemy import func, select, update

from participation.db import Database
from participation.ideas.models import Idea, IdeaPhoto, ModerationState, PhotoVariant
from tests.conftest import Browser, Loop, Person, Place, Server, page, text_of, unique

MakeUser = Callable[..., Person]
MakeArea = Callable[..., Place]
NewClient = Callable[[], Browser]

BODY = "Der Spielplatz braucht mehr Schatten, die Bänke stehen den ganzen Tag in der Sonne."
CACHE_FOREVER = "public, max-age=31536000, immutable"
DETAIL_SIZES = "(min-width: 60rem) 58rem, calc(100vw - 2rem)"

# -- images made in memory ------------------------------------------------------------------


def image_bytes(
    fmt: str = "JPEG", size: tuple[int, int] = (1200, 900), mode: str = "RGB", **save: Any
) -> bytes:
    """An image with a blue left half and a red right half (transparent, if mode has alpha)."""
    colour: Any = (200, 40, 40, 255) if mode == "RGBA" else (200, 40, 40)
    image = Image.new(mode, size, colour)
    left: Any = (0, 0, 0, 0) if mode == "RGBA" else (30, 60, 200)
    image.paste(left, (0, 0, size[0] // 2, size[1]))
    buffer = io.BytesIO()
    image.save(buffer, fmt, **save)
    return buffer.getvalue()


def noisy_jpeg(size: tuple[int, int]) -> bytes:
    """A JPEG that does not compress well (for size limits)."""
    rng = random.Random(7)
    image = Image.frombytes("RGB", size, rng.randbytes(size[0] * size[1] * 3))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


def jpeg_with_gps(size: tuple[int, int], orientation: int) -> bytes:
    """A camera-like JPEG: an EXIF orientation, a camera make and a GPS position."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "KiezCam"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (52.0, 29.0, 51.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (13.0, 23.0, 24.0)
    return image_bytes("JPEG", size, exif=exif, quality=95)


def upload(data: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg") -> Any:
    return (name, data, content_type)


# -- helpers --------------------------------------------------------------------------------


def run(db: Database, loop: Loop, statement: Any) -> Any:
    async def go() -> Any:
        async with db.session() as session:
            return (await session.execute(statement)).all()

    return loop.run(go())


def ideas_in(db: Database, loop: Loop, place: Place) -> int:
    statement = select(func.count()).select_from(Idea).where(Idea.area_id == place.id)
    return int(run(db, loop, statement)[0][0])


def photos_in(db: Database, loop: Loop, place: Place) -> int:
    statement = (
        select(func.count())
        .select_from(IdeaPhoto)
        .join(Idea, Idea.id == IdeaPhoto.idea_id)
        .where(Idea.area_id == place.id)
    )
    return int(run(db, loop, statement)[0][0])


def photo_rows(db: Database, loop: Loop, idea_id: int) -> list[tuple[int, str, str, int, int]]:
    statement = (
        select(
            IdeaPhoto.id,
            IdeaPhoto.alt_text,
            IdeaPhoto.alt_language,
            IdeaPhoto.width,
            IdeaPhoto.height,
        )
        .where(IdeaPhoto.idea_id == idea_id)
        .order_by(IdeaPhoto.position)
    )
    return [tuple(row) for row in run(db, loop, statement)]


def variant_count(db: Database, loop: Loop, photo_id: int) -> int:
    statement = (
        select(func.count()).select_from(PhotoVariant).where(PhotoVariant.photo_id == photo_id)
    )
    return int(run(db, loop, statement)[0][0])


def member_browser(
    make_user: MakeUser, place: Place, browser: Browser, locale: str = "de"
) -> tuple[Person, Browser]:
    person = make_user(member_of={place.slug: ["resident"]}, locale=locale)
    browser.sign_in(person, locale)
    assert browser.get(f"/{locale}/").status_code == 200
    return person, browser


def form_data(place: Place, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": unique("Schatten am Spielplatz "),
        "body": BODY,
        "field": str(place.field_ids[1]),
        "place": "Spielplatz Wassertorplatz",
        "language": "de",
    }
    data.update(changes)
    return data


def new_path(place: Place, locale: str = "de") -> str:
    return f"/{locale}/areas/{place.slug}/ideas/new"


def post_idea(
    browser: Browser, place: Place, files: list[tuple[str, Any]], locale: str = "de", **data: Any
) -> httpx.Response:
    return browser.submit(new_path(place, locale), form_data(place, **data), files=files)


def posted_id(response: httpx.Response) -> int:
    assert response.status_code == 303, response.text
    return int(response.headers["location"].rsplit("/", 1)[1])


def shown_photos(response: httpx.Response) -> list[Tag]:
    return page(response).select("article.idea .idea-photos img")


def srcset(img: Tag) -> list[tuple[str, int]]:
    """The (url, width) pairs of an image's srcset."""
    pairs = []
    for candidate in str(img["srcset"]).split(","):
        url, descriptor = candidate.split()
        assert descriptor.endswith("w")
        pairs.append((url, int(descriptor[:-1])))
    return pairs


def fetch_jpeg(browser: Browser, url: str) -> tuple[httpx.Response, Image.Image]:
    response = browser.get(url)
    assert response.status_code == 200, (url, response.status_code)
    assert response.headers["content-type"] == "image/jpeg"
    image = Image.open(io.BytesIO(response.content))
    image.load()
    assert image.format == "JPEG"
    return response, image


def assert_field_error(soup: BeautifulSoup, name: str, message: str) -> None:
    error = soup.select_one(f"#{name}-error.field-error")
    assert error is not None, f"no error shown next to {name}"
    assert message in error.get_text(" ", strip=True)
    control = soup.select_one(f"#{name}")
    assert isinstance(control, Tag)
    assert control.get("aria-invalid") == "true"
    assert f"{name}-error" in str(control.get("aria-describedby", "")).split()
    link = soup.select_one(f'.error-summary a[href="#{name}"]')
    assert link is not None and message in link.get_text(" ", strip=True)


def assert_form_kept(soup: BeautifulSoup, data: dict[str, Any], alts: dict[str, str]) -> None:
    title = soup.select_one("input#title")
    body = soup.select_one("textarea#body")
    place = soup.select_one("input#place")
    assert title is not None and body is not None and place is not None
    assert title.get("value") == data["title"]
    assert body.get_text() == data["body"]
    assert place.get("value") == data["place"]
    chosen = soup.select_one("select#field option[selected]")
    assert chosen is not None and chosen["value"] == data["field"]
    language = soup.select_one("select#language option[selected]")
    assert language is not None and language["value"] == data["language"]
    for name, text in alts.items():
        field = soup.select_one(f"input#{name}")
        assert field is not None, name
        assert field.get("value", "") == text.strip()


# -- the form -------------------------------------------------------------------------------


def test_form_offers_three_described_photo_fields(
    make_user: MakeUser, make_area: MakeArea, client: Browser
) -> None:
    place = make_area()
    member_browser(make_user, place, client)

    response = client.get(new_path(place))

    assert response.status_code == 200
    soup = page(response)
    form = soup.select_one("main form[enctype='multipart/form-data']")
    assert form is not None
    fieldset = form.select_one("fieldset.photo-fields")
    assert fieldset is not None
    legend = fieldset.select_one("legend")
    assert legend is not None and legend.get_text(strip=True) == "Fotos (freiwillig)"
    hint = fieldset.select_one("#photos-hint")
    assert hint is not None
    assert "8 MB" in hint.get_text() and "JPEG, PNG oder WebP" in hint.get_text()
    inputs = fieldset.select("input[type=file]")
    assert [i["name"] for i in inputs] == ["photo_1", "photo_2", "photo_3"]
    for number, file_input in enumerate(inputs, start=1):
        assert file_input["accept"] == "image/jpeg,image/png,image/webp"
        assert file_input["aria-describedby"] == "photos-hint"
        label = fieldset.select_one(f"label[for=photo_{number}]")
        assert label is not None and label.get_text(strip=True) == f"Foto {number}"
        alt = fieldset.select_one(f"input#photo_{number}_alt")
        assert alt is not None
        assert (alt["name"], alt["maxlength"]) == (f"photo_{number}_alt", "250")
        assert alt["aria-describedby"] == "photos-alt-hint"
        alt_label = fieldset.select_one(f"label[for=photo_{number}_alt]")
        assert alt_label is not None
        assert alt_label.get_text(strip=True) == f"Beschreibung von Foto {number}"
    assert soup.select("main [style]") == []
    assert soup.select("main script") == []


# -- posting with photos --------------------------------------------------------------------


def test_member_posts_an_idea_with_three_photos(
    db: Database, loop: Loop, make_user: MakeUser, make_area: MakeArea, client: Browser
) -> None:
    place = make_area()
    member_browser(make_user, place, client)
    files = [
        ("photo_1", upload(image_bytes("JPEG", (2000, 1500)))),
        ("photo_2", upload(image_bytes("PNG", (300, 200), "RGBA"), "plan.png", "image/png")),
        ("photo_3", upload(image_bytes("WEBP", (1200, 900)), "platz.webp", "image/webp")),
    ]
    alts = {
        "photo_1_alt": "Der Spielplatz in der Mittagssonne",
        "photo_2_alt": "Skizze mit drei Sonnensegeln",
        "photo_3_alt": "Die Bänke am Rand des Platzes",
    }

    idea_id = posted_id(post_idea(client, place, files, **alts))

    rows = photo_rows(db, loop, idea_id)
    assert [(r[1], r[2], r[3], r[4]) for r in rows] == [
        (alts["photo_1_alt"], "de", 1600, 1200),
        (alts["photo_2_alt"], "de", 300, 200),
        (alts["photo_3_alt"], "de", 1200, 900),
    ]
    detail = client.get(f"/de/ideas/{idea_id}")
    assert detail.status_code == 200
    images = shown_photos(detail)
    assert [img["alt"] for img in images] == list(alts.values())
    expected_widths = [[480, 960, 1600], [300], [480, 960, 1200]]
    for img, row, widths in zip(images, rows, expected_widths, strict=True):
        assert img["lang"] == "de"
        assert (img["width"], img["height"]) == (str(row[3]), str(row[4]))
        assert (img["loading"], img["decoding"]) == ("lazy", "async")
        assert img["sizes"] == DETAIL_SIZES
        candidates = srcset(img)
        assert [width for _url, width in candidates] == widths
        assert img["src"] in [url for url, _width in candidates]
        for url, width in candidates:
            assert url.startswith("/photos/") and url.endswith(".jpg")
            response, image = fetch_jpeg(client, url)
            assert image.width == width
            assert image.mode == "RGB"
            assert image.height == round(row[4] * width / row[3])
            assert hashlib.sha256(response.content).hexdigest().startswith(url[-20:-4])
    # transparency is laid on white
    _response, plan = fetch_jpeg(client, srcset(images[1])[0][0])
    assert all(channel > 240 for channel in plan.getpixel((10, 100)))  # type: ignore[union-attr]
    assert variant_count(db, loop, rows[0][0]) == 3


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [("JPEG", "image/jpeg"), ("PNG", "image/png"), ("WEBP", "image/webp"), ("GIF", "image/gif")],
)
def test_every_accepted_format_becomes_jpeg(
    fmt: str,
    content_type: str,
    db: Database,
    loop: Loop,
    make_user: MakeUser,
    make_area: MakeArea,
    client: Browser,
) -> None:
    place = make_area()
    member_browser(make_user, place, client)
    data = image_bytes(fmt, (640, 480))
    # an empty second file input, as browsers send it
    files = [("photo_1", upload(data, f"bild.{fmt.lower()}", content_type))]
    files.append(("photo_2", ("", b"", "application/octet-stream")))

    idea_id = posted_id(post_idea(client, place, files, photo_1_alt="Eine Testgrafik"))

    rows = photo_rows(db, loop, idea_id)
    assert [(r[3], r[4]) for r in rows] == [(640, 480)]
    img = shown_photos(client.get(f"/de/ideas/{idea_id}"))[0]
    assert [width for _url, width in srcset(img)] == [480, 640]
    _response, image = fetch_jpeg(client, srcset(img)[1][0])
    assert image.size == (640, 480)
    # the colours are still where they were: blue on the left, red on the right
    left, right = image.getpixel((100, 240)), image.getpixel((540, 240))
    assert isinstance(left, tuple) and isinstance(right, tuple)
    assert left[2] > 150 > left[0] and right[0] > 150 > right[2]


def test_exif_and_gps_are_removed_and_orientation_applied(
    db: Database, loop: Loop, make_user: MakeUser, make_area: MakeArea, client: Browser
) -> None:
    place = make_area()
    member_browser(make_user, place, client)
    # stored 1600x800 with "rotate 90° clockwise to show": an upright 800x1600 photo
    original = jpeg_with_gps((1600, 800), orientation=6)
    source = Image.open(io.BytesIO(original))
    assert source.getexif().get_ifd(ExifTags.IFD.GPSInfo), "the test photo has a GPS position"
    upright = ImageOps.exif_transpose(source)
    assert upright.size == (800, 1600)

    idea_id = posted_id(
        post_idea(client, place, [("photo_1", upload(original))], photo_1_alt="Hochkant")
    )

    assert [(r[3], r[4]) for r in photo_rows(db, loop, idea_id)] == [(800, 1600)]
    img = shown_photos(client.get(f"/de/ideas/{idea_id}"))[0]
    assert (img["width"], img["height"]) == ("800", "1600")
    candidates = srcset(img)
    assert [width for _url, width in candidates] == [480, 800]
    for url, width in candidates:
        response, image = fetch_jpeg(client, url)
        assert image.size == (width, width * 2)
        assert dict(image.getexif()) == {}
        assert "exif" not in image.info and "icc_profile" not in image.info
        assert b"Exif\x00\x00" not in response.content
        assert b"KiezCam" not in response.content
        # orientation applied: the picture looks like the upright original
        for x, y in [(0.5, 0.1), (0.5, 0.9)]:
            expected = upright.getpixel((int(x * 800), int(y * 1600)))
            seen = image.getpixel((int(x * width), int(y * width * 2)))
            assert isinstance(expected, tuple) and isinstance(seen, tuple)
            assert all(abs(a - b) < 40 for a, b in zip(expected, seen, strict=True)), (
                expected,
                seen,
            )


# -- refused photos -------------------------------------------------------------------------

_WHOLE = noisy_jpeg((400, 300))
TRUNCATED = _WHOLE[: len(_WHOLE) // 2]


def bomb() -> bytes:
    """48 megapixels in a few kilobytes."""
    buffer = io.BytesIO()
    Image.new("1", (8000, 6000)).save(buffer, "PNG")
    return buffer.getvalue()


BOMB = bomb()

REFUSED: list[tuple[str, str, list[tuple[str, Any]], dict[str, str], str, str]] = [
    # (case, locale, files, alt texts, field with the error, message)
    (
        "no description",
        "de",
        [("photo_1", upload(image_bytes()))],
        {},
        "photo_1_alt",
        "Bitte beschreiben Sie, was auf dem Foto zu sehen ist",
    ),
    (
        "blank description (ar)",
        "ar",
        [("photo_2", upload(image_bytes()))],
        {"photo_2_alt": "   "},
        "photo_2_alt",
        "يُرجى وصف ما تُظهره الصورة",
    ),
    (
        "description too long",
        "de",
        [("photo_1", upload(image_bytes()))],
        {"photo_1_alt": "ä" * 251},
        "photo_1_alt",
        "Bitte schreiben Sie höchstens 250 Zeichen.",
    ),
    (
        "description without photo",
        "de",
        [],
        {"photo_3_alt": "Ein Foto, das fehlt"},
        "photo_3",
        "Bitte wählen Sie das Foto aus, zu dem diese Beschreibung gehört.",
    ),
    (
        "text named photo.jpg",
        "de",
        [("photo_1", upload(b"Das ist kein Foto, nur Text.\n" * 20))],
        {"photo_1_alt": "Angeblich ein Foto"},
        "photo_1",
        "Diese Datei ist kein Foto im Format JPEG, PNG oder WebP.",
    ),
    (
        "PDF (tr)",
        "tr",
        [("photo_1", upload(b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n", "a.pdf"))],
        {"photo_1_alt": "Bir PDF"},
        "photo_1",
        "Bu dosya JPEG, PNG veya WebP biçiminde bir fotoğraf değil.",
    ),
    (
        "truncated JPEG",
        "de",
        [("photo_2", upload(TRUNCATED))],
        {"photo_2_alt": "Halbes Foto"},
        "photo_2",
        "Dieses Foto ist beschädigt oder unvollständig",
    ),
    (
        "decompression bomb",
        "de",
        [("photo_1", upload(BOMB, "riesig.png", "image/png"))],
        {"photo_1_alt": "Sehr groß"},
        "photo_1",
        "Dieses Foto hat zu viele Pixel (mehr als 40 Megapixel).",
    ),
]


@pytest.mark.parametrize(
    ("locale", "files", "alts", "name", "message"),
    [case[1:] for case in REFUSED],
    ids=[case[0] for case in REFUSED],
)
def test_refused_photo_keeps_the_form_and_saves_nothing(
    locale: str,
    files: list[tuple[str, Any]],
    alts: dict[str, str],
    name: str,
    message: str,
    db: Database,
    loop: Loop,
    make_user: MakeUser,
    make_area: MakeArea,
    client: Browser,
) -> None:
    place = make_area()
    member_browser(make_user, place, client, locale)
    # a good photo next to the refused one is not saved either
    files = [*files, ("photo_3" if name != "photo_3" else "photo_2", upload(image_bytes()))]
    alts = {"photo_3_alt" if name != "photo_3" else "photo_2_alt": "Ein gutes Foto", **alts}
    data = form_data(place, language="tr", field=str(place.field_ids[2]))

    response = client.submit(new_path(place, locale), {**data, **alts}, files=files)

    assert response.status_code == 422
    soup = page(response)
    assert soup.select_one("html")["lang"] == locale  # type: ignore[index]
    assert_field_error(soup, name, message)
    assert len(soup.select(".field-error")) == 1
    assert_form_kept(soup, data, alts)
    assert soup.select_one(".photo-fields .notice") is not None  # choose the files again
    assert ideas_in(db, loop, place) == 0
    assert photos_in(db, loop, place) == 0


def test_photo_over_the_size_limit_is_refused(
    make_server: Callable[..., Server],
    db: Database,
    loop: Loop,
    make_user: MakeUser,
    make_area: MakeArea,
) -> None:
    server = make_server(max_photo_bytes=50_000)
    place = make_area()
    big = noisy_jpeg((400, 300))
    assert len(big) > 50_000
    with Browser(base_url=server.url, follow_redirects=False, timeout=30) as browser:
        member_browser(make_user, place, browser)
        data = form_data(place)

        response = browser.submit(
            new_path(place),
            {**data, "photo_1_alt": "Rauschen"},
            files=[("photo_1", upload(big))],
        )

        assert response.status_code == 422
        soup = page(response)
        assert_field_error(soup, "photo_1", "Dieses Foto ist größer als 50 kB.")
        assert_form_kept(soup, data, {"photo_1_alt": "Rauschen"})
        assert ideas_in(db, loop, place) == 0

        small = image_bytes("JPEG", (300, 200))
        assert len(small) < 50_000
        accepted = browser.submit(
            new_path(place), {**data, "photo_1_alt": "Klein"}, files=[("photo_1", upload(small))]
        )
        assert accepted.status_code == 303
        assert photos_in(db, loop, place) == 1


def test_uploads_have_their_own_body_limit(
    make_server: Callable[..., Server],
    db: Database,
    loop: Loop,
    make_user: MakeUser,
    make_area: MakeArea,
) -> None:
    """Multipart bodies may exceed MAX_BODY_BYTES up to MAX_UPLOAD_BYTES; other bodies not."""
    place = make_area()
    photo = noisy_jpeg((300, 300))
    assert len(photo) > 10_000
    roomy = make_server(max_body_bytes=5_000)
    tight = make_server(max_body_bytes=5_000, max_upload_bytes=10_000)

    with Browser(base_url=roomy.url, follow_redirects=False, timeout=30) as browser:
        member_browser(make_user, place, browser)
        data = {**form_data(place), "photo_1_alt": "Rauschen"}
        accepted = browser.submit(new_path(place), data, files=[("photo_1", upload(photo))])
        assert accepted.status_code == 303
        too_long = browser.submit(new_path(place), {**data, "body": BODY * 60})
        assert too_long.status_code == 413

    with Browser(base_url=tight.url, follow_redirects=False, timeout=30) as browser:
        member_browser(make_user, place, browser)
        refused = browser.submit(new_path(place), data, files=[("photo_1", upload(photo))])
        assert refused.status_code == 413
    assert photos_in(db, loop, place) == 1


def test_upload_without_the_csrf_token_is_refused(
    db: Database, loop: Loop, make_user: MakeUser, make_area: MakeArea, client: Browser
) -> None:
    place = make_area()
    member_browser(make_user, place, client)
    data = {**form_data(place), "photo_1_alt": "Ohne Token", "csrf_token": "falsch"}

    response = client.post(new_path(place), data=data, files=[("photo_1", upload(image_bytes()))])

    assert response.status_code == 403
    assert ideas_in(db, loop, place) == 0
    assert photos_in(db, loop, place) == 0


# -- editing ---------------------------------------------------------------------------------


def three_photos() -> list[tuple[str, Any]]:
    return [(f"photo_{n}", upload(image_bytes("JPEG", (500 + n, 400)))) for n in (1, 2, 3)]


THREE_ALTS = {f"photo_{n}_alt": f"Foto Nummer {n}" for n in (1, 2, 3)}


def test_fourth_photo_is_refused(
    db: Database, loop: Loop, make_user: MakeUser, make_area: MakeArea, client: Browser
) -> None:
    place = make_area()
    member_browser(make_user, place, client)
    idea_id = posted_id(post_idea(client, place, three_photos(), **THREE_ALTS))
    before = photo_rows(db, loop, idea_id)
    assert len(before) == 3

    form = client.get(f"/de/ideas/{idea_id}/edit")
    assert form.status_code == 200
    soup = page(form)
    assert soup.select(".photo-fields input[type=file]") == []
    assert len(soup.select(".photo-current li")) == 3
    assert "so viele, wie sie haben kann" in text_of(form, ".photo-fields")

    data = form_data(place, title="Ein neuer Titel mit Foto")
    response = client.submit(
        f"/de/ideas/{idea_id}/edit",
        {**data, "photo_1_alt": "Das vierte Foto"},
        files=[("photo_1", upload(image_bytes()))],
    )

    assert response.status_code == 422
    assert "Eine Idee kann höchstens 3 Fotos haben." in text_of(response, ".error-summary")
    assert photo_rows(db, loop, idea_id) == before
    assert run(db, loop, select(Idea.title).where(Idea.id == idea_id))[0][0] != data["title"]


def test_author_removes_and_adds_photos_on_the_edit_page(
    db: Database, loop: Loop, make_user: MakeUser, make_area: MakeArea, client: Browser
) -> None:
    place = make_area()
    member_browser(make_user, place, client)
    files = three_photos()[:2]
    idea_id = posted_id(
        post_idea(client, place, files, photo_1_alt="Erstes", photo_2_alt="Zweites")
    )
    (first, *_), (second, *_) = photo_rows(db, loop, idea_id)
    old_urls = [url for url, _w in srcset(shown_photos(client.get(f"/de/ideas/{idea_id}"))[0])]

    form = client.get(f"/de/ideas/{idea_id}/edit")
    soup = page(form)
    assert form.status_code == 200
    assert soup.select_one("form[enctype='multipart/form-data']") is not None
    boxes = soup.select(".photo-current input[type=checkbox][name=remove_photos]")
    assert [box["value"] for box in boxes] == [str(first), str(second)]
    assert boxes[0]["aria-describedby"] == f"photo-{first}-alt"
    assert text_of(form, f"#photo-{first}-alt") == "Erstes"
    assert [i["name"] for i in soup.select(".photo-fields input[type=file]")] == ["photo_1"]

    data = form_data(place, title="Titel bleibt, Fotos ändern sich")
    response = client.submit(
        f"/de/ideas/{idea_id}/edit",
        {**data, "remove_photos": [str(first)], "photo_1_alt": "Drittes"},
        files=[("photo_1", upload(image_bytes("PNG", (700, 500)), "neu.png", "image/png"))],
    )

    assert response.status_code == 303
    rows = photo_rows(db, loop, idea_id)
    assert [(r[0], r[1]) for r in rows[:1]] == [(second, "Zweites")]
    assert [r[1] for r in rows] == ["Zweites", "Drittes"]
    assert variant_count(db, loop, first) == 0
    for url in old_urls:
        assert client.get(url).status_code == 404
    shown = shown_photos(client.get(f"/de/ideas/{idea_id}"))
    assert [img["alt"] for img in shown] == ["Zweites", "Drittes"]

    # saving the text alone keeps the photos
    again = client.submit(f"/de/ideas/{idea_id}/edit", form_data(place))
    assert again.status_code == 303
    assert [r[1] for r in photo_rows(db, loop, idea_id)] == ["Zweites", "Drittes"]


def test_edit_with_a_refused_photo_changes_nothing(
    db: Database, loop: Loop, make_user: MakeUser, make_area: MakeArea, client: Browser
) -> None:
    place = make_area()
    member_browser(make_user, place, client)
    idea_id = posted_id(
        post_idea(client, place, three_photos()[:1], photo_1_alt="Bleibt", title="Alter Titel")
    )
    ((photo_id, *_),) = photo_rows(db, loop, idea_id)

    data = form_data(place, title="Neuer Titel")
    response = client.submit(
        f"/de/ideas/{idea_id}/edit",
        {**data, "remove_photos": [str(photo_id)], "photo_1_alt": "Kaputt"},
        files=[("photo_1", upload(TRUNCATED))],
    )

    assert response.status_code == 422
    soup = page(response)
    assert_field_error(soup, "photo_1", "Dieses Foto ist beschädigt oder unvollständig")
    assert_form_kept(soup, data, {"photo_1_alt": "Kaputt"})
    box = soup.select_one(f"#remove-photo-{photo_id}")
    assert box is not None and box.has_attr("checked")
    assert [r[0] for r in photo_rows(db, loop, idea_id)] == [photo_id]
    assert run(db, loop, select(Idea.title).where(Idea.id == idea_id))[0][0] == "Alter Titel"


def test_nobody_else_can_remove_photos(
    db: Database,
    loop: Loop,
    make_user: MakeUser,
    make_area: MakeArea,
    client: Browser,
    new_client: NewClient,
) -> None:
    place = make_area()
    member_browser(make_user, place, client)
    idea_id = posted_id(post_idea(client, place, three_photos()[:1], photo_1_alt="Meins"))
    ((photo_id, *_),) = photo_rows(db, loop, idea_id)

    _neighbour, browser = member_browser(make_user, place, new_client())
    response = browser.submit(
        f"/de/ideas/{idea_id}/edit",
        {**form_data(place), "remove_photos": [str(photo_id)]},
        files=[("photo_1", upload(image_bytes()))],
        page_path=f"/de/ideas/{idea_id}",
    )
    assert response.status_code == 403
    assert "Nur die Person, die diese Idee geschrieben hat" in text_of(response, "main")

    # nor through the edit form of their own idea
    own = posted_id(post_idea(browser, place, []))
    sneaky = browser.submit(
        f"/de/ideas/{own}/edit", {**form_data(place), "remove_photos": [str(photo_id)]}
    )
    assert sneaky.status_code == 303
    assert [r[0] for r in photo_rows(db, loop, idea_id)] == [photo_id]
    assert variant_count(db, loop, photo_id) == 2


# -- serving --------------------------------------------------------------------------------


def test_photos_are_served_for_good_with_their_digest(
    make_user: MakeUser, make_area: MakeArea, client: Browser, new_client: NewClient
) -> None:
    place = make_area()
    member_browser(make_user, place, client)
    idea_id = posted_id(post_idea(client, place, three_photos()[:1], photo_1_alt="Cache"))
    url = srcset(shown_photos(client.get(f"/de/ideas/{idea_id}"))[0])[0][0]
    anonymous = new_client()

    response = anonymous.get(url)

    assert response.status_code == 200
    assert response.headers["content-type"] == "image/jpeg"
    assert response.headers["cache-control"] == CACHE_FOREVER
    digest = hashlib.sha256(response.content).hexdigest()
    assert response.headers["etag"] == f'"{digest}"'
    assert "set-cookie" not in response.headers
    assert "content-encoding" not in response.headers
    assert int(response.headers["content-length"]) == len(response.content)
    again = anonymous.get(url, headers={"if-none-match": f'"{digest}"'})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["cache-control"] == CACHE_FOREVER
    # the same address in no language, and a wrong digest is not found
    variant_id = url.removeprefix("/photos/").split("-")[0]
    assert anonymous.get(f"/de{url}").status_code == 404
    assert anonymous.get(f"/photos/{variant_id}-{'0' * 16}.jpg").status_code == 404
    assert anonymous.get(f"/photos/{variant_id}-{digest[:15]}.jpg").status_code == 404
    assert anonymous.get("/photos/987654321-0123456789abcdef.jpg").status_code == 404
    assert anonymous.get("/photos/99999999999999999999-0123456789abcdef.jpg").status_code == 404


@pytest.mark.parametrize("state", [ModerationState.HIDDEN, ModerationState.PENDING])
def test_photos_of_ideas_not_shown_are_served_to_their_author_only(
    state: ModerationState,
    db: Database,
    loop: Loop,
    make_user: MakeUser,
    make_area: MakeArea,
    client: Browser,
    new_client: Callable[[], Browser],
) -> None:
    place = make_area()
    member_browser(make_user, place, client)
    idea_id = posted_id(post_idea(client, place, three_photos()[:1], photo_1_alt="Versteckt"))
    urls = [url for url, _w in srcset(shown_photos(client.get(f"/de/ideas/{idea_id}"))[0])]
    assert all(client.get(url).status_code == 200 for url in urls)

    async def hide() -> None:
        async with db.session(write=True) as session:
            await session.execute(
                update(Idea).where(Idea.id == idea_id).values(moderation_state=state)
            )

    loop.run(hide())

    anonymous = new_client()
    for url in urls:
        response = anonymous.get(url)
        assert response.status_code == 404
        assert response.headers["content-type"].startswith("text/html")
        # Its author still sees it (the idea page shows it to them), and nothing caches it.
        own = client.get(url)
        assert own.status_code == 200
        assert own.headers["cache-control"] == "private, no-store"
