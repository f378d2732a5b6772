import { useQuery } from '@tanstack/react-query';
import { hasRole, useMe } from '../../api/session.ts';
import { settingsQuery } from '../../api/settings.ts';
import { PageHeader } from '../../ui/page-header.tsx';
import { ErrorState, Loading } from '../../ui/states.tsx';
import { AlertThresholds } from './alert-thresholds.tsx';
import { MyNotifications } from './notifications.tsx';
import { SettingsTable } from './settings-table.tsx';
import { VatRates } from './vat-rates.tsx';
import { Webhooks } from './webhooks.tsx';

const ADMIN_PARTS = [
  ['configuration', 'Configuration'],
  ['vat', 'Reduced VAT rates'],
  ['thresholds', 'Alert thresholds'],
  ['webhooks', 'Webhook endpoints'],
  ['notifications', 'My notifications'],
] as const;

function Configuration() {
  const settings = useQuery(settingsQuery);
  if (settings.isPending) return <Loading label="Loading settings…" />;
  if (settings.error)
    return (
      <ErrorState
        error={settings.error}
        title="The settings could not be loaded"
        onRetry={() => void settings.refetch()}
      />
    );
  return (
    <div className="grid gap-4 xl:grid-cols-2">
      {settings.data.groups.map((g) => (
        <SettingsTable key={g.id} title={g.title} items={g.items} />
      ))}
    </div>
  );
}

/**
 * Everyone: their own notifications and the alert thresholds (read-only). Admins also: the
 * configuration behind the numbers, reduced VAT rates, editing thresholds and webhook endpoints.
 */
export default function SettingsPage() {
  const me = useMe();
  const isAdmin = hasRole(me.role, 'admin');
  if (!isAdmin)
    return (
      <>
        <PageHeader
          title="Settings"
          description="Your own notifications, and the thresholds that decide when a task is raised. The rest of the configuration is for admins."
        />
        <div className="space-y-4">
          <MyNotifications isAdmin={false} />
          <div id="thresholds" className="scroll-mt-16">
            <AlertThresholds canEdit={false} />
          </div>
        </div>
      </>
    );
  return (
    <>
      <PageHeader
        title="Settings"
        description="The configuration behind your numbers, and where each value comes from. Values from the environment or defaults change by setting the variable and restarting AWA; secrets are never shown."
      />
      <nav aria-label="Parts of the settings" className="mb-3 flex flex-wrap gap-x-4 gap-y-1 text-sm">
        {ADMIN_PARTS.map(([id, label]) => (
          <a key={id} href={`#${id}`} className="link">
            {label}
          </a>
        ))}
      </nav>
      <div id="configuration" className="scroll-mt-16">
        <Configuration />
      </div>
      <div className="mt-4 space-y-4">
        <div id="vat" className="scroll-mt-16">
          <VatRates />
        </div>
        <div id="thresholds" className="scroll-mt-16">
          <AlertThresholds canEdit />
        </div>
        <Webhooks />
        <MyNotifications isAdmin />
      </div>
    </>
  );
}
