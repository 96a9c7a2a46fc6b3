
# Log correlation (trace-guide): every log record gets otelTraceID and otelSpanID (32 and 16 hex digits, "0" outside
# a span) and otelServiceName, for formats such as "... trace_id=%(otelTraceID)s span_id=%(otelSpanID)s %(message)s".
from opentelemetry.instrumentation.logging import LoggingInstrumentor  # noqa: E402

LoggingInstrumentor().instrument(inject_trace_context=True, set_logging_format={{setLoggingFormat}})
