"""``hearing-watch notify``, ``topics``, ``topics test SLUG`` and ``subscriptions``."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import click

from hearing_watch.cli.context import Context, pass_context
from hearing_watch.config import Config, ConfigError
from hearing_watch.model import Hearing
from hearing_watch.notify import Notice, Subscription, load_subscriptions
from hearing_watch.secrets import redact_url
from hearing_watch.store import Store
from hearing_watch.topics import Topic, TopicMatch, TopicMatcher, load_topics


@click.command()
@click.option("--dry-run", is_flag=True, help="Print what would be sent; send and record nothing.")
@click.option(
    "--backfill",
    is_flag=True,
    help="Start new subscriptions at the oldest stored change instead of the newest.",
)
@click.option(
    "--retry-now", is_flag=True, help="Retry failed notices now instead of after their back-off."
)
@pass_context
def notify(ctx: Context, dry_run: bool, backfill: bool, retry_now: bool) -> None:
    """Send the notices and digests subscriptions are owed (see [[subscriptions]])."""
    notify_pass(ctx.config, ctx.store(), dry_run=dry_run, backfill=backfill, retry_now=retry_now)


def notify_pass(
    config: Config,
    store: Store,
    *,
    dry_run: bool = False,
    backfill: bool = False,
    retry_now: bool = False,
) -> None:
    """One notify pass with its report on stdout (also the end of ``hearing-watch run``)."""
    from hearing_watch.notify import preview, run_notify

    topics, subscriptions = _load(config)
    if not subscriptions:
        click.echo("notify: no [[subscriptions]] configured")
        return
    now = datetime.now(UTC)
    if not dry_run:
        report = run_notify(
            store,
            subscriptions,
            topics,
            now=now,
            backfill=backfill,
            retry_now=retry_now,
            lease=timedelta(seconds=config.notify_lease_seconds),
            site_url=config.site_url,
        )
        for line in report.lines():
            click.echo(line)
        return
    for subscription, notices in preview(store, subscriptions, topics, now=now, backfill=backfill):
        print_preview(store, subscription, notices, now, config.site_url)


def print_preview(
    store: Store,
    subscription: Subscription,
    notices: list[Notice],
    now: datetime,
    site_url: str | None = None,
) -> None:
    """One subscription's messages as a dry run shows them (also the demo's notice)."""
    from hearing_watch.notify import next_slot, notice_message, views_for

    targets = ", ".join(redact_url(url) for url in subscription.notify)
    views = views_for(
        store,
        notices,
        per_hearing=subscription.is_digest,
        zone=subscription.timezone,
        site_url=site_url,
    )
    when = "now"
    if subscription.is_digest:
        slot = next_slot(subscription, now).strftime("%Y-%m-%d %H:%M %Z")
        when = f"in the {subscription.schedule} digest of {slot}"
    click.echo(f"== {subscription.name}: {len(views)} messages {when} -> {targets}")
    for group, view in views:
        message = notice_message(view)
        states = sorted({n.state for n in group})
        click.echo(f"\n-- {message.title}  [{', '.join(states)}]")
        click.echo(message.text.rstrip())
    click.echo("")


@click.group(invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@click.pass_context
def topics(click_ctx: click.Context, as_json: bool) -> None:
    """List the configured topics; `topics test SLUG` shows what one matches."""
    if click_ctx.invoked_subcommand is not None:
        return
    context = click_ctx.find_object(Context)
    assert context is not None  # the cli group always sets it
    found, _ = _load(context.config)
    if as_json:
        for topic in found:
            click.echo(json.dumps(dataclasses.asdict(topic), ensure_ascii=False))
        return
    if not found:
        click.echo("no [[topics]] configured")
        return
    for topic in found:
        click.echo(f"{topic.slug:<20} {topic.name}")
        click.echo(f"{'':<20} match: {', '.join(topic.match) or '-'}")
        for label, values in (
            ("regex", topic.regex),
            ("exclude", topic.exclude),
            ("commissions", topic.commissions),
            ("kinds", topic.kinds),
        ):
            if values:
                click.echo(f"{'':<20} {label}: {', '.join(values)}")


@topics.command("test")
@click.argument("slug")
@click.option("--limit", type=int, default=None, help="Show at most this many hearings.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per matching hearing.")
@pass_context
def topics_test(ctx: Context, slug: str, limit: int | None, as_json: bool) -> None:
    """Which stored hearings topic SLUG matches, and on which words."""
    from hearing_watch.render import commission_label, format_day

    found, _ = _load(ctx.config)
    matcher = TopicMatcher(found)
    if slug not in {topic.slug for topic in found}:
        known = ", ".join(topic.slug for topic in found) or "none configured"
        raise click.ClickException(f"no topic {slug!r}; topics: {known}")
    # Printed as found, the count last: the first match shows at once at any store size.
    count = 0
    for hearing, match in matcher.matching(ctx.store().iter_hearings(), slug):
        count += 1
        if limit is not None and count > limit:
            if as_json:
                break  # JSON has no count line to finish
            continue  # still counted
        if as_json:
            click.echo(json.dumps(_match_record(hearing, slug, match), ensure_ascii=False))
            continue
        label = commission_label(hearing.commission, hearing.commission_code)
        click.echo(f"{format_day(hearing.start)}  {label}  {hearing.title}")
        click.echo(f"  id {hearing.id}")
        for hit in match.hits:
            click.echo(f"  {hit.field}: {hit.text!r} (phrase {hit.phrase!r})")
        click.echo("")
    if not as_json:
        noun = "hearing matches" if count == 1 else "hearings match"
        click.echo(f"{count} stored {noun} {slug!r}")


def _match_record(hearing: Hearing, slug: str, match: TopicMatch) -> dict[str, object]:
    return {
        "id": hearing.id,
        "title": hearing.title,
        "start": hearing.start.isoformat(),
        "commission_code": hearing.commission_code,
        "url": hearing.url,
        "topic": slug,
        "hits": [hit._asdict() for hit in match.hits],
    }


@click.command()
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@pass_context
def subscriptions(ctx: Context, as_json: bool) -> None:
    """List subscriptions: what they follow, where they send (secrets masked), their queue."""
    from hearing_watch.notify import Ledger, next_slot

    _, found = _load(ctx.config)
    if as_json:
        ledger = Ledger(ctx.store())
        now = datetime.now(UTC)
        for subscription in found:
            record: dict[str, Any] = {
                "name": subscription.name,
                "topics": list(subscription.topics),
                "everything": subscription.everything,
                "commissions": list(subscription.commissions),
                "changes": sorted(subscription.changes),
                "schedule": subscription.schedule,
                "next_digest": (
                    next_slot(subscription, now).isoformat() if subscription.is_digest else None
                ),
                "notify": [redact_url(url) for url in subscription.notify],
                "notices": ledger.counts(subscription.name),
                "revision_cursor": ledger.cursor(subscription.name),
            }
            click.echo(json.dumps(record, ensure_ascii=False))
        return
    if not found:
        click.echo("no [[subscriptions]] configured")
        return
    ledger = Ledger(ctx.store())
    now = datetime.now(UTC)
    for subscription in found:
        follows = ", ".join(subscription.topics)
        if subscription.everything:
            follows = ", ".join(filter(None, ["everything", follows]))
        if subscription.commissions:
            follows += f" (commissions {', '.join(subscription.commissions)})"
        schedule = subscription.schedule
        if subscription.is_digest:
            schedule += f", next {next_slot(subscription, now):%Y-%m-%d %H:%M %Z}"
        counts = ledger.counts(subscription.name)
        cursor = ledger.cursor(subscription.name)
        click.echo(f"{subscription.name}")
        click.echo(f"  follows   {follows}")
        click.echo(f"  changes   {', '.join(sorted(subscription.changes))}")
        click.echo(f"  schedule  {schedule}")
        click.echo(f"  timezone  {subscription.timezone.key}")
        if subscription.wants_reminders and subscription.remind_before is not None:
            click.echo(f"  remind    {_duration(subscription.remind_before)} before the start")
        for url in subscription.notify:
            click.echo(f"  notify    {redact_url(url)}")
        queue = ", ".join(f"{state} {count}" for state, count in counts.items())
        started = "not started (first notify starts it)" if cursor is None else f"at {cursor}"
        click.echo(f"  notices   {queue}; revision cursor {started}")


def _duration(value: timedelta) -> str:
    """'24h', '90m' or '45s': as the config writes it."""
    seconds = int(value.total_seconds())
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % size == 0 and not (unit == "d" and seconds < 7 * 86400):
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def _load(config: Config) -> tuple[list[Topic], list[Subscription]]:
    try:
        found = load_topics(config)
        return found, load_subscriptions(config, found)
    except ConfigError as error:
        raise click.ClickException(str(error)) from None
