
# OpenTelemetry (trace-guide): see otel_setup.py.
{{#postFork}}# The SDK itself starts in gunicorn's post_fork hook, after the fork.
{{/postFork}}
from otel_setup import {{^postFork}}configure_tracing, {{/postFork}}{{instrumentFunction}}  # noqa: E402

{{^postFork}}configure_tracing()
{{/postFork}}
{{instrumentFunction}}({{instrumentArgument}})
