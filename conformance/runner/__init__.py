"""Durable's own runner for the AWS durable-execution conformance requirements.

Implements the semantics described in the project's conformance spec (section 1) with the Python
standard library and PyYAML only. Entry point: ``python3 -m conformance.runner``.
"""
