"""A stand-in for the TensorFlow helper: its protocol, none of TensorFlow (fast tests).

``python -m tests.support.fake_helper``, started by ``TensorFlowHelper(module=...)``.
``DIGITPAD_FAKE_HELPER`` says how it behaves: "echo" answers every question with
("echoed", job) and runs a run as ("ready",), ("batches", []), ("saved",); "garbage"
answers with bytes that are no message; "silent" never answers; "die" exits at the
first message.
"""

from __future__ import annotations

import os

from digitpad.core.helpers.process import child_channel


def main() -> None:
    requests, replies = child_channel()
    mode = os.environ.get("DIGITPAD_FAKE_HELPER", "echo")
    replies.send(("ready",))
    while True:
        try:
            message = requests.recv()
        except (EOFError, OSError):
            return
        if mode == "die":
            os._exit(3)
        if mode == "garbage":
            replies.send_bytes(b"\x80\x04not a pickle at all")
        elif mode == "echo" and message[0] == "question":
            replies.send(("answer", message[1], ("echoed", message[2])))
        elif mode == "echo" and message[0] == "run":
            for event in (("ready",), ("batches", []), ("saved",)):
                replies.send(event)


if __name__ == "__main__":
    main()
