"""The glossary page."""

from itertools import groupby

from flask import Blueprint, g, render_template

from ..page_aids import fold_opioid_panel
from ..queries import glossary_terms

bp = Blueprint("glossary", __name__, url_prefix="/glossary")


@bp.get("")
def glossary_page():
    g.glossary_page = True
    fold_opioid_panel()  # "opioid" is one entry among many here, not the page's subject
    terms = glossary_terms()
    # The page is as fresh as its least recently reviewed entry.
    reviewed_on = min((term.reviewed_on for term in terms), default=None)
    by_letter = [
        (letter, list(group))
        for letter, group in groupby(
            sorted(terms, key=lambda term: term.term.casefold()),
            key=lambda term: term.term[0].upper(),
        )
    ]
    return render_template("glossary/index.html", by_letter=by_letter, reviewed_on=reviewed_on)
