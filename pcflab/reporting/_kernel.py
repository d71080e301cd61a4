"""Launch an IPython kernel that dies with the report that started it.

``run_report`` starts its notebook kernel as ``python -m pcflab.reporting._kernel -f
<connection file>`` instead of ``python -m ipykernel_launcher``: if the report process is
killed (``kill -9`` leaves it no time to shut its kernel down), the kernel does not live on.
On Linux the kernel asks the system for SIGKILL when its parent dies (``PR_SET_PDEATHSIG``);
everywhere a watchdog thread ends the kernel when its parent process changes. ipykernel's
warning about TCP ports without encryption (the kernel listens on 127.0.0.1 only) is left
out of the report's output.
"""

import os
import sys
import threading
import time

__all__ = ["main"]

_PR_SET_PDEATHSIG = 1
_SIGKILL = 9


def _ask_to_die_with_parent():
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, _SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # no prctl: the watchdog thread remains
        pass


def _watch(parent):
    while True:
        time.sleep(0.25)
        if os.getppid() != parent:
            os._exit(1)


def main():
    """Run an IPython kernel bound to the life of its parent process."""
    parent = os.getppid()
    _ask_to_die_with_parent()
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)
    threading.Thread(target=_watch, args=(parent,), name="pcflab-parent-watch", daemon=True).start()
    if sys.path and sys.path[0] in ("", os.getcwd()):  # as ipykernel_launcher: not the notebook's folder
        del sys.path[0]
    _quiet_transport_warning()
    from ipykernel import kernelapp

    kernelapp.launch_new_instance()


def _quiet_transport_warning():
    """Drop ipykernel's "running over TCP without encryption" warning from report output.

    The report's kernel listens on 127.0.0.1 only, on ports its parent chose, and lives as
    long as the report: the warning says nothing a report's reader can act on.
    """
    import logging

    logging.getLogger("IPKernelApp").addFilter(lambda record: "without encryption" not in record.getMessage())


if __name__ == "__main__":
    main()
