"""`lisync auth login|status|logout` and `lisync check`: thin commands over lisync.linkedin.login and lisync.check.

Also the one place the CLI decides where a run's access token comes from (:func:`run_token_provider`):
an explicit token (``--access-token``, dlt secret ``access_token``, ``LINKEDIN_ACCESS_TOKEN``) first, then a
refresh token with client credentials from dlt secrets, then the credential store ``lisync auth login``
wrote. Credential-store and OAuth failures become one-line errors with the fix.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from lisync import config
from lisync.check import CheckReport, check_access, identify_member
from lisync.errors import ConfigError, LisyncError
from lisync.linkedin.auth import AuthError, NotLoggedIn, TokenInfo, introspect_token, utc_now
from lisync.linkedin.client import LinkedInClient, StaticTokenProvider, TokenProvider
from lisync.linkedin.credentials import CREDENTIALS_PATH_ENV, CredentialStore, CredentialStoreError
from lisync.linkedin.login import DEFAULT_CALLBACK_PORT, DEFAULT_LOGIN_TIMEOUT_SECONDS, auth_status, login, logout
from lisync.linkedin.scopes import parse_scopes, scopes_for
from lisync.linkedin.tokens import ACCESS_TOKEN_ENV, RefreshingTokenProvider, provider_from_settings
from lisync.settings import DEFAULT_API_BASE_URL, DEFAULT_API_VERSION, DEFAULT_OAUTH_BASE_URL

__all__ = ["NotSignedIn", "SignInFailed", "auth_app", "check_command", "credential_store", "run_token_provider"]

CLIENT_ID_ENV = "LINKEDIN_CLIENT_ID"
CLIENT_SECRET_ENV = "LINKEDIN_CLIENT_SECRET"
TABLE_WIDTH = 240  # wide enough that a fix is never wrapped mid-sentence when output is not a terminal

auth_app = typer.Typer(name="auth", help="Sign in with LinkedIn, show the sign-in, sign out.",
                       no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
out = Console()
err = Console(stderr=True)


class NotSignedIn(LisyncError):
    """No credentials anywhere: the user has to sign in (a usage error, exit 2)."""

    exit_code = 2


class SignInFailed(LisyncError):
    """Signing in, or renewing the token during a run, failed; the message carries the fix."""


def _fail(message: str, code: int = 2) -> typer.Exit:
    err.print(f"[red]error:[/red] {escape(message)}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


def _setting(key: str) -> str | None:
    value = config.config_value(key)
    return str(value).strip() if value not in (None, "") else None


def _secret(key: str) -> str | None:
    value = config.secret_value(key)
    return str(value).strip() if value not in (None, "") else None


def credential_store() -> CredentialStore:
    """Return the credential store: ``$LISYNC_CREDENTIALS_PATH``, ``credentials_path`` config, or the default."""
    if os.environ.get(CREDENTIALS_PATH_ENV):
        return CredentialStore()
    configured = _setting("credentials_path")
    return CredentialStore(os.path.expanduser(configured) if configured else None)


def oauth_base_url(flag: str | None = None) -> str:
    """Return the OAuth server: the flag, then ``oauth_base_url`` config, then LinkedIn's."""
    return (flag or _setting("oauth_base_url") or DEFAULT_OAUTH_BASE_URL).rstrip("/")


class _TranslatingProvider:
    """Wraps a token provider so OAuth and credential-store failures surface as one-line lisync errors."""

    def __init__(self, inner: TokenProvider) -> None:
        self.inner = inner

    def __repr__(self) -> str:
        return f"_TranslatingProvider({self.inner!r})"

    def _call(self, action: Callable[[], Any]) -> Any:
        try:
            return action()
        except NotLoggedIn as exc:
            raise NotSignedIn(str(exc)) from None
        except (AuthError, CredentialStoreError) as exc:
            raise SignInFailed(str(exc)) from None

    def access_token(self) -> str:
        """Return the inner provider's token."""
        token: str = self._call(self.inner.access_token)
        return token

    def handle_unauthorized(self, error_code: str | None, used_token: str | None = None) -> bool:
        """Let the inner provider renew the token after a 401."""
        inner = self.inner
        if isinstance(inner, RefreshingTokenProvider):
            return bool(self._call(lambda: inner.handle_unauthorized(error_code, used_token=used_token)))
        return bool(self._call(lambda: inner.handle_unauthorized(error_code)))

    def warnings(self) -> list[str]:
        """Return the inner provider's expiry warnings (none for a fixed token)."""
        if isinstance(self.inner, RefreshingTokenProvider):
            return self.inner.warnings()
        return []


