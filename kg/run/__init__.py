"""The build: corpus walk, executors (processes, Dask), cache, workspace (staging, atomic swap, recovery), progress.

Below :mod:`kg.surface`: what a build adds above the graph (the views) comes in through
``run_build(after_build=…)``.
"""

from kg.run.build import BuildReport, SharedProgramme, run_build
from kg.run.corpus import discover_files
from kg.run.progress import BuildProgress, ProgressBar
from kg.run.workspace import has_graph, open_output

__all__ = [
    "BuildProgress",
    "BuildReport",
    "ProgressBar",
    "SharedProgramme",
    "discover_files",
    "has_graph",
    "open_output",
    "run_build",
]
