"""Test helpers: where the requirement YAMLs are, and loading one by id."""

import os
import unittest
from pathlib import Path

from conformance.runner.cli import DEFAULT_REQUIREMENTS
from conformance.runner.loader import load_requirements

REQUIREMENTS_DIR = os.environ.get("CONFORMANCE_REQUIREMENTS", str(DEFAULT_REQUIREMENTS))
_cache: dict = {}


def requirements() -> dict:
    if not Path(REQUIREMENTS_DIR).is_dir():
        raise unittest.SkipTest(f"requirement YAMLs not found at {REQUIREMENTS_DIR}")
    if not _cache:
        _cache.update(load_requirements(REQUIREMENTS_DIR))
    return _cache


def requirement(requirement_id: str):
    return requirements()[requirement_id]
