"""The store: every hearing by its stable id, with its revision history, in SQLite or PostgreSQL.

Use this package, not its modules. Its public face:

- :class:`Store` (open, upsert, get, list, revisions, crawl runs) with :class:`UpsertResult`,
  :class:`HearingKey` (a row without its data, what publishing reads first),
  :class:`Revision`, :class:`CrawlRun`, :data:`DEFAULT_URL` and :func:`is_locked_error`.
- A database that cannot be reached or written, in one line: :func:`store_unavailable` turns
  such an error into a :class:`StoreUnavailable` naming the store (:func:`describe_store`,
  password masked) and what to check.
- The schema's row classes for the stages that keep their own tables: :class:`NoticeRow`,
  :class:`RevisionRow` and :class:`SubscriptionStateRow` (the notice ledger),
  :class:`ServiceLockRow`, :class:`OperatorAlertRow` and :class:`JobRunRow` (the service).
- Full-text search: :meth:`Store.search` takes a query (:func:`parse_query` reads it, a
  :class:`SearchSyntaxError` says what is wrong) and :class:`SearchFilters`, and gives
  :class:`SearchResult` s whose snippets mark matched words with :data:`MATCH_START` and
  :data:`MATCH_END`.
- What a revision means to a reader: :func:`typed_changes` gives :class:`TypedChange` s of a
  :class:`ChangeKind` (the values in :data:`CHANGE_KINDS`), :func:`describe` their
  :class:`ChangeText`, :func:`revision_summary` one line.
- Detail-page validators for incremental crawls: :func:`known_pages` (each a :class:`KnownPage`
  keyed by :func:`page_key`), :func:`save_pages`, :func:`write_pages`, :func:`confirm_pages`,
  :class:`PageFetch`, :class:`PageState`.
- The scheduler's job runs: :func:`load_job_runs` (each a :class:`JobRun`, by
  :func:`crawl_job_id` or :func:`full_crawl_id`), :func:`record_started`,
  :func:`record_finished`, :func:`record_next_run`.

Modules: ``database`` (the Store), ``schema`` (tables), ``rows`` (what an upsert reads and
writes), ``changes``, ``pages``, ``job_runs``, ``errors``, ``search`` (the full-text index and
its queries), ``search_query`` (the query language), ``migrations`` (Alembic).
"""

from hearing_watch.store.changes import (
    CHANGE_KINDS,
    ChangeKind,
    ChangeText,
    TypedChange,
    describe,
    revision_summary,
    typed_changes,
)
from hearing_watch.store.database import (
    DEFAULT_URL,
    CrawlRun,
    HearingKey,
    Revision,
    Store,
    UpsertResult,
    is_locked_error,
)
from hearing_watch.store.errors import StoreUnavailable, describe_store, store_unavailable
from hearing_watch.store.job_runs import (
    JobRun,
    crawl_job_id,
    full_crawl_id,
    load_job_runs,
    record_finished,
    record_next_run,
    record_started,
)
from hearing_watch.store.pages import (
    KnownPage,
    PageFetch,
    PageState,
    confirm_pages,
    known_pages,
    page_key,
    save_pages,
    write_pages,
)
from hearing_watch.store.schema import (
    JobRunRow,
    NoticeRow,
    OperatorAlertRow,
    RevisionRow,
    ServiceLockRow,
    SubscriptionStateRow,
)
from hearing_watch.store.search import MATCH_END, MATCH_START, SearchFilters, SearchResult
from hearing_watch.store.search_query import SearchSyntaxError, parse_query

__all__ = [
    "CHANGE_KINDS",
    "DEFAULT_URL",
    "MATCH_END",
    "MATCH_START",
    "ChangeKind",
    "ChangeText",
    "CrawlRun",
    "HearingKey",
    "JobRun",
    "JobRunRow",
    "KnownPage",
    "NoticeRow",
    "OperatorAlertRow",
    "PageFetch",
    "PageState",
    "Revision",
    "RevisionRow",
    "SearchFilters",
    "SearchResult",
    "SearchSyntaxError",
    "ServiceLockRow",
    "Store",
    "StoreUnavailable",
    "SubscriptionStateRow",
    "TypedChange",
    "UpsertResult",
    "confirm_pages",
    "crawl_job_id",
    "describe",
    "describe_store",
    "full_crawl_id",
    "is_locked_error",
    "known_pages",
    "load_job_runs",
    "page_key",
    "parse_query",
    "record_finished",
    "record_next_run",
    "record_started",
    "revision_summary",
    "save_pages",
    "store_unavailable",
    "typed_changes",
    "write_pages",
]
