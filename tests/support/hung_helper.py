"""A helper process that hangs: never reads a request, never answers (issue 20)."""

from __future__ import annotations

import time

if __name__ == "__main__":
    time.sleep(120)
