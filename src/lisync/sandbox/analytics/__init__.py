"""The sandbox's ads analytics: per-creative daily metrics, aggregation by pivot and time, throttling."""
