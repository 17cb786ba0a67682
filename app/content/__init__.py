"""Content files (app/content/data) and the `flask content` commands that load them."""

import re
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from ..extensions import db

CONTENT_DIR = Path(__file__).parent / "data"

content_cli = AppGroup(
    "content", help="Load the site's content files, report on them and check their sources."
)


# Every command can work on another copy of the files (a reviewer's branch, a test's copy).
content_dir_option = click.option(
    "--content-dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Folder of content files (default: the app's CONTENT_DIR, normally app/content/data).",
)


@content_cli.command("load")
@content_dir_option
def load_command(content_dir: Path | None) -> None:
    """Load or update all content from the content files, in one transaction."""
    from .loader import ContentError, load_content

    try:
        report = load_content(
            db.session,
            content_dir or Path(current_app.config["CONTENT_DIR"]),
            rules_file=Path(current_app.config["RULES_FILE"]),
            questions_file=Path(current_app.config["QUESTIONS_FILE"]),
        )
    except ContentError as exc:
        raise click.ClickException(f"Content not loaded, database unchanged.\n{exc}") from exc
    counts = ", ".join(f"{number} {name}" for name, number in report.counts.items())
    state = "loaded" if report.changed else "already up to date"
    click.echo(f"Content version {report.version} {state}: {counts}.")


@content_cli.command("report")
@content_dir_option
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def report_command(content_dir: Path | None, as_json: bool) -> None:
    """Reviews due, unused sources, missing source keys, reading grade per page and balance
    across roles. Pages are measured as the database holds them: load the content first."""
    import json

    from .report import build_report, format_report

    report = build_report(
        content_dir or Path(current_app.config["CONTENT_DIR"]),
        rules_file=Path(current_app.config["RULES_FILE"]),
        client=current_app.test_client(),
    )
    click.echo(json.dumps(report.as_json(), indent=2) if as_json else format_report(report))


@content_cli.command("check-links")
@content_dir_option
@click.option(
    "--url", "urls", multiple=True, help="Check this URL instead of the sources (repeatable)."
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=None,
    help="Seconds to wait for each step of a request (default 15).",
)
@click.option(
    "--per-host",
    type=click.IntRange(min=1),
    default=None,
    help="Requests at once to one host (default 2).",
)
@click.option(
    "--slow",
    type=click.FloatRange(min=0),
    default=None,
    help="Seconds after which a working link is listed as slow (default 5).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
def check_links_command(
    content_dir: Path | None,
    urls: tuple[str, ...],
    timeout: float | None,
    per_host: int | None,
    slow: float | None,
    as_json: bool,
) -> None:
    """Check every source URL: dead, moved and slow links. Exits with 1 when any is dead."""
    import json

    from . import links

    wanted = urls or links.source_urls(content_dir or Path(current_app.config["CONTENT_DIR"]))
    results = links.check_links(
        wanted,
        timeout=timeout or links.TIMEOUT,
        per_host=per_host or links.PER_HOST,
        slow=links.SLOW if slow is None else slow,
    )
    if as_json:
        click.echo(json.dumps([result.as_json() for result in results], indent=2))
    else:
        click.echo(links.format_results(results, links.SLOW if slow is None else slow))
    if any(result.verdict == "dead" for result in results):
        raise click.exceptions.Exit(1)


@content_cli.command("start-translation")
@click.argument("language")
@content_dir_option
def start_translation_command(language: str, content_dir: Path | None) -> None:
    """Write the translation files a new LANGUAGE needs, with the English words in them."""
    from ..translation import write_missing_translations

    if not re.fullmatch(r"[a-z]{2}", language):
        raise click.BadParameter("a two-letter language code, such as fr", param_hint="LANGUAGE")
    written = write_missing_translations(
        language,
        content_dir or Path(current_app.config["CONTENT_DIR"]),
        Path(current_app.config["QUESTIONS_FILE"]),
        Path(current_app.config["RULES_FILE"]),
    )
    for path in written:
        click.echo(f"wrote {path}")
    click.echo(f"{len(written)} files to translate into '{language}'.")


def init_app(app: Flask) -> None:
    app.cli.add_command(content_cli)
