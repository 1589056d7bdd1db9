"""lisync: replicate LinkedIn ads, analytics, organization pages and posts into any dlt destination."""

__version__ = "0.1.0"
