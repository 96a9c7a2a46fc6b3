from opentelemetry import trace


def add_trace_ids(logger, method_name, event_dict):
    """structlog processor: adds the current trace and span id (32 / 16 hex digits) to every event."""
    ctx = trace.get_current_span().get_span_context()
    if ctx.is_valid:
        event_dict["trace_id"] = trace.format_trace_id(ctx.trace_id)
        event_dict["span_id"] = trace.format_span_id(ctx.span_id)
    return event_dict


# structlog.configure(processors=[..., add_trace_ids, structlog.processors.JSONRenderer()])
