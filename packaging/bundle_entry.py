"""Entry point of the PyInstaller bundles: `digitpad`, its hidden helper mode, and a
word on what the lean bundle leaves out.

Both bundles run the app and the CLI. The full bundle (``build_bundle.sh
--with-training``) carries TensorFlow for the helper process that trains, fine-tunes,
explains and converts; a frozen app has no Python to run ``-m``, so it starts that
helper as this very executable, ``digitpad --helper MODULE`` (``core.helpers.process``),
which runs MODULE as ``__main__`` as ``python -m MODULE`` would.

The lean bundle has no TensorFlow (LiteRT predicts). The window and the CLI show what
it cannot do before anyone tries (``core.helpers.availability``); should anything still
reach for TensorFlow, it gets that same sentence, not "No module named 'tensorflow'".
"""

from __future__ import annotations

import importlib.abc
import os
import runpy
import sys
from pathlib import Path

from digitpad.core.helpers.availability import TENSORFLOW_LEFT_OUT, tensorflow_installed
from digitpad.core.helpers.process import HELPER_FLAG

LEFT_OUT = {"tensorflow", "keras", "tf_keras", "tensorboard"}


class LeftOutOfBundle(importlib.abc.MetaPathFinder):
    """Last on ``sys.meta_path``: explains the packages the bundle omits on purpose."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname.partition(".")[0] in LEFT_OUT:
            raise ModuleNotFoundError(TENSORFLOW_LEFT_OUT, name=fullname)
        return None


def run_helper(module: str) -> int:
    """``python -m module`` for the bundle: only DigitPad's own helper modules."""
    if not module.startswith("digitpad."):
        print(f"digitpad: {module} is not a DigitPad helper", file=sys.stderr)
        return 2
    sys.argv = [module]
    runpy.run_module(module, run_name="__main__", alter_sys=True)
    return 0


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == HELPER_FLAG:
        return run_helper(sys.argv[2])
    lean = not tensorflow_installed()
    if lean:
        sys.meta_path.append(LeftOutOfBundle())
    if screenshot := os.environ.get("DIGITPAD_BUNDLE_SELFCHECK"):
        import bundle_selfcheck

        return bundle_selfcheck.run(Path(screenshot))
    from digitpad.__main__ import main as digitpad_main

    try:
        return digitpad_main()
    except ModuleNotFoundError as error:
        if not lean or (error.name or "").partition(".")[0] not in LEFT_OUT:
            raise
        print(f"digitpad: {TENSORFLOW_LEFT_OUT}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
