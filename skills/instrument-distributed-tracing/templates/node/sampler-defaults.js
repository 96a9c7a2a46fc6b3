{{#useRatio}}process.env.OTEL_TRACES_SAMPLER ??= 'parentbased_traceidratio';
process.env.OTEL_TRACES_SAMPLER_ARG ??= '{{ratio}}';
{{/useRatio}}{{^useRatio}}process.env.OTEL_TRACES_SAMPLER ??= 'parentbased_always_on';
{{/useRatio}}