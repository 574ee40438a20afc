#!/usr/bin/env python3
"""Puts the bindings' tested files into docs/hosts/*.md verbatim, so the pages show the code the
tests run. A page marks each place with

    <!-- include: packaging/bindings/php/examples/record_session.php -->
    ...the fenced copy this script writes...
    <!-- end include -->

    sync-docs.py          rewrite the pages
    sync-docs.py --check  exit 1, naming the page and file, when a page differs from the code"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BLOCK = re.compile(r"(<!-- include: (\S+) -->\n).*?(<!-- end include -->)", re.S)
FENCE = {".php": "php", ".java": "java", ".cs": "csharp", ".sh": "sh", ".json": "json", ".xml": "xml",
         ".csproj": "xml", ".ini": "ini"}


def render(match):
    path = match.group(2)
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        code = f.read()
    lang = FENCE.get(os.path.splitext(path)[1], "")
    return f"{match.group(1)}```{lang}\n{code.rstrip()}\n```\n{match.group(3)}"


def main():
    check = "--check" in sys.argv[1:]
    docs = os.path.join(ROOT, "docs", "hosts")
    stale = []
    for name in sorted(os.listdir(docs)):
        if not name.endswith(".md"):
            continue
        page = os.path.join(docs, name)
        with open(page, encoding="utf-8") as f:
            text = f.read()
        synced = BLOCK.sub(render, text)
        if synced != text:
            stale.append(name)
            if not check:
                with open(page, "w", encoding="utf-8") as f:
                    f.write(synced)
    if check and stale:
        print("docs/hosts differs from the bindings' code in: " + ", ".join(stale)
              + " (run packaging/bindings/sync-docs.py)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
