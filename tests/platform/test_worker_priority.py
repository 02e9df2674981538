"""A task worker yields to the web: the worker and the processes of its pool run at WORKER_NICE."""
import os
from pathlib import Path

import pytest

from tests.support.production import production_environment
from tests.support.queue import Worker, broker_url, queue_environment

pytestmark = pytest.mark.skipif(not broker_url() and not os.environ.get("LEXIQUE_TOOLS_REQUIRED"),
                                reason="needs Redis (TEST_BROKER_URL or TEST_REDIS_URL)")


def _children(pid: int) -> list[int]:
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


@pytest.mark.parametrize(("asked", "expected"), [(None, 19), ("7", 7), ("0", 0)])
def test_the_worker_and_its_pool_run_at_the_nice_value_asked(tmp_path, asked, expected):
    overrides = {} if asked is None else {"WORKER_NICE": asked}
    environment = production_environment(f"sqlite:///{tmp_path / 'site.sqlite3'}", tmp_path,
                                         **queue_environment(**overrides))
    worker = Worker(environment, tmp_path, concurrency=2)
    try:
        pool = _children(worker.process.pid)
        assert len(pool) == 2
        assert {os.getpriority(os.PRIO_PROCESS, pid) for pid in [worker.process.pid, *pool]} == {expected}
    finally:
        worker.stop()
