import type { FastifyError, FastifyInstance } from 'fastify';
import { AppError, type ErrorKind, statusOf } from '../../platform/errors.ts';

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown; request_id: string };
}

const CODE_BY_STATUS: Record<number, ErrorKind> = {
  400: 'invalid',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'invalid',
  429: 'rate_limited',
  503: 'unavailable',
};

/**
 * One JSON error shape for everything: `{error:{code,message,details?,request_id}}`. 5xx bodies
 * never carry internals (the log has them, found by request_id).
 */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | AppError, req, reply) => {
    let status: number;
    let code: string;
    let message = err.message;
    let details: unknown;
    if (err instanceof AppError) {
      status = err.status;
      code = err.kind;
      details = err.details;
    } else if ((err as FastifyError).validation) {
      status = 400;
      code = 'invalid';
      details = (err as FastifyError).validation?.map((v) => ({
        field: v.instancePath || (v.params as { missingProperty?: string })?.missingProperty || '',
        message: v.message,
      }));
      message = `invalid request: ${err.message}`;
    } else {
      status = (err as FastifyError).statusCode ?? 500;
      code = CODE_BY_STATUS[status] ?? (status >= 500 ? 'internal' : 'invalid');
    }
    if (status >= 500) {
      req.log.error({ err }, 'request failed');
      message = 'internal error';
      details = undefined;
      if (err instanceof AppError && err.kind === 'unavailable') message = err.message;
    }
    if (code === 'internal' && status < 500) code = 'invalid';
    const body: ErrorBody = { error: { code, message, request_id: req.id } };
    if (details !== undefined) body.error.details = details;
    void reply.status(status).send(body);
  });

  app.setNotFoundHandler((req, reply) => {
    const body: ErrorBody = {
      error: {
        code: 'not_found',
        message: `no route ${req.method} ${req.url.split('?')[0]}`,
        request_id: req.id,
      },
    };
    void reply.status(404).send(body);
  });
}

export { statusOf };
