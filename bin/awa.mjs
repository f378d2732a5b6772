#!/usr/bin/env node
// Runs the TypeScript sources directly (no build step): tsx compiles on the fly and caches.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
