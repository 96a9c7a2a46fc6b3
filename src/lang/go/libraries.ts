/**
 * Go: library → finding table. Module paths in go.mod and import paths in code are matched segment-wise, so
 * 'github.com/labstack/echo' covers 'github.com/labstack/echo/v4' and 'github.com/labstack/echo/v4/middleware'.
 *
 * Finding names:
 * - framework: net/http (only when the code serves: ListenAndServe, HandleFunc, ServeMux, http.Server), gin, echo, chi,
 *              gorilla-mux, fiber, grpc
 * - http:      net/http (client calls: http.Get/Post, NewRequest, Client{}, DefaultClient, .Do), resty
 * - queue:     kafka-go, sarama, confluent-kafka-go, amqp (streadway/amqp, rabbitmq/amqp091-go), nats.go
 * - db:        database/sql, pgx, gorm, go-redis, mongo-driver, sqlx
 * - logging:   log, log/slog, zap, logrus, zerolog
 * - tracing:   opentelemetry, opentracing, jaeger-client, zipkin, dd-trace, newrelic, elastic-apm, sentry
 */
import type {
  Category,
  CommandAgent,
  EntryMarker,
  LanguageTable,
  LibraryRule,
  PortPattern,
} from '../../repo/detect/types.js';

function mod(name: string, category: Category, paths: readonly string[]): LibraryRule {
  return { name, category, packages: paths, imports: paths };
}

export const GO_RULES: readonly LibraryRule[] = [
  mod('gin', 'framework', ['github.com/gin-gonic/gin']),
  mod('echo', 'framework', ['github.com/labstack/echo']),
  mod('chi', 'framework', ['github.com/go-chi/chi']),
  mod('gorilla-mux', 'framework', ['github.com/gorilla/mux']),
  mod('fiber', 'framework', ['github.com/gofiber/fiber']),
  mod('grpc', 'framework', ['google.golang.org/grpc']),
  {
    name: 'net/http',
    category: 'framework',
    imports: ['net/http'],
    usage: {
      hint: 'http.',
      pattern: /\bhttp\.(?:ListenAndServe(?:TLS)?\(|HandleFunc\(|Handle\(|NewServeMux\(|Server\s*\{)/,
    },
  },

  {
    name: 'net/http',
    category: 'http',
    imports: ['net/http'],
    usage: {
      hint: 'http.',
      pattern: /\bhttp\.(?:Get\(|Post\(|Head\(|PostForm\(|NewRequest(?:WithContext)?\(|Client\s*\{|DefaultClient\b)/,
    },
  },
  mod('resty', 'http', ['github.com/go-resty/resty']),

  mod('kafka-go', 'queue', ['github.com/segmentio/kafka-go']),
  mod('sarama', 'queue', ['github.com/Shopify/sarama', 'github.com/IBM/sarama']),
  mod('confluent-kafka-go', 'queue', ['github.com/confluentinc/confluent-kafka-go']),
  mod('amqp', 'queue', ['github.com/streadway/amqp', 'github.com/rabbitmq/amqp091-go']),
  mod('nats.go', 'queue', ['github.com/nats-io/nats.go']),

  { name: 'database/sql', category: 'db', imports: ['database/sql'] },
  mod('pgx', 'db', ['github.com/jackc/pgx']),
  mod('gorm', 'db', ['gorm.io/gorm', 'github.com/jinzhu/gorm']),
  mod('go-redis', 'db', ['github.com/go-redis/redis', 'github.com/redis/go-redis']),
  mod('mongo-driver', 'db', ['go.mongodb.org/mongo-driver']),
  mod('sqlx', 'db', ['github.com/jmoiron/sqlx']),

  { name: 'log/slog', category: 'logging', imports: ['log/slog'] },
  { name: 'log', category: 'logging', imports: ['log'] },
  mod('zap', 'logging', ['go.uber.org/zap']),
  mod('logrus', 'logging', ['github.com/sirupsen/logrus']),
  mod('zerolog', 'logging', ['github.com/rs/zerolog']),

  mod('opentelemetry', 'tracing', ['go.opentelemetry.io/otel', 'go.opentelemetry.io/contrib']),
  mod('opentracing', 'tracing', ['github.com/opentracing/opentracing-go']),
  mod('jaeger-client', 'tracing', ['github.com/uber/jaeger-client-go']),
  mod('zipkin', 'tracing', ['github.com/openzipkin/zipkin-go']),
  mod('dd-trace', 'tracing', ['gopkg.in/DataDog/dd-trace-go.v1', 'github.com/DataDog/dd-trace-go']),
  mod('newrelic', 'tracing', ['github.com/newrelic/go-agent']),
  mod('elastic-apm', 'tracing', ['go.elastic.co/apm']),
  mod('sentry', 'tracing', ['github.com/getsentry/sentry-go']),
];

export const GO_PORTS: readonly PortPattern[] = [
  {
    hint: '":',
    pattern: /(?:ListenAndServe(?:TLS)?|\.Run|\.Start|\.Listen|net\.Listen)\(\s*(?:"tcp"\s*,\s*)?"[\w.-]*:(\d{2,5})"/g,
    rank: 1,
  },
  { hint: 'Addr', pattern: /\bAddr\s*:\s*"[\w.-]*:(\d{2,5})"/g, rank: 1 },
  { hint: '= "', pattern: /\b(?:port|Port|PORT|addr|Addr)\s*:?=\s*"(?:[\w.-]*:)?(\d{2,5})"/g, rank: 2 },
];

export const GO_ENTRY_MARKERS: readonly EntryMarker[] = [
  { kind: 'package-main', hint: 'package main', pattern: /^package main\b/m },
  { kind: 'main', hint: 'func main()', pattern: /^func main\(\)/m },
  // gin's r.Run() (echo has no such default): listens on :8080, or on $PORT when it is set.
  { kind: 'run-no-address', hint: '.Run()', pattern: /\.Run\(\s*\)/ },
];

export const GO_TABLE: LanguageTable = {
  language: 'go',
  importSeparator: '/',
  rules: GO_RULES,
  ports: GO_PORTS,
  entryMarkers: GO_ENTRY_MARKERS,
};

export const GO_AGENTS: readonly CommandAgent[] = [];
