"""The accessibility feedback form."""

from __future__ import annotations

from wtforms import StringField
from wtforms import validators as v

from participation.forms import BaseForm, area_field, length, strip
from participation.i18n import lazy_gettext as _l


class FeedbackForm(BaseForm):
    message = area_field(_l("What did not work for you?"), 10, 5000)
    page = StringField(
        _l("On which page? (optional)"), [v.Optional(), length(max_length=500)], filters=[strip]
    )
    name = StringField(
        _l("Your name (optional)"), [v.Optional(), length(max_length=120)], filters=[strip]
    )
    email = StringField(
        _l("Your e-mail address, if you would like an answer (optional)"),
        [
            v.Optional(),
            length(max_length=254),
            v.Email(message=_l("Please enter an e-mail address like name@example.org.")),
        ],
        filters=[strip],
    )
    website = StringField()  # left empty by people; filled by robots that fill every field

    @property
    def is_robot(self) -> bool:
        return bool(self.website.data)
