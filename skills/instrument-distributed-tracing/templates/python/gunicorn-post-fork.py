def post_fork(server, worker):
    """Starts OpenTelemetry in each worker after the fork (trace-guide): a provider made before the fork loses its
    exporter thread, and with --preload the application is imported in the master."""
    from otel_setup import configure_tracing

    configure_tracing()
