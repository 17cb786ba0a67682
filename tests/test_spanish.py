"""The Spanish site is complete and right: translations the loader refuses, words left in
English, the terminology, the UI catalogue, every page under /es/, the questionnaire, the API,
search and the caches in Spanish.

How Spanish works: app/translation.py (content files), app/i18n.py (addresses, the API's
language), app/translations/es/LC_MESSAGES/messages.po (the words in templates and code) and
app/content/data/terminology/es.yaml (the words we use and the ones we avoid).
"""

from __future__ import annotations

import functools
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup
from sqlalchemy import select

from app.content import CONTENT_DIR
from app.content.loader import ContentError, load_content
from app.content.readability import MIN_READING_EASE_ES, page_prose, reading_ease_es
from app.extensions import db
from app.models import Role
from app.recommend import load_questionnaire
from app.recommend.engine import RULES_FILE
from app.recommend.questionnaire import QUESTIONS_FILE
from app.translation import (
    FREE_LISTS,
    read_document,
    text_leaves,
    translatable_files,
    translation_path,
)

from .conftest import (
    TEST_DATABASE_URL,
    answers,
    copy_with_translations,
    dump_database,
    edit_yaml,
    form_fields,
    make_app,
    migrate_database,
    scratch_database_url,
    wiped,
)
from .readability import print_page_scores
from .test_pages import all_pages
from .test_questionnaire import ABOUT, carried, joint_pain, submit, through_to_check

REPO = Path(__file__).resolve().parent.parent
CATALOGUE = REPO / "app/translations/es/LC_MESSAGES/messages.po"
TERMINOLOGY = CONTENT_DIR / "terminology/es.yaml"
ES = "/es"

# Texts of more than three words that stay the same in Spanish on purpose: the official names
# of US boards, councils and licensing exams, and US degree titles, as a patient sees them on a
# certificate, a board's website or after a clinician's name (the Spanish text explains them
# around the name).
KEPT_IN_ENGLISH = {
    "National Physical Therapy Examination (NPTE)",
    "Examination for Professional Practice in Psychology (EPPP)",
    "American Board of Medical Specialties",
    "Accreditation Council for Graduate Medical Education",
    "American Board of Physical Therapy Specialties (ABPTS)",
    "American Board of Professional Psychology (ABPP)",
    "Doctor of Osteopathic Medicine",
    "Doctor of Physical Therapy",
}

# Words of the English templates, seen on English pages (header, footer, sources sections,
# review dates), that a finished Spanish page never shows.
ENGLISH_UI_PHRASES = [
    "Skip to main content",
    "Which specialist?",
    "Search the site",
    "This site is not medical advice",
    "Thoughts of suicide or self-harm?",
    "How we write and check our content",
    "Content last reviewed",
    "Next review due by",
    "This page is based on these public sources",
    "Sources",
]

SCORES: dict[str, float] = {}


def normal(text: str) -> str:
    return " ".join(text.split())


