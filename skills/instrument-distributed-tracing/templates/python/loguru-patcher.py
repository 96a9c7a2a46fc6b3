from loguru import logger
from opentelemetry import trace


def add_trace_ids(record):
    """loguru patcher: puts the current trace and span id (32 / 16 hex digits) into record["extra"]."""
    ctx = trace.get_current_span().get_span_context()
    record["extra"]["trace_id"] = trace.format_trace_id(ctx.trace_id) if ctx.is_valid else "0"
    record["extra"]["span_id"] = trace.format_span_id(ctx.span_id) if ctx.is_valid else "0"


logger.configure(patcher=add_trace_ids)
# and in the sink's format: "... trace_id={extra[trace_id]} span_id={extra[span_id]} {message}"
