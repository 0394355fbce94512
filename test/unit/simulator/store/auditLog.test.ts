/**
 * The compact audit log: rows of ids turned back into entries when read, request labels shared by a
 * request's rows, rows of a failed request forgotten with their labels and rare parts.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { AuditLog, type AuditEdgeRow, type EdgeAuditEntry } from '../../../../server/src/core/simulator/store/audit';

const keys = ['managed/user/bjensen', 'managed/user/psmith', 'managed/role/admin'];
const properties = ['manager', 'reports', ''];
const log = () => new AuditLog({
  key: (id) => keys[id],
  property: (id) => (id < 0 || properties[id] === '' ? undefined : properties[id]),
  counter: (value) => `rev-${value}`,
});
const row = (seq: number, refProperties?: Record<string, unknown>): AuditEdgeRow => ({ seq, rev: seq + 1, fromKeyId: 1, fromPropertyId: 0, toKeyId: 0, toPropertyId: 1, refProperties });
const edges = (audit: AuditLog) => audit.entries() as EdgeAuditEntry[];

describe('AuditLog', () => {
  it('builds entries from rows: both ends by name, counters formatted, 1-based positions', () => {
    const audit = log();
    audit.edge('create', 'request', 'PUT managed/user/psmith', row(7, { since: 2020 }));
    assert.deepEqual(audit.entries(), [{
      kind: 'relationship', seq: 1, operation: 'create', cause: 'request', request: 'PUT managed/user/psmith',
      edgeId: 'rev-7', rev: 'rev-8',
      from: { ref: 'managed/user/psmith', property: 'manager' }, to: { ref: 'managed/user/bjensen', property: 'reports' },
      refProperties: { since: 2020 },
    }]);
  });

  it('names no property at the pointed-to end of a one-way edge, and keeps the previous state of an update', () => {
    const audit = log();
    audit.edge('update', 'request', 'PATCH managed/user/psmith', { ...row(9), toKeyId: 2, toPropertyId: -1 }, { ...row(9), rev: 3, toPropertyId: 2 });
    const [entry] = edges(audit);
    assert.deepEqual(entry.to, { ref: 'managed/role/admin', property: undefined });
    assert.deepEqual(entry.previous, { from: { ref: 'managed/user/psmith', property: 'manager' }, to: { ref: 'managed/user/bjensen', property: undefined }, rev: 'rev-3', refProperties: {} });
  });

  it('gives copies of _refProperties, so a reader cannot change the log', () => {
    const audit = log();
    audit.edge('create', 'request', 'POST x', row(1, { grant: 'a' }));
    (edges(audit)[0].refProperties as Record<string, unknown>).grant = 'changed';
    audit.edge('delete', 'request', 'DELETE x', row(2));
    assert.equal(edges(audit)[0].refProperties.grant, 'a', 'a new read after a write');
  });

  it('shares a label between the rows of one request and forgets the rows and labels of a failed one', () => {
    const audit = log();
    audit.edge('create', 'request', 'PUT a', row(1));
    audit.edge('create', 'request', 'PUT a', row(2));
    const before = audit.length;
    audit.edge('delete', 'referential-integrity', 'DELETE b', row(3, { kept: false }));
    audit.populate(5, 4);
    audit.truncate(before);
    assert.equal(audit.length, 2);
    audit.edge('create', 'request', 'PUT c', row(4));
    const entries = edges(audit);
    assert.deepEqual(entries.map((e) => [e.seq, e.request, e.refProperties]), [[1, 'PUT a', {}], [2, 'PUT a', {}], [3, 'PUT c', {}]]);
  });

  it('records populate as one summary entry', () => {
    const audit = log();
    audit.populate(73, 120);
    assert.deepEqual(audit.entries(), [{ kind: 'populate', seq: 1, objects: 73, edges: 120 }]);
  });
});
