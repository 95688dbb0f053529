"""Executors: where the build's batch tasks run.

An executor runs ``function(task)`` for a stream of tasks and yields the results in the order
they finish. It knows nothing of documents, batches, the cache or failure isolation (those
are the build's, pipeline.build and pipeline.batching): it only ships tasks and results, and
stands ``on_lost(task, reason)`` in for the result of a task whose worker died for good.

* ``ProcessPool``: ``--jobs N`` forked worker processes on this machine (pebble).
* ``DaskCluster``: the workers of a Dask ``distributed`` cluster (``--cluster
  tcp://host:8786``) or of a ``LocalCluster`` started for the build (``--cluster local:N``).

Only a bounded number of tasks is in flight at once (a few per worker), so that the tasks of
a large corpus (which carry their texts) are never all held in memory.
"""

from __future__ import annotations

import itertools
import os
import re
import weakref
from typing import Callable, Iterable, Iterator, Optional, Protocol

from .errors import Failure

TASKS_IN_FLIGHT_PER_WORKER = 2  # one running, one waiting: a worker never idles between tasks


class ClusterUnavailable(Failure):
    """The Dask cluster could not be reached or started: one line says which and why."""


class Executor(Protocol):
    workers: int

    def start(self) -> None:
        """Start the workers (idempotent)."""

    def run(self, function: Callable, tasks: Iterable, on_lost: Callable) -> Iterator:
        """``function(task)`` for every task, in the order they finish."""

    def close(self) -> None:
        """Stop the workers this executor started (idempotent)."""


def _bounded(submit: Callable, tasks: Iterator, window: int, wait_one: Callable) -> Iterator:
    """Keep at most ``window`` tasks submitted; yield (task, future) as each finishes.
    ``submit(task)`` gives a future, ``wait_one(pending)`` a finished one of ``pending``."""
    pending: dict = {}
    for task in itertools.islice(tasks, window):
        pending[submit(task)] = task
    while pending:
        future = wait_one(pending)
        task = pending.pop(future)
        for more in itertools.islice(tasks, 1):
            pending[submit(more)] = more
        yield task, future


class ProcessPool:
    """``jobs`` forked worker processes (pebble), shared by the build's stages; a stage with a
    single task runs it in this process.

    A worker that dies in a task (the OOM killer's SIGKILL) is replaced, and its task is run
    once more in a fresh worker; if that one dies too, ``on_lost(task, reason)`` stands for
    the task's result, so a build never waits for a result that cannot come."""

    def __init__(self, jobs: int, lock_fd: Optional[int] = None):
        self.workers = jobs
        self.lock_fd = lock_fd  # the OUTDIR lock: a worker outliving a killed build must not hold it
        self.pool = None

    def start(self) -> None:
        if self.pool is None:
            import multiprocessing

            import pebble

            try:
                context = multiprocessing.get_context("fork")  # the parent's modules, no re-import
            except ValueError:
                context = multiprocessing.get_context()
            self.pool = pebble.ProcessPool(max_workers=self.workers, context=context, initializer=_worker_start,
                                           initargs=(self.lock_fd,))
            # Stopped however the build ends, even by an exception before close().
            self._finalizer = weakref.finalize(self, _terminate, self.pool)
            self.pool.schedule(int).result()  # forks the workers now

    def run(self, function: Callable, tasks: Iterable, on_lost: Callable) -> Iterator:
        tasks = iter(tasks)
        first = list(itertools.islice(tasks, 2))
        if len(first) <= 1:
            yield from map(function, first)
            return
        from concurrent.futures import FIRST_COMPLETED, wait

        from pebble import ProcessExpired

        self.start()

        def submit(attempt):
            return self.pool.schedule(function, args=(attempt[0],))

        def wait_one(pending):
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            return next(iter(done))

        # (task, attempt number): a task whose worker died goes round once more, after the rest
        attempts = ((task, 1) for task in itertools.chain(first, tasks))
        window = self.workers * TASKS_IN_FLIGHT_PER_WORKER
        while True:
            retries = []
            for (task, attempt), future in _bounded(submit, attempts, window, wait_one):
                try:
                    result = future.result()
                except ProcessExpired as exc:
                    if attempt == 1:
                        retries.append((task, 2))
                        continue
                    result = on_lost(task, f"worker process died twice ({_death(exc.exitcode)})")
                yield result
            if not retries:
                return
            attempts = iter(retries)

    def close(self) -> None:
        if self.pool is not None:
            self._finalizer()
            self.pool = None


