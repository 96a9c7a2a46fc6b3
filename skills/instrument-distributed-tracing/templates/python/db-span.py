from opentelemetry.trace import SpanKind

with tracer.start_as_current_span("{{operation}} {{table}}", kind=SpanKind.CLIENT) as span:
    span.set_attribute("db.system.name", "{{system}}")
    span.set_attribute("db.operation.name", "{{operation}}")
    span.set_attribute("db.query.text", sql)  # parameterized text only, never the values
    rows = cursor.execute(sql, params)
