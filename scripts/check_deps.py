#!/usr/bin/env python3
"""Rejects includes that point up the module graph (architecture.md §4, house habit 1).

A file in durable/<module>/ may include durable/<other>/ headers only when <other> is <module>
itself or one of the modules listed for it below. Test sources (*_test.cc, test utilities) follow
the same rule. Exits 1 and lists the offending lines.
"""
import pathlib
import re
import sys

ALLOWED = {
    "base": set(),
    "model": {"base"},
    "wire": {"base", "model"},
    "store": {"base", "model"},
    "engine": {"base", "model", "wire", "store"},
    "http": {"base"},
    "sdk": {"base", "model", "wire", "http"},
    "host": {"base", "model", "wire", "http", "engine"},
    "api": {"base", "model", "wire", "http", "engine", "store"},
    "approvals": {"base", "model", "wire", "http", "sdk"},
    "server": {"base", "model", "wire", "http", "engine", "store", "sdk", "host", "api", "approvals"},
    "cli": {"base", "model", "wire", "http", "server", "approvals"},
}
INCLUDE = re.compile(r'^\s*#\s*include\s+"durable/([a-z_]+)/')


def main():
    root = pathlib.Path(__file__).resolve().parent.parent / "durable"
    bad = []
    for path in sorted(root.rglob("*")):
        if path.suffix not in (".h", ".cc"):
            continue
        module = path.relative_to(root).parts[0]
        allowed = ALLOWED.get(module)
        if allowed is None:
            bad.append("%s: module %r is not in the dependency graph" % (path, module))
            continue
        for n, line in enumerate(path.read_text().splitlines(), 1):
            m = INCLUDE.match(line)
            if m and m.group(1) != module and m.group(1) not in allowed:
                bad.append("%s:%d: %s may not include durable/%s" %
                           (path.relative_to(root.parent), n, module, m.group(1)))
    for b in bad:
        print(b)
    print("module dependencies: %d violation(s)" % len(bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
