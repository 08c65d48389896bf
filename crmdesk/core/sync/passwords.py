"""The team password: from the caller, ``CRMDESK_PASSWORD``, or the system's keyring
(``keyring``: Windows Credential Manager, macOS Keychain, the Secret Service on Linux).
Never written to the SQLite file or a log; where no keyring exists it is asked again."""
from __future__ import annotations

import os
from typing import Optional

SERVICE = "crmdesk team"


def _key(url: str, login: str) -> str:
    return f"{login}@{url}"


def remember(url: str, login: str, password: str) -> bool:
    try:
        import keyring
        keyring.set_password(SERVICE, _key(url, login), password)
        return True
    except Exception:  # no keyring on this system (a server, a container): ask again next time
        return False


def recall(url: str, login: str) -> Optional[str]:
    given = os.environ.get("CRMDESK_PASSWORD")
    if given:
        return given
    try:
        import keyring
        return keyring.get_password(SERVICE, _key(url, login))
    except Exception:
        return None


def forget(url: str, login: str) -> None:
    try:
        import keyring
        keyring.delete_password(SERVICE, _key(url, login))
    except Exception:
        pass
