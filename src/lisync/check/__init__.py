"""`lisync check` as a library: probe LinkedIn with a token and report which pipelines can run."""
