"""LinkedIn's ads entities: account discovery, entity listings, the per-run listing catalog, row shapers."""
