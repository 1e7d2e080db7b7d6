"""A database that cannot be reached or written: one line naming the store and what to check.

Every command that opens the store is run against a PostgreSQL URL whose port nothing listens on
(a loopback port bound, then closed) and a SQLite file whose folder is a file: each exits 1 with
one ``Error:`` line, the password masked, and no traceback. With ``HEARING_WATCH_TEST_DB_URL``
set (``scripts/with-postgres``, as CI runs this folder), a real server refuses a login too.
"""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.exc import OperationalError

from hearing_watch.cli import cli
from hearing_watch.store import Store, store_unavailable
from hearing_watch.store.errors import write_lock_holders

PASSWORD = "s3cret-Pw"
COMMANDS = [
    ["hearings"],
    ["show", "csce-0123456789ab"],
    ["status"],
    ["feeds"],
    ["notify"],
    ["subscriptions"],
    ["crawl", "csce"],
    ["run", "csce"],
    ["serve"],
]


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port  # closed again: a connection there is refused


@pytest.fixture(autouse=True)
def _in_tmp_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # a command that got further would write here, not the checkout


def _run(tmp_path: Path, db_url: str, args: list[str]) -> tuple[int, str]:
    config = tmp_path / "hearing-watch.toml"
    subscription = (
        '[[subscriptions]]\nname = "all"\nnotify = ["json://127.0.0.1:9/"]\neverything = true\n'
    )
    config.write_text(f'[store]\nurl = "{db_url}"\n{subscription}', encoding="utf-8")
    result = CliRunner().invoke(cli, ["--config", str(config), *args])
    return result.exit_code, result.output


@pytest.mark.parametrize("args", COMMANDS, ids=lambda args: args[0])
def test_postgresql_down_is_one_line_naming_the_store(tmp_path: Path, args: list[str]) -> None:
    url = f"postgresql+psycopg://watch:{PASSWORD}@127.0.0.1:{_closed_port()}/hearings"
    code, output = _run(tmp_path, url, args)
    masked = url.replace(PASSWORD, "***")
    assert (code, output) == (
        1,
        f"Error: cannot use the store {masked}: nothing answers at that address; check that "
        "the database server is running and that [store] url names its host and port\n",
    )


@pytest.mark.parametrize("args", COMMANDS, ids=lambda args: args[0])
def test_sqlite_file_that_cannot_be_created_is_one_line(tmp_path: Path, args: list[str]) -> None:
    (tmp_path / "not-a-folder").write_text("a file, where the database's folder should be")
    path = tmp_path / "not-a-folder" / "hearing-watch.db"
    code, output = _run(tmp_path, f"sqlite:///{path}", args)
    assert (code, output) == (
        1,
        f"Error: cannot use the store SQLite database {path}: the SQLite database file cannot be "
        "opened or created; check that its folder exists and that this user may write there\n",
    )


@pytest.mark.skipif(os.getuid() == 0, reason="root may write any file")
def test_read_only_sqlite_file_is_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "db"
    folder.mkdir()
    path = folder / "hearing-watch.db"
    Store.open(f"sqlite:///{path}").close()
    path.chmod(0o444)
    folder.chmod(0o555)
    try:
        code, output = _run(tmp_path, f"sqlite:///{path}", ["crawl", "csce"])
    finally:
        folder.chmod(0o755)
    assert code == 1
    assert output.startswith(f"Error: cannot use the store SQLite database {path}: ")


def test_other_database_errors_are_not_called_a_store_problem() -> None:
    # A bug or a bad value keeps its traceback: it is not the operator's to fix.
    assert store_unavailable("sqlite:///x.db", ValueError("database is locked")) is None


@pytest.fixture
def server_url() -> str:
    url = os.environ.get("HEARING_WATCH_TEST_DB_URL", "")
    if not url.startswith("postgresql"):
        pytest.skip("needs a PostgreSQL server: scripts/with-postgres")
    return url


def test_postgresql_unknown_user_is_one_line(tmp_path: Path, server_url: str) -> None:
    url = make_url(server_url).set(username="nobody_here", password=PASSWORD)
    shown = url.render_as_string(hide_password=False)
    code, output = _run(tmp_path, shown, ["hearings"])
    assert (code, output) == (
        1,
        f"Error: cannot use the store {shown.replace(PASSWORD, '***')}: the server has no such "
        "database or user; check the database and user names in [store] url, or create them\n",
    )


@pytest.fixture
def login_role(server_url: str) -> Iterator[str]:
    """A role that may log in (password ``right-one``) and has no rights on the database."""
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text("DROP ROLE IF EXISTS hw_login_test"))
        connection.execute(text("CREATE ROLE hw_login_test LOGIN PASSWORD 'right-one'"))
    yield "hw_login_test"
    with admin.connect() as connection:
        connection.execute(text("DROP ROLE IF EXISTS hw_login_test"))
    admin.dispose()


def test_postgresql_user_without_rights_is_one_line(
    tmp_path: Path, server_url: str, login_role: str
) -> None:
    url = make_url(server_url).set(username=login_role, password="right-one")
    shown = url.render_as_string(hide_password=False)
    code, output = _run(tmp_path, shown, ["hearings"])
    assert (code, output) == (
        1,
        f"Error: cannot use the store {shown.replace('right-one', '***')}: the database user may "
        "not create or change the tables; grant it the rights to the database and its schema "
        "(the owner of both works)\n",
    )


def test_postgresql_wrong_password_is_one_line(
    tmp_path: Path, server_url: str, login_role: str
) -> None:
    url = make_url(server_url).set(username=login_role, password=PASSWORD)
    probe = create_engine(url)
    try:
        probe.connect().close()
        pytest.skip("this test server trusts every login (scripts/with-postgres: -A trust)")
    except OperationalError:
        pass  # refused: the server checks passwords
    finally:
        probe.dispose()
    shown = url.render_as_string(hide_password=False)
    code, output = _run(tmp_path, shown, ["hearings"])
    assert (code, output) == (
        1,
        f"Error: cannot use the store {shown.replace(PASSWORD, '***')}: the server refused the "
        "login; check the user name and password in [store] url\n",
    )


@pytest.mark.skipif(not Path("/proc/locks").exists(), reason="reads /proc/locks (Linux)")
def test_the_process_holding_a_sqlite_write_lock_is_named(tmp_path: Path) -> None:
    """A writer in another process (rollback-journal and WAL databases) is found by its pid;
    a database no one writes names no one."""
    for mode in ("DELETE", "WAL"):
        path = tmp_path / f"{mode}.db"
        with sqlite3.connect(path) as setup:
            setup.execute(f"PRAGMA journal_mode = {mode}")
            setup.execute("CREATE TABLE t (x)")
        assert write_lock_holders(path) == []
        holder = subprocess.Popen(
            [sys.executable, "-c", LOCK_HOLDER, str(path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert holder.stdout is not None and holder.stdin is not None
        try:
            assert holder.stdout.readline() == "locked\n"
            assert write_lock_holders(path) == [holder.pid], mode
        finally:
            holder.stdin.close()
            holder.wait(timeout=30)
        assert write_lock_holders(path) == []


LOCK_HOLDER = (
    "import sqlite3, sys\n"
    "db = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
    "db.execute('SELECT * FROM t').fetchall()\n"
    "db.execute('BEGIN IMMEDIATE')\n"
    "print('locked', flush=True)\n"
    "sys.stdin.read()\n"
)
