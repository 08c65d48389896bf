"""A large first upload over several hub connections at once: the hub's one backend was the
limit (a record costs it ~25 µs of CPU; the laptop's reading took a third of that on the
other core), and the records without numbers (contacts, sales, visits...) take the push
lock shared (``sync.start_writing``), so two backends write them side by side.

Chunks go out in the order they are read and their answers are kept in that order, on the
caller's thread (SQLite's writes stay there): the ``upload_done`` mark of an entity is
always a prefix of what the hub committed. A chunk the hub took after one that failed is
sent again by the next sync; the hub skips what it holds already."""
from __future__ import annotations

import queue
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack
from typing import Callable, ContextManager

Send = Callable[[str, bytes], dict]  # (entity, payload: JSON text as UTF-8) -> the hub's answer


class Lanes:
    """``open_lane()`` gives a context manager holding one connection's ``send``.
    ``send(entity, payload, settle)`` queues a chunk; ``settle(answer)`` runs on the caller's
    thread, in the order the chunks were queued; ``drain()`` waits for all of them."""

    def __init__(self, open_lane: Callable[[], ContextManager[Send]], count: int) -> None:
        self._stack = ExitStack()
        self._free: queue.Queue = queue.Queue()
        try:
            for _ in range(count):
                self._free.put(self._stack.enter_context(open_lane()))
        except BaseException:
            self._stack.close()
            raise
        self._pool = ThreadPoolExecutor(max_workers=count, thread_name_prefix="crmdesk-upload-lane")
        self._window = count + 1  # one more than the lanes: a lane that ends finds the next chunk ready
        self._waiting: deque[tuple[Future, Callable[[dict], None]]] = deque()

    def _on_a_lane(self, entity: str, payload: bytes) -> dict:
        send = self._free.get()
        try:
            return send(entity, payload)
        finally:
            self._free.put(send)

    def send(self, entity: str, payload: bytes, settle: Callable[[dict], None]) -> None:
        self._waiting.append((self._pool.submit(self._on_a_lane, entity, payload), settle))
        while len(self._waiting) >= self._window:
            self._settle_first()

    def drain(self) -> None:
        while self._waiting:
            self._settle_first()

    def _settle_first(self) -> None:
        future, settle = self._waiting.popleft()
        settle(future.result())

    def __enter__(self) -> "Lanes":
        return self

    def __exit__(self, *exc) -> None:
        """After a failure the chunks still on their way are waited for (a connection is
        not closed in the middle of a call) and their answers dropped."""
        try:
            for future, _settle in self._waiting:
                future.exception()
            self._waiting.clear()
            self._pool.shutdown(wait=True)
        finally:
            self._stack.close()
