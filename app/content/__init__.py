"""Content files (app/content/data) and the `flask content` commands that load them."""

import click
from flask import Flask
from flask.cli import AppGroup

from ..extensions import db
from .loader import ContentError, load_content

content_cli = AppGroup("content", help="Load the site's content files into the database.")


@content_cli.command("load")
def load_command() -> None:
    """Load or update all content from app/content/data, in one transaction."""
    try:
        report = load_content(db.session)
    except ContentError as exc:
        raise click.ClickException(f"Content not loaded, database unchanged.\n{exc}") from exc
    counts = ", ".join(f"{number} {name}" for name, number in report.counts.items())
    state = "loaded" if report.changed else "already up to date"
    click.echo(f"Content version {report.version} {state}: {counts}.")


def init_app(app: Flask) -> None:
    app.cli.add_command(content_cli)
