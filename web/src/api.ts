import type { TadaDocumentNode } from 'gql.tada';
import { print } from 'graphql/language/printer';
import { token } from './session';

export class ApiError extends Error {}

function headers(extra: Record<string, string> = {}, anonymous = false): Record<string, string> {
  const t = anonymous ? null : token();
  return { ...extra, ...(t ? { authorization: `Bearer ${t}` } : {}) };
}

/** One GraphQL request with the viewer's token. A field the viewer may not read comes back null
 * with a FORBIDDEN error; the pages ask only for what the viewer's role reads (see `clearance`),
 * so any error here is a real one. */
export async function request<Result, Variables>(
  document: TadaDocumentNode<Result, Variables>,
  variables: Variables,
  options: { anonymous?: boolean } = {},
): Promise<Result> {
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: headers({ 'content-type': 'application/json' }, options.anonymous),
    body: JSON.stringify({ query: print(document), variables }),
  });
  let body: { data?: Result | null; errors?: { message: string }[] };
  try {
    body = await response.json();
  } catch {
    throw new ApiError(`The service answered ${response.status} without JSON`);
  }
  if (body.errors?.length) throw new ApiError(body.errors.map((e) => e.message).join('; '));
  if (!body.data) throw new ApiError(`The service answered ${response.status} without data`);
  return body.data;
}

/** An export URL (`/exports/incidents.csv?...`) for the given parameters. */
export function exportUrl(file: string, parameters: URLSearchParams): string {
  const query = parameters.toString();
  return `/exports/${file}${query ? `?${query}` : ''}`;
}

/** Fetches an export with the viewer's token (a plain link cannot carry the header), or without
 * it (`anonymous`: the embeddable timeline shows public data only). */
export async function fetchExport(url: string, options: { anonymous?: boolean } = {}): Promise<Response> {
  const response = await fetch(url, { headers: headers({}, options.anonymous) });
  if (!response.ok) {
    let message = `${response.status}`;
    try {
      const body = (await response.json()) as { errors?: { message: string }[]; message?: string };
      message = body.errors?.[0]?.message ?? body.message ?? message;
    } catch {
      /* not JSON */
    }
    throw new ApiError(`The export failed: ${message}`);
  }
  return response;
}

/** Saves an export under its own name: with a token, through a fetch and a blob; without, the
 * link itself downloads. */
export async function download(url: string, fileName: string): Promise<void> {
  const blob = await (await fetchExport(url)).blob();
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}
