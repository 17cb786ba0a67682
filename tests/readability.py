"""The reading-grade measure the tests use: the app's own (app/content/readability.py)."""

from app.content.readability import MAX_GRADE, page_prose, reading_grade

__all__ = ["MAX_GRADE", "page_prose", "reading_grade"]
