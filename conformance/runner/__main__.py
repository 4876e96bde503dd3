"""Allows ``python3 -m conformance.runner``."""

import sys

from conformance.runner.cli import main

sys.exit(main())
