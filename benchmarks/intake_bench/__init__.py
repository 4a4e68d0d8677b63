"""The benchmark behind `intake bench`: the pipeline's stages, each in a fresh process, beside
the driver's raw bulk load, the naive ORM approach and two peers (docs/performance.md)."""
