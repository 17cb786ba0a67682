"""Plain language: each page's own text reads at about US grade 8 or below (Flesch-Kincaid)."""

import pytest

from app.content.readability import page_prose, reading_grade

from .readability import print_page_scores
from .test_pages import all_pages

MAX_GRADE = 8.0
GRADES: dict[str, float] = {}


def test_every_page_reads_at_grade_8_or_below(client, role_slugs, setting_slugs, condition_slugs):
    too_hard = {}
    for path in all_pages(role_slugs, setting_slugs, condition_slugs):
        html = client.get(path).get_data(as_text=True)
        assert len(page_prose(html).split()) > 20, f"{path}: too little text to measure"
        GRADES[path] = grade = round(reading_grade(html), 1)
        if grade > MAX_GRADE:
            too_hard[path] = grade
    assert not too_hard, f"pages above grade {MAX_GRADE}: {too_hard}"


def test_the_measure_tells_hard_text_from_plain_text():
    plain = (
        "<main><p>See your doctor first. They can check your back. "
        "Most back pain gets better.</p></main>"
    )
    hard = (
        "<main><p>Multidisciplinary interventional management necessitates comprehensive "
        "neurophysiological evaluation, pharmacological optimization and psychological "
        "characterization preceding consideration of neuromodulation procedures.</p></main>"
    )
    assert reading_grade(plain) < 6 < MAX_GRADE < reading_grade(hard)


@pytest.fixture(scope="module", autouse=True)
def report_grades():
    yield
    print_page_scores("Reading grade (Flesch-Kincaid)", GRADES, higher_is_harder=True)


def test_questionnaire_and_results_read_at_grade_8_or_below(client):
    from .test_questionnaire import carried, submit, through_to_check

    pages = {"/which-specialist (start)": client.get("/which-specialist").get_data(as_text=True)}
    response, page = submit(client, "emergency", red_flags="none")
    pages["/which-specialist (about you)"] = response.get_data(as_text=True)
    response, _ = submit(client, "emergency", red_flags="bladder_bowel")
    pages["/which-specialist (emergency)"] = response.get_data(as_text=True)
    _, page = through_to_check(client)
    pages["/which-specialist (check)"] = str(page)
    response, _ = submit(client, "check", **carried(page))
    pages["/which-specialist (results)"] = response.get_data(as_text=True)
    too_hard = {}
    for name, html in pages.items():
        GRADES[name] = grade = round(reading_grade(html), 1)
        if grade > MAX_GRADE:
            too_hard[name] = grade
    assert not too_hard, f"pages above grade {MAX_GRADE}: {too_hard}"
