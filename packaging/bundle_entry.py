"""Entry point of the PyInstaller bundle: `digitpad`, and a word on what it leaves out.

The bundle is lean (LiteRT, no TensorFlow). Whatever reaches for TensorFlow, such as
training or opening a ``.keras`` file without its ``.tflite``, gets one clear sentence
instead of "No module named 'tensorflow'" or a traceback.
"""

from __future__ import annotations

import importlib.abc
import os
import sys
from pathlib import Path

LEFT_OUT = {"tensorflow", "keras", "tf_keras", "tensorboard"}
HOW_TO_GET_IT = (
    "this needs TensorFlow, which the lean DigitPad bundle leaves out; "
    "install DigitPad with pipx or pip to train or to open .keras files"
)


class LeftOutOfBundle(importlib.abc.MetaPathFinder):
    """Last on ``sys.meta_path``: explains the packages the bundle omits on purpose."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname.partition(".")[0] in LEFT_OUT:
            raise ModuleNotFoundError(HOW_TO_GET_IT, name=fullname)
        return None


def main() -> int:
    sys.meta_path.append(LeftOutOfBundle())
    if screenshot := os.environ.get("DIGITPAD_BUNDLE_SELFCHECK"):
        import bundle_selfcheck

        return bundle_selfcheck.run(Path(screenshot))
    from digitpad.__main__ import main as digitpad_main

    try:
        return digitpad_main()
    except ModuleNotFoundError as error:
        if (error.name or "").partition(".")[0] not in LEFT_OUT:
            raise
        print(f"digitpad: {HOW_TO_GET_IT}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
