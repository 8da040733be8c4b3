"""The house itself: how the library's modules depend on one another."""

import subprocess
import sys


def test_a_local_batch_worker_loads_no_numpy_before_it_sets_its_thread_variables():
    # the worker process imports transcheck.batch.local, then sets OMP_NUM_THREADS and the like
    code = "import sys, transcheck.batch.local; print(sorted(m for m in ('numpy', 'ctranslate2') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
