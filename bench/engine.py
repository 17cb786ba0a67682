"""How long the engine takes to evaluate one set of answers (budget: median under 1 ms).

Run: .venv/bin/python bench/engine.py
Times `recommend()` on already-checked answers (what the API does after validation), over a
spread of cases, after a warm-up that loads the rules once.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.recommend import parse_answers, recommend  # noqa: E402
from tests.answers import required_answers  # noqa: E402
from tests.site_engine import QUESTIONNAIRE, RULEBOOK  # noqa: E402

RUNS = 20_000


def random_answers(rng: random.Random, questionnaire) -> dict:
    def some(name: str, minimum: int = 0) -> list[str]:
        values = [v for v in questionnaire[name].values if v != "none"]
        return rng.sample(values, rng.randint(minimum, len(values)))

    # Any required question not drawn here gets the tests' standard answer.
    return required_answers(
        red_flags=["none"] if rng.random() < 0.9 else some("red_flags", 1),
        age_group=rng.choice(questionnaire["age_group"].values),
        duration=rng.choice(questionnaire["duration"].values),
        situation=rng.choice(questionnaire["situation"].values),
        locations=some("locations", 1),
        qualities=some("qualities"),
        severity=rng.randint(0, 10),
        tried=some("tried"),
        mood_or_sleep_affected=rng.random() < 0.5,
        preferences=some("preferences"),
    )


def main() -> None:
    questionnaire = QUESTIONNAIRE
    rng = random.Random(20261125)
    cases = [parse_answers(random_answers(rng, questionnaire)) for _ in range(500)]
    for case in cases[:100]:
        recommend(case, RULEBOOK)  # warm-up
    timings = []
    for index in range(RUNS):
        case = cases[index % len(cases)]
        start = time.perf_counter_ns()
        recommend(case, RULEBOOK)
        timings.append(time.perf_counter_ns() - start)
    timings.sort()
    median = statistics.median(timings) / 1e6
    p99 = timings[int(len(timings) * 0.99)] / 1e6
    raw = [random_answers(rng, questionnaire) for _ in range(500)]
    parse_start = time.perf_counter_ns()
    for index in range(RUNS):
        parse_answers(raw[index % len(raw)])
    parse_ms = (time.perf_counter_ns() - parse_start) / RUNS / 1e6
    print(f"engine: {RUNS} evaluations over {len(cases)} answer sets")
    print(f"  recommend(): median {median:.3f} ms, p99 {p99:.3f} ms (budget: median < 1 ms)")
    print(f"  parse_answers(): mean {parse_ms:.3f} ms")
    sys.exit(0 if median < 1 else 1)


if __name__ == "__main__":
    main()
