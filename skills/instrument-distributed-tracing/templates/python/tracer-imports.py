
from opentelemetry import trace
{{#statusCode}}from opentelemetry.trace import StatusCode
{{/statusCode}}

tracer = trace.get_tracer(__name__)
