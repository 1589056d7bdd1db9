"""LinkedIn's adAnalytics: fields, the request planner, fetching, row shapers."""
