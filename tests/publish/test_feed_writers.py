from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import feedparser
import pytest

from hearing_watch.model import Hearing, Role, Status, Witness
from hearing_watch.publish.feeds import write_all_feeds, write_feeds
from hearing_watch.publish.history import FeedUpdate
from hearing_watch.publish.updates import write_updates_feed
from tests.publish.conftest import NEW_YORK

NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
SITE = "https://hearings.example.org/"


def parse(path: Path) -> Any:
    parsed = feedparser.parse(path.read_bytes())
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    return parsed


@pytest.fixture
def written(tmp_path: Path, hearings: list[Hearing]) -> Path:
    write_feeds(
        hearings,
        tmp_path,
        feed_id="all",
        title="Hearing Watch: all",
        link=SITE,
        self_base_url=SITE,
        now=NOW,
    )
    return tmp_path


@pytest.mark.parametrize("suffix", ["rss", "atom"])
def test_feed_round_trips(written: Path, suffix: str) -> None:
    parsed = parse(written / f"all.{suffix}")
    assert parsed.feed.title == "Hearing Watch: all"
    assert parsed.feed.link == SITE
    # Newest start first: 2024 briefing, 2019 date-only hearing, 2004 hearing.
    assert [e.title for e in parsed.entries] == [
        "[CANCELLED] Russia's War on Ukraine — Tue, Mar 5, 2024 — CSCE",
        "[POSTPONED] China's Export Controls — Tue, Jul 16, 2019 — USCC",
        "Tibet: Freedom of Religion — Mon, Apr 19, 2004 — CECC",
    ]
    entry = parsed.entries[2]
    assert entry.link == "https://www.cecc.gov/events/hearings/tibet-freedom-of-religion"
    if suffix == "atom":  # first seen, and the last change
        assert entry.published_parsed[:6] == (2004, 4, 1, 9, 0, 0)
        assert entry.updated_parsed[:6] == (2004, 4, 10, 9, 0, 0)
    else:  # RSS has one date: the last change, so readers see the edited item as new
        assert entry.published_parsed[:6] == (2004, 4, 10, 9, 0, 0)
    assert {t.term for t in entry.tags} == {"hearing", "CECC", "scheduled"}
    assert {t.scheme for t in entry.tags} == {
        "urn:hearing-watch:kind",
        "urn:hearing-watch:commission",
        "urn:hearing-watch:status",
    }
    assert "Hon. Jane Doe, Director, Tibet Policy Institute" in entry.summary
    assert "Tenzin Lhamo" in entry.summary
    assert "2:00–3:30 PM EDT" in entry.summary
    assert "Dirksen Senate Office Building, Room 562" in entry.summary
    assert 'href="https://www.cecc.gov/t.pdf"' in entry.summary
    assert "javascript:" not in entry.summary
    assert 'href="https://www.youtube.com/watch?v=abc"' in entry.summary
    assert "CANCELLED" in parsed.entries[0].summary
    assert "POSTPONED" in parsed.entries[1].summary


def test_rss_ids_and_dates(written: Path) -> None:
    parsed = parse(written / "all.rss")
    entry = parsed.entries[2]
    assert entry.id == "cecc-0123456789ab"
    assert entry.guidislink is False
    assert entry.published_parsed[:3] == (2004, 4, 10)  # pubDate: the last change
    raw = (written / "all.rss").read_text()
    assert 'isPermaLink="false"' in raw
    assert 'href="https://hearings.example.org/all.rss" rel="self"' in raw


def test_atom_ids_are_tag_uris(written: Path) -> None:
    parsed = parse(written / "all.atom")
    assert parsed.entries[2].id == "tag:hearing-watch,2024:cecc-0123456789ab"
    assert parsed.entries[2].published_parsed[:3] == (2004, 4, 1)
    self_links = [link.href for link in parsed.feed.links if link.rel == "self"]
    assert self_links == ["https://hearings.example.org/all.atom"]
    # The feed is as new as its newest change, so unchanged data gives an unchanged feed.
    assert parsed.feed.updated_parsed[:3] == (2024, 3, 1)