def _worker_start(lock_fd: Optional[int]) -> None:
    """In a new worker: the parent handles Ctrl-C and SIGTERM for the whole build (one message,
    not a traceback per worker), and the worker lets go of the OUTDIR lock it inherited."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if lock_fd is not None:
        os.close(lock_fd)


def _death(exitcode: Optional[int]) -> str:
    import signal

    if exitcode is not None and exitcode < 0:
        try:
            return f"killed by {signal.Signals(-exitcode).name}"
        except ValueError:
            pass
    return f"exit status {exitcode}"


def _terminate(pool) -> None:
    pool.stop()
    pool.join()


# Dask ------------------------------------------------------------------------------------------

CLUSTER_ADDRESS = re.compile(r"^(?:local:(?P<workers>[1-9][0-9]*)|(?:tcp|tls|ucx|inproc)://\S+)$")
CONNECT_SECONDS = 30


def check_cluster_address(address: str) -> str:
    """``address`` when it names a Dask scheduler (``tcp://host:8786``) or a local cluster
    (``local:N``); a ValueError saying what is expected otherwise."""
    if not CLUSTER_ADDRESS.match(address):
        raise ValueError(f"{address!r} is neither a scheduler address (tcp://host:8786) nor local:N")
    return address


class DaskCluster:
    """Runs tasks on the workers of a Dask cluster: an existing scheduler (``tcp://host:8786``)
    or a ``LocalCluster`` of N single-threaded worker processes on loopback (``local:N``), which
    the executor starts and stops. Each worker loads the model once (``ModelLoader``).

    A task whose workers keep dying is given up by the scheduler (``KilledWorker``, after its
    ``allowed-failures``): ``on_lost(task, reason)`` stands for its result."""

    def __init__(self, address: str, actor_files: tuple[str, ...] = ()):
        self.address = check_cluster_address(address)
        self.actor_files = actor_files
        self.cluster = None
        self.client = None
        self.workers = 0

    def start(self) -> None:
        if self.client is not None:
            return
        import dask
        from distributed import Client, LocalCluster

        match = CLUSTER_ADDRESS.match(self.address)
        try:
            if match.group("workers"):
                # like --jobs: a worker that dies is replaced and its task retried once
                with dask.config.set({"distributed.scheduler.allowed-failures": 1}):
                    self.cluster = LocalCluster(n_workers=int(match.group("workers")), threads_per_worker=1,
                                                processes=True, host="127.0.0.1", dashboard_address=None,
                                                silence_logs=40)
                self.client = Client(self.cluster, timeout=CONNECT_SECONDS)
            else:
                self.client = Client(self.address, timeout=CONNECT_SECONDS)
        except (OSError, TimeoutError) as exc:
            self.close()
            raise ClusterUnavailable(f"cannot reach the Dask cluster at {self.address}: {exc}") from exc
        self._finalizer = weakref.finalize(self, _close_dask, self.client, self.cluster)
        from .dask_worker import ModelLoader

        self.client.register_plugin(ModelLoader(self.actor_files), name=ModelLoader.name)
        self.workers = max(1, len(self.client.scheduler_info(n_workers=-1)["workers"]))

    def run(self, function: Callable, tasks: Iterable, on_lost: Callable) -> Iterator:
        from distributed import wait
        from distributed.scheduler import KilledWorker

        self.start()

        def submit(task):
            # pure=False: a task's key is not a hash of its (large) arguments
            return self.client.submit(function, task, pure=False)

        def wait_one(pending):
            done, _ = wait(list(pending), return_when="FIRST_COMPLETED")
            return next(iter(done))

        window = self.workers * TASKS_IN_FLIGHT_PER_WORKER
        for task, future in _bounded(submit, iter(tasks), window, wait_one):
            try:
                result = future.result()
            except KilledWorker as exc:
                result = on_lost(task, f"Dask workers died running it ({exc})")
            future.release()
            yield result

    def close(self) -> None:
        if self.client is not None:
            self._finalizer()
        self.client = self.cluster = None


def _close_dask(client, cluster) -> None:
    client.close()
    if cluster is not None:
        cluster.close()


def executor_for(jobs: int, cluster: Optional[str], actor_files: tuple[str, ...] = (),
                 lock_fd: Optional[int] = None) -> Executor:
    """The Dask cluster when one is named, else ``jobs`` local worker processes."""
    if cluster:
        return DaskCluster(cluster, actor_files)
    return ProcessPool(jobs, lock_fd)
