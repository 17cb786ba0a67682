"""Fernández-Huerta reading ease of Spanish translation files, for translators at work.

    .venv/bin/python scripts/spanish_readability.py app/content/data/roles/*.es.yaml

Prints each file's score (70 or more is "bastante fácil"; the site's pages must reach 70, so
aim at 75 in a file) and its longest sentences, the usual reason for a low score. The tests
measure the pages themselves (tests/test_spanish.py).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import textstat
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.translation import text_leaves  # noqa: E402

KIND_OF = {"questions.es.yaml": "questions", "rules.es.yaml": "rules"}


def kind_of(path: Path) -> str:
    return KIND_OF.get(path.name) or path.parent.name


def main(paths: list[str]) -> int:
    textstat.set_lang("es")
    worst = 100.0
    for name in paths:
        path = Path(name)
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        texts = [text for _, text in text_leaves(kind_of(path), document)]
        prose = " ".join(t if t.rstrip()[-1:] in ".?!:" else t + "." for t in texts)
        score = textstat.fernandez_huerta(prose)
        worst = min(worst, score)
        print(f"{score:6.1f}  {path}")
        sentences = re.split(r"(?<=[.?!:])\s+", prose)
        for sentence in sorted(sentences, key=lambda s: -len(s.split()))[:3]:
            if len(sentence.split()) > 16:
                print(f"        {len(sentence.split())} words: {sentence[:110]}")
    return 0 if worst >= 70 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
