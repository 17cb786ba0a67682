"""Search box results: roles, conditions and care settings by name and everyday words."""

from flask import Blueprint, render_template, request
from flask_babel import lazy_gettext as _l

from ..extensions import db
from ..search import MAX_QUERY_LENGTH, search, search_terms

bp = Blueprint("site_search", __name__, url_prefix="/search")

# Words a visitor might type, in the page's language (each one finds something).
SUGGESTIONS = [
    _l("sciatica"),
    _l("migraine"),
    _l("physio"),
    _l("epidural"),
    _l("nerve block"),
    _l("hospice"),
]


@bp.get("")
def search_results():
    query = request.args.get("q", "")
    # Characters a person cannot type (NUL, other controls) carry no meaning for a search.
    query = "".join(ch for ch in query if ch.isprintable()).strip()
    shortened = len(query) > MAX_QUERY_LENGTH
    has_words = bool(search_terms(query))
    hits = search(db.session, query) if has_words else []  # no query at all without words
    return render_template(
        "search/results.html",
        query=query[:MAX_QUERY_LENGTH],
        shortened=shortened,
        hits=hits,
        has_words=has_words,
        suggestions=[str(word) for word in SUGGESTIONS],
    )
