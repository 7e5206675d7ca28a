// Types for the parts of dynalite (plain JavaScript) the sandbox uses.
declare module 'dynalite' {
  import type { Server } from 'node:http';
  interface DynaliteOptions { path?: string; createTableMs?: number; deleteTableMs?: number; updateTableMs?: number; maxItemSizeKb?: number }
  function dynalite(options?: DynaliteOptions): Server;
  export = dynalite;
}
declare module 'dynalite/validations' {
  /** Parses the request's expressions into `data._condition` etc.; returns an error message or undefined. */
  export function validateExpressions(data: Record<string, unknown>): string | undefined;
}
declare module 'dynalite/db' {
  /** An Error with statusCode/body when `data`'s condition is false for `existingItem`, else null/undefined. */
  export function checkConditional(data: Record<string, unknown>, existingItem: Record<string, unknown> | undefined): Error | null | undefined;
}
