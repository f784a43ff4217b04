"""Forms for ideas (with their photos) and comments."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.datastructures import UploadFile
from wtforms import FileField, HiddenField, SelectField, SelectMultipleField, StringField
from wtforms import validators as v
from wtforms.fields.choices import SelectChoice

from participation.areas.models import Concept
from participation.forms import (
    BaseForm,
    area_field,
    length,
    parse_id,
    strip,
    text_field,
)
from participation.i18n import CONTENT_LANGUAGES, language_name
from participation.i18n import lazy_gettext as _l
from participation.ideas.models import IdeaStatus
from participation.ideas.photos import ALT_TEXT_MAX, MAX_PHOTOS
from participation.ideas.services import IdeaFilter, Sort
from participation.templating import translated

TITLE_MAX = 120
BODY_MAX = 5000
COMMENT_MAX = 3000


class LanguageField(SelectField):
    """The language a text is written in; choices named in the interface language."""

    def __init__(self, label: object, **kwargs: object) -> None:
        super().__init__(
            label,
            [v.AnyOf(CONTENT_LANGUAGES, message=_l("Please choose a language from the list."))],
            choices=[SelectChoice(code) for code in CONTENT_LANGUAGES],
            validate_choice=False,
            **kwargs,
        )

    def localise(self) -> None:
        self.choices = [SelectChoice(code, language_name(code)) for code in CONTENT_LANGUAGES]


def chosen_file(data: object) -> UploadFile | None:
    """The file chosen in a file input, or None when it was left empty."""
    if isinstance(data, UploadFile) and (data.filename or data.size):
        return data
    return None


class PhotoChosen:
    """A photo's description was written, so its file must be chosen (again, after an error:
    browsers do not keep chosen files)."""

    def __call__(self, form: Any, field: Any) -> None:
        if form[f"{field.name}_alt"].data and chosen_file(field.data) is None:
            raise v.StopValidation(_l("Please choose the photo this description belongs to."))


class AltText:
    """A chosen photo needs a description of 1 to ALT_TEXT_MAX characters."""

    def __init__(self) -> None:
        self.length = length(max_length=ALT_TEXT_MAX)

    def __call__(self, form: Any, field: Any) -> None:
        if chosen_file(form[field.name.removesuffix("_alt")].data) is None:
            raise v.StopValidation()  # no photo: nothing to describe
        if not field.data:
            raise v.StopValidation(
                _l("Please describe what the photo shows, for people who cannot see it.")
            )
        self.length(form, field)


def photo_field(number: int) -> FileField:
    return FileField(_l("Photo %(number)s", number=number), [PhotoChosen()])


def alt_field(number: int) -> StringField:
    return StringField(
        _l("Description of photo %(number)s", number=number), [AltText()], filters=[strip]
    )


class IdeaForm(BaseForm):
    title = text_field(_l("Title"), 5, TITLE_MAX)
    body = area_field(_l("Describe your idea"), 20, BODY_MAX)
    field = SelectField(
        _l("Field of action"),
        [v.InputRequired(message=_l("Please choose a field of action from the list."))],
        coerce=lambda value: parse_id(str(value)) or 0,
        validate_choice=False,
    )
    place = StringField(
        _l("Place (optional)"), [v.Optional(), length(max_length=120)], filters=[strip]
    )
    language = LanguageField(_l("Language of your text"))
    # One file input and one description per photo; fixed names, so that errors can point at
    # them and the text comes back after an error. MAX_PHOTOS of them.
    photo_1 = photo_field(1)
    photo_1_alt = alt_field(1)
    photo_2 = photo_field(2)
    photo_2_alt = alt_field(2)
    photo_3 = photo_field(3)
    photo_3_alt = alt_field(3)
    remove_photos = SelectMultipleField(
        coerce=lambda value: parse_id(str(value)) or 0, validate_choice=False
    )

    def photo_slots(self) -> list[tuple[Any, Any]]:
        """The (file, description) field pairs, in order."""
        return [(self[f"photo_{n}"], self[f"photo_{n}_alt"]) for n in range(1, MAX_PHOTOS + 1)]

    @property
    def remove_photo_ids(self) -> list[int]:
        """The ids of the photos ticked for removal."""
        return [photo_id for photo_id in self.remove_photos.data or [] if photo_id]

    def set_fields(self, concept: Concept | None) -> None:
        fields = concept.fields if concept else []
        self.field.choices = [SelectChoice(str(f.id), translated(f.name)) for f in fields]
        self.language.localise()


class CommentForm(BaseForm):
    body = area_field(_l("Your comment"), 2, COMMENT_MAX)
    language = LanguageField(_l("Language of your text"))
    parent = HiddenField()

    @property
    def parent_id(self) -> int | None:
        value = self.parent.data
        return parse_id(value)


class CommentEditForm(BaseForm):
    body = area_field(_l("Your comment"), 2, COMMENT_MAX)


def parse_filter(params: Mapping[str, str]) -> IdeaFilter:
    """Read an idea list's filters from a query string; unknown values mean 'all'."""
    try:
        status = IdeaStatus(params.get("status", ""))
    except ValueError:
        status = None
    try:
        sort = Sort(params.get("sort", "newest"))
    except ValueError:
        sort = Sort.NEWEST
    return IdeaFilter(
        field_id=parse_id(params.get("field")),
        status=status,
        sort=sort,
        page=parse_id(params.get("page")) or 1,
    )
