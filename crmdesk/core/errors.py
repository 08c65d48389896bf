"""Errors a user can fix. They carry a code and parameters, never a sentence:
the UI and the CLI turn them into one translated sentence (see ``messages``)."""
from __future__ import annotations


class CrmError(Exception):
    """A problem the user can fix. ``code`` names it; ``params`` fill the sentence."""

    def __init__(self, code: str, /, **params):
        super().__init__(code, params)
        self.code = code
        self.params = params

    def __str__(self) -> str:  # for logs only; users see the translated sentence
        return f"{self.code} {self.params}"


class FieldError(CrmError):
    """One field's value breaks the spec's rules."""

    def __init__(self, code: str, key: str = "", /, **params):
        super().__init__(code, key=key, **params)
        self.key = key


class ValidationError(CrmError):
    """A record failed validation; ``errors`` maps field key -> FieldError."""

    def __init__(self, errors: dict[str, FieldError]):
        super().__init__("validation_failed", count=len(errors))
        self.errors = errors


# Codes used by the database layer.
DB_NOT_SQLITE = "db_not_sqlite"
DB_NOT_CRMDESK = "db_not_crmdesk"
DB_TOO_NEW = "db_too_new"
DB_UNWRITABLE = "db_unwritable"
DB_MISSING = "db_missing"
DB_CORRUPT = "db_corrupt"
DB_NETWORK_SHARE = "db_network_share"
DB_IS_DIRECTORY = "db_is_directory"


def is_busy(error: BaseException) -> bool:
    """Whether a database error is SQLite's busy timeout (another connection kept the write
    lock): the user's ``db_busy``, not a fault."""
    return "locked" in str(error) or "busy" in str(error)
