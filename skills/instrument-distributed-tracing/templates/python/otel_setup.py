"""OpenTelemetry tracing for the {{serviceName}} service (written by trace-guide).

The values below are defaults only: the standard environment variables override each of them
(OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES, OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_EXPORTER_OTLP_PROTOCOL,
OTEL_EXPORTER_OTLP_HEADERS, OTEL_TRACES_SAMPLER, OTEL_TRACES_SAMPLER_ARG, OTEL_PROPAGATORS, OTEL_BSP_SCHEDULE_DELAY).

configure_tracing() starts the SDK (recording credential query parameters as REDACTED), and flushes it at exit and on
SIGTERM (keeping the SIGTERM handler the app or its server had). It runs in the process that serves requests: pre-fork
servers call it after the fork (gunicorn's post_fork hook), so each worker has its own provider and nothing of the SDK
runs in the master (SDKs before 1.7 also lost the batch exporter's thread in a fork); development reloaders are covered
because the reloaded child imports the application module again. The instrument_*() functions only patch libraries and
may run before a fork: their spans go to whatever provider is set later.
"""
import atexit
import os
import signal
import threading

os.environ.setdefault("OTEL_SERVICE_NAME", "{{serviceName}}")
os.environ.setdefault("OTEL_EXPORTER_OTLP_ENDPOINT", "{{endpoint}}")
os.environ.setdefault("OTEL_EXPORTER_OTLP_PROTOCOL", "{{protocol}}")
os.environ.setdefault("OTEL_PROPAGATORS", "tracecontext,baggage")
# Stable HTTP semantic conventions (http.request.method, http.response.status_code, url.path...) instead of the old names.
os.environ.setdefault("OTEL_SEMCONV_STABILITY_OPT_IN", "http")
os.environ.setdefault("OTEL_TRACES_SAMPLER", "parentbased_always_on")

from urllib.parse import unquote_plus  # noqa: E402

from opentelemetry import trace  # noqa: E402
from opentelemetry.sdk.resources import Resource  # noqa: E402
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider  # noqa: E402
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter  # noqa: E402
from opentelemetry.semconv.attributes.deployment_attributes import DEPLOYMENT_ENVIRONMENT_NAME  # noqa: E402

_provider = None

# Query parameters whose values are credentials, compared without case and with "-" and "_" ignored. Their values are
# recorded as REDACTED: the instrumentations redact only a few signature names of their own (AWSAccessKeyId, Signature,
# sig, X-Goog-Signature), so an api-key or token sent in a query string would otherwise reach the spans.
REDACTED_QUERY_PARAMS = (
    "api-key", "x-api-key", "key-secret", "token", "access-token", "refresh-token", "id-token", "session-token",
    "auth", "auth-token", "authorization", "password", "passwd", "pwd", "secret", "client-secret", "sig", "signature",
    "awsaccesskeyid", "x-amz-signature", "x-amz-credential", "x-amz-security-token", "x-goog-signature",
)
_SENSITIVE_PARAMS = frozenset(name.replace("-", "") for name in REDACTED_QUERY_PARAMS)
# The attributes a request's query string is recorded in (stable and old HTTP conventions).
_URL_ATTRIBUTES = ("url.query", "url.full", "http.target", "http.url")


def _redact_query(query):
    parts = []
    for part in query.split("&"):
        name, eq, value = part.partition("=")
        sensitive = unquote_plus(name).lower().replace("-", "").replace("_", "") in _SENSITIVE_PARAMS
        parts.append(name + "=REDACTED" if eq and value and sensitive else part)
    return "&".join(parts)


def _redact_url_attribute(key, value):
    if key == "url.query":
        return _redact_query(value)
    head, question, rest = value.partition("?")
    if not question:
        return value
    query, hash_sign, fragment = rest.partition("#")
    return head + "?" + _redact_query(query) + hash_sign + fragment


class RedactingSpanExporter(SpanExporter):
    """Hands the exporter each span with the credential query parameters of url.query, url.full, http.target and
    http.url rewritten to REDACTED. It works on the finished span because the instrumentations set these attributes
    more than once (Flask sets them again after the span has started)."""

    def __init__(self, exporter):
        self._exporter = exporter

    def export(self, spans):
        return self._exporter.export([_redacted_span(span) for span in spans])

    def shutdown(self):
        return self._exporter.shutdown()

    def force_flush(self, timeout_millis=30000):
        return self._exporter.force_flush(timeout_millis)


