"""``hearing-watch demo`` and ``mirror``: the bundled snapshot, crawled for you or served for you.

The demo serves a private copy of the snapshot on loopback, crawls it, then edits the copy as a
site's editor would (moves one upcoming hearing, cancels another; see
:mod:`hearing_watch.crawl.constructed`), crawls again, publishes, and prints what a subscriber
sees: the updates-feed entries for those changes and the notice that would be sent (a dry run).
With no ``[[topics]]`` configured it follows :data:`DEMO_TOPICS`.
"""

from __future__ import annotations

import shutil
import signal
import sys
import tempfile
import threading
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

import click

from hearing_watch.cli.context import Context, pass_context
from hearing_watch.cli.notify import print_preview
from hearing_watch.cli.pipeline import crawl_sources, fail_on_store_error
from hearing_watch.config import Config
from hearing_watch.sources import SOURCES

if TYPE_CHECKING:
    from hearing_watch.store import Store

DEMO_TOPICS: list[dict[str, Any]] = [
    {"slug": "russia", "name": "Russia", "match": ["Russia", "Russian", "Kremlin"]},
    {"slug": "china", "name": "China", "match": ["China", "Chinese", "Uyghur", "Xinjiang"]},
]
# Previewed only (a dry run): the address is never written to.
DEMO_SUBSCRIPTION: dict[str, Any] = {
    "name": "demo",
    "topics": ["russia", "china"],
    "notify": ["mailto://you@example.org"],
}
UPDATES_FEED = "all-updates.atom"


@click.command()
@pass_context
def demo(ctx: Context) -> None:
    """The whole pipeline offline: crawl the bundled snapshot, see it change, see the notice."""
    from hearing_watch.crawl import DEMO_EDITS, apply_edit, serve_mirror, snapshot_root
    from hearing_watch.publish import publish, published_file_count

    config = ctx.config
    if not config.topics:
        config.topics = list(DEMO_TOPICS)
    root = snapshot_root()
    click.echo(
        f"Serving the bundled snapshot of the commissions' sites from {root} on 127.0.0.1 "
        "(its constructed events are dated from today) ..."
    )
    store = ctx.store()
    with (
        tempfile.TemporaryDirectory(prefix="hearing-watch-demo-") as scratch,
        serve_mirror(_copy(root, Path(scratch))) as mirrors,
    ):
        chosen = tuple(name for name in SOURCES if name in mirrors)
        # The snapshot is of the live sites: store links to the live pages, not to the mirror.
        summaries = crawl_sources(config, chosen, base_urls=mirrors, live_links=True)
        fail_on_store_error(summaries)
        before = store.last_change_id()
        click.echo("\nMeanwhile, on the sites:")
        for edit in DEMO_EDITS:
            apply_edit(Path(scratch) / "snapshot", edit)
            click.echo(f"  {edit.says}")
        click.echo("\nThe next crawl:")
        second_crawl = datetime.now(UTC).replace(microsecond=0)
        summaries += crawl_sources(config, chosen, base_urls=mirrors, live_links=True)
        fail_on_store_error(summaries)
    now = datetime.now(UTC)
    written = publish(config, store, now=now)
    feeds_dir = Path(config.feeds_dir).resolve()
    _print_updates(feeds_dir / UPDATES_FEED, second_crawl)
    _print_notices(config, store, before, now)
    _print_upcoming(store, now)
    count = published_file_count(written)
    click.echo(f"\nWrote {count} feed, calendar and index files to {feeds_dir}/")
    click.echo(f"  all hearings (RSS):  {feeds_dir / 'all.rss'}")
    click.echo(f"  all hearings (Atom): {feeds_dir / 'all.atom'}")
    click.echo(f"  every change (Atom): {feeds_dir / UPDATES_FEED}")
    click.echo(f"  index page:          {feeds_dir / 'index.html'}")
    _print_archive(feeds_dir)
    click.echo(
        "\nTo subscribe, serve the folder (e.g. `python -m http.server -d feeds 8000`) and add "
        "http://localhost:8000/all.atom (each hearing as it stands) or all-updates.atom (every "
        "change) to your feed reader; search the archive at http://localhost:8000/; "
        "`hearing-watch hearings` lists what was stored; `hearing-watch mirror` serves the "
        "snapshot for crawling by hand."
    )
    if any(summary.failed for summary in summaries):
        sys.exit(1)


def _copy(snapshot: Path, scratch: Path) -> Path:
    """A private copy of the snapshot, so the demo can edit its pages (the package stays as is)."""
    return Path(shutil.copytree(snapshot, scratch / "snapshot"))


