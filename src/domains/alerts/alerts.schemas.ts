import { Type } from '@sinclair/typebox';
import { DateTime, Literals, Nullable } from '../../http/schemas.ts';
import { ALERT_TYPES, SEVERITIES } from './alerts.types.ts';

const Severity = Literals(SEVERITIES);
const Types = Nullable(Type.Array(Literals(ALERT_TYPES), { description: 'null: every type' }));

export const Endpoint = Type.Object(
  {
    id: Type.Integer(),
    url: Type.String(),
    description: Nullable(Type.String()),
    min_severity: Severity,
    task_types: Types,
    origin: Literals(['config', 'admin'], { description: 'config: WEBHOOK_URLS (read-only here)' }),
    enabled: Type.Boolean(),
    disabled_reason: Nullable(Type.String()),
    created_at: DateTime(),
  },
  { $id: 'WebhookEndpoint' },
);

export const CreatedEndpoint = Type.Object(
  {
    ...Endpoint.properties,
    secret: Type.String({ description: 'whsec_… signing secret: shown this once, store it now' }),
  },
  { $id: 'CreatedWebhookEndpoint' },
);

export const EndpointBody = Type.Object(
  {
    url: Type.String({ minLength: 8, maxLength: 2048, description: 'https:// (http:// only on loopback)' }),
    description: Type.Optional(Type.String({ maxLength: 200 })),
    min_severity: Type.Optional(Severity),
    task_types: Type.Optional(Types),
  },
  { additionalProperties: false },
);

export const TestResult = Type.Object(
  {
    channel: Literals(['telegram', 'email', 'webhook']),
    status: Literals(['delivered', 'failed']),
    attempts: Type.Integer(),
    error: Type.Optional(Type.String()),
    targets: Type.Array(
      Type.Object({
        id: Type.Integer(),
        address: Type.String(),
        status: Type.String(),
        attempts: Type.Integer(),
        error: Type.Optional(Type.String()),
      }),
    ),
  },
  { $id: 'NotificationTestResult' },
);

const QuietHours = Type.Object(
  {
    start: Type.String({ description: 'HH:MM, local time' }),
    end: Type.String({ description: 'HH:MM; may be earlier than start (overnight)' }),
    timezone: Type.String({ description: 'IANA zone such as Europe/Berlin' }),
  },
  { description: 'critical alerts are never held back' },
);

export const Subscription = Type.Object(
  {
    channel: Literals(['telegram', 'email']),
    address: Type.String(),
    min_severity: Severity,
    task_types: Types,
    quiet_hours: Nullable(QuietHours),
    enabled: Type.Boolean(),
    disabled_reason: Nullable(Type.String()),
  },
  { $id: 'NotificationSubscription' },
);

export const SubscriptionBody = Type.Object(
  {
    address: Type.Optional(
      Type.String({
        maxLength: 320,
        description: 'Telegram chat id, or e-mail (default: your sign-in e-mail)',
      }),
    ),
    min_severity: Type.Optional(Severity),
    task_types: Type.Optional(Types),
    quiet_hours: Type.Optional(Nullable(QuietHours)),
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const ChannelStatus = Type.Object(
  {
    channel: Literals(['telegram', 'email', 'webhook']),
    configured: Type.Boolean({ description: 'the server has what it needs to send on it' }),
    variable: Nullable(Type.String({ description: 'the environment variable that sets it up' })),
  },
  { $id: 'NotificationChannelStatus' },
);

export const SubscriptionChannel = Type.Object({ channel: Literals(['telegram', 'email']) });

export const DeliveryItem = Type.Object(
  {
    id: Type.Integer(),
    key: Type.String({ description: 'idempotency key: webhook-id, e-mail Message-ID' }),
    target_id: Type.Integer(),
    channel: Type.String(),
    kind: Type.String(),
    severity: Severity,
    state: Literals(['pending', 'sending', 'delivered', 'failed']),
    attempts: Type.Integer(),
    alerts: Type.Integer(),
    uncertain: Type.Boolean({ description: 'a part was resent after a crash left its first send unknown' }),
    last_error: Nullable(Type.String()),
    created_at: DateTime(),
    delivered_at: Nullable(DateTime()),
  },
  { $id: 'NotificationDelivery' },
);
