/**
 * IDM-shaped errors: `{"code": 404, "reason": "Not Found", "message": "..."}` as CREST writes them.
 * The engine raises `IdmError` internally and turns it into a response at the request boundary,
 * so that every check can stop a request wherever it happens (the request is rolled back).
 */

/** HTTP reason phrases, the one table of them: error bodies, the CLI's output and the editor's response view use it. */
const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  204: 'No Content',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Payload Too Large',
  500: 'Internal Server Error',
  501: 'Not Implemented',
};

export interface IdmErrorBody {
  code: number;
  reason: string;
  message: string;
}

export class IdmError extends Error {
  constructor(readonly status: number, message: string) {
    // A refusal is an answer, not a fault: no stack trace, whose capture was a tenth of a 10,000-request run
    // with 2,000 refusals.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
  }

  get body(): IdmErrorBody {
    return { code: this.status, reason: reasonPhrase(this.status), message: this.message };
  }
}

export function reasonPhrase(status: number): string {
  return STATUS_TEXT[status] ?? 'Error';
}

/** The reason phrase of a status, or '' for one the table lacks. */
export function statusText(status: number): string {
  return STATUS_TEXT[status] ?? '';
}

export const badRequest = (message: string) => new IdmError(400, message);
export const notFound = (message: string) => new IdmError(404, message);
export const preconditionFailed = (message: string) => new IdmError(412, message);

/**
 * A read of an object that does not exist, as the JDBC repository words it (GenericTableHandler.read: "Object " +
 * the resource path + " not found in " + the collection); the DS repository's wording is not public.
 */
export const objectNotFound = (collection: string, key: string) => notFound(`Object ${key} not found in ${collection}`);
