"""The questionnaire results page, answer first: "start here" (how soon, whom to see first and
why, what to do next), the best matches with at most three reasons each and nothing said
twice, the others in a line each, and what the printout needs. The page's length and its print
are measured in a real browser (tests/browser/test_results_page_in_browser.py)."""

from __future__ import annotations

import copy
import re
from collections import Counter

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from app.extensions import db
from app.models import Role
from app.questionnaire.results import (
    Said,
    all_roles,
    lead_clause,
    phrase,
    phrases,
    plan_page,
    role_contents,
    says_to_act,
    sentences,
)

from . import site_engine
from .answers import CHRONIC_BACK_AND_LEG
from .conftest import form_fields


def results(client, body=CHRONIC_BACK_AND_LEG) -> BeautifulSoup:
    response = client.post("/which-specialist", data={"step": "check", **form_fields(body)})
    assert response.status_code == 200
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def engine_answer(body=CHRONIC_BACK_AND_LEG, fits=None, first=None) -> dict:
    """The engine's real answer, optionally with these fits in rank order, or `first` moved
    to the top as a strong match."""
    result = copy.deepcopy(site_engine.recommend(body))
    for item, fit in zip(result["recommendations"], fits or (), strict=False):
        item["fit"] = fit
    if first:
        [item] = [item for item in result["recommendations"] if item["role"] == first]
        result["recommendations"].remove(item)
        result["recommendations"].insert(0, {**item, "fit": "strong"})
    return result


@pytest.fixture(scope="module")
def roles(app):
    with app.test_request_context():
        return role_contents(all_roles)


def said_on(page: BeautifulSoup) -> list[str]:
    """The sentences of the start-here block and the explained roles' reasons."""
    parts = page.select(".start-here p, .result-card .reasons li")
    return [s for part in parts for s in sentences(" ".join(part.get_text(" ").split()))]


# --- the page, over HTTP -------------------------------------------------------------------


def test_results_start_here_comes_first_with_urgency_role_and_next_step(client):
    page = results(client)
    content = page.select_one("main .results")
    first_section = content.find("section")
    assert "start-here" in first_section["class"]
    assert first_section.find_previous("h1"), "after the page's heading, before anything else"
    assert not first_section.find_previous(class_="result-card")
    urgency = first_section.select_one(".urgency-line")
    assert urgency.strong.get_text(strip=True) == "Nothing you told us needs urgent care."
    link = first_section.select_one(".first-role a")
    assert link.get_text(strip=True) == "a pain medicine physician"
    assert (
        page.select_one(link["href"]).find("h3").get_text(strip=True) == "Pain medicine physician"
    )
    next_step = first_section.select_one(".next-step").get_text(" ", strip=True)
    assert "primary care doctor and ask for a referral to a pain medicine physician" in next_step


@pytest.mark.parametrize(
    ("first", "says"),
    [
        ("physical-therapist", "You can usually book a physical therapist yourself."),
        ("primary-care-physician", "Book an appointment with your primary care doctor."),
        ("anesthesiologist", "arrange a talk with an anesthesiologist"),
        ("emergency-physician", "Go to the nearest emergency department."),
        ("neurologist", "ask for a referral to a neurologist"),
    ],
)
def test_the_next_step_follows_how_the_first_role_is_reached(client, monkeypatch, first, says):
    answer = engine_answer(first=first)
    monkeypatch.setattr("app.questionnaire.results.recommend", lambda *args: answer)
    next_step = results(client).select_one(".start-here .next-step").get_text(" ", strip=True)
    assert says in " ".join(next_step.split())


def test_no_reason_sentence_is_said_twice_and_each_role_has_at_most_three(client):
    page = results(client)
    said = said_on(page)
    assert said and not [s for s, n in Counter(said).items() if n > 1]
    cards = page.select(".result-card")
    assert len(cards) == 3
    for card in cards:
        assert 1 <= len(card.select(".reasons li")) <= 3  # the limit
    # The one sentence on why the first role, said in "start here", is not said again below.
    why = page.select_one(".start-here .first-role").get_text(" ", strip=True).split(". ", 1)[1]
    assert why not in cards[0].get_text(" ", strip=True)


def test_general_roles_are_never_listed_and_others_get_one_line(client):
    page = results(client)
    answer = engine_answer()
    general = {i["role"] for i in answer["recommendations"] if i["fit"] == "general"}
    matches = [i["role"] for i in answer["recommendations"] if i["fit"] != "general"]
    assert general, "the standard case has roles nothing pointed to"
    linked = {a["href"].removeprefix("/roles/") for a in page.select("main a[href^='/roles/']")}
    assert not general & linked
    others = [a["href"].removeprefix("/roles/") for a in page.select(".others-list li > a")]
    assert others == matches[3:]
    for line in page.select(".others-list li"):
        assert len(line.find_all("a")) == 1 and "." in line.get_text()
    assert "points to this specialist first" not in page.get_text()


