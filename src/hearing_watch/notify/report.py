"""What one notify pass did: notices owed, messages sent, failures waiting for a retry."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass
class NotifyReport:
    queued: int = 0
    messages_sent: int = 0
    notices_sent: int = 0
    notices_failed: int = 0
    digests_sent: int = 0
    errors: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        lines = [
            f"notify: {self.queued} new notices owed, {self.messages_sent} messages sent "
            f"({self.notices_sent} notices, {self.digests_sent} digests), "
            f"{self.notices_failed} notices failed and wait for a retry"
        ]
        lines += [f"  failed: {error}" for error in self.errors]
        return lines

    def record_delivery(self, subscription: str, notices: int, errors: Sequence[str]) -> bool:
        """Count one message of ``notices`` notices: sent, or failed with ``errors``."""
        if errors:
            self.notices_failed += notices
            self.errors += [f"{subscription}: {error}" for error in errors]
            return False
        self.messages_sent += 1
        self.notices_sent += notices
        return True