def test_output_is_deterministic(tmp_path: Path, hearings: list[Hearing]) -> None:
    outputs = []
    for run in ("a", "b"):
        write_all_feeds(hearings, tmp_path / run, SITE, 200, NOW)
        outputs.append((tmp_path / run / "all.atom").read_bytes())
    assert outputs[0] == outputs[1]


def test_limit_keeps_newest(tmp_path: Path, hearings: list[Hearing]) -> None:
    files = write_feeds(
        hearings, tmp_path, feed_id="x", title="X", link=SITE, self_base_url=SITE, limit=2, now=NOW
    )
    assert [f.count for f in files] == [2, 2]
    titles = [e.title for e in parse(tmp_path / "x.rss").entries]
    assert len(titles) == 2
    assert "Tibet" not in " ".join(titles)


def test_hostile_values_are_stripped_and_escaped(tmp_path: Path, hearing_factory: Any) -> None:
    hostile = hearing_factory(
        title="Vertical\x0btab <b>bold</b> & co",
        subtitle="<b>bold</b> <script>alert(2)</script>",
        description_html='<p>Hi</p><script>alert("x")</script><img src=x onerror="alert(1)">',
        description="plain\x00text",
        witnesses=[],
        url="javascript:alert(1)",
        commission="Commission\x1f on China",
    )
    write_feeds(
        [hostile], tmp_path, feed_id="h", title="H\x0c", link=SITE, self_base_url=SITE, now=NOW
    )
    for suffix in ("rss", "atom"):
        raw = (tmp_path / f"h.{suffix}").read_text()
        assert "\x0b" not in raw
        assert "\x0c" not in raw
        assert "\x1f" not in raw
        entry = parse(tmp_path / f"h.{suffix}").entries[0]
        # \x0b is whitespace to str.split: it becomes a plain space.
        assert entry.title.startswith("Vertical tab <b>bold</b> & co — ")
        assert "<script" not in entry.summary
        assert "onerror" not in entry.summary
        assert "&lt;b&gt;bold&lt;/b&gt; &lt;script&gt;" in entry.summary
        assert "alert(&quot;x&quot;)" not in raw
        assert 'alert("x")' not in entry.summary
        assert "javascript:" not in raw
        assert entry.link == SITE


def test_write_all_feeds_one_pair_per_commission(tmp_path: Path, hearings: list[Hearing]) -> None:
    files = write_all_feeds(hearings, tmp_path, SITE, 200, NOW)
    names = sorted(f.path.name for f in files)
    assert names == sorted(
        f"{stem}.{kind}" for stem in ("all", "cecc", "csce", "uscc") for kind in ("rss", "atom")
    )
    by_name = {f.path.name: f for f in files}
    assert by_name["all.rss"].count == 3
    assert by_name["cecc.atom"].count == 1
    assert by_name["cecc.atom"].group == "commission"
    assert by_name["all.rss"].group == "all"
    assert "Congressional-Executive Commission on China" in by_name["cecc.rss"].title
    for path in tmp_path.iterdir():
        parse(path)
    assert [e.id for e in parse(tmp_path / "uscc.rss").entries] == ["uscc-aaaaaaaaaaaa"]


def test_commission_code_all_does_not_clobber_combined_feed(
    tmp_path: Path, hearing_factory: Any
) -> None:
    files = write_all_feeds([hearing_factory(commission_code="ALL")], tmp_path, SITE, 200, NOW)
    assert sorted(f.feed_id for f in files) == ["all", "all", "all-commission", "all-commission"]


def test_empty_feed_is_valid(tmp_path: Path) -> None:
    write_feeds([], tmp_path, feed_id="e", title="Empty", link=SITE, self_base_url=SITE, now=NOW)
    parsed = parse(tmp_path / "e.atom")
    assert parsed.entries == []
    assert parsed.feed.updated_parsed[:3] == (2024, 5, 1)


