"""The archive written a change at a time is the archive written fresh from the same store: every
page byte for byte, and the state it keeps (key order aside), after each of a run of changes to
hearings of a large organization (many rows on its page), of joined names and of moved days."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from hearing_watch.model import Hearing, Location, Witness
from hearing_watch.publish.archive import CURSOR_FILE, STATE_FILE, write_archive
from hearing_watch.store import Store
from tests.publish.conftest import NEW_YORK, make_hearing

SEEN = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)
STATE = "Department of State"
STATE_FILES = {f"hearings/{STATE_FILE}", f"hearings/{CURSOR_FILE}"}


def hearing(number: int) -> Hearing:
    """Hearing ``number``: a State Department witness on every one, and people who come back."""
    witnesses = [
        Witness(
            name=f"Official {number % 7} Person", position="Assistant Secretary", organization=STATE
        ),
        Witness(name=f"Scholar {number % 5} Expert", organization=f"Institute {number % 3}"),
    ]
    if number % 4 == 0:
        witnesses.append(Witness(name="John Smith", organization="Heritage Foundation"))
    return make_hearing(
        id=f"house-{number:012d}",
        source="house",
        commission=f"House Committee {number % 3}",
        commission_code=f"H{number % 3}00",
        title=f"Hearing {number}: diplomacy & the budget",
        url=f"https://docs.house.gov/Committee/Calendar/ByEvent.aspx?EventID={number}",
        start=datetime(2025, 1, 1, 10, tzinfo=NEW_YORK) + timedelta(days=18 * number),
        end=None,
        location=Location(building="Rayburn House Office Building", room=f"{2100 + number}"),
        witnesses=witnesses,
    )


def archive_files(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and str(path.relative_to(folder)) not in STATE_FILES
    }


def state_of(folder: Path) -> object:
    return json.loads((folder / "hearings" / STATE_FILE).read_text("utf-8"))


def assert_same_as_fresh(store: Store, folder: Path, fresh: Path, split_rows: int) -> None:
    write_archive(store, folder, site_title="Hearing Watch", site_url=None, split_rows=split_rows)
    write_archive(store, fresh, site_title="Hearing Watch", site_url=None, split_rows=split_rows)
    incremental, everything = archive_files(folder), archive_files(fresh)
    assert sorted(incremental) == sorted(everything)
    assert [name for name in incremental if incremental[name] != everything[name]] == []
    assert state_of(folder) == state_of(fresh)


# 1000: every page whole; 20: the State Department's and John Smith's organization's pages list
# 2027 (the newest year), with a page for 2025 and one for 2026.
@pytest.mark.parametrize("split_rows", [1000, 20])
def test_changes_to_a_large_organization_write_what_a_fresh_build_writes(
    tmp_path: Path, split_rows: int
) -> None:
    folder = tmp_path / "archive"
    with Store.open(f"sqlite:///{tmp_path / 'h.db'}") as store:
        hearings = {n: hearing(n) for n in range(60)}
        for item in hearings.values():
            store.upsert(item, SEEN)
        write_archive(
            store, folder, site_title="Hearing Watch", site_url=None, split_rows=split_rows
        )
        at = SEEN

        def change(number: int, **fields: object) -> None:
            nonlocal at
            at += timedelta(minutes=1)
            hearings[number] = replace(hearings[number], **fields)  # type: ignore[arg-type]
            store.upsert(hearings[number], at)

        def added(number: int, witness: Witness) -> list[Witness]:
            return [*hearings[number].witnesses, witness]

        steps = [
            # A new State Department witness on one hearing of sixty.
            lambda: change(17, witnesses=added(17, Witness("Ann Lee", organization=STATE))),
            # A hearing's title and status, shown on every organization and witness row.
            lambda: change(30, title="Hearing 30: renamed"),
            # Moved to another day: rows change places on the organization's page.
            lambda: change(5, start=hearings[5].start + timedelta(days=40)),  # type: ignore[operator]
            # "John A. Smith" for the Heritage Foundation: joined with John Smith.
            lambda: change(
                41,
                witnesses=added(41, Witness("John A. Smith", organization="Heritage Foundation")),
            ),
            # The State Department printed another way, and a witness gone from a hearing.
            lambda: change(
                8,
                witnesses=[
                    Witness("Official 1 Person", organization="The Department of State"),
                    *hearings[8].witnesses[1:],
                ],
            ),
            # Ann Lee gone again: her page and her line in the state go too.
            lambda: change(17, witnesses=hearing(17).witnesses),
        ]
        for number, step in enumerate(steps):
            step()
            assert_same_as_fresh(store, folder, tmp_path / f"fresh-{number}", split_rows)
    organizations = folder / "organizations"
    page = BeautifulSoup((organizations / "department-of-state.html").read_bytes(), "lxml")
    rows = page.select("tr.appearance")
    if split_rows > 60:
        assert len(rows) == 60  # one a hearing
        assert not list(organizations.glob("department-of-state.*.html"))
    else:
        assert {r.time["datetime"][:4] for r in rows} == {"2027"}
        years = page.select_one("nav.years")
        assert [a["href"] for a in years.select("a")] == [
            "department-of-state.2026.html",
            "department-of-state.2025.html",
        ]
        year = BeautifulSoup((organizations / "department-of-state.2025.html").read_bytes(), "lxml")
        assert year.h1.get_text() == "Department of State, 2025"
        assert {r.time["datetime"][:4] for r in year.select("tr.appearance")} == {"2025"}
        pages = page.select("tr.appearance") + year.select("tr.appearance")
        pages += BeautifulSoup(
            (organizations / "department-of-state.2026.html").read_bytes(), "lxml"
        ).select("tr.appearance")
        assert len(pages) == 60
    assert not (folder / "people/ann-lee.html").exists()
    assert all(r.select("td")[2].a["href"].startswith("../people/") for r in rows)
