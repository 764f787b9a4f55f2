import 'graphiql/style.css';
import './graphiql.css';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { token } from './session';

/** Opens on a query that shows what Vigil holds: the demo's incidents with their sources and the
 * responses that answer them. */
const EXAMPLE = `# Vigil's GraphQL API. Paste your token in the Headers tab below as
#   { "Authorization": "Bearer vigil_..." }
# (the pages' sign-in fills it in for you). Without a token you read what the public may.
{
  incidents(filter: { regions: ["RU"], dateFrom: "2017-01-01", dateTo: "2017-12-31" }, first: 10) {
    totalCount
    edges { node {
      headline kind
      date { edtf asReported precision }
      victims { atLeast atMost basis asReported }
      region { code name }
      citations { excerpt source { publisher title published { edtf } } }
      responses { kind title date { edtf } organizers { role organization { name } } }
    } }
  }
}
`;

// Sent with every request: the JSON content type needs no preflight header for the CSRF check.
const fetcher = createGraphiQLFetcher({ url: `${window.location.origin}/graphql` });
const signedIn = token();

createRoot(document.getElementById('graphiql')!).render(
  createElement(GraphiQL, {
    fetcher,
    defaultQuery: EXAMPLE,
    headers: JSON.stringify(signedIn ? { Authorization: `Bearer ${signedIn}` } : { Authorization: 'Bearer <paste your token here, or delete this line>' }, null, 2),
    defaultEditorToolsVisibility: 'headers',
    shouldPersistHeaders: false,
  }),
);
