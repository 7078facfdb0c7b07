"""Long fuzzing run: the property tests (every stage; the feed and JSON Lines parsers) with many
more examples than CI runs.

    python bench/fuzz.py [EXAMPLES]      # default 10,000 examples per property

Prints one line per property with its example count and seconds, and exits non-zero when a
property fails (hypothesis prints the smallest failing input).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Test files whose hypothesis properties read DIGEST_FUZZ_EXAMPLES.
PROPERTY_TESTS = ("tests/test_properties.py", "tests/test_feeds.py", "tests/test_jsonl.py")


def main() -> int:
    examples = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    env = {**os.environ, "DIGEST_FUZZ_EXAMPLES": str(examples)}
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-W", "error", "-p", "no:cacheprovider",
         "--durations=0", *PROPERTY_TESTS], cwd=ROOT, env=env, check=False)
    print(f"{examples:,} examples per property; {time.perf_counter() - started:.0f} s in all")
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
