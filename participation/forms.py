"""Form basics shared by the domains: translated messages, trimmed text, request parsing."""

from __future__ import annotations

import re
from typing import Any

from starlette.requests import Request
from wtforms import Form, StringField, TextAreaField
from wtforms import validators as v

from participation.i18n import lazy_gettext as _l

_ID = re.compile(r"[0-9]{1,18}")


def parse_id(value: object) -> int | None:
    """Return a positive database id written in ASCII digits, or None for anything else."""
    if isinstance(value, str) and _ID.fullmatch(value):
        return int(value) or None
    return None


def strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def required() -> v.DataRequired:
    return v.DataRequired(message=_l("Please fill in this field."))


def length(min_length: int = -1, max_length: int = -1) -> v.Length:
    if min_length > 0 and max_length > 0:
        message = _l("Please write between %(min)d and %(max)d characters.")
    elif max_length > 0:
        message = _l("Please write at most %(max)d characters.")
    else:
        message = _l("Please write at least %(min)d characters.")
    return v.Length(min=min_length, max=max_length, message=message)


def text_field(label: object, min_length: int, max_length: int, **kwargs: Any) -> StringField:
    return StringField(
        label, [required(), length(min_length, max_length)], filters=[strip], **kwargs
    )


def area_field(label: object, min_length: int, max_length: int, **kwargs: Any) -> TextAreaField:
    return TextAreaField(
        label, [required(), length(min_length, max_length)], filters=[strip], **kwargs
    )


class BaseForm(Form):
    """A WTForms form filled from a Starlette request; CSRF is checked by the middleware."""

    @classmethod
    async def from_request(cls, request: Request, **kwargs: Any) -> Any:
        formdata = await request.form()
        return cls(formdata=formdata, **kwargs)

    def add_error(self, field: str, message: str) -> None:
        errors = getattr(self, field).errors
        if isinstance(errors, tuple):
            errors = list(errors)
            getattr(self, field).errors = errors
        errors.append(message)
