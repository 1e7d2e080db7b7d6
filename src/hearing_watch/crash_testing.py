"""Crash testing, and nothing else: kill this process with SIGKILL at a named dangerous moment.

The only test-only hook in the library. Production code calls ``crashpoint("<name>")`` where a
crash would be most harmful; nothing happens unless the crash-safety test arms one.

``HEARING_WATCH_CRASH_AT=<point>:<n>`` makes the ``n``-th call of ``crashpoint("<point>")`` in a
process kill that process on the spot, as a power cut or the OOM killer would: no ``finally``, no
rollback, no flush. The crash-safety test (``tests/integration/test_crash_safety.py``) walks these
points to show that a crash anywhere loses nothing and sends nothing twice beyond the documented
window. Unset (always, outside that test), a crash point costs one dict lookup.

The points, in the order a ``run`` meets them:

========================== =====================================================================
``store.upsert.uncommitted`` the hearing and its revision row written, not yet committed
``store.upsert.committed``  the upsert committed
``pipeline.item_stored``    between items: one stored and counted, the next not yet taken
``atomic.temp_written``     a published file's temp copy written and synced, not yet renamed
``atomic.renamed``          the temp copy renamed over the published file
``publish.step``            between groups of published files (feeds, calendars, topic feeds)
``ledger.enqueue.uncommitted`` notices owed and the cursor moved, not yet committed
``ledger.enqueue.committed`` owed notices and the moved cursor committed
``ledger.claim.committed``  notices marked ``sending`` and committed, none handed out yet
``delivery.accepted``       a channel took a message, the ledger does not know yet (the window
                            in which a crash causes one duplicate, after the lease)
``ledger.delivery.committed`` the ledger knows which target took the message
``ledger.sent.committed``   the notices are ``sent``
========================== =====================================================================
"""

from __future__ import annotations

import os
import signal
import sys

CRASH_ENV = "HEARING_WATCH_CRASH_AT"

# The environment is read at the first crash point, not at import: a forked test process sets
# the variable after hearing_watch was imported by its parent.
_armed: dict[str, int] | None = None
_hits: dict[str, int] = {}
# Processes that die with this one at a crash point: a detail worker takes its crawl with it.
_dies_with: list[int] = []


def dies_with(pid: int) -> None:
    """Make a crash point of this process kill ``pid`` as well (a power cut takes both)."""
    _dies_with.append(pid)


def crashpoint(name: str) -> None:
    """Kill this process if ``name`` is the armed point and this is its armed hit."""
    global _armed
    if _armed is None:
        _armed = _parse(os.environ.get(CRASH_ENV, ""))
    wanted = _armed.get(name)
    if wanted is None:
        return
    _hits[name] = _hits.get(name, 0) + 1
    if _hits[name] == wanted:
        # Said on stderr so a test (or a person) can tell a planned crash from a real one.
        sys.stderr.write(f"hearing-watch: crash point {name}#{wanted}: SIGKILL\n")
        sys.stderr.flush()
        for pid in _dies_with:
            os.kill(pid, signal.SIGKILL)
        os.kill(os.getpid(), signal.SIGKILL)


def _parse(value: str) -> dict[str, int]:
    """``"point:n"`` -> {point: n}; an empty or malformed value arms nothing."""
    name, _, count = value.strip().rpartition(":")
    if not name or not count.isdigit() or int(count) < 1:
        return {}
    return {name: int(count)}
