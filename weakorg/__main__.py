"""python -m weakorg: the command line."""

import os
import sys

INTERRUPTED_EXIT = 130

if __name__ == "__main__":
    try:  # the imports take a second or two: a Ctrl-C in them ends quietly, as one later does (cli.INTERRUPTED)
        from weakorg.cli import main
    except KeyboardInterrupt:
        print("已中断：没有做任何改动。", file=sys.stderr)
        sys.exit(INTERRUPTED_EXIT)
    try:
        sys.exit(main())
    except BrokenPipeError:  # output piped into a command that stopped reading (| head)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)
