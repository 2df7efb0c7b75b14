/**
 * What a Sandbox route is given and what it throws for an HTTP status: shared by the server and
 * the route modules it calls (admin, marketing, bsuid), so none of them imports the server back.
 */
import type http from 'node:http';

/** A route's answer is this status with this message (a Graph route throws GraphError instead). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface RequestInfo {
  method: string;
  url: URL;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** Extra response headers a route wants sent (e.g. X-Business-Use-Case-Usage). */
  responseHeaders?: Record<string, string>;
}
