"""Tests of the conformance runner itself; they need no engine (python3 -m unittest)."""
