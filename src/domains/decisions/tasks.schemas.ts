/** Request and response schemas of the inbox routes (SPEC §10, §13). */
import { Type } from '@sinclair/typebox';
import { DateTime, Literals, Nullable } from '../../http/schemas.ts';
import { SEVERITIES, STATES, TARGET_STATES, TASK_TYPES } from './tasks.types.ts';

/** A typed choice for requests (Literals types responses as plain strings). */
const OneOf = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));

export const Id = Type.Integer({ minimum: 1, maximum: 2 ** 53 - 1 });
export const TaskId = Type.Object({ id: Id }, { additionalProperties: false });

/** A comma-separated list of known words: `state=open,snoozed`. */
const ListOf = (words: readonly string[], what: string) =>
  Type.String({
    pattern: `^(${words.join('|')})(,(${words.join('|')}))*$`,
    description: `${what}, comma-separated: ${words.join(', ')}`,
  });

export const ListQuery = Type.Object(
  {
    state: ListOf(STATES, 'states (default open,snoozed)'),
    type: Type.Optional(ListOf(TASK_TYPES, 'task types')),
    severity: Type.Optional(ListOf(SEVERITIES, 'severities')),
    vendor_id: Type.Optional(Id),
    asin: Type.Optional(Type.String({ pattern: '^[A-Z0-9]{10}$' })),
    sku: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    assignee: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    due_before: Type.Optional(Type.String({ format: 'date-time', description: 'due before this time' })),
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'a word of the title' })),
    sort: Type.Optional(OneOf(['severity', 'due', 'created', 'updated'] as const)),
    page: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 1 }),
    page_size: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
  },
  { additionalProperties: false },
);

const Why = Type.Object({
  code: Type.String(),
  message: Type.String({ description: 'the reason as a sentence, e.g. "ROI 3.2 % < 15 % target"' }),
  metric: Type.String(),
  value: Nullable(Type.Union([Type.Number(), Type.String()])),
  threshold: Nullable(Type.Union([Type.Number(), Type.String()])),
});

const Action = Type.Object({
  kind: Type.String({
    description:
      'apply_price, create_po, set_product_status, raise_floor (run by POST …/act) or open (a link)',
  }),
  label: Type.String(),
  params: Type.Record(Type.String(), Type.Unknown()),
});

const TaskFields = {
  id: Type.Integer(),
  type: Literals(TASK_TYPES),
  dedup_key: Type.String(),
  state: Literals(STATES),
  severity: Literals(SEVERITIES),
  title: Type.String(),
  why: Type.Array(Why),
  links: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()]), {
    description: 'asin, sku, vendor_id, price_list_id, plan_id, run_id, agent: where to look',
  }),
  action: Nullable(Type.Object({ default: Action, alternatives: Type.Array(Action) })),
  marketplace: Nullable(Type.String()),
  asin: Nullable(Type.String()),
  sku: Nullable(Type.String()),
  vendor_id: Nullable(Type.Integer()),
  due: Nullable(DateTime()),
  snoozed_until: Nullable(DateTime()),
  expires_at: Nullable(DateTime()),
  assignee: Nullable(Type.String()),
  created_at: DateTime(),
  updated_at: DateTime(),
  state_changed_at: DateTime(),
};

export const TaskItem = Type.Object(TaskFields);

const TaskEvent = Type.Object({
  id: Type.Integer(),
  at: DateTime(),
  kind: Type.String(),
  actor: Type.String(),
  note: Nullable(Type.String()),
  before: Type.Unknown(),
  after: Type.Unknown(),
});

export const TaskDetail = Type.Object({
  ...TaskFields,
  details: Type.Unknown({ description: "what the task carries: a plan's lines, a list's costs" }),
  events: Type.Array(TaskEvent),
});

const Note = Type.String({ minLength: 1, maxLength: 2000 });

export const TransitionBody = Type.Object(
  {
    to: OneOf(TARGET_STATES),
    until: Type.Optional(Type.String({ format: 'date-time', description: 'to snooze: until this time' })),
    for_hours: Type.Optional(
      Type.Number({
        minimum: 0.01,
        maximum: 8760,
        description: "to snooze: for this long from the server's now (a browser's clock may be off)",
      }),
    ),
    note: Type.Optional(Note),
  },
  { additionalProperties: false },
);

export const BulkBody = Type.Object(
  {
    ids: Type.Array(Id, { minItems: 1, maxItems: 500 }),
    to: OneOf(TARGET_STATES),
    until: Type.Optional(Type.String({ format: 'date-time' })),
    for_hours: Type.Optional(Type.Number({ minimum: 0.01, maximum: 8760 })),
    note: Type.Optional(Note),
  },
  { additionalProperties: false },
);

export const BulkResult = Type.Object({
  moved: Type.Integer(),
  items: Type.Array(
    Type.Object({
      id: Type.Integer(),
      ok: Type.Boolean(),
      state: Type.Optional(Literals(STATES)),
      error: Type.Optional(Type.Object({ code: Type.String(), message: Type.String() })),
    }),
  ),
});

export const AssignBody = Type.Object(
  { assignee: Nullable(Type.String({ minLength: 1, maxLength: 200 })) },
  { additionalProperties: false },
);

export const ActBody = Type.Object(
  {
    action: Type.Optional(
      Type.Union([Type.Literal('default'), Type.Integer({ minimum: 0, maximum: 20 })], {
        description: '"default" or the index of an alternative',
      }),
    ),
    dry_run: Type.Optional(Type.Boolean()),
    note: Type.Optional(Note),
  },
  { additionalProperties: false },
);

export const ActResult = Type.Object({
  dry_run: Type.Boolean(),
  task: TaskItem,
  action: Action,
  result: Type.Unknown({ description: "the owning service's answer (a price decision, an order)" }),
});

export const Counts = Type.Object({
  open: Type.Integer(),
  by_severity: Type.Record(Type.String(), Type.Integer()),
  by_type: Type.Record(Type.String(), Type.Integer()),
});

export const Threshold = Type.Object({
  key: Type.String(),
  value: Type.Number(),
  default: Type.Number(),
  min: Type.Number(),
  max: Type.Number(),
  integer: Type.Boolean(),
  unit: Nullable(Type.String()),
  description: Type.String(),
  updated_by: Nullable(Type.String()),
  updated_at: Nullable(DateTime()),
});

export const ThresholdsBody = Type.Object(
  {
    values: Type.Record(
      Type.String({ maxLength: 100 }), // `nullable`, not a union with null: with type coercion on, the union would turn null into 0
      Type.Unsafe<number | null>({ type: 'number', nullable: true }),
      {
        description: 'key → value; null puts the default back',
      },
    ),
    dry_run: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