def words_of(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def whole_word(word: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + re.escape(word) + r"(?!\w)", re.IGNORECASE)


def html_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


@functools.cache
def documents(language: str) -> tuple[tuple[str, Path, dict], ...]:
    """(kind, English file, document in `language`) for every translated file (read once: the
    tests only read them)."""
    return tuple(
        (kind, path, read_document(path, kind, language))
        for kind, path in translatable_files(CONTENT_DIR, QUESTIONS_FILE, RULES_FILE)
    )


def _list_of(field: str) -> str:
    """`search_terms[2]` -> `search_terms`: the list a free list's item belongs to."""
    return re.sub(r"\[\d+\]$", "", field)


def _is_free(field: str) -> bool:
    return bool(re.search(r"(^|\.)(" + "|".join(FREE_LISTS) + r")\[\d+\]$", field))


def spanish_leaves() -> Iterator[tuple[str, str, str]]:
    """(file, field, text) for every translated text of the Spanish content and questionnaire."""
    for kind, path, document in documents("es"):
        name = translation_path(path, "es").relative_to(REPO).as_posix()
        for field, text in text_leaves(kind, document):
            yield name, field, text


def catalogue():
    with CATALOGUE.open("rb") as file:
        return read_po(file)


def msgstrs(message) -> list[str]:
    return list(message.string) if isinstance(message.string, tuple) else [message.string]


# --- 1. The loader refuses a translation that does not fit its English file ------------------


@pytest.fixture(scope="module")
def loaded_app(app, tmp_path_factory):
    """A database of its own holding all the content in both languages, for the refusal tests
    (each bad load must leave it exactly as it was). One per module: a load takes seconds."""
    database = (
        wiped(scratch_database_url())
        if TEST_DATABASE_URL
        else tmp_path_factory.mktemp("spanish") / "loaded.db"
    )
    site = make_app(database)
    migrate_database(site)
    with site.app_context():
        load_content(db.session)
    yield site
    with site.app_context():
        db.engine.dispose()


PHYSIATRIST_ES = "roles/physiatrist.es.yaml"


def _in_translation(change: Callable[[dict], None]):
    def breaks(content_dir: Path, tmp_path: Path) -> dict:
        edit_yaml(content_dir / PHYSIATRIST_ES, change)
        return {}

    return breaks


def _translation_deleted(content_dir: Path, tmp_path: Path) -> dict:
    (content_dir / PHYSIATRIST_ES).unlink()
    return {}


def _placeholder_dropped_from_a_rule(content_dir: Path, tmp_path: Path) -> dict:
    rules = copy_with_translations(RULES_FILE, tmp_path / "rules.yaml")

    def drop(data: dict) -> None:
        rule = data["rules"][0]
        assert "{red_flags}" in rule["reason"]
        rule["reason"] = rule["reason"].replace("{red_flags}", "una señal")

    edit_yaml(translation_path(rules, "es"), drop)
    return {"rules_file": rules}


BAD_TRANSLATIONS = [
    pytest.param(
        _in_translation(lambda d: d.pop("focus")),
        [PHYSIATRIST_ES, "entry 'physiatrist'", "field 'focus'", "missing from the translation"],
        id="field-missing",
    ),
    pytest.param(
        _in_translation(lambda d: d["treatments"].pop()),
        [PHYSIATRIST_ES, "field 'treatments'", "items but the English file has"],
        id="list-shorter",
    ),
    pytest.param(
        _in_translation(lambda d: d["works_with"][0].update(role="neurologist")),
        [PHYSIATRIST_ES, "field 'works_with[0].role'", "must be 'physical-therapist'"],
        id="anchor-changed",
    ),
    pytest.param(
        _placeholder_dropped_from_a_rule,
        ["rules.es.yaml", "rules[0].reason", "same {placeholders}", "{red_flags}"],
        id="placeholder-dropped",
    ),
    pytest.param(
        _translation_deleted,
        [PHYSIATRIST_ES, "physiatrist.es.yaml is missing"],
        id="translation-missing",
    ),
    pytest.param(
        _in_translation(lambda d: d.update(group="x")),
        [PHYSIATRIST_ES, "field 'group'", "is not translated"],
        id="untranslated-field-in-translation",
    ),
]


@pytest.mark.parametrize(("break_it", "expected"), BAD_TRANSLATIONS)
def test_bad_translation_is_refused_and_the_database_is_unchanged(
    loaded_app, content_dir, tmp_path, break_it, expected
):
    files = break_it(content_dir, tmp_path)
    with loaded_app.app_context():
        before = dump_database()
        with pytest.raises(ContentError) as error:
            load_content(db.session, content_dir, **files)
        for fragment in expected:
            assert fragment in str(error.value)
        assert dump_database() == before


def test_free_lists_may_differ_in_length_between_languages(loaded_app, content_dir):
    english = yaml.safe_load((content_dir / "roles/physiatrist.yaml").read_text())
    terms = ["fisiatría"]
    assert len(terms) != len(english["search_terms"])
    edit_yaml(content_dir / PHYSIATRIST_ES, lambda d: d.update(search_terms=terms))
    with loaded_app.app_context():
        load_content(db.session, content_dir)
        rows = db.session.execute(
            select(Role.language, Role.search_terms)
            .where(Role.slug == "physiatrist")
            .execution_options(any_language=True)
        ).all()
    assert dict(rows) == {"en": english["search_terms"], "es": terms}


# --- 2. Nothing left in English ---------------------------------------------------------------


def test_every_translated_text_is_in_spanish():
    left_in_english = []
    for kind, path, spanish in documents("es"):
        english = dict(text_leaves(kind, read_document(path, kind)))
        for field, text in text_leaves(kind, spanish):
            if _is_free(field):  # its own words: compare with any item of the English list
                same = {normal(t) for f, t in english.items() if _list_of(f) == _list_of(field)}
            else:
                same = {normal(english.get(field, ""))}
            text = normal(text)
            if text in same and len(text.split()) > 3 and text not in KEPT_IN_ENGLISH:
                left_in_english.append(f"{translation_path(path, 'es').name}: {field}: {text}")
    assert not left_in_english, "still in English:\n" + "\n".join(left_in_english)


# --- 3. Terminology --------------------------------------------------------------------------


def test_spanish_texts_use_our_words_and_say_usted():
    terminology = yaml.safe_load(TERMINOLOGY.read_text(encoding="utf-8"))
    avoid = list(terminology["avoid_everywhere"])
    avoid += [word for term in terminology["terms"] for word in term.get("avoid", ())]
    patterns = [(word, whole_word(word)) for word in avoid]
    texts = [
        (f"{file}: {field}", text)
        for file, field, text in spanish_leaves()
        if not field.split(".")[-1].startswith("search_terms")  # what people type: any word
    ]
    texts += [
        (f"messages.po: {message.id!r}", text)
        for message in catalogue()
        if message.id
        for text in msgstrs(message)
    ]
    found = [
        f"{where}: '{word}'"
        for where, text in texts
        for word, pattern in patterns
        if pattern.search(text)
    ]
    assert not found, "words we do not write:\n" + "\n".join(found)

    everything = " ".join(normal(text) for _, text in texts)
    unused = [
        term["es"] for term in terminology["terms"] if not whole_word(term["es"]).search(everything)
    ]
    assert not unused, f"terms no Spanish text uses (a stale list?): {unused}"


# --- 4. The UI catalogue ---------------------------------------------------------------------

PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def test_ui_catalogue_is_complete_and_keeps_its_placeholders():
    po = catalogue()
    assert not po.fuzzy, "a fuzzy catalogue header: pybabel compile would skip the whole file"
    problems = []
    for message in po:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        wanted = set().union(*(PLACEHOLDER.findall(text) for text in ids))
        if message.fuzzy:
            problems.append(f"fuzzy: {ids[0]!r}")
        for text in msgstrs(message):
            if not text.strip():
                problems.append(f"untranslated: {ids[0]!r}")
            elif set(PLACEHOLDER.findall(text)) != wanted:
                problems.append(f"placeholders differ: {ids[0]!r} -> {text!r}")
    assert not problems, "\n".join(problems)


def test_ui_catalogue_holds_every_message_of_the_code(tmp_path):
    template = tmp_path / "messages.pot"
    subprocess.run(
        [
            str(Path(sys.executable).with_name("pybabel")),
            "-q",
            "extract",
            "-F",
            "babel.cfg",
            "--no-location",
            "-o",
            str(template),
            "app",
        ],
        cwd=REPO,
        check=True,
        capture_output=True,
    )
    with template.open("rb") as file:
        extracted = [message.id for message in read_po(file) if message.id]
    po = catalogue()
    assert len(extracted) > 100, "the extraction found too little: is babel.cfg right?"
    missing = [message_id for message_id in extracted if message_id not in po]
    assert not missing, "not in messages.po (run make translations-update):\n" + "\n".join(
        map(repr, missing)
    )


# --- 5. Every page in Spanish ----------------------------------------------------------------


@dataclass
class Page:
    """A page as the tests below read it (each page is parsed once: parsing is the slow part)."""

    name: str  # the address, or the address and the step for a posted page
    english: str  # the English address of the same page
    status: int
    content_language: str | None
    html: str
    lang: str | None  # <html lang>
    alternates: dict[str, str]  # hreflang -> href of <link rel="alternate">
    switch: dict[str, str]  # hreflang -> href of the language switch's links
    visible_text: str  # every word a visitor sees, but the titles of sources
    main_words: list[str]  # the words of <main>, but its sources section


def read_page(name: str, english: str, response) -> Page:
    html = response.get_data(as_text=True)
    soup = BeautifulSoup(html, "html.parser")
    alternates = {
        link["hreflang"]: link["href"]
        for link in soup.find_all("link", rel="alternate")
        if link.get("hreflang")
    }
    switch = {a["hreflang"]: a["href"] for a in soup.select("nav.language-switch a[hreflang]")}
    for titles in soup.select("ol.source-list"):  # published titles, in their own language
        titles.decompose()
    visible_text = normal(soup.get_text(" "))
    main = soup.find("main")
    for sources in main.select("section.sources") if main else ():
        sources.decompose()
    return Page(
        name=name,
        english=english,
        status=response.status_code,
        content_language=response.headers.get("Content-Language"),
        html=html,
        lang=soup.html.get("lang") if soup.html else None,
        alternates=alternates,
        switch=switch,
        visible_text=visible_text,
        main_words=words_of(main.get_text(" ")) if main else [],
    )


class InSpanish:
    """A test client on the Spanish site: the questionnaire helpers of test_questionnaire.py
    (`submit`, `through_to_check`) then walk /es/which-specialist."""

    def __init__(self, client):
        self.client = client

    def get(self, path, **kwargs):
        return self.client.get(ES + path, **kwargs)

    def post(self, path, **kwargs):
        return self.client.post(ES + path, **kwargs)


def questionnaire_pages(client, site: str) -> list[Page]:
    """The questionnaire's pages after the start page (`site`), reached by posting the form."""
    english = "/which-specialist"
    pages = []
    response, _ = submit(client, "emergency", red_flags="none")
    pages.append(read_page(f"{site} (about you)", english, response))
    response, _ = submit(client, "emergency", red_flags="bladder_bowel")
    pages.append(read_page(f"{site} (emergency)", english, response))
    response, _ = submit(client, "emergency", red_flags="self_harm_thoughts")
    pages.append(read_page(f"{site} (crisis)", english, response))
    response, page = through_to_check(client)
    pages.append(read_page(f"{site} (check)", english, response))
    response, _ = submit(client, "check", **carried(page))
    pages.append(read_page(f"{site} (results)", english, response))
    crisis = form_fields(joint_pain(mood_or_sleep_affected=True))
    response, _ = submit(client, "check", **crisis)
    pages.append(read_page(f"{site} (results with crisis)", english, response))
    on_opioids = form_fields(joint_pain(tried=["opioid_medicine"]))
    response, _ = submit(client, "check", **on_opioids)
    pages.append(read_page(f"{site} (results, taking opioids)", english, response))
    return pages


@pytest.fixture(scope="module")
def site_pages(app, role_slugs, setting_slugs, condition_slugs) -> dict[str, list[Page]]:
    """Every page in both languages, drawn once for the page tests below."""
    client = app.test_client()
    paths = all_pages(role_slugs, setting_slugs, condition_slugs)
    spanish = [read_page(ES + path, path, client.get(ES + path)) for path in paths]
    spanish += questionnaire_pages(InSpanish(client), ES + "/which-specialist")
    english = [read_page(path, path, client.get(path)) for path in paths]
    english += questionnaire_pages(client, "/which-specialist")
    return {"es": spanish, "en": english}


def test_the_opioid_safety_panel_is_on_the_same_pages_in_both_languages(site_pages):
    """A page that mentions opioids carries the panel (overdose signs, naloxone) in every
    language: the Spanish word is "opioides"."""
    with_panel = {
        language: {
            page.english + page.name.partition(" ")[2]
            for page in pages
            if 'id="opioid-safety"' in page.html
        }
        for language, pages in site_pages.items()
    }
    assert with_panel["en"], "no English page carries the opioid panel"
    assert with_panel["es"] == with_panel["en"]


@pytest.mark.parametrize("language", ["es", "en"])
def test_pages_name_their_language_and_link_to_the_other(site_pages, language):
    problems = []
    for page in site_pages[language]:
        addresses = {"en": page.english, "es": ES + page.english}
        other = "en" if language == "es" else "es"
        checks = {
            "status 200": page.status == 200,
            f'<html lang="{language}">': page.lang == language,
            f"Content-Language: {language}": page.content_language == language,
            "hreflang alternates": page.alternates == {**addresses, "x-default": page.english},
            f"link to the page in '{other}'": page.switch.get(other) == addresses[other],
        }
        problems += [f"{page.name}: {what}" for what, ok in checks.items() if not ok]
    assert not problems, "\n".join(problems)


@pytest.fixture(scope="module", autouse=True)
def report_scores():
    yield
    print_page_scores("Fernández-Huerta (Spanish)", SCORES, higher_is_harder=False)


def test_spanish_pages_read_easily(site_pages):
    too_hard = {}
    for page in site_pages["es"]:
        prose = page_prose(page.html)
        assert len(prose.split()) > 20, f"{page.name}: too little text to measure"
        SCORES[page.name] = score = round(reading_ease_es(page.html), 1)
        if score < MIN_READING_EASE_ES:
            too_hard[page.name] = score
    assert not too_hard, f"pages below Fernández-Huerta {MIN_READING_EASE_ES}: {too_hard}"


def english_sentences() -> dict[tuple[str, ...], str]:
    """Every sentence of five words or more of the English content and questionnaire (the
    names kept in English aside), by its words."""
    sentences = {}
    for kind, _, document in documents("en"):
        for _, text in text_leaves(kind, document):
            if normal(text) in KEPT_IN_ENGLISH:
                continue
            for part in re.split(r"\{[a-z_]+\}", normal(text)):  # filled in by the engine
                for sentence in re.split(r"(?<=[.!?:;])\s+", part):
                    key = tuple(words_of(sentence))
                    if len(key) >= 5:
                        sentences[key] = sentence
    return sentences


def test_spanish_pages_show_no_english_sentence_of_our_content(site_pages):
    sentences = english_sentences()
    assert len(sentences) > 1000
    found = []
    for page in site_pages["es"]:
        words = page.main_words
        text = " " + " ".join(words) + " "
        starts = {tuple(words[i : i + 5]) for i in range(len(words) - 4)}
        for key, sentence in sentences.items():
            if key[:5] in starts and f" {' '.join(key)} " in text:
                found.append(f"{page.name}: {sentence}")
    assert not found, "English sentences on Spanish pages:\n" + "\n".join(found)


def test_spanish_pages_show_no_english_ui_words(site_pages):
    english_text = " ".join(page.visible_text for page in site_pages["en"])
    unseen = [phrase for phrase in ENGLISH_UI_PHRASES if phrase not in english_text]
    assert not unseen, f"not on any English page, so this test cannot see them: {unseen}"
    found: dict[str, list[str]] = {}
    for page in site_pages["es"]:
        for phrase in ENGLISH_UI_PHRASES:
            if phrase in page.visible_text:
                found.setdefault(phrase, []).append(page.name)
    summary = {phrase: f"{len(pages)} pages, e.g. {pages[0]}" for phrase, pages in found.items()}
    assert not found, f"English UI words on Spanish pages: {summary}"


# --- 6. The questionnaire in Spanish ---------------------------------------------------------

DISCLAIMER_ES = "Esto no es un diagnóstico"


def _reasons(rules: dict) -> set[str]:
    reasons = set()
    for item in [*rules["rules"], *rules.get("preferences", [])]:
        texts = [item.get("reason"), *(item.get("reasons") or {}).values()]
        reasons.update(normal(text) for text in texts if text)
    return reasons


def test_results_in_spanish_give_spanish_reasons_and_the_disclaimer(client):
    spanish = InSpanish(client)
    _, page = through_to_check(spanish)
    assert page.html["lang"] == "es"
    response, page = submit(spanish, "check", **carried(page))
    assert response.status_code == 200 and page.html["lang"] == "es"
    shown = {normal(li.get_text(" ")) for li in page.select(".result-card li")}
    shown = {re.sub(r"\s+([.,;:])", r"\1", text) for text in shown}
    assert shown & _reasons(read_document(RULES_FILE, "rules", "es")), (
        "no reason from rules.es.yaml on the results"
    )
    assert not shown & _reasons(read_document(RULES_FILE, "rules")), "an English reason"
    text = normal(page.get_text(" "))
    assert DISCLAIMER_ES in text
    assert page.find("a", href="/es/roles/rheumatologist"), "links stay on the Spanish site"


def test_emergency_in_spanish_says_911_in_spanish(client):
    response, page = submit(InSpanish(client), "emergency", red_flags="chest_pain")
    assert response.status_code == 200 and page.html["lang"] == "es"
    text = normal(page.get_text(" "))
    assert "911" in text
    why = normal(load_questionnaire(QUESTIONS_FILE, "es")["red_flags"].option("chest_pain").why)
    assert why in normal(page.select_one(".flag-list").get_text(" "))
    assert "Get help now" not in text and "Call your local emergency number" not in text


@pytest.mark.parametrize("how", ["red flag", "mood or sleep"])
def test_crisis_line_in_spanish(client, how):
    spanish = InSpanish(client)
    if how == "red flag":
        response, page = submit(spanish, "emergency", red_flags="self_harm_thoughts")
    else:
        response, page = submit(
            spanish, "check", **form_fields(joint_pain(mood_or_sleep_affected=True))
        )
    assert response.status_code == 200 and page.html["lang"] == "es"
    panel = page.select_one(".crisis-panel")
    assert panel, "no crisis panel"
    said = normal(panel.get_text(" "))
    assert "988" in said
    for contact in read_document(RULES_FILE, "rules", "es")["crisis"]["contacts"]:
        assert normal(contact["name"]) in said and normal(contact["how"]) in said
    english = read_document(RULES_FILE, "rules")["crisis"]["contacts"][0]["name"]
    assert english not in said


def test_form_error_in_spanish(client):
    _, page = submit(InSpanish(client), "about", red_flags="none", **dict(ABOUT, severity="11"))
    spanish = read_document(QUESTIONS_FILE, "questions", "es")
    expected = spanish["form_messages"]["out_of_range"].format(minimum=0, maximum=10)
    said = normal(page.select_one("#group-severity").get_text(" "))
    assert expected in said
    assert "Enter a whole number" not in said
    assert page.select_one(".error-summary") and page.html["lang"] == "es"


def test_csrf_failure_page_in_spanish(csrf_client):
    csrf_client.get("/es/which-specialist")
    data = {"step": "emergency", "red_flags": "none"}
    response = csrf_client.post("/es/which-specialist", data=data)
    assert response.status_code == 400
    page = html_of(response)
    expected = catalogue().get("Please start again").string
    assert page.html["lang"] == "es" and response.headers["Content-Language"] == "es"
    assert page.find("h1").get_text(strip=True) == expected
    assert page.find("a", href="/es/which-specialist")


# --- 7. The API in Spanish -------------------------------------------------------------------


def test_questionnaire_api_in_spanish_has_the_same_names_and_values(client):
    english = client.get("/api/v1/questionnaire").get_json()
    response = client.get("/api/v1/questionnaire?lang=es")
    assert response.headers["Content-Language"] == "es"
    spanish = response.get_json()

    def machine(document):
        return [
            (field["name"], [option["value"] for option in field.get("options", [])])
            for field in document["fields"]
        ]

    assert machine(spanish) == machine(english)
    questionnaire = load_questionnaire(QUESTIONS_FILE, "es")
    for field in spanish["fields"]:
        question = questionnaire[field["name"]]
        assert field["question"] == question.legend
        for option in field.get("options", []):
            assert option["label"] == question.option(option["value"]).label
    labels = [
        (f["question"], e["question"])
        for f, e in zip(spanish["fields"], english["fields"], strict=True)
    ]
    assert all(es != en for es, en in labels), "a question still in English"


def _ranking(body: dict) -> list[tuple]:
    return [(r["rank"], r["role"], r["fit"]) for r in body["recommendations"]]


def test_recommendations_api_in_spanish_ranks_the_same_in_spanish_words(client):
    body = answers(duration="over_3_months", locations=["back"], qualities=["shooting_down_limb"])
    english = client.post("/api/v1/recommendations", json=body)
    spanish = client.post(
        "/api/v1/recommendations", json=body, headers={"Accept-Language": "es-MX,es;q=0.9"}
    )
    assert spanish.status_code == english.status_code == 200
    assert spanish.headers["Content-Language"] == "es"
    assert "Accept-Language" in spanish.headers.get("Vary", "")
    en, es = english.get_json(), spanish.get_json()
    assert _ranking(es) == _ranking(en)
    assert (es["urgency"], es["timing"]) == (en["urgency"], en["timing"])
    assert es["disclaimer"] == normal(read_document(RULES_FILE, "rules", "es")["disclaimer"])
    assert es["message"] != en["message"]
    names = {r["slug"]: r["name"] for r in client.get("/api/v1/roles?lang=es").get_json()["roles"]}
    english_reasons = {reason for r in en["recommendations"] for reason in r["reasons"]}
    for ours, theirs in zip(es["recommendations"], en["recommendations"], strict=True):
        assert ours["name"] == names[ours["role"]] != theirs["name"]
        assert ours["reasons"] and not set(ours["reasons"]) & english_reasons, ours["role"]
    by_query = client.post("/api/v1/recommendations?lang=es", json=body)
    assert by_query.headers["Content-Language"] == "es" and by_query.get_json() == es
    # Its links lead to the Spanish pages; the English answer's to the English ones.
    for ours, theirs in zip(es["recommendations"], en["recommendations"], strict=True):
        assert ours["url"] == ES + theirs["url"] == f"{ES}/roles/{ours['role']}"
    assert all(item["url"].startswith(f"{ES}/other-clinicians/") for item in es["see_also"])


def test_api_errors_in_spanish(client):
    body = answers(severity=99, locations=["nowhere"])
    english = client.post("/api/v1/recommendations", json=body)
    spanish = client.post("/api/v1/recommendations?lang=es", json=body)
    assert spanish.status_code == english.status_code == 422
    en, es = english.get_json()["errors"], spanish.get_json()["errors"]
    assert set(es) == set(en) == {"severity", "locations"}
    for field in es:
        assert es[field] and es[field] != en[field], field


def test_unknown_language_is_a_400_naming_lang(client):
    response = client.get("/api/v1/roles?lang=xx")
    assert response.status_code == 400
    errors = response.get_json()["errors"]
    assert list(errors) == ["lang"], errors


def test_role_api_in_spanish(client):
    response = client.get("/api/v1/roles/physiatrist?lang=es")
    assert response.status_code == 200 and response.headers["Content-Language"] == "es"
    assert response.get_json()["name"] == "Fisiatra"
    assert response.get_json()["url"] == f"{ES}/roles/physiatrist"


# --- 8. Search in Spanish --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ciatica", "/es/conditions/sciatica"),
        ("ciática", "/es/conditions/sciatica"),
        ("fisiatra", "/es/roles/physiatrist"),
    ],
)
def test_spanish_search_finds_spanish_words(client, query, expected):
    response = client.get("/es/search", query_string={"q": query})
    assert response.status_code == 200
    assert html_of(response).find("main").find("a", href=expected), f"{query} -> {expected}"


