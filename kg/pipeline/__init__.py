"""The document pipeline: named components (structure, mentions, discover, resolve, quantities, counts)
run in the order :class:`~kg.pipeline.components.PipelineConfig` lists; the result is a
:class:`kg.model.DocumentRecord`. Entry points: :func:`~kg.pipeline.components.process_file`,
:func:`~kg.pipeline.components.process_source`.
"""

__all__: list[str] = []
