import type { QueryClient } from '@tanstack/react-query';
import type { ComponentType } from 'react';
import type { Role } from '../api/session.ts';

/** A page's entry in the left navigation (`nav` export of its route.tsx); null = not in the nav. */
export interface Nav {
  label: string;
  /** Position in the nav (UI guide order): Dashboard 10, Inbox 20, ROI review 30,
   * Vendors & price lists 40, Restock 50, Purchase orders 60, Repricer 70, Scores 80, Reports 90,
   * Agents 100, Team 110, Settings 120. */
  order: number;
  /** The least role that can use the page; lower roles do not see it. */
  minRole: Role;
  /** Shown after the label (e.g. the inbox's count of open tasks). */
  badge?: ComponentType;
}

export interface NavItem extends Nav {
  to: string;
}

export interface RouterContext {
  queryClient: QueryClient;
  nav: NavItem[];
}
