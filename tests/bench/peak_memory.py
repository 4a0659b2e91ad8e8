"""Runs a command and prints its wall time and peak resident memory (RSS, the most the command's
process ever held), for the import benchmark:

    python tests/bench/peak_memory.py "import_referrals 50 MB" .venv/bin/python manage.py import_referrals FILE"""

import resource
import subprocess
import sys
import time


def main(label: str, command: list[str]) -> int:
    began = time.perf_counter()
    completed = subprocess.run(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    seconds = time.perf_counter() - began
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # kB on Linux
    outcome = "ok" if completed.returncode == 0 else f"exit {completed.returncode}"
    print(f"{label}: {seconds:.1f} s, peak RSS {peak:.0f} MB ({outcome})")
    if completed.returncode:
        print(completed.stderr[-2000:])
    return completed.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2:]))
