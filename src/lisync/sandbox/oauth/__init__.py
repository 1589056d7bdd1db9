"""The sandbox's OAuth: token grants (what a token may do) and the OAuth server's bookkeeping."""
