"""Sign-up, sign-in, joining an area and the profile."""

from __future__ import annotations

from wtforms import (
    HiddenField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms import validators as v
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import CheckboxInput, ListWidget

from participation.accounts.models import StakeholderRole
from participation.forms import BaseForm, length, required, strip, text_field
from participation.i18n import LANGUAGES
from participation.i18n import lazy_gettext as _l

PASSWORD_MIN = 10


def email_field() -> StringField:
    return StringField(
        _l("E-mail address"),
        [
            required(),
            length(max_length=254),
            v.Email(message=_l("Please enter an e-mail address like name@example.org.")),
        ],
        filters=[strip, lambda value: value.lower() if isinstance(value, str) else value],
    )


class SignUpForm(BaseForm):
    email = email_field()
    display_name = text_field(_l("Name shown with your posts"), 2, 60)
    password = PasswordField(_l("Password"), [required(), length(PASSWORD_MIN, 200)])
    website = StringField()  # left empty by people; filled by robots that fill every field

    @property
    def is_robot(self) -> bool:
        return bool(self.website.data)


class SignInForm(BaseForm):
    email = email_field()
    password = PasswordField(_l("Password"), [required(), length(max_length=200)])
    next = HiddenField()


ROLE_LABELS = {
    StakeholderRole.RESIDENT: _l("I live here"),
    StakeholderRole.BUSINESS: _l("I run a business here"),
    StakeholderRole.OWNER: _l("I own property here"),
    StakeholderRole.INSTITUTION: _l(
        "I work for a local institution (school, daycare, association)"
    ),
}


class JoinForm(BaseForm):
    roles = SelectMultipleField(
        _l("How are you connected to this area?"),
        [v.InputRequired(message=_l("Please choose at least one."))],
        choices=[SelectChoice(role.value, label) for role, label in ROLE_LABELS.items()],
        option_widget=CheckboxInput(),
        widget=ListWidget(prefix_label=False),
    )


class ProfileForm(BaseForm):
    display_name = text_field(_l("Name shown with your posts"), 2, 60)
    preferred_locale = SelectField(
        _l("Preferred language"),
        [required()],
        choices=[SelectChoice(code, lang.native_name) for code, lang in LANGUAGES.items()],
    )


class ForgotPasswordForm(BaseForm):
    email = email_field()


class ResetPasswordForm(BaseForm):
    password = PasswordField(_l("New password"), [required(), length(PASSWORD_MIN, 200)])


class ChangePasswordForm(BaseForm):
    current_password = PasswordField(_l("Current password"), [required(), length(max_length=200)])
    password = PasswordField(_l("New password"), [required(), length(PASSWORD_MIN, 200)])


class ChangeEmailForm(BaseForm):
    email = email_field()
    password = PasswordField(
        _l("Your password, to confirm it is you"), [required(), length(max_length=200)]
    )


class DeleteAccountForm(BaseForm):
    contributions = RadioField(
        _l("What should happen to your ideas and comments?"),
        [required()],
        choices=[
            SelectChoice("keep", _l("Keep them, shown as by a deleted account")),
            SelectChoice("remove", _l("Remove them")),
        ],
        default="keep",
    )
    password = PasswordField(
        _l("Your password, to confirm it is you"), [required(), length(max_length=200)]
    )
