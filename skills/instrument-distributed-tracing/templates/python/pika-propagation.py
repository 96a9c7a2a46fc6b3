import pika
from opentelemetry import trace
from opentelemetry.propagate import extract, inject
from opentelemetry.trace import SpanKind

tracer = trace.get_tracer(__name__)


# Publisher: a PRODUCER span, and its context in the AMQP message headers.
def publish_traced(channel, exchange, routing_key, body):
    with tracer.start_as_current_span(f"send {routing_key}", kind=SpanKind.PRODUCER) as span:
        span.set_attribute("messaging.system", "rabbitmq")
        span.set_attribute("messaging.destination.name", exchange or routing_key)
        span.set_attribute("messaging.operation.type", "send")
        headers = {}
        inject(headers)
        channel.basic_publish(exchange, routing_key, body, properties=pika.BasicProperties(headers=headers))


# Consumer callback: continue the publisher's trace with a CONSUMER span.
def on_message(channel, method, properties, body):
    with tracer.start_as_current_span(
        f"process {method.routing_key}", context=extract(properties.headers or {}), kind=SpanKind.CONSUMER
    ) as span:
        span.set_attribute("messaging.system", "rabbitmq")
        span.set_attribute("messaging.destination.name", method.exchange or method.routing_key)
        span.set_attribute("messaging.operation.type", "process")
        ...  # the existing handling of body
