"""Configuration, read once from environment variables (documented in README.md)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from starlette.config import Config
from starlette.datastructures import Secret

from participation import ROOT

DEV_KEY_FILE = ROOT / "var" / "dev-secret-key"


class ConfigurationError(RuntimeError):
    """The environment does not describe a runnable configuration."""


@dataclass(frozen=True)
class Settings:
    database_url: str
    secret_key: Secret
    environment: str = "production"
    base_url: str = "http://127.0.0.1:8000"
    site_name: str = "Mitmachen im Kiez"
    max_body_bytes: int = 1_000_000
    max_upload_bytes: int = 26_000_000
    max_photo_bytes: int = 8_000_000
    signin_rate_limit: str = "10/15 minutes"
    signin_client_rate_limit: str = "100/15 minutes"
    signup_client_rate_limit: str = "10/hour"
    rate_limit_storage_url: str = "database"
    expose_query_count: bool = False
    page_cache_seconds: float = 10.0
    """How long a page kept for visitors without a session may be served while no content
    changed (participation/cache.py); 0 turns the page cache off."""
    smtp_url: str = ""
    mail_from: str = ""
    accessibility_contact: str = ""
    sign_language_video_url: str = ""
    operator_name: str = "Bezirksamt Friedrichshain-Kreuzberg von Berlin"
    operator_unit: str = "Bezirkliche Planung und Koordinierung"
    operator_address: str = ""
    operator_email: str = ""
    operator_phone: str = ""
    oidc_issuer: str = ""
    oidc_client_id: str = ""
    oidc_client_secret: Secret | None = None
    oidc_name: str = ""

    @property
    def oidc_enabled(self) -> bool:
        return bool(self.oidc_issuer and self.oidc_client_id)

    session_max_age: int = 14 * 24 * 3600
    templates_dir: Path = field(default=ROOT / "templates")
    static_dir: Path = field(default=ROOT / "static")
    locales_dir: Path = field(default=ROOT / "locales")

    @property
    def debug(self) -> bool:
        return self.environment == "development"

    @property
    def https(self) -> bool:
        return self.base_url.startswith("https://")

    @property
    def sender(self) -> str:
        """The From address of mails."""
        host = urlsplit(self.base_url).hostname or "localhost"
        return self.mail_from or f"noreply@{host}"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def default_database_url() -> str:
    return f"sqlite+aiosqlite:///{ROOT / 'var' / 'participation.sqlite3'}"


def normalise_database_url(url: str) -> str:
    """Return the URL with the async driver SQLAlchemy needs (hosting platforms hand out postgres://)."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+asyncpg://" + url.removeprefix(prefix)
    if url.startswith("sqlite:///"):
        return "sqlite+aiosqlite:///" + url.removeprefix("sqlite:///")
    return url


def load_settings(environ: os._Environ[str] | dict[str, str] | None = None) -> Settings:
    """Read the settings from the environment; refuse to run in production without SECRET_KEY."""
    config = Config(environ=environ if environ is not None else os.environ)
    environment = config("ENVIRONMENT", default="production")
    secret = config("SECRET_KEY", cast=Secret, default=None)
    if secret is None and environment == "development" and DEV_KEY_FILE.exists():
        secret = Secret(DEV_KEY_FILE.read_text().strip())
    if secret is None or len(str(secret)) < 32:
        raise ConfigurationError(
            "SECRET_KEY must be set to a random string of at least 32 characters "
            "(in development, `make run` generates one into var/dev-secret-key)."
        )
    return Settings(
        database_url=normalise_database_url(config("DATABASE_URL", default=default_database_url())),
        secret_key=secret,
        environment=environment,
        base_url=config("BASE_URL", default="http://127.0.0.1:8000").rstrip("/"),
        site_name=config("SITE_NAME", default="Mitmachen im Kiez"),
        max_body_bytes=config("MAX_BODY_BYTES", cast=int, default=1_000_000),
        max_upload_bytes=config("MAX_UPLOAD_BYTES", cast=int, default=26_000_000),
        max_photo_bytes=config("MAX_PHOTO_BYTES", cast=int, default=8_000_000),
        signin_rate_limit=config("SIGNIN_RATE_LIMIT", default="10/15 minutes"),
        signin_client_rate_limit=config("SIGNIN_CLIENT_RATE_LIMIT", default="100/15 minutes"),
        signup_client_rate_limit=config("SIGNUP_CLIENT_RATE_LIMIT", default="10/hour"),
        rate_limit_storage_url=config("RATE_LIMIT_STORAGE_URL", default="database"),
        expose_query_count=config("EXPOSE_QUERY_COUNT", cast=bool, default=False),
        page_cache_seconds=config("PAGE_CACHE_SECONDS", cast=float, default=10.0),
        smtp_url=config(
            "SMTP_URL",
            default=f"file://{ROOT / 'var' / 'mail'}" if environment == "development" else "",
        ),
        mail_from=config("MAIL_FROM", default=""),
        accessibility_contact=config("ACCESSIBILITY_CONTACT_EMAIL", default=""),
        sign_language_video_url=config("SIGN_LANGUAGE_VIDEO_URL", default=""),
        operator_name=config(
            "OPERATOR_NAME", default="Bezirksamt Friedrichshain-Kreuzberg von Berlin"
        ),
        operator_unit=config("OPERATOR_UNIT", default="Bezirkliche Planung und Koordinierung"),
        operator_address=config("OPERATOR_ADDRESS", default=""),
        operator_email=config("OPERATOR_EMAIL", default=""),
        operator_phone=config("OPERATOR_PHONE", default=""),
        oidc_issuer=config("OIDC_ISSUER", default="").rstrip("/"),
        oidc_client_id=config("OIDC_CLIENT_ID", default=""),
        oidc_client_secret=config("OIDC_CLIENT_SECRET", cast=Secret, default=None),
        oidc_name=config("OIDC_NAME", default=""),
    )
