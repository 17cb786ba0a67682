"""Content files (app/content/data) and the `flask content` commands that load them."""

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from ..extensions import db

CONTENT_DIR = Path(__file__).parent / "data"

content_cli = AppGroup("content", help="Load the site's content files into the database.")


@content_cli.command("load")
@click.option(
    "--content-dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Folder of content files (default: the app's CONTENT_DIR, normally app/content/data).",
)
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


def init_app(app: Flask) -> None:
    app.cli.add_command(content_cli)
