"""OpenTelemetry tracing for the {{serviceName}} service (written by trace-guide).

The values below are defaults only: the standard environment variables override each of them
(OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES, OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_EXPORTER_OTLP_PROTOCOL,
OTEL_EXPORTER_OTLP_HEADERS, OTEL_TRACES_SAMPLER, OTEL_TRACES_SAMPLER_ARG, OTEL_PROPAGATORS, OTEL_BSP_SCHEDULE_DELAY).

configure_tracing() starts the SDK, and flushes it at exit and on SIGTERM (keeping the SIGTERM handler the app or its
server had). It runs in the process that serves requests: pre-fork servers call it after the fork (gunicorn's post_fork
hook), so each worker has its own provider and nothing of the SDK runs in the master (SDKs before 1.7 also lost the
batch exporter's thread in a fork); development reloaders are covered because the reloaded child imports the
application module again. The instrument_*() functions only patch libraries and may run before a fork: their spans go
to whatever provider is set later.
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

from opentelemetry import trace  # noqa: E402
from opentelemetry.sdk.resources import Resource  # noqa: E402
from opentelemetry.sdk.trace import TracerProvider  # noqa: E402
from opentelemetry.sdk.trace.export import BatchSpanProcessor  # noqa: E402

_provider = None


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
    # Resource.create() reads OTEL_SERVICE_NAME / OTEL_RESOURCE_ATTRIBUTES; TracerProvider() reads the sampler variables.
    _provider = TracerProvider(resource=Resource.create())
    _provider.add_span_processor(BatchSpanProcessor(_span_exporter()))
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
