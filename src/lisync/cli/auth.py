"""`lisync auth login|status|logout`: thin commands over lisync.linkedin.auth.login that sign in, show it and sign out.

The token resolution the runs use lives in :mod:`lisync.config.tokens` and `lisync check` in :mod:`lisync.cli.check`;
both are re-exported here, where they lived before. Credential-store and OAuth failures become one-line errors
with the fix.
"""

from __future__ import annotations

import os
from typing import Annotated

import typer
from rich.markup import escape

from lisync.check.access import identify_member
from lisync.cli.check import TABLE_WIDTH, check_command
from lisync.cli.common import days_left, err, fail, out, print_warnings, warn
from lisync.config.parse import parse_pipelines
from lisync.config.tokens import credential_store, linkedin_secret, linkedin_setting, oauth_base_url, run_token_provider
from lisync.errors import ConfigError, LisyncError, NotSignedIn, SignInFailed
from lisync.linkedin.auth.credentials import DEFAULT_AUTH_BASE_URL, CredentialStoreError
from lisync.linkedin.auth.login import DEFAULT_CALLBACK_PORT, DEFAULT_LOGIN_TIMEOUT_SECONDS, auth_status, login, logout
from lisync.linkedin.auth.oauth import AuthError, utc_now
from lisync.linkedin.auth.scopes import OPT_IN_PIPELINES, parse_scopes, scopes_for
from lisync.linkedin.auth.tokens import ACCESS_TOKEN_ENV
from lisync.linkedin.http.bearer import StaticTokenProvider
from lisync.linkedin.http.client import LinkedInClient
from lisync.linkedin.http.version import DEFAULT_API_BASE_URL, DEFAULT_API_VERSION

__all__ = ["CLIENT_ID_ENV", "CLIENT_SECRET_ENV", "TABLE_WIDTH", "NotSignedIn", "SignInFailed", "auth_app",
           "check_command", "credential_store", "oauth_base_url", "print_warnings", "run_token_provider"]

CLIENT_ID_ENV = "LINKEDIN_CLIENT_ID"
CLIENT_SECRET_ENV = "LINKEDIN_CLIENT_SECRET"

auth_app = typer.Typer(name="auth", help="Sign in with LinkedIn, show the sign-in, sign out.",
                       no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)


def _api_client(token: str, api_base_url: str | None, auth_base_url: str) -> LinkedInClient:
    base = api_base_url or linkedin_setting("api_base_url")
    if not base and auth_base_url != DEFAULT_AUTH_BASE_URL:
        # A sandbox (or proxy) serves OAuth at {origin}/oauth/v2 and the API at {origin}/rest.
        base = auth_base_url.removesuffix("/oauth/v2") + "/rest"
    return LinkedInClient(StaticTokenProvider(token), base_url=(base or DEFAULT_API_BASE_URL).rstrip("/"),
                          api_version=linkedin_setting("api_version") or DEFAULT_API_VERSION, max_attempts=2,
                          timeout=30.0)


