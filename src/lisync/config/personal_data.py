"""Personal-data policy for lead rows (``--lead-pii keep|hash|drop``), applied before rows reach dlt.

Which columns hold personal data is the contract's business (``"personal": true`` on a column); this module
only knows what to do with them:

* ``keep`` (default): values pass through unchanged.
* ``hash``: each value is trimmed and lower-cased, then replaced by the hex HMAC-SHA256 of it under a
  secret key (``lead_pii_secret`` in dlt secrets), so equal values still join across tables and runs while
  nobody without the key can test a guess.
* ``drop``: values become ``NULL`` (the column stays, empty).

Nothing here logs or raises with a value in the message.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal, cast, get_args

from lisync.errors import ConfigError

__all__ = ["MIN_SECRET_LENGTH", "PII_MODES", "PersonalDataPolicy", "TPiiMode", "parse_lead_pii"]

TPiiMode = Literal["keep", "hash", "drop"]
PII_MODES: tuple[str, ...] = get_args(TPiiMode)
MIN_SECRET_LENGTH = 16


@dataclass(frozen=True)
class PersonalDataPolicy:
    """What happens to personal values before they are extracted.

    Attributes:
        mode: ``keep``, ``hash`` or ``drop``.
        secret: The HMAC key for ``hash`` (never printed; ``repr`` hides it).
    """

    mode: TPiiMode = "keep"
    secret: str | None = None

    def __post_init__(self) -> None:
        if self.mode not in PII_MODES:
            raise ValueError(f"Unknown personal-data mode {self.mode!r}: use one of {', '.join(PII_MODES)}.")
        if self.mode == "hash" and (not self.secret or len(self.secret) < MIN_SECRET_LENGTH):
            raise ValueError(
                "--lead-pii hash needs a secret key of at least 16 characters: set lead_pii_secret under "
                "[sources.linkedin] in .dlt/secrets.toml (or SOURCES__LINKEDIN__LEAD_PII_SECRET).")

    def __repr__(self) -> str:
        return f"PersonalDataPolicy(mode={self.mode!r}, secret={'***' if self.secret else None})"

    def protect_value(self, value: Any) -> Any:
        """Return ``value`` as the policy stores it (``None`` stays ``None``)."""
        if value is None or self.mode == "keep":
            return value
        if self.mode == "drop":
            return None
        assert self.secret is not None  # checked in __post_init__
        normalized = str(value).strip().lower().encode("utf-8")
        return hmac.new(self.secret.encode("utf-8"), normalized, hashlib.sha256).hexdigest()

    def protect_row(self, row: dict[str, Any], personal_columns: Iterable[str]) -> dict[str, Any]:
        """Return ``row`` with every personal column protected (a new dict; ``row`` is left alone)."""
        if self.mode == "keep":
            return row
        out = dict(row)
        for column in personal_columns:
            if column in out:
                out[column] = self.protect_value(out[column])
        return out


def parse_lead_pii(mode: Any, secret: Any) -> PersonalDataPolicy:
    """Return the policy for ``--lead-pii`` (``None``: ``keep``) with the secret from dlt secrets.

    Raises:
        ConfigError: For an unknown mode, or ``hash`` without a long enough secret (the secret is never shown).
    """
    text = "keep" if mode in (None, "") else str(mode).strip().lower()
    if text not in PII_MODES:
        raise ConfigError(f"Invalid --lead-pii {mode!r}: use one of {', '.join(PII_MODES)}.")
    try:
        return PersonalDataPolicy(cast(TPiiMode, text), str(secret) if secret and text == "hash" else None)
    except ValueError as error:
        raise ConfigError(str(error)) from None
