// One domain error for services and route handlers, and the one table that maps its codes to
// tRPC codes and HTTP statuses. Services never import tRPC.
export const APP_ERROR_CODES = {
  BAD_REQUEST: { trpc: "BAD_REQUEST", http: 400 },
  UNAUTHORIZED: { trpc: "UNAUTHORIZED", http: 401 },
  FORBIDDEN: { trpc: "FORBIDDEN", http: 403 },
  NOT_FOUND: { trpc: "NOT_FOUND", http: 404 },
  CONFLICT: { trpc: "CONFLICT", http: 409 },
  PAYLOAD_TOO_LARGE: { trpc: "PAYLOAD_TOO_LARGE", http: 413 },
  TOO_MANY_REQUESTS: { trpc: "TOO_MANY_REQUESTS", http: 429 },
  INTERNAL: { trpc: "INTERNAL_SERVER_ERROR", http: 500 },
} as const;

export type AppErrorCode = keyof typeof APP_ERROR_CODES;

export class AppError extends Error {
  readonly code: AppErrorCode;
  /** Field name → messages, for errors a form should show beside its inputs. */
  readonly fieldErrors?: Record<string, string[]>;
  /** Structured problems the client can show in place (e.g. workflow validation issues per node). */
  readonly issues?: readonly unknown[];

  constructor(
    code: AppErrorCode,
    message: string,
    options: { fieldErrors?: Record<string, string[]>; issues?: readonly unknown[]; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.fieldErrors = options.fieldErrors;
    this.issues = options.issues;
  }

  get httpStatus(): number {
    return APP_ERROR_CODES[this.code].http;
  }

  get trpcCode() {
    return APP_ERROR_CODES[this.code].trpc;
  }
}

export const notFound = (what: string) => new AppError("NOT_FOUND", `${what} not found`);
