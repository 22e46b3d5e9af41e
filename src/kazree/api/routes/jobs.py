"""Background jobs of the planning API, whatever their kind (scenario runs, risk runs).

A job records where it stands and how it ended (:class:`JobState`); a :class:`JobQueue` carries
its jobs out one at a time on a worker thread of its own; the routes of a kind find their queue
on the app's state (:func:`queue_of`), check the request's language (:func:`check_lang`) and look
a job up by id (:func:`job_or_404`).
"""

from __future__ import annotations

import logging
import queue
import shutil
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import KW_ONLY, dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from fastapi import Request

from kazree.api.problems import ApiProblem
from kazree.api.routes.runs_schemas import RunStatus
from kazree.errors import KazreeError
from kazree.i18n import check_language

_log = logging.getLogger("kazree.api")

KEPT_RUNS = 100
"""Finished jobs of a queue remembered for their ``GET``; older ones are forgotten."""
ENDED = (RunStatus.DONE, RunStatus.FAILED)

R = TypeVar("R")


@dataclass
class JobState(Generic[R]):
    """What every job records: its id, where it stands and, once ended, its ``result`` or
    ``error``; ``lock`` guards the fields the worker changes while routes read them."""

    run_id: str
    _: KW_ONLY
    workdir: Path | None = None
    """A directory the queue removes when the job ends (None: nothing to remove)."""
    status: RunStatus = RunStatus.QUEUED
    step: str = "waiting for earlier runs"
    done: int = 0
    result: R | None = None
    error: str | None = None
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def finish(self, result: R | None, error: str | None) -> None:
        """Record the outcome: failed with ``error``, else done with ``result``."""
        with self.lock:
            self.result, self.error = result, error
            self.status = RunStatus.FAILED if error is not None else RunStatus.DONE
            self.step = "failed" if error is not None else "done"


J = TypeVar("J", bound=JobState[Any])


class JobQueue(Generic[J]):
    """Queued jobs and the worker thread that carries them out, one at a time; the last
    :data:`KEPT_RUNS` ended jobs stay readable. Subclasses say how a job is carried out."""

    thread_name = "kazree-jobs"
    kind = "job"
    """What the queue's jobs are called in messages."""
    work = "working"
    """What carrying out a job is called in its error message."""

    def __init__(self) -> None:
        self._jobs: OrderedDict[str, J] = OrderedDict()
        self._queue: queue.Queue[J] = queue.Queue()
        self._lock = threading.Lock()
        self._worker: threading.Thread | None = None

    def enqueue(self, job: J) -> J:
        """Queue ``job``, forget the oldest ended jobs, start the worker if it is not running."""
        with self._lock:
            self._jobs[job.run_id] = job
            finished = [k for k, j in self._jobs.items() if j.status in ENDED]
            for key in finished[: max(0, len(self._jobs) - KEPT_RUNS)]:
                del self._jobs[key]
            if self._worker is None:
                self._worker = threading.Thread(
                    target=self._work, name=self.thread_name, daemon=True
                )
                self._worker.start()
        self._queue.put(job)
        return job

    def get(self, run_id: str) -> J | None:
        """The job ``run_id``, if known."""
        with self._lock:
            return self._jobs.get(run_id)

    def _work(self) -> None:
        while True:
            job = self._queue.get()
            try:
                job.finish(self._carry_out(job), None)
            except KazreeError as exc:
                job.finish(None, str(exc))
            except Exception:
                _log.exception("%s %s failed", self.kind, job.run_id)
                job.finish(None, f"internal error while {self.work}; it was logged")
            finally:
                if job.workdir is not None:
                    shutil.rmtree(job.workdir, ignore_errors=True)

    def _carry_out(self, job: J) -> Any:
        """Carry ``job`` out and return its result; a KazreeError is the job's error."""
        raise NotImplementedError


def new_id() -> str:
    """A fresh job id."""
    return uuid.uuid4().hex[:12]


def queue_of(name: str) -> Callable[[Request], Any]:
    """A route dependency: the job queue the app keeps as ``app.state.<name>``."""

    def queue(request: Request) -> Any:
        return getattr(request.app.state, name)

    return queue


def invalid(detail: str) -> ApiProblem:
    """A 422 problem for a request field the checks refuse."""
    return ApiProblem(422, "request.invalid", detail)


def check_lang(lang: str) -> None:
    """Refuse a report language kazree does not speak (422)."""
    try:
        check_language(lang, where="lang:")
    except KazreeError as exc:
        raise invalid(str(exc)) from None


def job_or_404(jobs: JobQueue[J], run_id: str) -> J:
    """The job ``run_id`` of ``jobs``; a 404 problem naming the queue's kind if unknown."""
    job = jobs.get(run_id)
    if job is None:
        raise ApiProblem(404, "validation.unknown_run", f"unknown {jobs.kind} {run_id!r}")
    return job