def run_token_provider(access_token: str | None) -> _TranslatingProvider:
    """Return the token provider for a run or a check.

    Args:
        access_token: The resolved explicit token (flag, dlt secret or ``LINKEDIN_ACCESS_TOKEN``), if any.

    Raises:
        NotSignedIn: Nothing to authenticate with.
        SignInFailed: The credential file exists but cannot be read.

    """
    try:
        inner = provider_from_settings(
            access_token, store=credential_store(), client_id=_setting("client_id"),
            client_secret=_secret("client_secret"), refresh_token=_secret("refresh_token"),
            auth_base_url=oauth_base_url())
    except NotLoggedIn:
        raise NotSignedIn(f"No LinkedIn access token: run `lisync auth login`, pass --access-token or set "
                          f"{ACCESS_TOKEN_ENV}.") from None
    except CredentialStoreError as exc:
        raise SignInFailed(str(exc)) from None
    return _TranslatingProvider(inner)


def print_warnings(provider: _TranslatingProvider) -> None:
    """Print the provider's expiry warnings to stderr, one line each."""
    for warning in provider.warnings():
        err.print(f"[yellow]warning:[/yellow] {escape(warning)}", highlight=False, soft_wrap=True)


def _days(moment: dt.datetime | None, now: dt.datetime) -> str:
    if moment is None:
        return "expiry unknown"
    days = (moment - now).total_seconds() / 86400
    return "expired" if days <= 0 else f"{days:.1f} days"


# ---------------------------------------------------------------------------------------------- login


