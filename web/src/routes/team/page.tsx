import { PageHeader } from '../../ui/page-header.tsx';

export default function Page() {
  return <PageHeader title="Team and access" description="Being built." />;
}
