"""Signed, expiring links for e-mail verification and password reset (itsdangerous)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from participation.accounts.models import User

VERIFY_MAX_AGE = timedelta(days=3)
RESET_MAX_AGE = timedelta(hours=1)


class TokenExpired(Exception):
    """The link was genuine but is too old."""


class TokenInvalid(Exception):
    """The link was changed, belongs to something else, or was already used."""


@dataclass(frozen=True)
class Tokens:
    secret: str

    def _serializer(self, purpose: str) -> URLSafeTimedSerializer:
        return URLSafeTimedSerializer(self.secret, salt=f"participation.{purpose}")

    def _load(self, purpose: str, token: str, max_age: timedelta) -> dict[str, Any]:
        try:
            data = self._serializer(purpose).loads(token, max_age=int(max_age.total_seconds()))
        except SignatureExpired:
            raise TokenExpired from None
        except BadSignature:
            raise TokenInvalid from None
        if not isinstance(data, dict):
            raise TokenInvalid
        return data

    def verification(self, user: User) -> str:
        """A link token that confirms the user's current e-mail address."""
        return self._serializer("verify").dumps({"uid": user.id, "email": user.email})

    def read_verification(self, token: str) -> tuple[int, str]:
        """Return (user id, e-mail address) or raise TokenExpired / TokenInvalid."""
        data = self._load("verify", token, VERIFY_MAX_AGE)
        return int(data["uid"]), str(data["email"])

    def reset(self, user: User) -> str:
        """A link token that allows one password change (void once the password changed)."""
        return self._serializer("reset").dumps({"uid": user.id, "state": _state(user)})

    def read_reset(self, token: str) -> tuple[int, str]:
        """Return (user id, account state at issue) or raise TokenExpired / TokenInvalid."""
        data = self._load("reset", token, RESET_MAX_AGE)
        return int(data["uid"]), str(data["state"])

    @staticmethod
    def reset_still_valid(user: User, state: str) -> bool:
        return _state(user) == state


def _state(user: User) -> str:
    """Changes whenever the password or the session epoch changes, so a reset link works once."""
    material = f"{user.password_hash}|{user.session_epoch}|{user.email}"
    return hashlib.sha256(material.encode()).hexdigest()[:16]
