import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { HttpDeps } from '../../http/deps.ts';
import { Paged, withErrors } from '../../http/schemas.ts';
import { lazySubmitter } from '../repricer/listings.client.ts';
import { act } from './actions.service.ts';
import * as s from './tasks.schemas.ts';
import * as tasks from './tasks.service.ts';
import type { TaskState, TaskType } from './tasks.types.ts';
import { listThresholds, setThresholds } from './thresholds.service.ts';

const split = <T extends string>(v: string | undefined) => (v ? (v.split(',') as T[]) : undefined);

export async function tasksRoutes(fastify: FastifyInstance, deps: HttpDeps): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tdeps = { db: deps.db, clock: deps.clock };
  // acting may set a price: live mode sends it with the repricer's submitter (one per server)
  const actDeps = {
    ...tdeps,
    config: deps.config,
    log: deps.log,
    submitter: lazySubmitter(deps.config, deps),
  };

  app.get(
    '/tasks',
    {
      schema: {
        tags: ['inbox'],
        summary: 'The decision inbox: tasks by state, type, severity, vendor, ASIN, assignee or due date',
        querystring: Type.Object(
          { ...s.ListQuery.properties, state: Type.Optional(s.ListQuery.properties.state) },
          { additionalProperties: false },
        ),
        response: withErrors({ 200: Paged(s.TaskItem) }),
      },
    },
    async (req) => {
      const q = req.query;
      return tasks.listTasks(tdeps, {
        ...q,
        state: split<TaskState>(q.state) ?? ['open', 'snoozed'],
        type: split<TaskType>(q.type),
        severity: split(q.severity),
      });
    },
  );

  app.get(
    '/tasks/counts',
    {
      schema: {
        tags: ['inbox'],
        summary: 'Open tasks in all, per severity and per type (the badge)',
        response: withErrors({ 200: s.Counts }),
      },
    },
    async () => tasks.taskCounts(tdeps),
  );

  app.get(
    '/tasks/thresholds',
    {
      schema: {
        tags: ['inbox'],
        summary: "The rules' thresholds: value, default and allowed range",
        response: withErrors({ 200: Type.Array(s.Threshold) }),
      },
    },
    async () => listThresholds(tdeps),
  );

  app.put(
    '/tasks/thresholds',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['inbox'],
        summary: 'Change thresholds (all or none; null = default); the next evaluation uses them',
        body: s.ThresholdsBody,
        response: withErrors({ 200: Type.Array(s.Threshold) }),
      },
    },
    async (req) => {
      const out = await setThresholds(tdeps, req.body.values, req.principal!.name, req.body.dry_run);
      if (!req.body.dry_run) req.auditEvent = { event: 'task_thresholds_changed', details: req.body.values };
      return out;
    },
  );

  app.post(
    '/tasks/transition',
    {
      config: { role: 'ops' },
      schema: {
        tags: ['inbox'],
        summary:
          'Move many tasks at once; each answered on its own (a task its state forbids is an item error)',
        body: s.BulkBody,
        response: withErrors({ 200: s.BulkResult }),
      },
    },
    async (req) => {
      const { ids, ...input } = req.body;
      return tasks.transitionMany(tdeps, ids, input, req.principal!.name);
    },
  );

  app.get(
    '/tasks/:id',
    {
      schema: {
        tags: ['inbox'],
        summary: 'A task with what it carries and its history',
        params: s.TaskId,
        response: withErrors({ 200: s.TaskDetail }),
      },
    },
    async (req) => tasks.getTask(tdeps, req.params.id),
  );

  app.post(
    '/tasks/:id/transition',
    {
      config: { role: 'ops' },
      schema: {
        tags: ['inbox'],
        summary: 'Snooze, finish, dismiss or reopen a task (409 when its state does not allow it)',
        params: s.TaskId,
        body: s.TransitionBody,
        response: withErrors({ 200: s.TaskItem }),
      },
    },
    async (req) => tasks.transition(tdeps, req.params.id, req.body, req.principal!.name),
  );

  app.post(
    '/tasks/:id/assign',
    {
      config: { role: 'ops' },
      schema: {
        tags: ['inbox'],
        summary: 'Give a task to someone (null: nobody)',
        params: s.TaskId,
        body: s.AssignBody,
        response: withErrors({ 200: s.TaskItem }),
      },
    },
    async (req) => tasks.assign(tdeps, req.params.id, req.body.assignee, req.principal!.name),
  );

  app.post(
    '/tasks/:id/act',
    {
      config: { role: 'ops' },
      schema: {
        tags: ['inbox'],
        summary:
          "Run the task's default action (or an alternative) through its service; dry_run shows what it would do",
        params: s.TaskId,
        body: s.ActBody,
        response: withErrors({ 200: s.ActResult }),
      },
    },
    async (req) => {
      const out = await act(actDeps, req.params.id, req.body, req.principal!.name);
      if (!out.dry_run)
        req.auditEvent = { event: 'task_acted', details: { id: req.params.id, action: out.action.kind } };
      return out;
    },
  );
}
