/**
 * The closed set of domain error codes. Tests match the code, never the prose.
 * The backend maps each code to an HTTP status in exactly one middleware
 * (backend/src/http/errors.ts).
 */
export const ERROR_CODES = {
  // request / input
  BAD_REQUEST: 400,
  NOT_FOUND: 404,
  UNSUPPORTED_MEDIA_TYPE: 415,
  PAYLOAD_TOO_LARGE: 413,
  // trust
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  CSRF: 403,
  ORIGIN_NOT_ALLOWED: 403,
  HOST_NOT_ALLOWED: 421,
  TOO_MANY_REQUESTS: 429,
  CONFIRMATION_REQUIRED: 400,
  USER_EXISTS: 409,
  LAST_ADMIN: 409,
  // plan
  PLAN_INVALID: 422,
  /** Another import changed the stored plan while a staged import was being written: run it again. */
  PLAN_CHANGED: 409,
  // address space
  CIDR_INVALID: 400,
  CIDR_HOST_BITS: 400,
  FAMILY_MISMATCH: 400,
  LENGTH_OUTSIDE_POLICY: 400,
  PREFIX_OUTSIDE_CONTAINER: 409,
  PREFIX_OVERLAP: 409,
  POOL_EXHAUSTED: 409,
  PREFIX_IN_USE: 409,
  ADDRESS_PLAN_MISSING: 422,
  IDEMPOTENCY_CONFLICT: 409,
  // infrastructure
  STORE_UNAVAILABLE: 503,
  SNMP_PROFILE_MISSING: 422,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/**
 * A domain error: a stable `code`, the `field` it concerns (a JSON path such as
 * `links[3].b.interface`, or a query parameter name), a human message, and,
 * where one exists, a `hint` that suggests the fix.
 *
 * @example
 * throw new DomainError('CIDR_HOST_BITS', '10.1.2.3/16 has host bits set', {
 *   field: 'prefix', hint: 'did you mean 10.1.0.0/16?' })
 */
export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly field: string | undefined;
  readonly hint: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, opts: { field?: string; hint?: string; details?: Record<string, unknown> } = {}) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.field = opts.field;
    this.hint = opts.hint;
    this.details = opts.details;
  }

  /** The HTTP status this code maps to. */
  get status(): number {
    return ERROR_CODES[this.code];
  }

  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      message: this.message,
      ...(this.field !== undefined && { field: this.field }),
      ...(this.hint !== undefined && { hint: this.hint }),
      ...(this.details !== undefined && { details: this.details }),
    };
  }
}
