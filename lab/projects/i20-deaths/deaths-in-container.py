"""Cause one issue-20 death from inside a container running a scheduler (127.0.0.1:8786) and one worker:
python3 - fast|slow (DeathsV2IT) or host (GlobalOomV2IT: only inside the lab's VM, never on the machine running the tests)."""
import sys
import time

import distributed


def hog():
    b = b"\x01" * (400 * 2**20)  # one memset: past the 256 MiB limit before the nanny's 100 ms check
    return len(b)


def grow():
    chunks = []
    for _ in range(200):  # 8 MiB every 0.25 s: the nanny sees 95% of 200 MiB first
        chunks.append(b"\x01" * (8 * 2**20))
        time.sleep(0.25)
    return len(chunks)


def flood():
    chunks = []
    for _ in range(64):  # 128 MiB per memset, up to 8 GiB: past what the 4 GiB VM can give, so the kernel's global OOM killer acts
        chunks.append(b"\x01" * (128 * 2**20))
    return len(chunks)


TASKS = {"fast": hog, "slow": grow, "host": flood}
which = sys.argv[1]
with distributed.Client("tcp://127.0.0.1:8786", timeout=300) as client:
    client.wait_for_workers(1, timeout=600)
    fut = client.submit(TASKS[which], retries=0, pure=False, key=f"i20e-{which}-task")
    try:
        print("result (not expected):", fut.result(timeout=600))
    except Exception as e:  # KilledWorker
        print("task failed as expected:", type(e).__name__, e)
