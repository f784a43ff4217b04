"""Photos on ideas: checking and re-encoding uploads with Pillow, and storing and finding them.

An upload is decoded by its content, never trusted by its name or type: it must be a JPEG, PNG,
WebP or GIF (first frame) of at most MAX_PIXELS. It is turned upright by its EXIF orientation
and re-encoded from its pixels alone, so no metadata (GPS position, camera, time) survives, as
JPEG in the widths of WIDTHS (never enlarged). The variants are stored in the database, so every
app process can serve them.
"""

from __future__ import annotations

import enum
import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import anyio.lowlevel
import anyio.to_thread
from babel.units import format_unit
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from participation.i18n import get_locale, ngettext
from participation.i18n import gettext as _
from participation.ideas.models import Idea, IdeaPhoto, ModerationState, PhotoVariant

MAX_PHOTOS = 3
"""Photos one idea may have."""

ALT_TEXT_MAX = 250
WIDTHS = (480, 960, 1600)
"""Widths of the stored variants; a smaller photo is stored in its own width instead."""
MAX_PIXELS = 40_000_000
"""Larger images are refused before they are decoded (decompression bombs)."""
JPEG_QUALITY = 80
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
URL_DIGEST_LENGTH = 16
"""Hex digits of a variant's sha256 in its address."""
ACCEPTED_TYPES = "image/jpeg,image/png,image/webp"
"""The file inputs' `accept`; GIF is accepted too but not offered."""


class PhotoProblem(enum.Enum):
    TOO_LARGE = "too_large"
    NOT_AN_IMAGE = "not_an_image"
    DAMAGED = "damaged"
    TOO_MANY_PIXELS = "too_many_pixels"


class PhotoError(Exception):
    """The upload cannot be used as a photo; `problem` says why (translated by `message`)."""

    def __init__(self, problem: PhotoProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


def message(problem: PhotoProblem, max_bytes: int) -> str:
    """The translated explanation of the problem, for the form."""
    if problem is PhotoProblem.TOO_LARGE:
        return _(
            "This photo is larger than %(size)s. Please choose a smaller one.",
            size=format_size(max_bytes),
        )
    if problem is PhotoProblem.NOT_AN_IMAGE:
        return _("This file is not a photo in JPEG, PNG or WebP format. Please choose another.")
    if problem is PhotoProblem.TOO_MANY_PIXELS:
        return _(
            "This photo has too many pixels (more than %(megapixels)s megapixels). "
            "Please choose a smaller one.",
            megapixels=MAX_PIXELS // 1_000_000,
        )
    return _("This photo is damaged or incomplete and cannot be read. Please choose another.")


def too_many() -> str:
    """The translated refusal of one photo too many."""
    return ngettext(
        "An idea can have at most %(num)s photo.",
        "An idea can have at most %(num)s photos.",
        MAX_PHOTOS,
    )


def format_size(size: int) -> str:
    """A file size in the current language: '8 MB', '500 kB'."""
    if size >= 1_000_000:
        value, unit = round(size / 1_000_000, 1), "digital-megabyte"
    else:
        value, unit = round(size / 1_000, 1), "digital-kilobyte"
    number = int(value) if value == int(value) else value
    return str(format_unit(number, unit, length="short", locale=get_locale()))


# -- decoding and encoding ----------------------------------------------------------------


@dataclass(frozen=True)
class EncodedVariant:
    width: int
    height: int
    content: bytes
    sha256: str


@dataclass(frozen=True)
class ProcessedPhoto:
    """An upload re-encoded into its variants, smallest first."""

    variants: tuple[EncodedVariant, ...]

    @property
    def width(self) -> int:
        return self.variants[-1].width

    @property
    def height(self) -> int:
        return self.variants[-1].height


@dataclass(frozen=True)
class NewPhoto:
    """A processed upload with the text describing it, ready to be stored."""

    image: ProcessedPhoto
    alt_text: str
    field: str = "photo_1"
    """The form field it was chosen in, for an error message about it."""


def process_photo(data: bytes, max_bytes: int) -> ProcessedPhoto:
    """Check the upload by its content and return its clean variants; raise PhotoError.

    CPU-bound: call it through `process_in_thread` from async code.
    """
    if len(data) > max_bytes:
        raise PhotoError(PhotoProblem.TOO_LARGE)
    try:
        with Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS) as opened:
            width, height = opened.size
            if width * height > MAX_PIXELS or width < 1 or height < 1:
                raise PhotoError(PhotoProblem.TOO_MANY_PIXELS)
            opened.seek(0)  # the first frame of an animation
            opened.load()
            upright = ImageOps.exif_transpose(opened)
            pixels = _srgb(upright, opened.info.get("icc_profile"))
    except UnidentifiedImageError as error:
        raise PhotoError(PhotoProblem.NOT_AN_IMAGE) from error
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise PhotoError(PhotoProblem.TOO_MANY_PIXELS) from error
    except (OSError, SyntaxError, ValueError, EOFError, IndexError) as error:
        # Pillow reports truncated and malformed files with these.
        raise PhotoError(PhotoProblem.DAMAGED) from error
    return ProcessedPhoto(_variants(_flatten(pixels)))


