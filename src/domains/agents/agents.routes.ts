import { Readable } from 'node:stream';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { HttpDeps } from '../../http/deps.ts';
import { DateTime, Literals, Nullable, Paged, withErrors } from '../../http/schemas.ts';
import * as service from './agents.service.ts';
import { agentStatus } from './agents.status.ts';

const PageQuery = {
  page: Type.Integer({ minimum: 1, default: 1 }),
  page_size: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
};
const RUN_STATUSES = ['running', 'success', 'failed', 'skipped', 'tripped'] as const;

const Agent = Type.Object(
  {
    name: Type.String(),
    description: Type.String(),
    schedule: Nullable(Type.String({ description: 'cron expression (UTC); null: on demand only' })),
  },
  { $id: 'Agent' },
);

// null: a figure that was not a finite number (JSON has no NaN); the serialiser would throw on a
// value outside this union, so it is as wide as what a run may store
const Figure = Type.Union([Type.Number(), Type.String(), Type.Null()]);

/** One agent_runs row; `counts` carries the run's figures (and `stage` while it runs). */
const AgentRun = Type.Object(
  {
    agent: Type.String(),
    run_id: Type.String({ format: 'uuid' }),
    status: Literals(RUN_STATUSES),
    dry_run: Type.Boolean(),
    trigger: Literals(['manual', 'schedule', 'api'] as const),
    job_id: Nullable(Type.String()),
    counts: Type.Record(Type.String(), Figure, {
      description: 'per-run figures (rows, inserted…); a running job also reports its `stage`',
    }),
    reason: Nullable(Type.String()),
    error: Nullable(Type.String()),
    started_at: DateTime(),
    finished_at: Nullable(DateTime()),
    duration_ms: Nullable(Type.Number()),
  },
  { $id: 'AgentRun' },
);

const AgentState = Type.Object(
  {
    name: Type.String(),
    description: Type.String(),
    schedule: Nullable(Type.String({ description: 'cron expression (UTC); null: on demand only' })),
    interval_ms: Nullable(Type.Number({ description: 'the gap between two scheduled runs now' })),
    next_due_at: Nullable(DateTime()),
    runnable: Type.Boolean({ description: 'can run without input (POST /agents/{name}/run)' }),
    last_run: Nullable(AgentRun),
    last_success_at: Nullable(DateTime({ description: 'the last real (not dry-run) success' })),
    stale: Type.Boolean({
      description: 'missed its schedule: no real success within twice its interval',
    }),
    stale_since: Nullable(DateTime()),
    failed: Type.Boolean({ description: 'the newest run failed' }),
  },
  { $id: 'AgentState' },
);

const QueuedRun = Type.Object({
  job_id: Type.String({ description: 'follow it at GET /jobs/{job_id}' }),
  agent: Type.String(),
  dry_run: Type.Boolean(),
  state: Literals(['created']),
});

const JOB_STATUSES = [
  'queued',
  'retrying',
  'running',
  'success',
  'skipped',
  'tripped',
  'failed',
  'cancelled',
] as const;

const Job = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    status: Literals(JOB_STATUSES, { description: 'the job as a user reads it' }),
    queue_state: Type.String({
      description: "the queue's own word: created, retry, active, completed, cancelled or failed",
    }),
    data: Type.Unknown({ description: 'the payload the job was queued with' }),
    stage: Type.String({
      description: 'queued, a stage of the running job (e.g. parse, merge), done or failed',
    }),
    progress: Type.Optional(
      Type.Record(Type.String(), Figure, {
        description: "the running attempt's interim counts",
      }),
    ),
    result: Type.Optional(Type.Unknown({ description: 'the detailed outcome (e.g. an import summary)' })),
    error: Type.Optional(Nullable(Type.String())),
    retry_count: Type.Integer(),
    created_on: DateTime(),
    started_on: Nullable(DateTime()),
    completed_on: Nullable(DateTime()),
    runs: Type.Array(AgentRun, { description: 'the runs it produced, one per attempt, newest first' }),
  },
  { $id: 'Job' },
);

export async function agentsRoutes(fastify: FastifyInstance, deps: HttpDeps): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/agents',
    {
      schema: {
        tags: ['agents'],
        summary: 'Defined agents and their schedules',
        response: withErrors({ 200: Type.Object({ items: Type.Array(Agent) }) }),
      },
    },
    async () => ({
      items: service.listAgents(deps.config),
    }),
  );

  app.get(
    '/agents/status',
    {
      schema: {
        tags: ['agents'],
        summary:
          'Each agent with its schedule, newest run (status, duration, counts, error) and whether it ' +
          'missed its schedule (stale), as of now',
        response: withErrors({ 200: Type.Object({ items: Type.Array(AgentState) }) }),
      },
    },
    async () => ({ items: await agentStatus(deps) }),
  );

  app.get(
    '/agents/runs',
    {
      schema: {
        tags: ['agents'],
        summary: 'Recent agent runs, newest first',
        querystring: Type.Object({
          agent: Type.Optional(Type.String({ maxLength: 64 })),
          status: Type.Optional(Literals(RUN_STATUSES)),
          ...PageQuery,
        }),
        response: withErrors({ 200: Paged(AgentRun) }),
      },
    },
    async (req) => service.recentRuns(deps.db, req.query),
  );

  app.get(
    '/agents/runs.csv',
    {
      schema: {
        tags: ['agents'],
        summary: 'Every agent run GET /agents/runs matches (same filters, no paging) as a CSV download',
        querystring: Type.Object(
          {
            agent: Type.Optional(Type.String({ maxLength: 64 })),
            status: Type.Optional(Literals(RUN_STATUSES)),
          },
          { additionalProperties: false },
        ),
        response: withErrors({
          200: {
            description: 'CSV (RFC 4180) as the attachment awa-agent-runs-<YYYY-MM-DD>.csv',
            content: { 'text/csv': { schema: Type.Unsafe<string | Readable>(Type.String()) } },
          },
        }),
      },
    },
    async (req, reply) => {
      const { filename, lines } = service.runsCsv(deps.db, req.query, deps.clock.now());
      const body = Readable.from(lines);
      body.on('error', (err) => req.log.error({ err }, 'agent runs csv export failed'));
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${filename}"`)
        .send(body);
    },
  );

  app.post(
    '/agents/:name/run',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['agents'],
        summary: 'Queue one run of an agent now',
        params: Type.Object({ name: Type.String({ pattern: '^[a-z][a-z0-9_-]{0,63}$' }) }),
        body: Type.Optional(
          Type.Object({ dry_run: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
        ),
        response: withErrors({ 202: QueuedRun }),
      },
    },
    async (req, reply) => {
      const out = await service.enqueueAgent(deps.jobs, req.params.name, req.body?.dry_run ?? false);
      req.auditEvent = {
        event: 'agent_run',
        details: { agent: out.agent, dry_run: out.dry_run, job_id: out.job_id },
      };
      return reply.status(202).send(out);
    },
  );

  app.get(
    '/jobs/:id',
    {
      schema: {
        tags: ['jobs'],
        summary: 'State of a background job and the runs it produced',
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        response: withErrors({ 200: Job }),
      },
    },
    async (req) => service.jobStatus(deps.jobs, deps.db, req.params.id),
  );
}