def _redacted_span(span):
    attributes = dict(span.attributes or {})
    changed = False
    for key in _URL_ATTRIBUTES:
        value = attributes.get(key)
        if isinstance(value, str) and "=" in value:
            redacted = _redact_url_attribute(key, value)
            changed = changed or redacted != value
            attributes[key] = redacted
    if not changed:
        return span
    return ReadableSpan(
        name=span.name,
        context=span.context,
        parent=span.parent,
        resource=span.resource,
        attributes=attributes,
        events=span.events,
        links=span.links,
        kind=span.kind,
        status=span.status,
        start_time=span.start_time,
        end_time=span.end_time,
        instrumentation_scope=span.instrumentation_scope,
    )


def _span_exporter():
    # Both exporters read OTEL_EXPORTER_OTLP_ENDPOINT; the HTTP one appends /v1/traces to it.
    if os.environ["OTEL_EXPORTER_OTLP_PROTOCOL"] == "grpc":
        from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter
    else:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    return OTLPSpanExporter()


def configure_tracing():
    """Sets the global tracer provider once per process and flushes it at exit."""
    global _provider
    if _provider is not None:
        return _provider
    # Resource.create() reads OTEL_SERVICE_NAME / OTEL_RESOURCE_ATTRIBUTES and adds service.instance.id (a random UUID per
    # process); TracerProvider() reads the sampler variables. deployment.environment.name defaults to development and is
    # merged first, so OTEL_RESOURCE_ATTRIBUTES=deployment.environment.name=production wins over it.
    defaults = Resource({DEPLOYMENT_ENVIRONMENT_NAME: "development"})
    _provider = TracerProvider(resource=defaults.merge(Resource.create()))
    _provider.add_span_processor(BatchSpanProcessor(RedactingSpanExporter(_span_exporter())))
    trace.set_tracer_provider(_provider)
    atexit.register(_provider.shutdown)
    _flush_on_sigterm()
    return _provider


def _flush_on_sigterm():
    """atexit does not run when SIGTERM ends the process (Python's default for it), so the spans still buffered would be
    lost: export them first, then do what SIGTERM did before — the handler the app or its server installed, or the
    default (end the process with SIGTERM). A server that installs its own handler later (gunicorn's workers, uvicorn)
    keeps it and exits normally, which runs the atexit shutdown."""
    if threading.current_thread() is not threading.main_thread():
        return  # signal handlers can only be installed from the main thread; atexit still covers normal exits
    previous = signal.getsignal(signal.SIGTERM)

    def on_sigterm(signum, frame):
        try:
            _provider.force_flush()
        except Exception:  # noqa: BLE001 - never let tracing stop the shutdown
            pass
        if callable(previous):
            previous(signum, frame)
        elif previous != signal.SIG_IGN:
            _provider.shutdown()
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)

    signal.signal(signal.SIGTERM, on_sigterm)


def instrument_clients():
    """Outgoing HTTP calls get CLIENT spans and carry the traceparent header to the next service."""
{{#requests}}    from opentelemetry.instrumentation.requests import RequestsInstrumentor

    RequestsInstrumentor().instrument()
{{/requests}}
{{#httpx}}    from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor

    HTTPXClientInstrumentor().instrument()
{{/httpx}}
{{#aiohttp}}    from opentelemetry.instrumentation.aiohttp_client import AioHttpClientInstrumentor

    AioHttpClientInstrumentor().instrument()
{{/aiohttp}}
{{^anyClient}}    return
{{/anyClient}}
{{#flask}}

def instrument_flask(app):
    """Incoming requests to this Flask app get SERVER spans named after their route."""
    from opentelemetry.instrumentation.flask import FlaskInstrumentor

    FlaskInstrumentor().instrument_app(app)
    instrument_clients()


def instrument_flask_apps():
    """Every Flask app created after this call gets SERVER spans: it replaces flask.Flask, so an app factory is covered
    when this runs before the factory's module imports Flask (at the top of the package)."""
    from opentelemetry.instrumentation.flask import FlaskInstrumentor

    FlaskInstrumentor().instrument()
    instrument_clients()
{{/flask}}
{{#fastapi}}

def instrument_fastapi(app):
    """Incoming requests to this FastAPI app get SERVER spans named after their route."""
    from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

    FastAPIInstrumentor.instrument_app(app)
    instrument_clients()
{{/fastapi}}
{{#django}}

def instrument_django():
    """Must run before Django loads its settings and middleware (manage.py, wsgi.py)."""
    from opentelemetry.instrumentation.django import DjangoInstrumentor

    DjangoInstrumentor().instrument()
    instrument_clients()
{{/django}}