@cache
def _srgb_profile() -> ImageCms.ImageCmsProfile:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def _srgb(image: Image.Image, icc_profile: bytes | None) -> Image.Image:
    """Convert the pixels to sRGB when the file names another colour profile (keeps colours
    right once the profile is dropped with the other metadata)."""
    if not icc_profile or image.mode not in ("RGB", "RGBA", "CMYK"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
        converted = ImageCms.profileToProfile(
            image, source, _srgb_profile(), outputMode="RGBA" if image.mode == "RGBA" else "RGB"
        )
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image  # an unusable profile: keep the pixels as they are
    return converted if converted is not None else image


def _flatten(image: Image.Image) -> Image.Image:
    """Return a new RGB image with only the pixels; transparency is laid on white."""
    if image.mode == "I" or image.mode.startswith("I;16"):
        # 16-bit grey: scale to 8 bits (a plain conversion would clip everything to white)
        image = image.convert("I").point(lambda value: value / 256).convert("L")
    if image.has_transparency_data:
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    rgb = image.convert("RGB")
    clean = Image.new("RGB", rgb.size)
    clean.paste(rgb)
    return clean


def _variants(image: Image.Image) -> tuple[EncodedVariant, ...]:
    width, height = image.size
    widths = [w for w in WIDTHS if w < width] + [min(width, WIDTHS[-1])]
    encoded = []
    source = image
    for target in sorted(set(widths), reverse=True):
        if target != source.width:
            size = (target, max(1, round(height * target / width)))
            source = source.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
        encoded.append(_encode(source))
    return tuple(reversed(encoded))


def _encode(image: Image.Image) -> EncodedVariant:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=JPEG_QUALITY, progressive=True, optimize=True)
    content = buffer.getvalue()
    return EncodedVariant(image.width, image.height, content, hashlib.sha256(content).hexdigest())


_limiter: anyio.lowlevel.RunVar[anyio.CapacityLimiter] = anyio.lowlevel.RunVar("photo_limiter")


async def process_in_thread(data: bytes, max_bytes: int) -> ProcessedPhoto:
    """Run `process_photo` in a worker thread, two at a time per process (bounds memory)."""
    try:
        limiter = _limiter.get()
    except LookupError:
        limiter = anyio.CapacityLimiter(2)
        _limiter.set(limiter)
    return await anyio.to_thread.run_sync(process_photo, data, max_bytes, limiter=limiter)


# -- storing and finding ------------------------------------------------------------------


@dataclass(frozen=True)
class ServedVariant:
    content: bytes
    sha256: str
    idea_id: int = 0
    public: bool = True
    """False while its idea is hidden or waits for review: only its author and the area's
    managers may see it then, and nothing may cache it."""


class PhotoService:
    """The photos of ideas in the database. Permissions are checked by IdeaService."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def count(self, idea_id: int, *, excluding: Sequence[int] = ()) -> int:
        """Return how many photos the idea has, not counting those in `excluding`."""
        condition = IdeaPhoto.idea_id == idea_id
        if excluding:
            condition = condition & IdeaPhoto.id.not_in(list(excluding))
        statement = select(func.count()).select_from(IdeaPhoto).where(condition)
        return int((await self.session.execute(statement)).scalar_one())

    async def add(self, idea_id: int, photos: Sequence[NewPhoto], *, language: str) -> None:
        """Store the photos after the idea's others."""
        if not photos:
            return
        last = (
            await self.session.execute(
                select(func.max(IdeaPhoto.position)).where(IdeaPhoto.idea_id == idea_id)
            )
        ).scalar_one()
        start = 0 if last is None else last + 1
        for offset, photo in enumerate(photos):
            self.session.add(
                IdeaPhoto(
                    idea_id=idea_id,
                    position=start + offset,
                    alt_text=photo.alt_text,
                    alt_language=language,
                    width=photo.image.width,
                    height=photo.image.height,
                    variants=[
                        PhotoVariant(
                            width=v.width, height=v.height, content=v.content, sha256=v.sha256
                        )
                        for v in photo.image.variants
                    ],
                )
            )
        await self.session.flush()

    async def remove(self, idea_id: int, photo_ids: Sequence[int]) -> int:
        """Delete those of the photos that belong to the idea, with their variants."""
        if not photo_ids:
            return 0
        # Variants go with their photo (ON DELETE CASCADE); delete them explicitly all the same,
        # so nothing is left behind where a database does not enforce foreign keys.
        owned = select(IdeaPhoto.id).where(
            IdeaPhoto.idea_id == idea_id, IdeaPhoto.id.in_(list(photo_ids))
        )
        await self.session.execute(delete(PhotoVariant).where(PhotoVariant.photo_id.in_(owned)))
        result = await self.session.execute(
            delete(IdeaPhoto).where(IdeaPhoto.idea_id == idea_id, IdeaPhoto.id.in_(list(photo_ids)))
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def variant(self, variant_id: int) -> ServedVariant | None:
        """Return the variant's JPEG, saying whether its idea is shown to the public."""
        row = (
            await self.session.execute(
                select(
                    PhotoVariant.content,
                    PhotoVariant.sha256,
                    Idea.id,
                    Idea.moderation_state,
                )
                .join(IdeaPhoto, IdeaPhoto.id == PhotoVariant.photo_id)
                .join(Idea, Idea.id == IdeaPhoto.idea_id)
                .where(PhotoVariant.id == variant_id)
            )
        ).one_or_none()
        if row is None:
            return None
        return ServedVariant(
            bytes(row[0]), row[1], row[2], public=row[3] is ModerationState.VISIBLE
        )
