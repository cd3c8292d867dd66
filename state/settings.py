"""Process settings, validated once at start-up and passed down explicitly."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parents[1]


class ApiKeySpec(BaseModel):
    """One accepted API key and who holds it."""

    model_config = ConfigDict(extra="forbid")

    key: SecretStr = Field(min_length=1)
    role: Literal["service", "operator"] = "service"
    name: str = Field(default="", max_length=100)
    """Display name recorded with the decisions this key takes (an operator's approvals)."""


class Settings(BaseSettings):
    """Everything configurable; environment variables use the `SUPPORTGRAPH_` prefix."""

    model_config = SettingsConfigDict(env_prefix="SUPPORTGRAPH_", extra="ignore")

    redis_url: str | None = Field(
        default=None, validation_alias=AliasChoices("REDIS_URL", "SUPPORTGRAPH_REDIS_URL")
    )
    """An existing Redis with RediSearch + RedisJSON; unset starts the managed local Redis."""

    redis_home: Path = REPO_ROOT / ".supportgraph" / "redis"
    """Data directory (AOF, pid and port files) of the managed local Redis."""

    redis_port: int = Field(default=0, ge=0, le=65535)
    """Port of the managed local Redis; 0 picks a free one."""

    model_backend: Literal["auto", "openai", "offline"] = "auto"
    """`auto` uses OpenAI when a key is configured, else the offline backend."""

    openai_api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("OPENAI_API_KEY", "SUPPORTGRAPH_OPENAI_API_KEY")
    )
    openai_base_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("OPENAI_BASE_URL", "SUPPORTGRAPH_OPENAI_BASE_URL"),
    )
    openai_model: str = "gpt-4o-mini"
    openai_timeout_seconds: float = Field(default=30.0, gt=0)

    data_dir: Path = REPO_ROOT / "data"
    """The tenant: help_center.yaml, customers.json and the offline backend's training examples."""

    cache_dir: Path | None = REPO_ROOT / ".supportgraph" / "cache"
    """Where the offline backend keeps its trained classifiers; unset retrains every start."""

    key_prefix: str = Field(default="sg", pattern=r"^[A-Za-z0-9_-]{1,32}$")
    """Prefix of every key the product writes to Redis besides the checkpointer's own."""

    api_keys: Annotated[list[ApiKeySpec], NoDecode] = Field(default_factory=list)
    """Keys accepted in `x-api-key`: comma-separated or a JSON list (each key a `service`), or
    a JSON object `{"<key>": {"role": "service" | "operator", "name": "..."}}`."""

    customer_jwt_secret: SecretStr | None = None
    """HS256 secret the company's app signs customer tokens with (`Authorization: Bearer`)."""

    customer_jwt_public_key: SecretStr | None = None
    """PEM public key for RS256 / ES256 customer tokens (instead of, or besides, the secret)."""

    customer_jwt_audience: str | None = None
    """When set, customer tokens must carry this `aud`."""

    max_body_bytes: int = Field(default=256 * 1024, ge=1024)
    """Largest request body accepted; a bigger one is refused with 413 before it is parsed."""

    run_durability: Literal["sync", "async", "exit"] = "async"
    """When runs write checkpoints unless a request says otherwise: `async` writes one per step
    (as LangGraph Platform does: history, regenerate and time travel have steps to fork from),
    `sync` waits for each write, `exit` writes once per run (and at every interrupt)."""

    cors_origins: Annotated[list[str] | None, NoDecode] = None
    """Browser origins allowed to call the API (comma-separated or a JSON list, `*` for any);
    unset allows local development origins only (http(s)://localhost, 127.0.0.1, [::1])."""

    stream_ttl_seconds: int = Field(default=3600, ge=60)
    """How long a resumable run's stream events stay replayable after its last event."""

    thread_ttl_seconds: int | None = Field(default=None, ge=0)
    """How long a thread (its checkpoints and API records) is kept after it was last read or
    written; every use pushes it back. None or 0 keeps threads until deleted or pruned."""

    checkpoint_keep_last: int | None = Field(default=None, ge=1)
    """Root-graph checkpoints kept per thread (history and forks reach that far back: one per
    step under `async` durability, one per turn under `exit`); None keeps every checkpoint."""

    compact_checkpoints: bool = True
    """Store checkpoint bodies compressed in one string instead of as a RedisJSON tree
    (~6x less memory; documents written either way are read either way)."""

    checkpoint_shared_messages: bool = True
    """Store each message once per thread and have checkpoints reference it, so a checkpoint
    costs what changed instead of the whole history (documents written either way are read
    either way)."""

    quota_threads: int = Field(default=10_000, ge=1)
    """Threads one credential may keep (a customer, a service key, an operator key)."""

    quota_runs_per_minute: int = Field(default=600, ge=1)
    """Runs one credential may start per minute."""

    quota_scheduled_runs: int = Field(default=100, ge=1)
    """Runs with `after_seconds` one credential may have waiting."""

    approval_timeout: float = Field(default=24 * 3600, gt=0)
    """Seconds an approval may wait for an operator (`SUPPORTGRAPH_APPROVAL_TIMEOUT`, also
    written `90s`, `30m`, `24h`, `2d`); past it the approval is rejected with the reason "no
    operator decided in time" and the customer is told."""

    diagnostic_seconds: float = Field(default=30.0, ge=0.1, le=120.0)
    """How long a simulated line diagnostic takes (5-120 s in production; tests use ~1-5)."""
    esim_activation_seconds: float = Field(default=10.0, ge=0.1, le=120.0)
    """How long the network takes to activate an eSIM (simulated)."""
    job_deadline_seconds: float = Field(default=300.0, gt=0, le=3600.0)
    """A long-running job that has not finished this long after it started resumes its thread
    with a timeout result, and the customer is told."""
    job_retries: int = Field(default=3, ge=1, le=20)
    """Attempts a job gets (a worker that dies mid-job costs one) before it fails visibly."""
    job_heartbeat_seconds: int = Field(default=5, ge=1, le=300)
    """A running job touches its record this often; one untouched for longer belonged to a
    dead worker and is retried by the next sweep."""
    worker_concurrency: int = Field(default=50, ge=1, le=1000)
    """Jobs one `supportgraph worker` process runs at once (they mostly wait)."""
    webhook_secret: SecretStr | None = None
    """Signs webhook bodies (HMAC-SHA256, `X-Supportgraph-Signature: sha256=<hex>`)."""
    webhook_allowed_hosts: Annotated[list[str], NoDecode] = Field(default_factory=list)
    """Hosts webhooks may target even on private or loopback addresses (comma-separated);
    others must resolve to public addresses only."""
    webhook_retries: int = Field(default=5, ge=1, le=20)
    webhook_retry_delay_seconds: float = Field(default=1.0, gt=0, le=300)
    """First retry delay of a failed webhook delivery; each next one doubles (with jitter)."""
    host: str = "127.0.0.1"
    port: int = Field(default=2024, ge=0, le=65535)

    @field_validator("approval_timeout", mode="before")
    @classmethod
    def _duration(cls, value: object) -> object:
        if isinstance(value, str):
            found = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", value.lower())
            if found is None:
                raise ValueError("a duration: seconds, or a number with s, m, h or d")
            unit = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[found.group(2)]
            return float(found.group(1)) * unit
        return value

    @field_validator("api_keys", mode="before")
    @classmethod
    def _split_keys(cls, value: object) -> object:
        if isinstance(value, str):
            stripped = value.strip()
            if stripped.startswith(("[", "{")):
                value = json.loads(stripped)
            else:
                value = [k.strip() for k in stripped.split(",") if k.strip()]
        if isinstance(value, dict):
            return [
                {"key": key, **(spec if isinstance(spec, dict) else {"role": spec})}
                for key, spec in value.items()
            ]
        if isinstance(value, list):
            return [{"key": item} if isinstance(item, str) else item for item in value]
        return value

    @property
    def open_access(self) -> bool:
        """No credential of any kind configured: the open local server (everyone operator)."""
        return not (self.api_keys or self.customer_jwt_secret or self.customer_jwt_public_key)

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            if value.lstrip().startswith("["):
                return json.loads(value)
            return [o.strip().rstrip("/") for o in value.split(",") if o.strip()]
        return value

    @field_validator("webhook_allowed_hosts", mode="before")
    @classmethod
    def _split_hosts(cls, value: object) -> object:
        if isinstance(value, str):
            if value.lstrip().startswith("["):
                return json.loads(value)
            return [h.strip().lower() for h in value.split(",") if h.strip()]
        return value

    @field_validator("redis_url")
    @classmethod
    def _redis_scheme(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("REDIS_URL must start with redis://, rediss:// or unix://")
        return value or None

    @property
    def resolved_backend(self) -> Literal["openai", "offline"]:
        if self.model_backend == "auto":
            return "openai" if self.openai_api_key else "offline"
        return self.model_backend


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read from the environment on first use."""
    return Settings()
