import { QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { queryClient, router } from './app/router.tsx';
import './styles.css';

// Start downloading the opened page's code now, while the signed-in layout still waits for /me:
// otherwise a cold load fetches /me, then the page's chunk, then its data, one after the other.
for (const match of router.matchRoutes(router.state.location)) {
  const component = (router.routesById as Record<string, { options: { component?: unknown } }>)[match.routeId]
    ?.options.component as { preload?: () => Promise<void> } | undefined;
  component?.preload?.().catch(() => {});
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  </StrictMode>,
);
