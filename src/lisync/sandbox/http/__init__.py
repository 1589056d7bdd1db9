"""The sandbox's HTTP layer: Starlette app, LinkedIn's gateway checks, dispatch, admin API, rendering, Rest.li."""
