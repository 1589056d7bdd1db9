"""The sandbox's clock: the UTC "today" of the synthetic world, which tests move forward."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass
class Clock:
    """The sandbox's notion of "today" (UTC). Tests move it forward to see restated data.

    Attributes:
        today: The current UTC date in the sandbox world.
    """

    today: dt.date

    def now(self) -> dt.datetime:
        """Return the current sandbox instant: today's date at the real wall-clock time of day, in UTC."""
        wall = dt.datetime.now(dt.UTC)
        return dt.datetime.combine(self.today, wall.timetz())

    def now_ms(self) -> int:
        """Return :meth:`now` as epoch milliseconds."""
        return int(self.now().timestamp() * 1000)

    def advance(self, days: int) -> None:
        """Move "today" forward (or back, with a negative number) by ``days``."""
        self.today = self.today + dt.timedelta(days=days)