def test_naive_and_missing_stamps(tmp_path: Path, hearing_factory: Any) -> None:
    naive = hearing_factory(last_changed=datetime(2024, 1, 2, 3, 4), first_seen=None)
    unseen = hearing_factory(id="x", last_changed=None, first_seen=None, start=date(2024, 6, 1))
    write_feeds(
        [naive, unseen], tmp_path, feed_id="n", title="N", link=SITE, self_base_url=SITE, now=NOW
    )
    entries = parse(tmp_path / "n.atom").entries
    assert entries[0].updated_parsed[:3] == (2024, 5, 1)  # falls back to now
    assert entries[1].updated_parsed[:5] == (2024, 1, 2, 3, 4)


def test_updates_feed_one_item_per_change(tmp_path: Path, hearing_factory: Any) -> None:
    before = hearing_factory()
    moved = hearing_factory(start=datetime(2004, 4, 20, 14, 0, tzinfo=NEW_YORK), end=None)
    postponed = replace(moved, status=Status.POSTPONED)
    moved_times = {
        "start": {"old": "2004-04-19T14:00:00-04:00", "new": "2004-04-20T14:00:00-04:00"}
    }
    changes = [
        FeedUpdate(before.id, 3, datetime(2024, 4, 1, tzinfo=UTC), before, moved, moved_times),
        FeedUpdate(
            before.id,
            4,
            datetime(2024, 4, 2, tzinfo=UTC),
            moved,
            postponed,
            {"status": {"old": "scheduled", "new": "postponed"}},
        ),
    ]
    files = write_updates_feed(
        changes, tmp_path, "topic-tibet", "Tibet updates", link=SITE, self_base_url=SITE, now=NOW
    )
    assert [(f.path.name, f.group, f.count) for f in files] == [
        ("topic-tibet.rss", "topic", 2),
        ("topic-tibet.atom", "topic", 2),
    ]
    rss = parse(tmp_path / "topic-tibet.rss")
    assert [e.id for e in rss.entries] == ["cecc-0123456789ab#r4", "cecc-0123456789ab#r3"]
    assert (
        rss.entries[0].title == "Postponed: Tibet: Freedom of Religion — Tue, Apr 20, 2004 — CECC"
    )
    assert "Status:</strong> Scheduled → Postponed" in rss.entries[0].summary
    assert rss.entries[1].title.startswith("Rescheduled: Tibet")
    assert (
        "When:</strong> Mon, Apr 19, 2004, 2:00–3:30 PM EDT → Tue, Apr 20, 2004, 2:00 PM EDT"
        in rss.entries[1].summary
    )
    atom = parse(tmp_path / "topic-tibet.atom")
    assert atom.entries[1].id == "tag:hearing-watch,2024:cecc-0123456789ab#r3"
    assert atom.entries[1].updated_parsed[:3] == (2024, 4, 1)


@pytest.mark.parametrize("feed_id", ["../escape", "a/b", "", ".hidden"])
def test_unsafe_feed_id_is_refused(tmp_path: Path, feed_id: str) -> None:
    with pytest.raises(ValueError, match="plain file name"):
        write_feeds([], tmp_path, feed_id=feed_id, title="T", link=SITE, self_base_url=SITE)


def test_a_closed_senate_meeting_with_members_reads_so(
    tmp_path: Path, hearing_factory: Any
) -> None:
    closed = hearing_factory(
        commission="Senate Select Committee on Intelligence",
        commission_code="SLIN00",
        closed=True,
        witnesses=[Witness("Jane Roe", position="Director")],
        participants=[
            Witness("Mark Doe", position="Chair", panel="Opening Statements", role=Role.MEMBER)
        ],
    )
    write_all_feeds([closed], tmp_path, SITE, 200, NOW)
    feed = parse(tmp_path / "slin00.atom")  # the file name keeps the code
    assert feed.feed.title.endswith(": Senate Select Committee on Intelligence")
    entry = feed.entries[0]
    assert entry.title.endswith(" — Senate Intelligence") and "SLIN00" not in entry.summary
    assert "<strong>Type:</strong> Hearing (closed to the public)" in entry.summary
    witnesses, members = entry.summary.split("<h3>Members and moderators</h3>")
    assert "Jane Roe" in witnesses and "Mark Doe" not in witnesses
    assert "<li>Mark Doe, Chair (member, Opening Statements)</li>" in members
