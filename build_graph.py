#!/usr/bin/env python3
"""Build the union-policy graph: the same function as `kg build` (python build_graph.py [CORPUS] [--out DIR])."""

from kg.cli import main

if __name__ == "__main__":
    main(["build", *__import__("sys").argv[1:]])
