"""The `scr` command group: every problem a command meets ends as one plain message and exit 1,
never a traceback (SCR_DEBUG=1 shows one); a full disk is said as such; output cut short by a
closed pipe is not a failure."""
from __future__ import annotations

import errno
import os
import sys
import warnings

import click

from tracker.errors import ScrError


def _quiet_stdout():
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


# A full disk (ENOSPC), a file over the size limit (EFBIG), a full quota (EDQUOT).
_DISK_FULL = {errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)}


class ScrGroup(click.Group):
    def main(self, *args, **kwargs):
        # Library warnings (openpyxl, XlsxWriter) print file paths a board manager cannot act on;
        # every problem they warn of is reported by the tracker in plain words instead.
        warnings.simplefilter("ignore")
        try:
            return super().main(*args, **kwargs)
        except BrokenPipeError:  # --help piped into `head`
            _quiet_stdout()
            sys.exit(0)
        except SystemExit as e:
            # click ends with 1 when its own output (--help, usage) meets a closed pipe; that is
            # not a failure of the command, as for every other command here.
            if e.code == 1 and type(sys.stdout).__name__ == "_PacifyFlushWrapper":
                sys.exit(0)
            raise

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except ScrError as e:
            click.echo(f"Error: {e}", err=True)
            sys.exit(1)
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort, SystemExit):
            raise
        except BrokenPipeError:  # output piped into `head` and closed early: not a problem
            _quiet_stdout()
            sys.exit(0)
        except PermissionError as e:
            click.echo(f"Error: {e.filename or 'a file'}: permission denied, so nothing was changed there. "
                       "Fix: Choose a folder you can write to, or ask for write access.", err=True)
            sys.exit(1)
        except OSError as e:
            if os.environ.get("SCR_DEBUG"):
                raise
            if e.errno in _DISK_FULL:
                # every command writes each file to a temp first, removes it if writing fails, and
                # changes the case last; one that has changed something says so in its own ScrError
                click.echo(f"Error: {e.filename or 'a file'}: there is no room left on the disk (or the file is "
                           f"over the largest size this computer allows), so `scr {ctx.invoked_subcommand}` "
                           "stopped. Nothing was changed: the case workbook and the files beside it are as they "
                           "were, and nothing half-written was kept. Fix: Free some space on that drive (empty the "
                           "Recycle Bin, move old files elsewhere), then run the command again.", err=True)
                sys.exit(1)
            click.echo(f"Error: {e.filename or 'a file'}: {e.strerror or e}. Nothing was changed.", err=True)
            sys.exit(1)
        except Exception as e:  # the last guard: a message, never a traceback
            if os.environ.get("SCR_DEBUG"):
                raise
            click.echo(f"Error: unexpected problem ({type(e).__name__}: {e}). Nothing was changed. "
                       "Run again with SCR_DEBUG=1 to see the details.", err=True)
            sys.exit(1)