def test_results_keep_what_matters_from_before(client):
    page = results(client)
    text = page.get_text(" ", strip=True)
    assert "not a diagnosis" in text and "Nothing you entered was stored" in text
    assert page.select_one(".answers-summary .summary-list")
    assert "You said: Back, Arms or legs" in page.select_one(".answers-summary").get_text(" ")
    change = page.select_one(".answers-summary form")
    assert change.find("button").get_text(strip=True) == "Change your answers"
    assert change.find("input", attrs={"name": "locations", "value": "arms_or_legs"})
    compare = page.find("a", href=re.compile(r"^/compare\?roles="))
    slugs = [card["id"].removeprefix("role-") for card in page.select(".result-card")]
    assert compare["href"] == "/compare?roles=" + ",".join(slugs)
    assert page.find(id="wait-heading") and "Seek care sooner if" in text
    assert page.select(".result-card .source-list a[href^='https://']")
    assert page.select("section.sources li a[href^='https://']")
    printed = page.select_one(".print-only").get_text(" ", strip=True)
    assert "Content version" in printed and re.search(r"\b20\d\d\b", printed)
    assert page.select_one(".print-only.notes")
    assert page.select_one(".crisis-panel"), "mood and sleep affected: the crisis line"
    assert page.find("link", href=re.compile(r"/assets/[0-9a-f]{12}/css/results\.css$"))


# --- choosing and merging, without HTTP ----------------------------------------------------


def test_a_reason_that_repeats_earlier_facts_is_merged(roles):
    result = engine_answer(fits=["strong"])
    top = result["recommendations"][0]
    said_first = "Your back pain has lasted more than 3 months and gets in the way of daily life."
    top["reasons"] = [
        f"{said_first} A pain medicine physician treats long-lasting spine pain.",
        "Your pain has lasted more than 3 months and gets in the way of daily life.",
        # Not word for word, but the same facts with little added:
        "Your back pain of more than 3 months still gets in the way of daily life, even at rest.",
        "Pain shooting down a leg can come from a pressed nerve. Shots near it can help.",
    ]
    page = plan_page(result, roles)
    assert page.why == "A pain medicine physician treats long-lasting spine pain."
    assert page.top[0].reasons == [
        said_first,
        "Pain shooting down a leg can come from a pressed nerve. Shots near it can help.",
    ]


def test_at_most_three_reasons_even_when_all_are_new(roles):
    result = engine_answer(fits=["strong"])
    result["recommendations"][0]["reasons"] = [
        "Your knees ache after long walks.",
        "Stairs hurt your hips in the morning.",
        "Burning feet keep you awake at night.",
        "Lifting children strains your shoulders.",
        "Typing makes both wrists tingle.",
    ]
    assert len(plan_page(result, roles).top[0].reasons) == 3


def test_a_question_two_explained_roles_share_is_asked_once(roles):
    # Both list "What do you think is causing my pain?" first.
    emergency = engine_answer(first="emergency-physician")["recommendations"][0]
    pain = engine_answer(first="pain-medicine-physician")["recommendations"][0]
    result = {**engine_answer(), "recommendations": [emergency, pain]}
    first, second = plan_page(result, roles).top
    shared = "What do you think is causing my pain?"
    assert first.questions[0] == shared and shared not in second.questions
    assert len(second.questions) == 2


def test_a_strong_match_beyond_the_top_three_is_listed_with_the_others(roles):
    fits = ["strong", "general", "possible", "general", "strong", "possible", "general", "strong"]
    result = engine_answer(fits=fits + ["general"] * 12)
    ranked = [item["role"] for item in result["recommendations"]]
    page = plan_page(result, roles)
    assert [match.role.slug for match in page.top] == [ranked[0], ranked[2], ranked[4]]
    assert [role.slug for role in page.others] == [ranked[5], ranked[7]]


def test_a_sentence_whose_words_the_page_has_said_counts_as_said():
    said = Said()
    said.add(phrases("Your back pain has lasted more than 3 months and gets in the way of life."))
    assert said.has(phrase("your back  pain has lasted more than 3 months."))
    assert said.has(
        phrase("Your back pain has lasted more than 3 months and gets in the way of life.")
    )
    assert not said.has(phrase("Your neck pain has lasted more than 3 months."))
    again = [phrase("Check first."), phrase("Check first."), phrase("Your back pain has lasted.")]
    assert said.take(again) == ["Check first."]