def test_english_search_shows_no_spanish_pages(client):
    main = html_of(client.get("/search", query_string={"q": "ciatica"})).find("main")
    assert not main.select("a[href^='/es/']")


# --- 9. Caches keep the languages apart ------------------------------------------------------


def test_page_cache_keeps_the_languages_apart(private_app):
    client = private_app.test_client()  # cold caches: the first request fills them
    first = client.get("/roles/physiatrist").get_data(as_text=True)
    spanish = client.get("/es/roles/physiatrist").get_data(as_text=True)
    again = client.get("/roles/physiatrist").get_data(as_text=True)
    assert first == again
    assert spanish != first
    assert '<html lang="es">' in spanish and "Fisiatra" in spanish
    assert '<html lang="en">' in again and "Fisiatra" not in again


def test_api_answers_follow_the_accept_language_header(private_app):
    client = private_app.test_client()
    names = []
    for language in ["en", "es", "en"]:
        response = client.get("/api/v1/roles", headers={"Accept-Language": language})
        assert response.headers["Content-Language"] == language
        roles = {role["slug"]: role["name"] for role in response.get_json()["roles"]}
        names.append(roles["physiatrist"])
    assert names == ["Physiatrist", "Fisiatra", "Physiatrist"]


# --- 10. Safety words read alike in every language -------------------------------------------


