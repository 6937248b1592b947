"""Cause the issue-20 lab deaths. Run on the host: /usr/bin/python3 deaths-client.py tcp://127.0.0.1:18961 fast|slow"""
import sys
import time

import distributed


def hog():
    b = bytearray(400 * 2**20)  # zero-filled at once: the kernel kills before the nanny looks
    for i in range(0, len(b), 4096):
        b[i] = 1
    return len(b)


def grow():
    chunks = []
    for _ in range(200):  # 8 MiB every 0.25 s: the nanny's 100 ms check sees 95% first
        c = bytearray(8 * 2**20)
        for i in range(0, len(c), 4096):
            c[i] = 1
        chunks.append(c)
        time.sleep(0.25)
    return len(chunks)


which = sys.argv[2]
with distributed.Client(sys.argv[1], timeout=30) as client:
    fn, worker = (hog, "fast") if which == "fast" else (grow, "slow")
    fut = client.submit(fn, workers=[worker], allow_other_workers=False, retries=0, pure=False, key=f"i20-{which}-task")
    try:
        print("result (not expected):", fut.result(timeout=60))
    except Exception as e:  # KilledWorker
        print("task failed as expected:", type(e).__name__, e)