def _api_client(token: str, api_base_url: str | None, auth_base_url: str) -> LinkedInClient:
    base = api_base_url or _setting("api_base_url")
    if not base and auth_base_url != DEFAULT_OAUTH_BASE_URL:
        # A sandbox (or proxy) serves OAuth at {origin}/oauth/v2 and the API at {origin}/rest.
        base = auth_base_url.removesuffix("/oauth/v2") + "/rest"
    return LinkedInClient(StaticTokenProvider(token), base_url=(base or DEFAULT_API_BASE_URL).rstrip("/"),
                          api_version=_setting("api_version") or DEFAULT_API_VERSION, max_attempts=2, timeout=30.0)


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
        wanted = config.parse_pipelines(pipelines or [])
        requested = sorted(parse_scopes(scopes)) if scopes else scopes_for(wanted)
        app_id = client_id or os.environ.get(CLIENT_ID_ENV) or _setting("client_id")
        if not app_id:
            raise ConfigError(f"No LinkedIn client id: pass --client-id, set {CLIENT_ID_ENV}, or add client_id to "
                              "[sources.linkedin] (find it under Auth in the LinkedIn developer portal).")
        secret = client_secret or os.environ.get(CLIENT_SECRET_ENV) or _secret("client_secret")
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
        raise _fail(str(exc), code) from None
    now = utc_now()
    status = auth_status(credentials, now, wanted)
    who = f" as {member}" if member else ""
    out.print(f"Signed in{who} (app {app_id}). Scopes: {', '.join(sorted(credentials.scopes)) or '(none)'}.",
              highlight=False)
    refresh = (f"refresh token in {_days(credentials.refresh_token_expires_at, now)}" if credentials.refresh_token
               else "no refresh token (the app lacks programmatic refresh tokens): sign in again before then")
    out.print(f"Access token expires in {_days(credentials.access_token_expires_at, now)}; {refresh}. "
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
    if _secret("access_token"):
        return "sources.linkedin.access_token (dlt secrets)"
    if _secret("refresh_token"):
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
        raise _fail(str(exc), 1) from None
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
        raise _fail(str(exc), 1) from None
    if not result.removed:
        out.print(f"Not signed in: nothing stored at {store.path}.", highlight=False)
        return
    out.print(f"Signed out: deleted {store.path}.", highlight=False)
    if result.revoked:
        out.print("LinkedIn revoked the access token. To revoke the refresh token too, remove the app under "
                  "LinkedIn Settings → Data privacy → Permitted services.", highlight=False)
    elif result.revoke_error:
        err.print(f"[yellow]warning:[/yellow] could not revoke the access token: {escape(result.revoke_error)}",
                  highlight=False, soft_wrap=True)


# ---------------------------------------------------------------------------------------------- check


def _introspect(provider: _TranslatingProvider, token: str) -> tuple[TokenInfo | None, str | None]:
    """Return ``(TokenInfo or None, note)``: introspection needs the app's client id and secret."""
    inner = provider.inner
    client_id, client_secret, base = _setting("client_id"), _secret("client_secret"), oauth_base_url()
    if isinstance(inner, RefreshingTokenProvider) and inner.credentials.client_secret:
        creds = inner.credentials
        client_id, client_secret, base = creds.client_id, creds.client_secret, creds.auth_base_url
    if not (client_id and client_secret):
        return None, ("Token introspection skipped (needs the app's client id and secret: sign in with "
                      "`lisync auth login` or set sources.linkedin.client_id/client_secret); probes only.")
    try:
        return introspect_token(base, client_id, client_secret, token), None
    except AuthError as exc:
        return None, f"Token introspection failed: {exc}"


def check_command(
    pipelines: Annotated[list[str] | None, typer.Argument(
        help="Pipelines to check; all when omitted.", show_default=False)] = None,
    accounts: Annotated[str | None, typer.Option(help="Comma-separated ad account ids (default: all with a "
                                                 "role).")] = None,
    organizations: Annotated[str | None, typer.Option(help="Comma-separated organization ids (default: all "
                                                      "administered).")] = None,
    api_base_url: Annotated[str | None, typer.Option(help="LinkedIn REST base URL (default LinkedIn's).")] = None,
    api_version: Annotated[str | None, typer.Option(help=f"LinkedIn-Version header (default "
                                                    f"{DEFAULT_API_VERSION}).")] = None,
    access_token: Annotated[str | None, typer.Option(help="LinkedIn access token (default: the sign-in from "
                                                     "`lisync auth login`).", show_default=False)] = None,
) -> None:
    """Check that the token holds every scope and role the selected pipelines need; exit 1 if one cannot run.

    Example: lisync check ad_performance organization_pages --organizations 2414183
    """
    from lisync.cli import build_settings  # imported here: lisync.cli imports this module

    try:
        settings = build_settings(
            pipelines, start_date=None, update_window_days=None, accounts=accounts, organizations=organizations,
            destination=None, duckdb=None, dataset=None, api_base_url=api_base_url, api_version=api_version,
            access_token=access_token)
        provider = run_token_provider(settings.access_token)
        print_warnings(provider)
        client = LinkedInClient(provider, base_url=settings.api_base_url, api_version=settings.api_version,
                                max_attempts=3, timeout=30.0)
        notes: list[str] = []

        def introspect() -> TokenInfo | None:
            info, note = _introspect(provider, provider.access_token())
            notes.extend([note] if note else [])
            return info

        report = check_access(client, settings.pipelines, account_ids=settings.account_ids,
                              organization_ids=settings.organization_ids, introspect=introspect,
                              today=settings.today)
    except LisyncError as exc:
        raise _fail(str(exc), exc.exit_code) from None
    report.notes[:0] = notes
    _render_check(report)
    if not report.ok:
        raise typer.Exit(1)


def _render_check(report: CheckReport) -> None:
    console = out if out.is_terminal else Console(width=TABLE_WIDTH)
    now = utc_now()
    if report.member:
        console.print(f"Member: {report.member}", highlight=False)
    info = report.token
    if info is not None:
        if info.active:
            expires = f"{info.expires_at:%Y-%m-%d} (in {_days(info.expires_at, now)})" if info.expires_at else "?"
            console.print(f"Token: active, expires {expires}; scopes: {', '.join(sorted(info.scopes)) or '(none)'}.",
                          highlight=False)
        else:
            console.print(f"Token: LinkedIn reports it {info.status or 'inactive'} for this app.", highlight=False)
    for note in report.notes:
        console.print(escape(note), highlight=False, soft_wrap=True)
    table = Table("Pipeline", "Status", "Fix", show_lines=False)
    for verdict in report.pipelines:
        if verdict.ready:
            table.add_row(verdict.pipeline, "[green]ready[/green]", "")
            continue
        for index, problem in enumerate(verdict.problems):
            table.add_row(verdict.pipeline if index == 0 else "", f"[red]{escape(problem.what)}[/red]",
                          escape(problem.fix))
    console.print(table)
    for probe in report.probes.values():
        if probe.status == "skipped":
            console.print(f"Not probed: {probe.family} ({probe.detail}).", highlight=False)
