"""Limits a CQL2 filter must keep before any parser sees it (linear scans, no recursion).

cql2 (Rust) parses nesting on its stack and overflows it, killing the worker process with a segmentation fault,
on a few thousand nested brackets or prefix operators (NOT NOT ..., - - ...); pygeofilter and the translator in
layers/filters.py recurse once per level of the parsed document.
"""

from __future__ import annotations

import re

from mapserver.errors import InvalidParameterValue

MAX_FILTER_NESTING = 32  # brackets: ((a = 1)) is 2, POLYGON((...)) 2; prefix operators: NOT NOT a = 1 is 2
MAX_DOCUMENT_DEPTH = 64  # levels of the CQL2 JSON document
QUOTED_TEXT = re.compile(r"'(?:[^']|'')*'|\"[^\"]*\"")  # cql2-text: 'strings' ('' inside), "identifiers"
QUOTED_JSON = re.compile(r'"(?:[^"\\]|\\.)*"')
PREFIX_OPERATOR = re.compile(r"\bNOT\b|[-+]", re.IGNORECASE)
PREFIX_RUN = re.compile(r"(?:\bNOT\b|[-+])(?:\s*(?:\bNOT\b|[-+]))*", re.IGNORECASE)


def text_nesting(text: str, json_strings: bool) -> int:
    """How deep a filter nests, quoted text skipped (linear scans, no recursion): the deepest brackets, or the
    longest run of prefix operators (NOT NOT ..., - - ...), which cql2 also parses one stack frame each.

    cql2-text quotes strings with ' (doubled inside) and identifiers with "; cql2-json uses " with backslashes."""
    bare = (QUOTED_JSON if json_strings else QUOTED_TEXT).sub(" ", text)
    depth = deepest = 0
    for char in bare:
        if char in "([{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in ")]}":
            depth -= 1
    runs = (len(PREFIX_OPERATOR.findall(run.group())) for run in PREFIX_RUN.finditer(bare))
    return max(deepest, max(runs, default=0))


def document_depth(document: object) -> int:
    """The depth of nested lists and dicts (iterative, so any depth is measured without recursing)."""
    deepest, stack = 0, [(document, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, (list, dict)):
            deepest = max(deepest, depth)
            stack.extend((child, depth + 1) for child in (node.values() if isinstance(node, dict) else node))
    return deepest


def check_text_nesting(text: str, json_strings: bool) -> None:
    """400 when the filter text nests deeper than MAX_FILTER_NESTING."""
    if text_nesting(text, json_strings) > MAX_FILTER_NESTING:
        raise InvalidParameterValue(
            f"filter nests brackets or prefix operators deeper than {MAX_FILTER_NESTING} levels"
        )


def check_document_depth(document: object) -> None:
    """400 when the parsed CQL2 JSON document is deeper than MAX_DOCUMENT_DEPTH."""
    if document_depth(document) > MAX_DOCUMENT_DEPTH:
        raise InvalidParameterValue(f"filter nests operators deeper than {MAX_DOCUMENT_DEPTH} levels")
