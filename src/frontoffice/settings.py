"""Every setting, declared once: name, type, default and help.

The same list is read from the environment (``FRONTOFFICE_<NAME>``) or a TOML file named by
``FRONTOFFICE_CONFIG``, rendered by ``frontoffice settings`` and checked against
``docs/settings.md`` by a test. Values are validated when they are read, and a bad value says
which setting and what is expected.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from frontoffice.errors import ConfigError

ENV_PREFIX = "FRONTOFFICE_"


@dataclass(frozen=True)
class Setting:
    name: str
    type: type
    default: Any
    help: str

    @property
    def env(self) -> str:
        return ENV_PREFIX + self.name.upper()


SETTINGS: tuple[Setting, ...] = (
    Setting("data_dir", Path, Path(".frontoffice"),
            "Directory of the embedded database file and other local state."),
    Setting("database_url", str, None,
            "Database to use: sqlite:///path/to/file.db or postgresql://user@host:port/db. "
            "Unset: the embedded SQLite file <data_dir>/frontoffice.db."),
    Setting("auto_upgrade", bool, True,
            "Apply pending schema migrations when the server starts "
            "(otherwise run `frontoffice db upgrade`)."),
    Setting("host", str, "127.0.0.1", "Address the API server listens on."),
    Setting("port", int, 8000, "Port the API server listens on."),
    Setting("collector_prefix", str, "",
            "Path prefix in front of the Segment-compatible /v1/... collector routes, "
            "e.g. /segment."),
    Setting("max_event_bytes", int, 32 * 1024,
            "Largest accepted single event, in bytes of JSON (Segment: 32 KB)."),
    Setting("max_request_bytes", int, 500 * 1024,
            "Largest accepted request body, in bytes after decompression (Segment: 500 KB; "
            "RudderStack clients may send up to 4 MB)."),
    Setting("max_json_depth", int, 32, "Deepest nesting of objects/arrays accepted in a payload."),
    Setting("write_queue_events", int, 50_000,
            "Events waiting for the writer before the collector answers 429 instead of queueing."),
    Setting("retry_after_seconds", int, 1, "Retry-After sent with a 429."),
    Setting("key_cache_seconds", float, 5.0,
            "How long a write key or API token lookup is cached in a server process; a key "
            "disabled from another process stops working within this time."),
    Setting("identity_auto_merge_weight", float, 16.0,
            "Probabilistic tier: a pair of people scoring at least this Splink match weight (log2 "
            "Bayes factor, prior included; 16 is a match probability of 0.99998) merges without "
            "review, unless a name or birth date differs outright or their logins or national ids "
            "differ (then it is queued for review)."),
    Setting("identity_review_weight", float, 6.0,
            "Probabilistic tier: pairs from this match weight up to the auto-merge weight go to the "
            "review queue ('possibly the same'); below it nothing happens."),
    Setting("identity_match_interval_seconds", float, 30.0,
            "The worker matches new records without a login (store, call centre, imported lists) "
            "at least this often when some arrived and the log is quiet; 0 leaves it to "
            "`frontoffice identity match`."),
    Setting("identity_match_batch_records", int, 1000,
            "The worker matches at once (when the log is quiet) after this many new records."),
    Setting("identity_namesake_max_expected", float, 0.05,
            "Namesake pass (after the merges of each match run): people who alone share a name "
            "are joined when fewer than this many people of that name are expected by chance "
            "among the workspace's people (0.05: a 1 in 20 chance that someone else carries it), "
            "a differing phone, email or postcode multiplying the count by how rarely one person "
            "shows two; two birth dates or two mobile numbers keep them apart; 0 turns the pass off."),
    Setting("ingest_processes", int, 2,
            "Processes that parse, validate and append collector batches beside the API "
            "process of `frontoffice serve` (one per core is a good start); 0 does it all in "
            "the API process."),
    Setting("dsr_token_minutes", int, 60,
            "How long a data-subject request's verification token stays valid, in minutes."),
    Setting("dsr_token_attempts", int, 5,
            "Wrong tokens accepted for one data-subject request before it is locked (rejected)."),
    Setting("dsr_verification_channels", str, "app,web,pos,call_centre,email,commerce,import",
            "Source channels whose 'emailVerified'/'phoneVerified' traits (or 'Email Verified'/'Phone "
            "Verified' events) count as proof that a person owns that email or phone, comma-separated. "
            "Only a verified contact receives a DSR token. Only server-side sources count: a claim "
            "sent through a client-side source's public key (web, app, chat, social by default) "
            "never does, whatever this list says."),
    Setting("data_location", str, None,
            "ISO country code where a new workspace's data is stored unless its region's residency "
            "rule demands another (e.g. DE). Unset: no declared location."),
    Setting("storage_locations", str, None,
            "JSON object of country code -> database URL for workspaces whose data must stay in that "
            "country, e.g. {\"RU\": \"sqlite:///var/lib/frontoffice/ru.db\"} (see docs/residency.md)."),
    Setting("master_key", str, None,
            "Key-encryption key wrapping every per-subject data key (base64 of 32 bytes; "
            "`frontoffice privacy new-key` prints one). Unset: a key file generated once, mode "
            "0600, beside the SQLite file (<data_dir>/master.key); PostgreSQL deployments must set "
            "it, the same on every process and host. Losing it makes every sealed event unreadable "
            "(docs/privacy.md)."),
    Setting("max_api_body_bytes", int, 1024 * 1024,
            "Largest accepted request body of the admin API (/api/...), in bytes; the collector and "
            "commerce webhooks take up to 'max_request_bytes'. A larger body is refused with 413 "
            "before it is read."),
    Setting("header_timeout_seconds", float, 10.0,
            "A connection whose request line and headers have not all arrived within this time "
            "is answered 408 and closed."),
    Setting("body_timeout_seconds", float, 30.0,
            "A request body that receives no bytes for this long is answered 408 and closed."),
    Setting("max_connections_per_client", int, 64,
            "Open connections accepted from one client address; more are answered 429 and closed "
            "(behind a proxy every client shares its address: raise it there). 0: no cap."),
    Setting("destinations_allow_hosts", str, None,
            "Internal hosts (names or addresses, comma-separated) destinations may reach. Unset: a "
            "destination whose host is or resolves to a loopback, private, link-local, multicast or "
            "otherwise non-public address is refused when created and before every delivery."),
    Setting("destinations_connect_timeout_seconds", float, 3.0,
            "The worker gives up connecting to a destination after this long (the attempt fails and "
            "is retried with backoff)."),
    Setting("destinations_read_timeout_seconds", float, 10.0,
            "The worker gives up waiting for a destination's answer after this long."),
    Setting("destinations_backoff_max_seconds", float, 300.0,
            "A destination whose round failed waits 1 s, 2 s, 4 s… up to this long before the worker "
            "tries it again; other destinations and the projections are not held up."),
    Setting("worker_delivery_threads", int, 4,
            "Threads of the worker that deliver to destinations, beside its projection loop."),
    Setting("worker_projection_threads", int, 2,
            "Threads of the worker that project workspaces (one workspace per thread at a time), so "
            "a long catch-up of one workspace does not hold up the others."),
    Setting("console_idle_minutes", int, 30,
            "A console session unused for this long is signed out (the next page asks to sign in "
            "again); signing out or disabling the user ends it at once."),
    Setting("console_login_failures", int, 5,
            "Failed console sign-ins allowed for one login within 'console_login_window_minutes'; "
            "more are refused with 429 until the oldest leaves the window."),
    Setting("console_login_failures_per_ip", int, 20,
            "Failed console sign-ins allowed from one client address within "
            "'console_login_window_minutes' (behind a proxy every client shares its address)."),
    Setting("console_login_window_minutes", int, 15,
            "The window the console's sign-in throttling counts failures in."),
    Setting("identity_household_margin", float, 6.0,
            "Probabilistic tier: where a workspace's records hold no households (no spouses or "
            "siblings of one family name at one address, so pairs of one name and birth date with "
            "another given name are typos, not twins; `frontoffice identity model` says which), "
            "pairs merge from 'identity_auto_merge_weight' minus this margin (never below "
            "'identity_review_weight'); 0 keeps one weight for every workspace."),
    Setting("decisions_contacts_per_day", int, 2,
            "Contact policy of next-best-action: at most this many decisions with an action a day "
            "for one person on messaging channels (email, sms, push); more are refused "
            "(rule 'contact')."),
    Setting("decisions_price_tolerance", float, 0.01,
            "Next-best-action refuses an offer on a product whose channels' prices differ by more "
            "than this fraction of the dearer price (rule 'price')."),
    Setting("decisions_epsilon", float, 0.1,
            "Exploration of a new bandit model (cb_explore_adf epsilon-greedy): the share of first "
            "slots drawn at random among the eligible actions."),
    Setting("decisions_return_window_days", int, 30,
            "A purchase that came of a decision and was not returned within this many days is "
            "settled as 'kept' (the delayed reward the bandit learns from)."),
    Setting("inbox_address", str, "support@localhost",
            "The service inbox's address: replies are sent from it and its domain names their Message-IDs."),
    Setting("inbox_smtp_listen", str, "127.0.0.1:2525",
            "host:port the inbox's SMTP receiver (`frontoffice service smtp`) listens on."),
    Setting("inbox_smtp_relay", str, None,
            "host:port of the SMTP relay the inbox sends replies through. "
            "Unset: replies by e-mail are refused."),
    Setting("inbox_max_attachment_bytes", int, 10 * 1024 * 1024,
            "Largest attachment the inbox stores; a larger one is refused and noted on the message."),
    Setting("inbox_timezone", str, "UTC",
            "Time zone of the support team's business hours (an IANA name, e.g. Europe/Berlin)."),
    Setting("inbox_holidays_country", str, None,
            "Country (ISO-2, e.g. DE) whose public holidays the SLA clock skips. Unset: no holidays."),
    Setting("inbox_business_hours", str, "09:00-17:00",
            "Working hours on weekdays, HH:MM-HH:MM, that SLA targets count."),
    Setting("inbox_vip_segment", str, "vip",
            "The segment whose members go to VIP-skilled agents first."),
    Setting("inbox_public_url", str, "http://127.0.0.1:8000",
            "Where customers reach this server: the base of the rating links in CSAT e-mails."),
    Setting("smtp_host", str, None,
            "SMTP server the worker delivers e-mail messages through (moments, the outbox). Unset: "
            "messages stay queued."),
    Setting("smtp_port", int, 25, "Port of the SMTP server."),
    Setting("smtp_sender", str, "frontoffice@localhost", "The From address of e-mail messages."),
    Setting("decisions_refresh_hours", float, 24.0,
            "The worker retrains next-best-action's predicted traits (buy in 30 days overall and "
            "per category, churn), writes them to segments, and refits the recommender this often "
            "per workspace, saving a model version each time; 0 never."),
    Setting("message_provider_url", str, None,
            "The HTTP SMS/push provider the worker POSTs SMS and push messages to (docs/segments.md). "
            "Unset: they stay queued."),
    Setting("message_provider_secret", str, None,
            "The shared secret signing the messages sent to the provider and its status callbacks "
            "(HMAC-SHA256)."),
    Setting("message_provider_callback_url", str, "http://127.0.0.1:8000",
            "Where the provider reaches this server: the base of its delivery status callbacks."),
    Setting("insights_open_tasks", bool, True,
            "A new insights flag opens a service task in the inbox, in the queue of the team it "
            "concerns (merchandising, store-ops, the agent's team, ...); off: flags only raise "
            "their `insight.flagged` event. Settings are per process: every workspace alike."),
    Setting("worker_own_process", str, None,
            "Projections (comma-separated names, e.g. `segments`) run by a second worker process "
            "(`frontoffice worker --only NAMES`, which `frontoffice serve` starts) while the first "
            "runs the others and delivers to destinations: on a machine with a core to spare the "
            "two project at once. Unset: one worker runs every projection."),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def _coerce(setting: Setting, raw: object) -> object:
    if raw is None:
        return None
    try:
        if setting.type is bool:
            if isinstance(raw, bool):
                return raw
            text = str(raw).strip().lower()
            if text in {"1", "true", "yes", "on"}:
                return True
            if text in {"0", "false", "no", "off"}:
                return False
            raise ValueError(text)
        if setting.type is int and isinstance(raw, bool):
            raise ValueError(raw)
        return setting.type(raw)
    except (TypeError, ValueError) as exc:
        raise ConfigError(
            f"Setting '{setting.name}' ({setting.env}) has value {raw!r}, which is not a valid "
            f"{setting.type.__name__}. {setting.help}"
        ) from exc


@dataclass(frozen=True)
class Settings:
    data_dir: Path = Path(".frontoffice")
    database_url: str | None = None
    auto_upgrade: bool = True
    host: str = "127.0.0.1"
    port: int = 8000
    collector_prefix: str = ""
    max_event_bytes: int = 32 * 1024
    max_request_bytes: int = 500 * 1024
    max_json_depth: int = 32
    write_queue_events: int = 50_000
    retry_after_seconds: int = 1
    key_cache_seconds: float = 5.0
    identity_auto_merge_weight: float = 16.0
    identity_review_weight: float = 6.0
    identity_match_interval_seconds: float = 30.0
    identity_match_batch_records: int = 1000
    identity_namesake_max_expected: float = 0.05
    ingest_processes: int = 2
    dsr_token_minutes: int = 60
    dsr_token_attempts: int = 5
    dsr_verification_channels: str = "app,web,pos,call_centre,email,commerce,import"
    data_location: str | None = None
    storage_locations: str | None = None
    master_key: str | None = None
    max_api_body_bytes: int = 1024 * 1024
    header_timeout_seconds: float = 10.0
    body_timeout_seconds: float = 30.0
    max_connections_per_client: int = 64
    destinations_allow_hosts: str | None = None
    destinations_connect_timeout_seconds: float = 3.0
    destinations_read_timeout_seconds: float = 10.0
    destinations_backoff_max_seconds: float = 300.0
    worker_delivery_threads: int = 4
    worker_projection_threads: int = 2
    console_idle_minutes: int = 30
    console_login_failures: int = 5
    console_login_failures_per_ip: int = 20
    console_login_window_minutes: int = 15
    identity_household_margin: float = 6.0
    decisions_contacts_per_day: int = 2
    decisions_price_tolerance: float = 0.01
    decisions_epsilon: float = 0.1
    decisions_return_window_days: int = 30
    inbox_address: str = "support@localhost"
    inbox_smtp_listen: str = "127.0.0.1:2525"
    inbox_smtp_relay: str | None = None
    inbox_max_attachment_bytes: int = 10 * 1024 * 1024
    inbox_timezone: str = "UTC"
    inbox_holidays_country: str | None = None
    inbox_business_hours: str = "09:00-17:00"
    inbox_vip_segment: str = "vip"
    inbox_public_url: str = "http://127.0.0.1:8000"
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_sender: str = "frontoffice@localhost"
    decisions_refresh_hours: float = 24.0
    message_provider_url: str | None = None
    message_provider_secret: str | None = None
    message_provider_callback_url: str = "http://127.0.0.1:8000"
    insights_open_tasks: bool = True
    worker_own_process: str | None = None

    @classmethod
    def load(
        cls,
        environ: Mapping[str, str] | None = None,
        overrides: Mapping[str, object] | None = None,
    ) -> Settings:
        """Defaults, then the TOML file, then the environment, then explicit overrides."""
        env = os.environ if environ is None else environ
        values: dict[str, object] = {s.name: s.default for s in SETTINGS}
        config_file = env.get(ENV_PREFIX + "CONFIG")
        if config_file:
            values.update(_read_file(Path(config_file)))
        for s in SETTINGS:
            if s.env in env:
                values[s.name] = env[s.env]
        for name, value in (overrides or {}).items():
            if name not in _BY_NAME:
                raise ConfigError(f"Unknown setting '{name}'. Known: {', '.join(_BY_NAME)}.")
            if value is not None:
                values[name] = value
        coerced = {name: _coerce(_BY_NAME[name], raw) for name, raw in values.items()}
        settings = cls(**coerced)  # type: ignore[arg-type]
        settings.validate()
        return settings

    def validate(self) -> None:
        for name in ("max_event_bytes", "max_request_bytes", "max_json_depth",
                     "write_queue_events", "port", "dsr_token_minutes", "dsr_token_attempts",
                     "max_api_body_bytes", "header_timeout_seconds", "body_timeout_seconds",
                     "destinations_connect_timeout_seconds", "destinations_read_timeout_seconds",
                     "destinations_backoff_max_seconds", "worker_delivery_threads",
                     "worker_projection_threads"):
            if getattr(self, name) <= 0:
                raise ConfigError(f"Setting '{name}' must be positive, got {getattr(self, name)}.")
        if self.max_connections_per_client < 0:
            raise ConfigError("Setting 'max_connections_per_client' must be 0 (no cap) or more, got "
                              f"{self.max_connections_per_client}.")
        if self.ingest_processes < 0:
            raise ConfigError(f"Setting 'ingest_processes' must be 0 or more, got {self.ingest_processes}.")
        if self.identity_review_weight > self.identity_auto_merge_weight:
            raise ConfigError(
                f"Setting 'identity_review_weight' ({self.identity_review_weight}) cannot exceed "
                f"'identity_auto_merge_weight' ({self.identity_auto_merge_weight}): the review queue "
                "is the grey zone below automatic merges.")
        if self.identity_match_batch_records <= 0:
            raise ConfigError("Setting 'identity_match_batch_records' must be positive, got "
                              f"{self.identity_match_batch_records}.")
        if self.identity_household_margin < 0:
            raise ConfigError("Setting 'identity_household_margin' must be 0 or more, got "
                              f"{self.identity_household_margin}.")
        if self.identity_namesake_max_expected < 0:
            raise ConfigError("Setting 'identity_namesake_max_expected' must be 0 (no namesake pass) "
                              f"or more, got {self.identity_namesake_max_expected}.")
        if self.max_event_bytes > self.max_request_bytes:
            raise ConfigError("Setting 'max_event_bytes' cannot exceed 'max_request_bytes'.")
        if self.collector_prefix and (
            not self.collector_prefix.startswith("/") or self.collector_prefix.endswith("/")
        ):
            raise ConfigError(
                f"Setting 'collector_prefix' must start with '/' and not end with one, "
                f"got {self.collector_prefix!r} (example: /segment)."
            )

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'frontoffice.db').resolve()}"


def _read_file(path: Path) -> dict[str, object]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"Config file {path} (FRONTOFFICE_CONFIG) does not exist.") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"Config file {path} is not valid TOML: {exc}.") from exc
    unknown = sorted(set(data) - set(_BY_NAME))
    if unknown:
        raise ConfigError(
            f"Config file {path} has unknown settings {unknown}; known: {', '.join(_BY_NAME)}."
        )
    return dict(data)



def settings_markdown() -> str:
    """docs/settings.md, rendered from the declarations (a test keeps the file in step)."""
    lines = [
        "# Settings",
        "",
        "Read from the environment (`FRONTOFFICE_<NAME>`), or from a TOML file named by",
        "`FRONTOFFICE_CONFIG` (keys are the setting names); the environment wins over the file,",
        "and the CLI's `--data-dir` / `--database-url` win over both. A bad value stops the",
        "process at start with the setting's name and what it expects.",
        "Generated by `frontoffice settings --markdown`.",
        "",
        "| setting | environment variable | type | default | meaning |",
        "| --- | --- | --- | --- | --- |",
    ]
    for s in SETTINGS:
        default = "(unset)" if s.default is None else f"`{s.default}`"
        lines.append(f"| `{s.name}` | `{s.env}` | {s.type.__name__} | {default} | {s.help} |")
    return "\n".join(lines) + "\n"
