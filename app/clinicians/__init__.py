"""Clinicians beyond the twelve roles that a recommendation may point to (`see_also`)."""
