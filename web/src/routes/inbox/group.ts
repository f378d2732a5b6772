import type { Task } from '../../api/tasks.ts';
import type { Group } from './search.ts';
import { typeWords } from './words.ts';

export interface TaskGroup {
  key: string;
  label: string;
  tasks: Task[];
}

/**
 * The page's tasks in groups (by type, or by vendor with "No vendor" for ASIN and agent tasks). The
 * API sends them most severe and earliest due first: each group keeps that order, and the groups
 * come in the order of their first (so most urgent) task.
 */
export function groupTasks(
  tasks: readonly Task[],
  by: Group,
  vendorName: (id: number) => string | undefined,
): TaskGroup[] {
  const groups = new Map<string, TaskGroup>();
  for (const t of tasks) {
    let key: string;
    let label: string;
    if (by === 'type') {
      key = t.type;
      label = typeWords(t.type);
    } else if (t.vendor_id === null) {
      key = 'none';
      label = 'No vendor';
    } else {
      key = `v${t.vendor_id}`;
      label = vendorName(t.vendor_id) ?? `Vendor #${t.vendor_id}`;
    }
    const g = groups.get(key) ?? { key, label, tasks: [] };
    g.tasks.push(t);
    groups.set(key, g);
  }
  return [...groups.values()];
}

/** The row after (+1) or before (-1) `id` in reading order, staying on the first or last. */
export function step(order: readonly number[], id: number | null, by: 1 | -1): number | null {
  if (order.length === 0) return null;
  const i = id === null ? -1 : order.indexOf(id);
  if (i === -1) return order[0]!;
  return order[Math.min(order.length - 1, Math.max(0, i + by))]!;
}
