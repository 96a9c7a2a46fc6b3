
# Log correlation (trace-guide): every log record gets otelTraceID and otelSpanID (32 and 16 hex digits, "0" outside
# a span) and otelServiceName, for formats such as "... trace_id=%(otelTraceID)s span_id=%(otelSpanID)s %(message)s".
# If the package's install failed, the app still starts: the lines below read the ids from the current span instead.
import logging  # noqa: E402

from opentelemetry import trace  # noqa: E402

try:
    from opentelemetry.instrumentation.logging import LoggingInstrumentor  # noqa: E402

    LoggingInstrumentor().instrument(inject_trace_context=True, set_logging_format={{setLoggingFormat}})
except ImportError:
    logging.getLogger(__name__).warning("opentelemetry-instrumentation-logging is not installed; log records get no otelTraceID")
    if {{setLoggingFormat}}:
        logging.basicConfig(level=logging.INFO)
_format_log_line = logging.Handler.format


def _current_ids(record):
    trace_id = getattr(record, "otelTraceID", None)
    if trace_id is not None:
        return trace_id, getattr(record, "otelSpanID", "0")
    context = trace.get_current_span().get_span_context()
    return (format(context.trace_id, "032x"), format(context.span_id, "016x")) if context.is_valid else ("0", "0")


def _format_with_trace_ids(handler, record):
    """Every handler's line written inside a span ends with trace_id=<32 hex> span_id=<16 hex>, whatever its format:
    the app's own, the framework's (uvicorn, gunicorn, django.server, werkzeug) and handlers configured later (Django's
    LOGGING, uvicorn's --reload child). Lines outside a span, and lines whose format already prints the id, are left
    as they are: a line written after the request's span ended has no trace to name."""
    line = _format_log_line(handler, record)
    trace_id, span_id = _current_ids(record)
    if trace_id in ("0", "") or trace_id in line:
        return line
    return f"{line} trace_id={trace_id} span_id={span_id}"


logging.Handler.format = _format_with_trace_ids
{{#requestLog}}
_request_log = logging.getLogger("{{loggerName}}")
_request_log.setLevel(logging.INFO)


def log_request_in_span(span, *_):
    """One log line per request, written while the request's SERVER span is current, so it carries the trace id. The
    server's own access line ({{accessLogger}}) is written after the span has ended and cannot."""
    _request_log.info("handled %s", getattr(span, "name", "request"))
{{/requestLog}}