def _reasons_by_place(document: dict) -> dict[str, str]:
    """Every reason, advice and see_also text of a rules document, by where it is."""
    texts = {}
    for section in ("rules", "preferences", "advice"):
        for index, item in enumerate(document.get(section) or []):
            place = f"{section}[{index}]"
            for key in ("reason", "text"):
                if item.get(key):
                    texts[f"{place}.{key}"] = item[key]
            for group in ("reasons", "see_also"):
                for who, text in (item.get(group) or {}).items():
                    texts[f"{place}.{group}.{who}"] = text
    return texts


def test_a_reason_that_tells_the_patient_to_act_does_so_in_every_language():
    """The results page keeps, and leads with, the sentences that say what to do or how soon
    (rules.yaml action_words and action_phrases): a Spanish reason must count as such exactly
    when its English one does, or an urgent sentence could be cut by the three-reason limit."""
    from app.questionnaire.results import says_to_act
    from app.recommend.engine import load_reading

    english = _reasons_by_place(read_document(RULES_FILE, "rules"))
    spanish = _reasons_by_place(read_document(RULES_FILE, "rules", "es"))
    assert english.keys() == spanish.keys()
    reading = {language: load_reading(RULES_FILE, language) for language in ("en", "es")}
    differ = {
        place: (english[place], spanish[place])
        for place in english
        if says_to_act(english[place], reading["en"]) != says_to_act(spanish[place], reading["es"])
    }
    assert not differ, differ


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/v1/nope"),
        ("DELETE", "/api/v1/roles"),
        ("GET", "/api/v1/roles"),
        ("POST", "/api/v1/recommendations"),
    ],
)
def test_an_unknown_language_is_a_400_whatever_else_is_wrong(client, method, path):
    """Refused before anything else reads the language, so no error handler trips on it."""
    response = client.open(f"{path}?lang=xx", method=method, json={})
    assert response.status_code == 400, response.get_data(as_text=True)
    assert list(response.get_json()["errors"]) == ["lang"]
    assert response.headers["Content-Language"] == "en"


def test_the_app_refuses_to_start_without_a_compiled_catalogue(tmp_path):
    """Without it the Spanish pages, the emergency page's among them, would show English."""
    from app.config import ConfigError

    from .conftest import make_app

    with pytest.raises(ConfigError, match="messages.mo is missing"):
        make_app(tmp_path / "never.db", BABEL_TRANSLATION_DIRECTORIES=str(tmp_path))
