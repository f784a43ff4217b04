import re
from collections.abc import Callable

from participation.demo import DEMO_PASSWORD
from tests.conftest import ROOT, Browser, page


def test_home_lists_the_five_areas_active_ones_first(client: Browser) -> None:
    response = client.get("/de/")
    assert response.status_code == 200
    active = [a.get_text(strip=True) for a in page(response).select("#active-heading + ul h3 a")]
    archive = [a.get_text(strip=True) for a in page(response).select("#archive-heading ~ ul h3 a")]
    assert active[:3] == ["Mehringplatz", "Wassertorplatz", "Zentrum Kreuzberg/Oranienstraße"]
    assert archive[:2] == ["Mariannenplatz", "Düttmann-Siedlung"]


def test_the_demo_accounts_of_the_readme_can_sign_in_and_find_their_work(
    new_client: Callable[[], Browser],
) -> None:
    """Every account the README lists signs in with the published password; the resident can
    vote in Mehringplatz and the Mehringplatz manager finds items waiting in the queue."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    emails = re.findall(r"^\| ([\w.-]+@[\w.-]+) \|", readme, flags=re.MULTILINE)
    assert len(emails) >= 7
    for email in emails:
        browser = new_client()
        response = browser.submit("/de/signin", {"email": email, "password": DEMO_PASSWORD})
        assert response.status_code == 303, email
        if email.startswith("resident@"):
            concept = page(browser.get("/de/areas/mehringplatz/concept"))
            assert concept.select('input[name="choice"]'), "the resident cannot vote"
        if email.startswith("manager-mehringplatz@"):
            queue = page(browser.get("/de/areas/mehringplatz/moderation"))
            assert len(queue.select(".queue-entry")) >= 3
