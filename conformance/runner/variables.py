"""Requirement variables and ${NAME} placeholders (conformance spec section 1.3).

A Context belongs to one requirement run; it is not shared between threads.
"""

import random
import re
import string
from typing import Any, Mapping, Optional

GEN_STR_RE = re.compile(r"^\$\{GEN_STR:(\d+)\}$")
PLACEHOLDER_RE = re.compile(r"^\$\{([A-Za-z0-9_]+)\}$")
REGEX_RE = re.compile(r"^\$\{/(.*)/\}$", re.DOTALL)
REFERENCE_RE = re.compile(r"\$\{([A-Za-z0-9_]+)\}")

_ALPHABET = string.ascii_lowercase + string.digits


def placeholder_name(value: Any) -> Optional[str]:
    """Returns NAME when value is exactly ``${NAME}`` (and not a regex), else None."""
    if isinstance(value, str) and not REGEX_RE.match(value):
        m = PLACEHOLDER_RE.match(value)
        if m:
            return m.group(1)
    return None


def regex_pattern(value: Any) -> Optional[str]:
    """Returns the pattern when value is exactly ``${/pattern/}``, else None."""
    if isinstance(value, str):
        m = REGEX_RE.match(value)
        if m:
            return m.group(1)
    return None


class Context:
    """Variable bindings of one requirement run: Variables first, then history placeholders."""

    def __init__(self, rng: Optional[random.Random] = None):
        self._rng = rng or random.SystemRandom()
        self.bindings: dict[str, Any] = {}

    def resolve_variables(self, variables: Optional[Mapping[str, Any]]) -> None:
        """Binds the requirement's Variables; ``${GEN_STR:n}`` becomes n random [a-z0-9]."""
        for name, value in (variables or {}).items():
            if isinstance(value, str):
                m = GEN_STR_RE.match(value)
                if m:
                    value = "".join(self._rng.choice(_ALPHABET) for _ in range(int(m.group(1))))
                self.bindings[str(name)] = value
            else:
                self.bindings[str(name)] = str(value)

    def has(self, name: str) -> bool:
        return name in self.bindings

    def get(self, name: str) -> Any:
        return self.bindings[name]

    def bind(self, name: str, value: Any) -> None:
        self.bindings[name] = value

    def copy(self) -> "Context":
        other = Context(self._rng)
        other.bindings = dict(self.bindings)
        return other

    def substitute(self, value: Any) -> Any:
        """Replaces bound ``${NAME}`` in every string leaf; keys and unbound names stay."""
        if isinstance(value, str):
            return REFERENCE_RE.sub(self._replace, value)
        if isinstance(value, list):
            return [self.substitute(v) for v in value]
        if isinstance(value, dict):
            return {k: self.substitute(v) for k, v in value.items()}
        return value

    def _replace(self, m: "re.Match[str]") -> str:
        name = m.group(1)
        if name in self.bindings:
            return str(self.bindings[name])
        return m.group(0)
