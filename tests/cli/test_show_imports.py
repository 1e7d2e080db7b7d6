"""``show`` starts fast: it reads merges without loading the normalizer or the feed writers."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from hearing_watch.store import Store
from tests.store.conftest import build_hearing

PROBE = """
import sys
from hearing_watch.cli.group import cli
try:
    cli.main(["--config", sys.argv[1], "show", sys.argv[2]], standalone_mode=False)
finally:
    heavy = ("hearing_watch.normalize", "bs4", "feedgen", "icalendar")
    print("loaded:", [name for name in heavy if name in sys.modules])
"""


def test_show_loads_neither_the_normalizer_nor_the_feed_writers(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'hw.db'}"
    with Store.open(url) as store:
        store.upsert(build_hearing(1), datetime(2024, 3, 1, tzinfo=UTC))
    config = tmp_path / "hw.toml"
    config.write_text(f'[store]\nurl = "{url}"\n', encoding="utf-8")
    shown = subprocess.run(
        [sys.executable, "-c", PROBE, str(config), build_hearing(1).id],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Hearing number 1" in shown
    assert shown.splitlines()[-1] == "loaded: []"
