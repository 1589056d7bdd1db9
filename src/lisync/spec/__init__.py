"""The table contract: loader (seed and extension contracts), dlt hints, naming convention, data dictionary."""
