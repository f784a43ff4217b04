"""Static files under content-hashed names, cached for a year; plain names stay short-lived."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

LONG_CACHE = "public, max-age=31536000, immutable"
SHORT_CACHE = "public, max-age=300"
_HASHED = re.compile(r"^(?P<stem>.+)\.(?P<digest>[0-9a-f]{12})(?P<suffix>\.[A-Za-z0-9]+)$")


class Assets:
    """Knows the content hash of every static file (computed once per file version)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._digests: dict[str, tuple[float, str]] = {}

    def digest(self, name: str) -> str:
        path = self.directory / name
        mtime = path.stat().st_mtime
        known = self._digests.get(name)
        if known is None or known[0] != mtime:
            known = (mtime, hashlib.sha256(path.read_bytes()).hexdigest()[:12])
            self._digests[name] = known
        return known[1]

    def url(self, name: str) -> str:
        """Return /static/<stem>.<digest><suffix> for a file in the static directory."""
        stem, dot, suffix = name.rpartition(".")
        return f"/static/{stem}.{self.digest(name)}{dot}{suffix}"


class HashedStaticFiles(StaticFiles):
    """Serve `app.<digest>.css` as `app.css`, cached for a year when the digest is current."""

    def __init__(self, assets: Assets) -> None:
        super().__init__(directory=assets.directory)
        self.assets = assets

    async def get_response(self, path: str, scope: Scope) -> Response:
        match = _HASHED.match(path)
        name = f"{match['stem']}{match['suffix']}" if match else path
        response = await super().get_response(name, scope)
        current = False
        if match and response.status_code in (200, 304):
            try:
                current = self.assets.digest(name) == match["digest"]
            except OSError:
                current = False
        response.headers["cache-control"] = LONG_CACHE if current else SHORT_CACHE
        return response