def test_no_two_roles_share_a_sentence_the_page_shows(app):
    """Role content is drawn once per content version, not de-duplicated per page (except the
    questions to ask): two roles must never say the same sentence (a content edit that does
    fails here)."""
    shown: dict[str, list[str]] = {}
    with app.app_context():
        for role in db.session.scalars(select(Role)):
            first_access = sentences(role.access_note)[:1]
            for text in [role.summary, *first_access, *role.treatments[:3]]:
                shown.setdefault(phrase(text).key, []).append(role.slug)
    assert not {text: slugs for text, slugs in shown.items() if len(slugs) > 1}


@pytest.mark.parametrize("timing", ["now", "today", "within_days", "routine"])
def test_every_timing_message_has_a_lead_to_set_apart(timing):
    message = site_engine.RULEBOOK.messages[timing]
    lead, rest = lead_clause(message)
    assert lead and lead[-1] in ":.!?" and len(lead) < len(message)
    assert f"{lead} {rest}" == message


def test_sentences_split_at_ends_only():
    text = "Call 988 (US), or chat at 988lifeline.org. Free and open. Ask: why?"
    assert sentences(text) == [
        "Call 988 (US), or chat at 988lifeline.org.",
        "Free and open.",
        "Ask: why?",
    ]


# --- safety: what to do and how soon is never merged away -----------------------------------


def _action_sentences(item: dict) -> list[str]:
    return [s for reason in item["reasons"] for s in sentences(reason) if says_to_act(s)]


def test_no_case_loses_a_sentence_that_says_what_to_do_or_how_soon(roles):
    """Over every patient case of the engine's table: each sentence of an explained role's
    reasons that tells the patient to act ("call 911 if...", "within days") is on the page,
    in "start here" or under a role, however many reasons are merged or cut."""
    from .test_recommend_cases import case_values

    checked = 0
    for case_id, body, _expected in case_values():
        result = site_engine.recommend(body)
        if result["urgency"] == "emergency":
            continue  # the emergency page, not this one
        page = plan_page(result, roles)
        shown = " ".join(
            [page.urgency, page.urgency_rest, page.why]
            + [reason for match in page.top for reason in match.reasons]
        )
        shown_phrases = [phrase(s) for s in sentences(shown)]
        for match in page.top:
            [item] = [i for i in result["recommendations"] if i["role"] == match.role.slug]
            for sentence in _action_sentences(item):
                wanted = phrase(sentence)
                assert any(
                    wanted.key == s.key or (wanted.words and wanted.words <= s.words)
                    for s in shown_phrases
                ), f"{case_id}: {match.role.slug} lost {sentence!r}"
                checked += 1
    assert checked > 50  # the table has many urgent and advice-giving cases


def test_an_urgent_results_page_does_not_say_book_a_routine_appointment(client):
    from .test_recommend_cases import case_values

    seen = 0
    for case_id, body, _ in case_values():
        if site_engine.recommend(body)["timing"] not in ("today", "within_days"):
            continue
        page = results(client, body)
        next_step = page.select_one(".next-step").get_text(" ", strip=True)
        assert "book" not in next_step.lower(), f"{case_id}: {next_step}"
        assert "When you call" in next_step, case_id
        seen += 1
    assert seen >= 10


@pytest.mark.parametrize(
    ("sentence", "acts"),
    [
        ("Call 911 if it does not stop within a few minutes of rest.", True),
        ("Tell your cancer team within days, to rule out spread to the spine.", True),
        ("New weakness or numbness is an emergency.", True),
        ("Guidelines say to see a rheumatologist quickly.", True),
        ("You did not tick any emergency sign.", False),
        ("You have cancer now.", False),
        ("A primary care doctor can see you for any pain that is not an emergency.", False),
    ],
)
def test_what_counts_as_telling_the_patient_to_act(sentence, acts):
    assert says_to_act(sentence) is acts


def test_an_urgent_case_says_why_in_the_words_that_say_how_soon(roles):
    """Within days or today: "start here" gives, as the reason to see the first role, its
    sentence that says what to do and how soon, when it has one."""
    from .test_recommend_cases import case_values

    checked = 0
    for case_id, body, _ in case_values():
        result = site_engine.recommend(body)
        if result["timing"] not in ("today", "within_days"):
            continue
        page = plan_page(result, roles)
        first = next(i for i in result["recommendations"] if i["role"] == page.first.role.slug)
        if any(says_to_act(reason) for reason in first["reasons"]):
            assert says_to_act(page.why), f"{case_id}: {page.why}"
            checked += 1
    assert checked >= 5
