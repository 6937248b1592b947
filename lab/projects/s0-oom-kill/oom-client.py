"""Submit one task that allocates 400 MiB at once to this scenario's worker.

Run on the host: /usr/bin/python3 oom-client.py tcp://127.0.0.1:18701
The worker's container is limited to 256 MiB, so the kernel OOM-kills the
worker process while it fills the buffer; the scheduler (allowed-failures 0)
then fails the task with KilledWorker and the nanny starts a new worker.
"""
import sys

import distributed


def hog():
    b = bytearray(400 * 2**20)  # zero-filled: every page is touched
    for i in range(0, len(b), 4096):
        b[i] = 1
    return len(b)


with distributed.Client(sys.argv[1], timeout=30) as client:
    fut = client.submit(hog, workers=["worker"], allow_other_workers=False, retries=0, pure=False)
    try:
        print("result (not expected):", fut.result(timeout=60))
    except Exception as e:  # KilledWorker
        print("task failed as expected:", type(e).__name__, e)
