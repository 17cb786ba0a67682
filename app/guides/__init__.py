"""Short guides written once and linked from many pages (content/data/panels): insurance basics,
checking a clinician, opioid safety."""
