"""Checking API keys: cheaply when the key was verified before, expensively only when it must,
one expensive check at a time, and failed attempts limited per client address.

A key's secret is stored as a salted scrypt hash (about 0.1 s of CPU to check). The first
success for a key id in this process is remembered as a fast digest, so a verified key costs a
sha256 and a row read from then on, once a second (``KEY_RECHECK_S``, so a revocation takes
effect within it); in between, the same key costs one dictionary lookup. Everything else (a
key id never verified here, or not a key at all) costs a hash or a database read, so it is
charged to the caller's address: each address may fail ``burst`` times, then ``rate`` times a
second, and is answered 429 without any work beyond that, while keys already verified keep
working from the same address. The scrypt checks run on one dedicated thread (never more than
one CPU, never the threads that serve reads), with at most ``max_pending`` waiting; beyond that
the answer is 503 at once.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from starlette.concurrency import run_in_threadpool

from kazree.api.problems import ApiProblem
from kazree.venue.ratelimit import TokenBuckets
from kazree.venue.store import KeyCheck, KeyStatus, ServiceStore, split_key

MALFORMED = "API key malformed: send the kz_<id>_<secret> string you were given"


class KeyVerifier:
    """The key checks of one running service."""

    def __init__(self, store: ServiceStore, failures: TokenBuckets, max_pending: int = 8) -> None:
        self._store = store
        self._failures = failures
        self._max_pending = max_pending
        self._pending = 0
        self._inflight: dict[str, asyncio.Future[KeyCheck]] = {}
        """key -> its expensive check under way: the same key presented again waits for it."""
        self._rechecks: dict[str, asyncio.Future[KeyCheck]] = {}
        """key -> its cheap check under way (see :meth:`_recheck`)."""
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kazree-keys")

    def close(self) -> None:
        """Stop the hashing thread."""
        self._executor.shutdown(wait=False, cancel_futures=True)

    async def check(self, key: str, client: str) -> KeyCheck:
        """Whose ``key`` this is (or that it is unknown or revoked), for a caller at ``client``.

        Raises a 429 :class:`ApiProblem` when ``client`` has used up its failures, and a 503
        one when too many expensive checks are waiting.
        """
        recent = self._store.recent_check(key)
        if recent is not None:
            return recent
        parts = split_key(key)
        if parts is None:
            self._failed(client)
            raise ApiProblem(401, "auth.unauthenticated", MALFORMED, headers=_CHALLENGE)
        if self._store.verified(parts[0]):  # a sha256 and a row read: cheap
            check = await self._recheck(key)
            if check.status is not KeyStatus.VALID:
                self._failures.take(client)
            return check
        inflight = self._inflight.get(key)
        if inflight is not None:  # a client's first requests arrive together: one check
            return await asyncio.shield(inflight)
        self._failed(client)  # charged before the work; given back on success
        if self._pending >= self._max_pending:
            self._failures.give_back(client)
            msg = "too many key checks under way; retry in a second"
            raise ApiProblem(503, "auth.busy", msg, headers={"Retry-After": "1"})
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(self._executor, self._store.check_key, key)
        self._inflight[key] = future
        self._pending += 1
        future.add_done_callback(lambda _: self._done(key))
        check = await asyncio.shield(future)
        if check.status is KeyStatus.VALID:
            self._failures.give_back(client)
        return check

    async def _recheck(self, key: str) -> KeyCheck:
        """:meth:`ServiceStore.check_key` of a key whose id was verified, in the thread pool,
        once for all the requests presenting ``key`` meanwhile (a client's requests on many
        connections find its check stale together)."""
        running = self._rechecks.get(key)
        if running is None:
            running = asyncio.ensure_future(run_in_threadpool(self._store.check_key, key))
            self._rechecks[key] = running
            running.add_done_callback(lambda _: self._rechecks.pop(key, None))
        return await asyncio.shield(running)

    def _done(self, key: str) -> None:
        self._pending -= 1
        del self._inflight[key]

    def _failed(self, client: str) -> None:
        """Charge one failure to ``client``; 429 when it has none left."""
        wait = self._failures.take(client)
        if wait:
            raise ApiProblem(
                429,
                "auth.too_many_failures",
                f"too many failed authentications from this address; retry in {wait} s",
                headers={"Retry-After": str(wait)},
            )


_CHALLENGE = {"WWW-Authenticate": "Bearer"}
