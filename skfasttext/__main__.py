"""The command line: ``python -m skfasttext`` and the ``skfasttext`` script.

Its code is the private package ``skfasttext._cli``; ``main`` is imported from there.
"""

import sys

from ._cli import main

__all__ = ["main"]

if __name__ == "__main__":
    sys.exit(main())
