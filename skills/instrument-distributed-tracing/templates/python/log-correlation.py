
# Log correlation (trace-guide): every log record gets otelTraceID and otelSpanID (32 and 16 hex digits, "0" outside
# a span) and otelServiceName, for formats such as "... trace_id=%(otelTraceID)s span_id=%(otelSpanID)s %(message)s".
import logging  # noqa: E402

from opentelemetry.instrumentation.logging import LoggingInstrumentor  # noqa: E402

LoggingInstrumentor().instrument(inject_trace_context=True, set_logging_format={{setLoggingFormat}})
_format_log_line = logging.Handler.format


def _format_with_trace_ids(handler, record):
    """Every handler's line written inside a span ends with trace_id=<32 hex> span_id=<16 hex>, whatever its format:
    the app's own, the framework's (uvicorn, gunicorn, django.server, werkzeug) and handlers configured later (Django's
    LOGGING, uvicorn's --reload child). Lines outside a span, and lines whose format already prints the id, are left
    as they are: a line written after the request's span ended has no trace to name."""
    line = _format_log_line(handler, record)
    trace_id = getattr(record, "otelTraceID", "0")
    if trace_id in ("0", "", None) or trace_id in line:
        return line
    return f"{line} trace_id={trace_id} span_id={getattr(record, 'otelSpanID', '0')}"


logging.Handler.format = _format_with_trace_ids
{{#requestLog}}
_request_log = logging.getLogger("{{loggerName}}")
_request_log.setLevel(logging.INFO)


def log_request_in_span(span, *_):
    """One log line per request, written while the request's SERVER span is current, so it carries the trace id. The
    server's own access line ({{accessLogger}}) is written after the span has ended and cannot."""
    _request_log.info("handled %s", getattr(span, "name", "request"))
{{/requestLog}}
