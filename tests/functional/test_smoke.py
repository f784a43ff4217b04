from tests.conftest import Browser, page


def test_home_lists_the_five_areas_active_ones_first(client: Browser) -> None:
    response = client.get("/de/")
    assert response.status_code == 200
    active = [a.get_text(strip=True) for a in page(response).select("#active-heading + ul h3 a")]
    archive = [a.get_text(strip=True) for a in page(response).select("#archive-heading ~ ul h3 a")]
    assert active[:3] == ["Mehringplatz", "Wassertorplatz", "Zentrum Kreuzberg/Oranienstraße"]
    assert archive[:2] == ["Mariannenplatz", "Düttmann-Siedlung"]
