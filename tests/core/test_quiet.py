"""Quieting a runtime's chatter silences only the thread that asked for it."""

from __future__ import annotations

import os
import sys
import threading

from digitpad.core.quiet import quiet_output


def test_other_threads_still_print_while_a_worker_is_quiet(capfd):
    inside, printed, done = threading.Event(), threading.Event(), threading.Event()

    def worker() -> None:
        with quiet_output():
            inside.set()
            printed.wait(5)
            print("worker: python stdout")
            sys.stderr.write("worker: python stderr\n")
            os.write(2, b"worker: native stderr\n")
        done.set()

    thread = threading.Thread(target=worker)
    thread.start()
    assert inside.wait(5)
    print("main: result line")  # e.g. a JSON result, printed while a model loads
    sys.stderr.write("main: warning\n")
    printed.set()
    thread.join(5)
    assert done.is_set()
    out, err = capfd.readouterr()
    assert out == "main: result line\n"
    assert err == "main: warning\n"
    print("after: stdout")
    os.write(2, b"after: native stderr\n")
    out, err = capfd.readouterr()
    assert (out, err) == ("after: stdout\n", "after: native stderr\n")


def test_quiet_sections_nest_and_restore_the_streams():
    stdout, stderr = sys.stdout, sys.stderr
    with quiet_output():
        with quiet_output():
            print("never shown")
        print("nor this")
        # code that inspects its stream meanwhile still finds what it expects
        assert sys.stdout.encoding and sys.stdout.errors == stdout.errors
    assert (sys.stdout, sys.stderr) == (stdout, stderr)
