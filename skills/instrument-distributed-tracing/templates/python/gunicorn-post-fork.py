def post_fork(server, worker):
    """Starts OpenTelemetry in each worker after the fork (trace-guide): each worker gets its own provider, exporter
    and resource (process id), and with --preload nothing of the SDK runs in the master."""
    from otel_setup import configure_tracing

    configure_tracing()
