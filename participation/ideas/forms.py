"""Forms for ideas and comments."""

from __future__ import annotations

from collections.abc import Mapping

from wtforms import HiddenField, SelectField, StringField
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
