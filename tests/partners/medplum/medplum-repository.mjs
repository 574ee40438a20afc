// Medplum's MemoryRepository with the two things @medplum/server's own Repository does on top of
// it and a partner's Medplum would do to us: every write is checked with Medplum's validator
// (validateResource from @medplum/core, as the server's strict mode), and searches page as the
// server's searchImpl does (packages/server/src/fhir/search.ts): 20 per page unless _count says,
// at most 1000, one row more than the page to know whether there is a next one, and offset links
// (self, first, next, previous) built with core's formatSearchQuery on the server's base URL.
import { AsyncLocalStorage } from 'node:async_hooks';

import {
  DEFAULT_MAX_SEARCH_COUNT,
  DEFAULT_SEARCH_COUNT,
  concatUrls,
  formatSearchQuery,
  validateResource,
} from '@medplum/core';
import { MemoryRepository } from '@medplum/fhir-router';

// Per request: { baseUrl, maxCount } of the mount the request came in on (see server.mjs).
export const requestContext = new AsyncLocalStorage();

// Errors refuse the write (the validator throws); warnings are logged for the record.
function validate(resource) {
  for (const issue of validateResource(resource))
    process.stderr.write(`validator ${issue.severity} ${resource.resourceType}: ${issue.expression?.join(', ')}: ${issue.details?.text}\n`);
}

export class MedplumServerRepository extends MemoryRepository {
  async createResource(resource, options, update = false) {
    validate(resource);
    return super.createResource(resource, options, update);
  }

  async updateResource(resource, options) {
    validate(resource);
    return super.updateResource(resource, options);
  }

  async search(searchRequest) {
    const context = requestContext.getStore();
    // Searches the router makes for itself (conditional create, transaction identities) are
    // not pages anyone reads: leave them as MemoryRepository does them.
    if (!context) return super.search(searchRequest);

    const maxCount = Math.min(context.maxCount ?? DEFAULT_MAX_SEARCH_COUNT, DEFAULT_MAX_SEARCH_COUNT);
    const count = Math.min(searchRequest.count ?? DEFAULT_SEARCH_COUNT, maxCount);
    const offset = searchRequest.offset ?? 0;
    const request = { ...searchRequest, count, offset };

    const bundle = await super.search({ ...request, count: count + 1 });
    const entries = bundle.entry ?? [];
    const hasNext = entries.length > count;
    const page = entries.slice(0, count);
    for (const entry of page) {
      entry.search = { mode: 'match' };
    entry.fullUrl = concatUrls(context.baseUrl, `fhir/R4/${entry.resource.resourceType}/${entry.resource.id}`);
    }

    const url = (r) => concatUrls(context.baseUrl, `fhir/R4/${r.resourceType}${formatSearchQuery(r)}`);
    const link = [{ relation: 'self', url: url(request) }];
    if (count > 0 && page.length > 0) {
      link.push({ relation: 'first', url: url({ ...request, offset: 0 }) });
      if (hasNext) link.push({ relation: 'next', url: url({ ...request, offset: offset + count }) });
      if (offset > 0) link.push({ relation: 'previous', url: url({ ...request, offset: Math.max(0, offset - count) }) });
    }

    // Like the server, Bundle.total only when _total asks for it.
    const total = searchRequest.total === 'accurate' || searchRequest.total === 'estimate' ? bundle.total : undefined;
    return { resourceType: 'Bundle', type: 'searchset', entry: page.length ? page : undefined, total, link };
  }
}
