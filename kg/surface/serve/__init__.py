"""Serve: a read-only SPARQL 1.1 Protocol endpoint over the built graph (`kg serve`).

Two processes work together (docs/decisions.md, D11):

- Oxigraph's own server (``oxigraph serve-read-only``, from the ``oxigraph`` package) answers the
  queries (:mod:`.upstream`): a pool of such processes, each on an internal loopback port and running one
  query at a time, all reading ``out/store/`` when the build left an Oxigraph store there, or else a
  temporary store loaded from ``out/graph.trig``. All named graphs form the default graph
  (``--union-default-graph``), as in ``kg query``.
- A small policy guard (:mod:`.handler`, ``http.server``) is the only thing clients talk to. It accepts
  query operations only (GET or POST on ``/query``); :mod:`.policy` parses every query with rdflib's SPARQL
  parser and refuses updates (``/update``, ``update=``, ``application/sparql-update``, LOAD, INSERT,
  CLEAR …) and SERVICE (a federated call out of the machine) with 403, after :mod:`.guard` made one
  canonical text of it and scanned it for those words; it caps results at `max_rows` (a LIMIT is written
  into the query, the answer is cut to `max_rows` and ``X-Result-Capped: true`` says so). :mod:`.admission`
  limits queries per client (429) and the wait for a process (503), and keeps runaway queries to a few long
  lanes; after `timeout` seconds the query gets 504 and its process (only that one) is replaced, which stops
  the runaway query using a core (D25). It asks Oxigraph for SPARQL JSON results (N-Triples for graphs), checks them whole,
  and renders the format the client's ``Accept`` header asks for (:mod:`.results`).

The query page at ``/`` (:mod:`.page`: templates/endpoint.html, static/endpoint.js) is YASGUI as bundled
in the Oxigraph binary, proxied from the internal server and configured to talk only to this endpoint
(no CDN, no prefix.cc, no LOV look-ups). :mod:`.endpoint` puts the pieces together.
"""

from kg.surface.serve.endpoint import (
    DEFAULT_HOST,
    DEFAULT_PORT,
    DEFAULT_TIMEOUT,
    STORE_DIR,
    Endpoint,
    Limits,
    start_endpoint,
)
from kg.surface.serve.policy import DEFAULT_MAX_ROWS, CheckedQuery, Refused, check_query, is_loopback
from kg.surface.serve.upstream import find_oxigraph

__all__ = [
    "DEFAULT_HOST",
    "DEFAULT_MAX_ROWS",
    "DEFAULT_PORT",
    "DEFAULT_TIMEOUT",
    "STORE_DIR",
    "CheckedQuery",
    "Endpoint",
    "Limits",
    "Refused",
    "check_query",
    "find_oxigraph",
    "is_loopback",
    "start_endpoint",
]
