/**
 * Go steps 3 (manual spans) and 4 (propagation) on real services, applied after step 2 through the real apply engine
 * with the `go get` commands run for real against the module proxy: the demo's Gin inventory, a net/http orders service
 * that calls another service and a database, and a kafka-go producer/consumer. Each scenario: plan 2 → 3 → 4, apply,
 * `go vet ./...` once, re-plan proposes no changes, undo restores every byte (go.mod and go.sum included).
 */
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { undoWrites } from '../../../src/edit/undo.js';
import type { Proposal } from '../../../src/types/proposal.js';
import type { AppliedWrite, InputValue } from '../../../src/session/schema.js';
import { planIn, snapshot } from '../../helpers/recipe-harness.js';
import { makeSampleRepo } from '../../helpers/sample-repo.js';
import { applyAllWithCommands, GO_ENV, gofmtList, goVet, inventoryFiles, useGoSampleRepos } from './go-helpers.js';

const repos = useGoSampleRepos();

const applyAll = (root: string, proposals: Proposal[]) => applyAllWithCommands(root, proposals, 120_000);

const kinds = (ps: Proposal[]) => ps.map((p) => `${p.id}:${p.change.kind}`);
const changesOf = (ps: Proposal[]) => ps.filter((p) => p.change.kind !== 'note');
const read = (root: string, rel: string) => readFile(path.join(root, rel), 'utf8');
function noteText(ps: Proposal[], id: string): string {
  const p = ps.find((x) => x.id === id);
  return p?.change.kind === 'note' ? p.change.text : '';
}

/** Applies steps 2, 3 and 4 in order (each planned on the result of the last); returns the writes and the plans. */
async function applySteps(root: string, inputs: Record<string, InputValue>) {
  const writes: AppliedWrite[] = [];
  const step2 = await planIn(root, 'auto-instrumentation', inputs);
  writes.push(...(await applyAll(root, step2.proposals)));
  const step3 = await planIn(root, 'manual-spans', inputs);
  writes.push(...(await applyAll(root, step3.proposals)));
  const step4 = await planIn(root, 'propagation', inputs);
  writes.push(...(await applyAll(root, step4.proposals)));
  return { writes, step3: step3.proposals, step4: step4.proposals };
}

