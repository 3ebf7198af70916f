"""Run test code in threads that start together and interleave often."""

from __future__ import annotations

import sys
import threading
import typing as t


def run_in_threads(work: t.Callable[[], None], count: int = 8) -> None:
    """Run ``work`` in ``count`` threads started together, with the switch
    interval at 1 us so they interleave often; fail with any error raised."""
    old_interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    errors: list[BaseException] = []
    start = threading.Barrier(count)

    def run() -> None:
        start.wait()
        try:
            work()
        except BaseException as e:  # noqa: B036 - reported below
            errors.append(e)

    threads = [threading.Thread(target=run) for _ in range(count)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(old_interval)
    assert errors == []
