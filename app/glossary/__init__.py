"""The glossary: plain meanings of the words patients stumble on, linked from their first use
on every page (see app/page_aids.py)."""
