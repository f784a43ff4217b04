"""Static files: content-hashed names cached for a year, compressed, referenced by every page."""

from __future__ import annotations

import re

from tests.conftest import Browser, page


def asset_urls(client: Browser) -> list[str]:
    soup = page(client.get("/de/"))
    urls = [str(s["src"]) for s in soup.select("script[src]")]
    urls += [str(link["href"]) for link in soup.select("link[rel=stylesheet], link[rel=icon]")]
    return urls


def test_pages_reference_content_hashed_assets(client: Browser) -> None:
    urls = asset_urls(client)
    assert len(urls) == 4
    for url in urls:
        assert re.fullmatch(r"/static/[a-z.]+\.[0-9a-f]{12}\.(css|js|svg)", url), url


def test_hashed_assets_are_cached_for_a_year_and_compressed(client: Browser) -> None:
    for url in asset_urls(client):
        response = client.get(url, headers={"Accept-Encoding": "gzip"})
        assert response.status_code == 200
        assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
        if url.endswith((".js", ".css")):
            assert response.headers.get("content-encoding") == "gzip"


def test_plain_or_outdated_names_are_cached_briefly(client: Browser) -> None:
    for url in ["/static/app.css", "/static/app.000000000000.css"]:
        response = client.get(url)
        assert response.status_code == 200
        assert response.headers["cache-control"] == "public, max-age=300"


def test_html_is_compressed(client: Browser) -> None:
    response = client.get("/de/areas/mehringplatz/ideas", headers={"Accept-Encoding": "gzip"})
    assert response.headers.get("content-encoding") == "gzip"
