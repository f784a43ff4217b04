from tests.conftest import Browser, page


def test_home_lists_the_five_areas(client: Browser) -> None:
    response = client.get("/de/")
    assert response.status_code == 200
    names = [a.get_text(strip=True) for a in page(response).select(".cards h3 a")]
    assert names == [
        "Mehringplatz",
        "Wassertorplatz",
        "Zentrum Kreuzberg/Oranienstraße",
        "Mariannenplatz",
        "Düttmann-Siedlung",
    ]
