"""Running pipelines: the dlt pipeline, destinations, post-load tables, summary, progress, comments, shards."""
