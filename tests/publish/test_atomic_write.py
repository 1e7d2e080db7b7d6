from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from hearing_watch.publish import atomic
from hearing_watch.publish.atomic import write_atomic


def test_writes_text_and_bytes(tmp_path: Path) -> None:
    write_atomic(tmp_path / "a.txt", "héllo")
    write_atomic(tmp_path / "b.bin", b"\x00\x01")
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == "héllo"
    assert (tmp_path / "b.bin").read_bytes() == b"\x00\x01"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.bin"]


def test_new_file_is_world_readable(tmp_path: Path) -> None:
    path = write_atomic(tmp_path / "feed.rss", "x")
    assert path.stat().st_mode & 0o777 == 0o644


def test_replacing_keeps_mode(tmp_path: Path) -> None:
    path = tmp_path / "feed.rss"
    path.write_text("old")
    path.chmod(0o640)
    write_atomic(path, "new")
    assert path.read_text() == "new"
    assert path.stat().st_mode & 0o777 == 0o640


def test_failure_keeps_old_file_and_leaves_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "feed.rss"
    path.write_text("old")

    def broken_replace(src: str, dst: object) -> None:
        raise OSError("disk on fire")

    monkeypatch.setattr(atomic.os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk on fire"):
        write_atomic(path, "new")
    assert path.read_text() == "old"
    assert os.listdir(tmp_path) == ["feed.rss"]


def test_interrupt_during_write_leaves_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(atomic.os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(tmp_path / "feed.rss", "new")
    assert os.listdir(tmp_path) == []


def test_bad_data_type_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(TypeError):
        write_atomic(tmp_path / "feed.rss", 42)  # type: ignore[arg-type]
    assert os.listdir(tmp_path) == []


def test_temp_names_carry_the_writers_pid(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []
    real_replace = os.replace

    def spying_replace(src: str, dst: str) -> None:
        seen.append(Path(src).name)
        real_replace(src, dst)

    monkeypatch.setattr(atomic.os, "replace", spying_replace)
    write_atomic(tmp_path / "all.rss", "x")
    assert seen[0].startswith(f".all.rss.{os.getpid()}.") and seen[0].endswith(".tmp")


def test_stale_temp_files_of_dead_writers_are_removed(tmp_path: Path) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()  # its pid is free now (reuse within this test is vanishingly unlikely)
    left = tmp_path / f".all.rss.{dead.pid}.abcd1234.tmp"
    mine = tmp_path / f".all.atom.{os.getpid()}.efgh5678.tmp"
    old_unowned = tmp_path / ".all.ics.ijkl9012.tmp"
    new_unowned = tmp_path / ".all.json.mnop3456.tmp"
    for path in (left, mine, old_unowned, new_unowned):
        path.write_text("partial")
    os.utime(old_unowned, (0, 0))
    (tmp_path / "all.rss").write_text("published")

    removed = atomic.remove_stale_temp_files(tmp_path)

    assert sorted(removed) == sorted([left, old_unowned])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["all.rss", mine.name, new_unowned.name]
    )


def test_removing_temp_files_of_a_missing_folder_is_a_no_op(tmp_path: Path) -> None:
    assert atomic.remove_stale_temp_files(tmp_path / "missing") == []


def test_write_if_changed_leaves_an_identical_file_alone(tmp_path: Path) -> None:
    path = tmp_path / "feed.rss"
    assert atomic.write_if_changed(path, "same") is True
    before = path.stat()
    assert atomic.write_if_changed(path, b"same") is False
    after = path.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert atomic.write_if_changed(path, "samf") is True
    assert path.read_text() == "samf"
    assert path.stat().st_ino != before.st_ino  # replaced by rename, never edited in place
