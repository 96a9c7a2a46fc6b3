os.environ.setdefault("OTEL_TRACES_SAMPLER", "{{sampler}}")
{{#ratio}}os.environ.setdefault("OTEL_TRACES_SAMPLER_ARG", "{{ratio}}")
{{/ratio}}
