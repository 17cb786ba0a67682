"""The reading measures the tests use: the app's own (app/content/readability.py), and how
the tests print what they measured."""

from app.content.readability import MAX_GRADE, page_prose, reading_grade

__all__ = ["MAX_GRADE", "page_prose", "print_page_scores", "reading_grade"]


def print_page_scores(measure: str, scores: dict[str, float], higher_is_harder: bool) -> None:
    """Every page's score, hardest first, after a line with the mean and the hardest page."""
    if not scores:
        return
    hardest = (max if higher_is_harder else min)(scores, key=scores.get)
    mean = sum(scores.values()) / len(scores)
    word = "highest" if higher_is_harder else "lowest"
    print(
        f"\n{measure} over {len(scores)} pages: "
        f"mean {mean:.1f}, {word} {scores[hardest]} ({hardest})"
    )
    for page, score in sorted(scores.items(), key=lambda item: item[1], reverse=higher_is_harder):
        print(f"  {score:5.1f}  {page}")