@auth_app.command(name="login")
def login_command(
    pipelines: Annotated[list[str] | None, typer.Argument(
        help="Pipelines to request scopes for; all when omitted.", show_default=False)] = None,
    client_id: Annotated[str | None, typer.Option(
        help=f"Your LinkedIn app's client id (or env {CLIENT_ID_ENV}, or sources.linkedin.client_id).",
        show_default=False)] = None,
    client_secret: Annotated[str | None, typer.Option(
        help=f"Your app's client secret; prefer env {CLIENT_SECRET_ENV}, sources.linkedin.client_secret in "
        ".dlt/secrets.toml, or the hidden prompt (a flag ends up in shell history).", show_default=False)] = None,
    scopes: Annotated[str | None, typer.Option(
        help="Request exactly these scopes (comma-separated) instead of the pipelines' scopes.",
        show_default=False)] = None,
    port: Annotated[int, typer.Option(help="Port of the redirect URL http://127.0.0.1:PORT/callback, which must "
                                      "be registered on the app.")] = DEFAULT_CALLBACK_PORT,
    no_browser: Annotated[bool, typer.Option(
        "--no-browser", help="Headless: print the URL to open elsewhere and paste back the URL the browser "
        "ends up on.")] = False,
    oauth_base_url_: Annotated[str | None, typer.Option(
        "--oauth-base-url", help="OAuth server (default LinkedIn's; the sandbox's is http://127.0.0.1:PORT/oauth/v2).",
        show_default=False)] = None,
    api_base_url: Annotated[str | None, typer.Option(
        help="LinkedIn REST base URL, used once to learn who signed in.", show_default=False)] = None,
    timeout: Annotated[float, typer.Option(help="Seconds to wait for the browser.")] = DEFAULT_LOGIN_TIMEOUT_SECONDS,
) -> None:
    """Sign in with LinkedIn (3-legged OAuth) and store the tokens privately for later runs.

    Example: lisync auth login ad_accounts ad_performance --client-id 86abc123
    """
    try:
        wanted = parse_pipelines(pipelines or [])
        if not pipelines:  # Lead Sync needs its own LinkedIn approval: asked for only when named
            wanted = [p for p in wanted if p not in OPT_IN_PIPELINES]
        requested = sorted(parse_scopes(scopes)) if scopes else scopes_for(wanted)
        app_id = client_id or os.environ.get(CLIENT_ID_ENV) or linkedin_setting("client_id")
        if not app_id:
            raise ConfigError(f"No LinkedIn client id: pass --client-id, set {CLIENT_ID_ENV}, or add client_id to "
                              "[sources.linkedin] (find it under Auth in the LinkedIn developer portal).")
        secret = client_secret or os.environ.get(CLIENT_SECRET_ENV) or linkedin_secret("client_secret")
        if not secret:
            secret = typer.prompt("Client secret (input hidden)", hide_input=True, err=True).strip()
        if not requested:
            raise ConfigError("No scopes to request: pass pipelines or --scopes.")
        store = credential_store()
        base = oauth_base_url(oauth_base_url_)

        def show(url: str) -> None:
            if no_browser:
                out.print("Open this URL in a browser (any machine), sign in and click Allow:", highlight=False)
            else:
                out.print("Opening your browser; if it does not open, visit:", highlight=False)
            out.print(url, highlight=False, soft_wrap=True)

        def paste() -> str:
            out.print("The browser then lands on a page that fails to load (nothing listens there); copy that "
                      "page's full URL from the address bar.", highlight=False)
            return str(typer.prompt("Redirected URL"))

        credentials = login(app_id, secret, requested, auth_base_url=base, port=port, open_browser=True,
                            paste_url=paste if no_browser else None, show_url=show, timeout_seconds=timeout,
                            store=None)
        member = identify_member(_api_client(credentials.access_token, api_base_url, base), credentials.scopes)
        if member:
            credentials = credentials.with_tokens(member=member)
        store.save(credentials)
    except (AuthError, CredentialStoreError, LisyncError, ValueError) as exc:
        code = exc.exit_code if isinstance(exc, LisyncError) else 2 if isinstance(exc, ValueError) else 1
        raise fail(str(exc), code) from None
    now = utc_now()
    status = auth_status(credentials, now, wanted)
    who = f" as {member}" if member else ""
    out.print(f"Signed in{who} (app {app_id}). Scopes: {', '.join(sorted(credentials.scopes)) or '(none)'}.",
              highlight=False)
    refresh = (f"refresh token in {days_left(credentials.refresh_token_expires_at, now)}" if credentials.refresh_token
               else "no refresh token (the app lacks programmatic refresh tokens): sign in again before then")
    out.print(f"Access token expires in {days_left(credentials.access_token_expires_at, now)}; {refresh}. "
              f"Saved to {store.path} (readable only by you).", highlight=False)
    for pipeline, missing in status.blocked.items():
        err.print(f"[yellow]warning:[/yellow] {pipeline} cannot run: the token lacks {' and '.join(missing)}.",
                  highlight=False)
    if _explicit_token():
        err.print(f"[yellow]note:[/yellow] {_explicit_token()} is set, and runs use it instead of this sign-in.",
                  highlight=False)


def _explicit_token() -> str | None:
    """Name the setting that overrides the stored sign-in, if one is set."""
    if os.environ.get(ACCESS_TOKEN_ENV):
        return ACCESS_TOKEN_ENV
    if linkedin_secret("access_token"):
        return "sources.linkedin.access_token (dlt secrets)"
    if linkedin_secret("refresh_token"):
        return "sources.linkedin.refresh_token (dlt secrets)"
    return None


@auth_app.command(name="status")
def status_command() -> None:
    """Show who is signed in, the granted scopes and when the tokens expire; exit 1 when not signed in.

    Example: lisync auth status
    """
    store = credential_store()
    try:
        credentials = store.load()
    except CredentialStoreError as exc:
        raise fail(str(exc), 1) from None
    status = auth_status(credentials)
    lines = status.lines()
    if credentials is not None:
        who = credentials.member or "(member unknown)"
        lines.insert(1, f"Member: {who}.")
        lines.append(f"Credentials: {store.path}.")
    for line in lines:
        out.print(escape(line), highlight=False, soft_wrap=True)
    if _explicit_token():
        out.print(f"Note: {_explicit_token()} is set; runs use it instead of the stored sign-in.", highlight=False)
    if credentials is None:
        raise typer.Exit(1)


@auth_app.command(name="logout")
def logout_command(
    revoke: Annotated[bool, typer.Option("--revoke/--no-revoke", help="Also revoke the access token at "
                                         "LinkedIn (best effort).")] = True,
) -> None:
    """Sign out: revoke the access token at LinkedIn and delete the stored credentials.

    Example: lisync auth logout
    """
    store = credential_store()
    try:
        result = logout(store, revoke=revoke)
    except (CredentialStoreError, AuthError) as exc:
        raise fail(str(exc), 1) from None
    if not result.removed:
        out.print(f"Not signed in: nothing stored at {store.path}.", highlight=False)
        return
    out.print(f"Signed out: deleted {store.path}.", highlight=False)
    if result.revoked:
        out.print("LinkedIn revoked the access token. To revoke the refresh token too, remove the app under "
                  "LinkedIn Settings → Data privacy → Permitted services.", highlight=False)
    elif result.revoke_error:
        warn(f"could not revoke the access token: {result.revoke_error}")
