import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig, loadEnv } from 'vite';

// The folder of this file, as a path (no Node types in the web tsconfig).
const here = decodeURIComponent(new URL('.', import.meta.url).pathname);

export default defineConfig(({ mode }) => {
  // loadEnv also returns the process environment's AWA_* variables.
  const env = loadEnv(mode, here, 'AWA_');
  const apiPort = env['AWA_API_PORT'] ?? '8000';
  const devToken = env['AWA_DEV_TOKEN'];
  return {
    root: here,
    plugins: [react(), tailwindcss()],
    build: {
      // The API process serves this folder at `/` (src/http/static.ts).
      outDir: `${here}../dist/web`,
      emptyOutDir: true,
      assetsDir: 'assets',
      sourcemap: false,
    },
    server: {
      proxy: {
        '/api': {
          target: `http://127.0.0.1:${apiPort}`,
          // Dev only: pages can be built against a real API with a bearer token, before signing in.
          configure: (proxy) => {
            if (!devToken) return;
            proxy.on('proxyReq', (req) => {
              if (!req.getHeader('authorization')) req.setHeader('authorization', `Bearer ${devToken}`);
            });
          },
        },
      },
    },
  };
});
