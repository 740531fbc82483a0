"""Run every benchmark in turn (`make bench`); each prints its own figures."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = ["aggregate.py", "report.py", "autosave.py"]


def main() -> int:
    failed = []
    for script in SCRIPTS:
        print(f"\n===== {script} =====", flush=True)
        if subprocess.call([sys.executable, str(HERE / script)], cwd=HERE) != 0:
            failed.append(script)
    if failed:
        print(f"\nFailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
