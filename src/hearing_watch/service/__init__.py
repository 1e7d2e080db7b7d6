"""The scheduler service: re-crawl, publish and notify on schedule, in one long-lived process.

Use this package, not its modules. Its public face: :class:`Service` (what ``hearing-watch serve``
runs), :class:`ServiceAlreadyRunning` and :class:`ScheduleError` (why it would not start), and
:func:`service_lines` and :func:`next_crawls` (what ``hearing-watch status`` shows of it), and
:class:`OperatorAlerts` (what ``crawl`` and ``run`` tell the operator, as the service does).

Modules: ``scheduler`` (APScheduler's BlockingScheduler and the jobs), ``crawl_runner`` (one crawl
child at a time, stoppable on shutdown), ``lock`` (one service per database), ``schedule``
("30m", "2h" or cron, and when each job is first due), ``status``, ``alerts`` (tell the operator
when a source stays broken or notices keep failing).
"""

from hearing_watch.service.alerts import OperatorAlerts
from hearing_watch.service.lock import ServiceAlreadyRunning
from hearing_watch.service.schedule import ScheduleError
from hearing_watch.service.scheduler import Service
from hearing_watch.service.status import next_crawls, service_lines

__all__ = [
    "OperatorAlerts",
    "ScheduleError",
    "Service",
    "ServiceAlreadyRunning",
    "next_crawls",
    "service_lines",
]