describe('Go manual spans and propagation on the demo inventory (Gin)', () => {
  it('adds a business span to POST /reserve only; step 4 has nothing to do; compiles; re-plan is empty; undo restores', async () => {
    const root = await makeSampleRepo(await inventoryFiles());
    repos.push(root);
    const before = await snapshot(root);
    const inputs = { 'business-attributes': 'app.inventory.sku, app.reservation.qty, app.customer.tier' };
    const { writes, step3, step4 } = await applySteps(root, inputs);

    expect(kinds(step3)).toEqual(['inventory:tracer:create', 'inventory:spans-main:edit']);
    const tracer = await read(root, 'inventory/otel_tracer.go');
    expect(tracer).toContain('package main');
    expect(tracer).toContain('var tracer = otel.Tracer("example.com/shop/inventory")');
    const main = await read(root, 'inventory/main.go');
    expect(main).toContain(
      '\tr.POST("/reserve", func(c *gin.Context) {\n' +
        '\t\tctx, span := tracer.Start(c.Request.Context(), "reserve", trace.WithSpanKind(trace.SpanKindInternal))\n' +
        '\t\tdefer span.End()\n' +
        '\t\tc.Request = c.Request.WithContext(ctx)\n' +
        '\t\tvar req reserveRequest\n' +
        '\t\tif err := c.ShouldBindJSON(&req); err != nil {\n' +
        '\t\t\tspan.RecordError(err)\n' +
        '\t\t\tspan.SetStatus(codes.Error, err.Error())\n',
    );
    // Business attributes from the bound struct, after the bind succeeded; app.customer.tier has no field, so none.
    expect(main).toContain(
      '\t\t}\n\t\tspan.SetAttributes(attribute.String("app.inventory.sku", req.SKU), attribute.Int("app.reservation.qty", req.Qty))\n',
    );
    expect(main).not.toContain('app.customer.tier');
    // GET handlers neither change state nor call clients: no span per function.
    expect(main.match(/tracer\.Start\(/g)).toHaveLength(1);
    expect(main).toMatch(
      /\t"go\.opentelemetry\.io\/otel\/attribute"\n\t"go\.opentelemetry\.io\/otel\/codes"\n\t"go\.opentelemetry\.io\/otel\/trace"\n/,
    );

    // The demo makes no outbound calls and the set-up already sets the W3C propagator.
    expect(step4.filter((p) => p.service === 'inventory')).toEqual([]);

    goVet(path.join(root, 'inventory'));
    expect(gofmtList(path.join(root, 'inventory'))).toBe('');
    for (const step of ['manual-spans', 'propagation'] as const) {
      expect((await planIn(root, step, inputs)).proposals.filter((p) => p.service === 'inventory')).toEqual([]);
    }
    expect((await undoWrites(root, writes)).failed).toEqual([]);
    expect(await snapshot(root)).toEqual(before);
  }, 90_000);
});

const ORDERS_MAIN = `package main

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"strings"
	"time"
)

type orderRequest struct {
	OrderID string  \`json:"order_id"\`
	SKU     string  \`json:"sku"\`
	Qty     int     \`json:"qty"\`
	Total   float64 \`json:"total"\`
}

var db *sql.DB

var inventory = &http.Client{Timeout: 2 * time.Second}

const inventoryURL = "http://localhost:8081"

func createOrder(w http.ResponseWriter, r *http.Request) {
	var req orderRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	resp, err := http.Get(inventoryURL + "/stock/" + req.SKU)
	if err != nil {
		http.Error(w, "inventory unavailable", http.StatusBadGateway)
		return
	}
	resp.Body.Close()
	body := strings.NewReader(fmt.Sprintf(\`{"sku":%q,"qty":%d}\`, req.SKU, req.Qty))
	reserve, err := http.NewRequest(http.MethodPost, inventoryURL+"/reserve", body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	reserve.Header.Set("Content-Type", "application/json")
	res, err := inventory.Do(reserve)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer res.Body.Close()
	if res.StatusCode >= 500 {
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	if _, err := db.Exec("INSERT INTO orders (id, sku, qty) VALUES ($1, $2, $3)", req.OrderID, req.SKU, req.Qty); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	go func() {
		log.Printf("order %s stored", req.OrderID)
	}()
	w.WriteHeader(http.StatusCreated)
	_, _ = io.WriteString(w, req.OrderID)
}

func listOrders(w http.ResponseWriter, r *http.Request) {
	rows, err := db.Query("SELECT id FROM orders")
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	defer rows.Close()
	w.WriteHeader(http.StatusOK)
}

func health(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusOK) }

func main() {
	var err error
	db, err = sql.Open("postgres", "postgres://localhost/orders")
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /orders", createOrder)
	mux.HandleFunc("GET /orders", listOrders)
	mux.HandleFunc("GET /health", health)
	log.Fatal(http.ListenAndServe(":8080", mux))
}
`;

describe('Go manual spans and propagation on a net/http service with outbound calls and database/sql', () => {
  it('spans with errors recorded and the context handed to the queries; outbound HTTP through otelhttp; compiles; undo restores', async () => {
    const root = await makeSampleRepo({
      'orders/go.mod': 'module example.com/orders\n\ngo 1.25.0\n',
      'orders/main.go': ORDERS_MAIN,
    });
    repos.push(root);
    const before = await snapshot(root);
    const inputs = { 'business-attributes': 'app.order.id,app.order.qty' };
    const { writes, step3, step4 } = await applySteps(root, inputs);

    expect(kinds(step3)).toEqual(['orders:tracer:create', 'orders:spans-main:edit', 'orders:db-instrumentation:note']);
    expect(noteText(step3, 'orders:db-instrumentation')).toContain(
      'otelsql.Open("postgres", dsn, otelsql.WithAttributes(semconv.DBSystemNamePostgreSQL))',
    );
    const spans = await read(root, 'orders/main.go');
    expect(spans).toContain(
      '\tctx, span := tracer.Start(r.Context(), "createOrder", trace.WithSpanKind(trace.SpanKindInternal))\n\tdefer span.End()\n\tr = r.WithContext(ctx)\n',
    );
    expect(spans).toContain(
      '\tctx, span := tracer.Start(r.Context(), "listOrders", trace.WithSpanKind(trace.SpanKindInternal))\n',
    );
    expect(spans).not.toContain('"health"'); // health checks get no span
    expect(spans).toContain(
      'span.SetAttributes(attribute.String("app.order.id", req.OrderID), attribute.Int("app.order.qty", req.Qty))',
    );
    expect(spans).toContain('db.ExecContext(ctx, "INSERT INTO orders');
    expect(spans).toContain('db.QueryContext(ctx, "SELECT id FROM orders")');
    expect(spans).toContain(
      '\t\tspan.SetStatus(codes.Error, "service unavailable")\n\t\tw.WriteHeader(http.StatusServiceUnavailable)\n',
    );
    expect(spans.match(/span\.RecordError\(err\)\n\t\tspan\.SetStatus\(codes\.Error, err\.Error\(\)\)/g)).toHaveLength(
      6,
    );

    expect(kinds(step4)).toEqual([
      'orders:http-client:create',
      'orders:outbound-main:edit',
      'orders:goroutine-context:note',
    ]); // otelhttp is already required (step 2 wrapped the server with it): no go get
    const calls = await read(root, 'orders/main.go');
    expect(calls).toContain(
      'var inventory = &http.Client{Transport: otelhttp.NewTransport(http.DefaultTransport), Timeout: 2 * time.Second}',
    );
    expect(calls).toContain('resp, err := tracedGet(r.Context(), inventoryURL+"/stock/"+req.SKU)');
    expect(calls).toContain('http.NewRequestWithContext(r.Context(), http.MethodPost, inventoryURL+"/reserve", body)');
    expect(await read(root, 'orders/otel_http_client.go')).toContain(
      'var tracedHTTPClient = &http.Client{Transport: otelhttp.NewTransport(http.DefaultTransport)}',
    );
    expect(noteText(step4, 'orders:goroutine-context')).toMatch(/orders\/main\.go:\d+ \(in POST \/orders\)/);

    goVet(path.join(root, 'orders'));
    expect(gofmtList(path.join(root, 'orders'))).toBe('');
    // Re-planning proposes no change; only the notes about work left to the developer remain.
    const again3 = (await planIn(root, 'manual-spans', inputs)).proposals;
    expect(kinds(again3)).toEqual(['orders:db-instrumentation:note']);
    expect(noteText(again3, 'orders:db-instrumentation')).not.toContain('still run without');
    expect(changesOf((await planIn(root, 'propagation', inputs)).proposals)).toEqual([]);
    expect((await undoWrites(root, writes)).failed).toEqual([]);
    expect(await snapshot(root)).toEqual(before);
  }, 90_000);
});

const KAFKA_MAIN = `package main

import (
	"context"
	"log"
	"net/http"

	"github.com/segmentio/kafka-go"
)

var writer = &kafka.Writer{Addr: kafka.TCP("localhost:9092"), Topic: "orders"}

func publish(w http.ResponseWriter, r *http.Request) {
	msg := kafka.Message{Value: []byte("order")}
	if err := writer.WriteMessages(r.Context(), msg); err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	w.WriteHeader(http.StatusAccepted)
}

func consume(ctx context.Context) {
	reader := kafka.NewReader(kafka.ReaderConfig{Brokers: []string{"localhost:9092"}, Topic: "orders", GroupID: "billing"})
	defer reader.Close()
	for {
		msg, err := reader.ReadMessage(ctx)
		if err != nil {
			return
		}
		log.Printf("got %s", msg.Value)
	}
}

func main() {
	go consume(context.Background())
	http.HandleFunc("POST /publish", publish)
	log.Fatal(http.ListenAndServe(":8090", nil))
}
`;

describe('Go propagation over Kafka (segmentio/kafka-go)', () => {
  it('generates the header carrier with PRODUCER/CONSUMER helpers and points at the produce/consume calls; compiles', async () => {
    const root = await makeSampleRepo({
      'billing/go.mod': 'module example.com/billing\n\ngo 1.25.0\n',
      'billing/main.go': KAFKA_MAIN,
    });
    repos.push(root);
    execFileSync('go', ['get', 'github.com/segmentio/kafka-go@v0.4.51'], {
      cwd: path.join(root, 'billing'),
      env: GO_ENV,
      stdio: 'pipe',
      timeout: 120_000,
    });
    const before = await snapshot(root);
    const { writes, step3, step4 } = await applySteps(root, { 'message-queues': ['kafka'] });

    expect(kinds(step3)).toEqual(['billing:tracer:create', 'billing:spans-main:edit']);
    expect(kinds(step4)).toEqual(['billing:kafka-go-carrier:create', 'billing:queue-propagation:note']);
    const carrier = await read(root, 'billing/otel_kafka_carrier.go');
    expect(carrier).toContain('var _ propagation.TextMapCarrier = kafkaHeaderCarrier{}');
    expect(carrier).toContain('trace.WithSpanKind(trace.SpanKindProducer)');
    expect(carrier).toContain('trace.WithSpanKind(trace.SpanKindConsumer)');
    expect(carrier).toContain('attribute.String("messaging.destination.name", topic)');
    expect(carrier).toContain('attribute.String("messaging.operation.type", "process")');
    expect(carrier).toContain('otel.Tracer("example.com/billing/messaging")');
    const text = noteText(step4, 'billing:queue-propagation');
    expect(text).toMatch(/- billing\/main\.go:\d+ WriteMessages\(/);
    expect(text).toMatch(/- billing\/main\.go:\d+ ReadMessage\(/);
    expect(text).toContain('startKafkaSend(ctx, "orders", &msg)');
    expect(text).not.toContain('sarama');

    goVet(path.join(root, 'billing'));
    expect(gofmtList(path.join(root, 'billing'))).toBe('');
    expect(changesOf((await planIn(root, 'propagation')).proposals)).toEqual([]);
    expect((await undoWrites(root, writes)).failed).toEqual([]);
    expect(await snapshot(root)).toEqual(before);
  }, 90_000);
});
