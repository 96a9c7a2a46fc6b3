from opentelemetry import trace
from opentelemetry.propagate import extract, inject
from opentelemetry.trace import SpanKind

tracer = trace.get_tracer(__name__)


# Producer: a PRODUCER span, and its context in the message headers (kafka-python wants (str, bytes) pairs).
def send_traced(producer, topic, value):
    with tracer.start_as_current_span(f"send {topic}", kind=SpanKind.PRODUCER) as span:
        span.set_attribute("messaging.system", "kafka")
        span.set_attribute("messaging.destination.name", topic)
        span.set_attribute("messaging.operation.type", "send")
        carrier = {}
        inject(carrier)
        headers = [(key, val.encode("utf-8")) for key, val in carrier.items()]
        return producer.send(topic, value=value, headers=headers)


# Consumer: continue the producer's trace with a CONSUMER span per message.
def handle_traced(message, handle):
    carrier = {key: val.decode("utf-8") for key, val in (message.headers or [])}
    with tracer.start_as_current_span(
        f"process {message.topic}", context=extract(carrier), kind=SpanKind.CONSUMER
    ) as span:
        span.set_attribute("messaging.system", "kafka")
        span.set_attribute("messaging.destination.name", message.topic)
        span.set_attribute("messaging.operation.type", "process")
        return handle(message)
