"""SPARQL over the store's RDF (rdflib, in memory)."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from emlit.errors import EmlitError
from emlit.graph.build import build_graph
from emlit.graph.rdf import PREFIXES, write_turtle

if TYPE_CHECKING:
    from emlit.store import Store


def rdf_graph(store: Store) -> Any:
    import rdflib

    buf = io.StringIO()
    write_turtle(build_graph(store), buf)
    g = rdflib.Graph()
    g.parse(data=buf.getvalue(), format="turtle")
    return g


def run_query(store: Store, query: str) -> tuple[list[str], list[list[str]]]:
    """Column names and rows (as strings; '' for unbound). PREFIXes of the export are predefined."""
    from pyparsing import ParseException

    g = rdf_graph(store)
    try:
        result = g.query(query, initNs=PREFIXES)
    except ParseException as exc:
        raise EmlitError(
            f"QUERY: SPARQL syntax error at line {exc.lineno}, column {exc.col}: {exc.msg}"
        ) from None
    except Exception as exc:  # rdflib raises assorted errors for bad queries
        raise EmlitError(
            f"QUERY: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
        ) from None
    if result.type == "ASK":
        return ["ask"], [[str(bool(result.askAnswer)).lower()]]
    if result.type == "CONSTRUCT" or result.type == "DESCRIBE":
        assert result.graph is not None
        return ["s", "p", "o"], [[str(s), str(p), str(o)] for s, p, o in result.graph]
    cols = [str(v) for v in result.vars or []]
    rows = [["" if v is None else str(v) for v in row] for row in result]
    return cols, rows
