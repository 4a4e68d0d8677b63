"""The benchmark behind `intake bench`: the pipeline's stages, timed on generated intake files,
beside the database driver's raw bulk load of the same rows and the naive ORM approach.

`runner.run_benchmark` generates the records and runs every measurement in a fresh process
(`worker`), so each stage's peak memory is its own; `report` turns the measurements into the
printed table and ratios.
"""
