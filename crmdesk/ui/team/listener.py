"""A thread that LISTENs on the team hub's channel: another laptop's push ends with
``pg_notify``, and this wakes a sync within a second. It reconnects after a network loss
(quietly, every ``RETRY_S``) and stops within ``POLL_S`` when asked."""
from __future__ import annotations

import threading
from typing import Optional

from PySide6.QtCore import QThread, Signal

POLL_S = 0.5  # how long one wait for a notification lasts: the longest a stop() waits
RETRY_S = 15.0  # after a lost connection


class Listener(QThread):
    woke = Signal()  # someone pushed
    listening = Signal()  # connected and LISTENing (tests wait on it)
    lost = Signal()  # the connection failed or dropped; retried

    def __init__(self, url: str, login: str, password: str, parent=None):
        super().__init__(parent)
        self.url, self.login, self.password = url, login, password
        self.stopping = threading.Event()
        self.ready = False  # LISTENing now

    def stop(self, wait_ms: int = 5000) -> bool:
        """Ask the thread to end; True once it has."""
        self.stopping.set()
        return self.wait(wait_ms)

    def run(self) -> None:
        while not self.stopping.is_set():
            try:
                self._listen()
            except Exception:  # offline, refused, dropped: the timer's syncs say why
                if self.stopping.is_set():
                    return
                self.lost.emit()
                self.stopping.wait(RETRY_S)

    def _listen(self) -> None:
        from psycopg import sql

        from crmdesk.core.sync.connection import connect, hello, parse
        address = parse(self.url, self.login, self.password)
        with connect(address) as conn:
            channel: Optional[str] = hello(conn, address).get("channel")
            if not channel:
                self.stopping.wait(RETRY_S)
                return
            conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(channel)))
            self.ready = True
            self.listening.emit()
            while not self.stopping.is_set():
                if list(conn.notifies(timeout=POLL_S, stop_after=1)):
                    self.woke.emit()  # the controller folds a burst into one sync
