"""Connections to the team hub: the address people type (``postgresql://USER@HOST/DB``),
TLS off this computer, and the server's refusals turned into ``CrmError`` codes that say
what is wrong (wrong password, removed login, not a crmdesk hub, a newer hub, no network)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Optional
from urllib.parse import unquote, urlsplit

import psycopg

from crmdesk.core.errors import CrmError
from crmdesk.core.sync import server_schema

LOCAL_HOSTS = {"", "localhost", "127.0.0.1", "::1"}
CONNECT_TIMEOUT = 10  # seconds


@dataclass(frozen=True)
class Address:
    host: str
    port: int
    database: str
    user: str
    password: str
    sslmode: str

    @property
    def url(self) -> str:
        """The address without a password, as kept in the laptop's database."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"postgresql://{self.user}@{host}:{self.port}/{self.database}"

    @property
    def server(self) -> str:
        return f"{self.host}:{self.port}/{self.database}"


def parse(url: str, user: Optional[str] = None, password: Optional[str] = None) -> Address:
    """``postgresql://USER[:PW]@HOST[:PORT]/DB[?sslmode=...]``; ``user``/``password`` win."""
    text = (url or "").strip()
    parts = urlsplit(text)
    if parts.scheme not in ("postgresql", "postgres") or not parts.path.strip("/"):
        raise CrmError("sync_bad_url", url=text)
    try:
        port = parts.port or 5432
    except ValueError:
        raise CrmError("sync_bad_url", url=text) from None
    query = dict(item.split("=", 1) for item in parts.query.split("&") if "=" in item)
    host = parts.hostname or ""
    sslmode = query.get("sslmode", "prefer" if host in LOCAL_HOSTS or host.startswith("/") else "require")
    if host not in LOCAL_HOSTS and not host.startswith("/") and sslmode in ("disable", "allow", "prefer"):
        raise CrmError("sync_tls_required", host=host)
    name = user if user is not None else unquote(parts.username or "")
    if not name:
        raise CrmError("sync_no_user", url=text)
    secret = password if password is not None else unquote(parts.password or "")
    return Address(host, port, unquote(parts.path.strip("/")), name, secret, sslmode)


def connect(address: Address, autocommit: bool = True) -> psycopg.Connection:
    try:
        return psycopg.connect(host=address.host or None, port=address.port, dbname=address.database,
                               user=address.user, password=address.password or None, sslmode=address.sslmode,
                               connect_timeout=CONNECT_TIMEOUT, autocommit=autocommit,
                               application_name="crmdesk")
    except psycopg.OperationalError as error:
        raise connection_error(error, address) from None


def connection_error(error: Exception, address: Address) -> CrmError:
    text = str(error)
    if "password authentication failed" in text or "no password supplied" in text:
        return CrmError("sync_wrong_password", user=address.user, server=address.server)
    if "not permitted to log in" in text:
        return CrmError("sync_login_removed", user=address.user, server=address.server)
    if "does not exist" in text and "database" in text:
        return CrmError("sync_no_database", server=address.server)
    if "does not exist" in text and "role" in text:
        return CrmError("sync_wrong_password", user=address.user, server=address.server)
    if "SSL" in text or "ssl" in text:
        return CrmError("sync_tls_failed", server=address.server)
    return CrmError("sync_offline", server=address.server)


def hello(conn: psycopg.Connection, address: Address) -> dict:
    """The hub's answer to "who are you": refuses a server that is not a crmdesk hub, one
    newer than this app, and a login that is no member of the team."""
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT sync.hello()")
            answer = cur.fetchone()[0]
    except (psycopg.errors.InvalidSchemaName, psycopg.errors.UndefinedFunction, psycopg.errors.UndefinedTable):
        raise CrmError("sync_not_hub", server=address.server) from None
    except psycopg.errors.InsufficientPrivilege:
        raise CrmError("sync_not_member", user=address.user, server=address.server) from None
    except psycopg.OperationalError as error:
        raise connection_error(error, address) from None
    if isinstance(answer, str):
        answer = json.loads(answer)
    if int(answer.get("version") or 0) > server_schema.VERSION:
        raise CrmError("sync_hub_newer", server=address.server, version=answer.get("version"))
    if int(answer.get("version") or 0) < server_schema.VERSION:  # 1 kept one row per field
        raise CrmError("sync_hub_older", server=address.server, version=answer.get("version"))
    if not answer.get("role"):
        raise CrmError("sync_not_member", user=address.user, server=address.server)
    return answer
