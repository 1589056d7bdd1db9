"""Run configuration: typed settings, their precedence (flag, environment, dlt config) and the token provider."""
