"""The LinkedIn API sandbox: a local, deterministic emulator of LinkedIn's versioned Marketing REST API.

The sandbox shares no LinkedIn code with the connector (``lisync.linkedin``): the two meet only at
LinkedIn's documented wire format, so each catches the other's mistakes.
"""
