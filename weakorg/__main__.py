"""python -m weakorg: the command line."""

import sys

from weakorg.cli import main

if __name__ == "__main__":
    sys.exit(main())
