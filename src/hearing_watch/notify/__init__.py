"""Notices: owe them from the revision log, send each once, immediately or in digests.

Use this package, not its modules. Its public face: :func:`run_notify` (one pass: owe, send
immediate notices, send due digests) with its :class:`NotifyReport`, :func:`preview` (what a pass
would send), :class:`Subscription` and :func:`load_subscriptions` (the config's
``[[subscriptions]]``), the :class:`Ledger` of :class:`Notice` s, :func:`views_for` and
:func:`notice_message` (a notice as its :class:`Message` reads), :func:`next_slot` (a digest's
next time), and the :class:`Sender` protocol with :class:`AppriseSender`, the channel every
message goes out by.

Modules: ``run`` (the pass), ``subscriptions``, ``ledger`` (send once, never lose), ``claims``
(claimed notices grouped, with their views), ``messages`` (the text and HTML of a message),
``delivery`` (Apprise, one target at a time), ``digest`` (daily and weekly slots, one block
per hearing), ``reminders`` (a notice when a followed hearing is about to start), ``report``.
"""

from hearing_watch.notify.claims import views_for
from hearing_watch.notify.delivery import AppriseSender, Sender
from hearing_watch.notify.digest import next_slot
from hearing_watch.notify.ledger import Ledger, Notice
from hearing_watch.notify.messages import Message, notice_message
from hearing_watch.notify.report import NotifyReport
from hearing_watch.notify.run import preview, run_notify
from hearing_watch.notify.subscriptions import Subscription, load_subscriptions

__all__ = [
    "AppriseSender",
    "Ledger",
    "Message",
    "Notice",
    "NotifyReport",
    "Sender",
    "Subscription",
    "load_subscriptions",
    "next_slot",
    "notice_message",
    "preview",
    "run_notify",
    "views_for",
]