def _print_updates(feed: Path, since: datetime) -> None:
    """The changes the second crawl found, as a feed reader reads them from the updates feed."""
    import feedparser

    from hearing_watch.normalize import html_to_text

    entries = [
        entry
        for entry in feedparser.parse(str(feed)).entries
        if entry.get("updated_parsed")
        and datetime(*entry.updated_parsed[:6]).replace(tzinfo=UTC) >= since
    ]
    click.echo(f"\nWhat a feed reader subscribed to {feed.name} shows ({len(entries)} new):")
    for entry in entries:
        click.echo(f"\n  {entry.title}")
        body = html_to_text(entry.get("summary", ""))
        for line in filter(None, (line.strip() for line in body.splitlines())):
            click.echo(f"    {line}")


def _print_notices(config: Config, store: Store, before: int, now: datetime) -> None:
    """The notices those changes owe, as ``notify --dry-run`` shows them; nothing is sent."""
    from hearing_watch.notify import load_subscriptions, preview
    from hearing_watch.topics import load_topics

    topics = load_topics(config)
    configured = load_subscriptions(config, topics)
    if not configured:
        demo_config = Config(topics=config.topics, subscriptions=[DEMO_SUBSCRIPTION])
        if not {t.slug for t in topics} >= set(DEMO_SUBSCRIPTION["topics"]):
            demo_config.subscriptions = [{**DEMO_SUBSCRIPTION, "topics": [], "everything": True}]
        configured = load_subscriptions(demo_config, topics)
    click.echo("\nThe notices a subscriber would get (a dry run: nothing is sent):")
    for subscription, notices in preview(store, configured, topics, now=now, since=before):
        print_preview(store, subscription, notices, now, config.site_url)


def _print_upcoming(store: Store, now: datetime) -> None:
    from hearing_watch.render import commission_label, format_when

    upcoming = store.list_hearings(upcoming=True, now=now)
    click.echo(f"Upcoming hearings, as feeds/index.html lists them ({len(upcoming)}):")
    for hearing in upcoming:
        label = commission_label(hearing.commission, hearing.commission_code)
        status = "" if hearing.status.value == "scheduled" else f" [{hearing.status.value.upper()}]"
        click.echo(f"  {format_when(hearing)}  {label}: {hearing.title}{status}")


@click.command()
@click.option(
    "--port",
    type=click.IntRange(0, 65535 - len(SOURCES)),
    default=8100,
    show_default=True,
    help="Port of the first source; the others take the next ones (0: any free ports).",
)
@click.option(
    "--snapshot",
    "folder",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Serve this folder (laid out like the bundled snapshot, e.g. an edited copy of it).",
)
def mirror(port: int, folder: Path | None) -> None:
    """Serve the bundled snapshot on 127.0.0.1 until stopped, to crawl it by hand."""
    from hearing_watch.crawl import serve_mirror, snapshot_root

    root = folder or snapshot_root()
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = signal.signal(signal.SIGTERM, on_signal)
    try:
        with serve_mirror(root, port) as mirrors:
            click.echo(f"Serving {root} on 127.0.0.1 (constructed events dated from today):")
            for name, url in mirrors.items():
                click.echo(f"  {name:<8} {url}")
            click.echo(
                "\nTo crawl it, put this in a config file (e.g. mirror.toml) and run "
                "`hearing-watch --config mirror.toml crawl`:\n"
            )
            for name, url in mirrors.items():
                click.echo(f'[sources.{name}]\nbase_url = "{url}"\n')
            click.echo("Ctrl-C stops it.", nl=True)
            sys.stdout.flush()
            stop.wait()
    except OSError as error:
        raise click.ClickException(
            f"cannot listen on 127.0.0.1 from port {port}: {error.strerror}; "
            "choose another with --port (0: any free ports)"
        ) from None
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
    click.echo("mirror stopped")


def _print_archive(feeds_dir: Path) -> None:
    """Where the archive pages and the search index are, and how many pages of each kind."""
    for label, folder in (
        ("hearing", "hearings"),
        ("witness", "people"),
        ("organization", "organizations"),
    ):
        # The folder's index.html lists the others: not one of them.
        pages = len([p for p in (feeds_dir / folder).glob("*.html") if p.name != "index.html"])
        click.echo(f"  {label + ' pages:':<21}{feeds_dir / folder}/ ({pages})")
    search = "ready" if (feeds_dir / "pagefind").is_dir() else "not built (no Pagefind)"
    click.echo(f"  search index:        {feeds_dir / 'pagefind'}/ ({search})")
