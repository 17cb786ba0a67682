"""With CSRF protection on, as in production: the token comes from the rendered form."""

import pytest
from bs4 import BeautifulSoup

from .conftest import answers, form_fields


def test_the_form_works_with_the_token_it_renders(csrf_client):
    response = csrf_client.post_form(
        "/which-specialist", {"step": "emergency", "red_flags": "none"}
    )
    assert response.status_code == 200
    assert "About your pain" in response.get_data(as_text=True)
    results = csrf_client.post_form(
        "/which-specialist", {**form_fields(answers()), "step": "check"}
    )
    assert results.status_code == 200 and "Start here" in results.get_data(as_text=True)


@pytest.mark.parametrize("step", ["emergency", "check"])  # "check": the results, straight
@pytest.mark.parametrize("token", [None, "forged-token"])
def test_a_post_without_a_valid_token_gets_a_start_again_page(csrf_client, token, step):
    csrf_client.get("/which-specialist")
    data = {"red_flags": "none", **form_fields(answers()), "step": step}
    if token:
        data["csrf_token"] = token
    response = csrf_client.post("/which-specialist", data=data)
    assert response.status_code == 400
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert page.find("h1").get_text(strip=True) == "Please start again"
    assert page.find("a", href="/which-specialist")
