import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { STIMULUS_STATUSES } from '../../libs/application/src/grants/dtos';
import { startTestApp, TestApp } from '../helpers/test-app';
import { bodyClasses, fieldKinds } from '../security/dto-meta';

/**
 * The OpenAPI document (GET /docs-json, built from the decorators) against what the real app accepts
 * and answers: request bodies are described, every read has a 2xx and an `asOf`, no two DTO classes
 * share a schema name, error answers are JSON, and the values a parameter may take are the ones the
 * server lets through.
 */
interface Schema {
  type?: string;
  format?: string;
  $ref?: string;
  allOf?: Schema[];
  items?: Schema;
  example?: unknown;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  minimum?: number;
  maximum?: number;
}
interface Param {
  name: string;
  in: string;
  required?: boolean;
  schema?: Schema;
}
interface Operation {
  parameters?: Param[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { description?: string; content?: Record<string, unknown> }>;
}
interface Doc {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

const ROOT = resolve(__dirname, '../..');
/** The read routes that name their cut of the log another way (README, "As of a recorded time"): they take no asOf. */
const NO_AS_OF = ['/audit/events', '/audit/verify', '/audit/digest'];
/** A value for each path parameter that passes the route's own checks, so asOf is what the answer is about. */
const SAMPLE: Record<string, string> = {
  year: '2014',
  countyId: 'telemark',
  centreId: 'kc-skien',
  partyId: 'nav-telemark',
  agreementId: 'owners',
  boardId: 'board',
  proposalId: 'proposal',
  applicationId: 'application',
  streamId: 'centre-kc-skien',
  revision: '0',
  eventId: 'event',
};

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') && !/\.(spec|e2e-spec)\.ts$/.test(e.name) ? [join(dir, e.name)] : []));

describe('the OpenAPI document and the server agree', () => {
  let t: TestApp;
  let doc: Doc;
  let auth: { Authorization: string };
  let operations: { path: string; method: string; op: Operation }[];

  const schemaOf = (s: Schema): Schema => (s.$ref ? doc.components.schemas[s.$ref.split('/').pop()!] : s.allOf?.length === 1 ? schemaOf(s.allOf[0]) : s);
  const reads = () => operations.filter((o) => o.method === 'get' && o.path !== '/health');

  beforeAll(async () => {
    t = await startTestApp();
    auth = await t.auth(['auditor']);
    const res = await t.http().get('/docs-json');
    expect(res.status).toBe(200);
    doc = res.body;
    operations = Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ path, method, op })));
  });
  afterAll(async () => t?.close());

  it('no request body is documented as an empty object, nested objects included', () => {
    const empty: string[] = [];
    const seen = new Set<Schema>();
    const visit = (where: string, s: Schema): void => {
      const schema = schemaOf(s);
      if (seen.has(schema)) return;
      seen.add(schema);
      if (schema.type === 'array' && schema.items) return visit(`${where}[]`, schema.items);
      if (schema.type !== 'object' && !schema.properties) return;
      if (!schema.properties || Object.keys(schema.properties).length === 0) empty.push(where);
      for (const [name, p] of Object.entries(schema.properties ?? {})) visit(`${where}.${name}`, p);
    };
    const bodies = operations.filter((o) => o.op.requestBody);
    expect(bodies.length).toBeGreaterThan(40);
    for (const { path, method, op } of bodies) visit(`${method.toUpperCase()} ${path}`, op.requestBody!.content['application/json'].schema);
    expect(empty).toEqual([]);
  });

  it('every write body documents exactly the fields its DTO validates, required where the validator requires them', () => {
    const wrong: string[] = [];
    const bodies = bodyClasses(t.app);
    expect(bodies.size).toBeGreaterThan(40);
    for (const [route, cls] of bodies) {
      const schema = doc.components.schemas[cls.name];
      if (!schema) {
        wrong.push(`${route}: no schema ${cls.name}`);
        continue;
      }
      const kinds = fieldKinds(cls);
      const documented = Object.keys(schema.properties ?? {});
      for (const [field, kind] of Object.entries(kinds)) {
        if (!documented.includes(field)) wrong.push(`${cls.name}.${field}: not documented`);
        else if (kind !== 'domain' && (kind === 'required') !== (schema.required ?? []).includes(field)) wrong.push(`${cls.name}.${field}: ${kind}, documented otherwise`);
      }
      for (const field of documented) if (!(field in kinds)) wrong.push(`${cls.name}.${field}: documented, but the server refuses it`);
    }
    expect(wrong).toEqual([]);
  });

  it('every body property has a type, whole numbers are integers and dates are format date', () => {
    const wrong: string[] = [];
    for (const [name, schema] of Object.entries(doc.components.schemas)) {
      for (const [prop, p] of Object.entries(schema.properties ?? {})) {
        const where = `${name}.${prop}`;
        if (!p.type && !p.$ref && !p.allOf) wrong.push(`${where}: no type (documented as any object)`);
        if (p.type === 'number') wrong.push(`${where}: number (every number the DTOs take is whole)`);
        if (typeof p.example === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(p.example) && p.format !== 'date') wrong.push(`${where}: a date without format date`);
      }
    }
    expect(wrong).toEqual([]);
    const S = doc.components.schemas;
    expect(S.OwnerShareDto.properties!.shareBp).toMatchObject({ type: 'integer', minimum: 1, maximum: 10000 });
    expect(S.BoardRulesDto.properties!.quorumMembers).toMatchObject({ type: 'integer', minimum: 1, maximum: 100 });
    expect(S.DeclareServiceBody.properties!.fromAge).toMatchObject({ type: 'integer', minimum: 0, maximum: 120 });
    expect(S.RecordCompetenceDevelopmentBody.properties!.participants).toMatchObject({ type: 'integer', minimum: 1, maximum: 100000 });
    expect(S.PublishGrantSchemeDto.properties!.year).toMatchObject({ type: 'integer', minimum: 2000, maximum: 2100 });
    expect(S.RegisterCentreDto.properties!.openedOn).toMatchObject({ type: 'string', format: 'date' });
    expect(S.RegisterPartyDto.properties!.countyId).toMatchObject({ type: 'string', nullable: true });
    expect(S.RegisterPartyDto.properties!.organisationNumber).toMatchObject({ type: 'string', nullable: true });
    expect(S.OperatingGrantBody.properties!.reference).toMatchObject({ type: 'string', nullable: true });
    expect(S.OperatingGrantBody.properties!.note).toMatchObject({ type: 'string', nullable: true });
  });

  it('the county and centre write bodies name their fields, required, with the id and date patterns', () => {
    const S = doc.components.schemas;
    expect(S.RegisterCountyDto.required).toEqual(['countyId', 'name', 'countyNumber']);
    expect(S.RegisterCountyDto.properties!.countyNumber).toMatchObject({ type: 'string', pattern: '^\\d{2}$' });
    expect(S.RegisterCentreDto.required).toEqual(['centreId', 'countyId', 'name', 'municipality', 'openedOn']);
    expect(S.RegisterCentreDto.properties!.centreId).toMatchObject({ type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$', example: 'kc-skien' });
    expect(S.RenameCentreBody.required).toEqual(['name', 'effectiveFrom']);
    expect(S.CloseCentreBody.required).toEqual(['closedOn', 'reason']);
  });

  it('no two DTO classes share a name (one schema per name), so the user-survey period keeps its required `to`', () => {
    const names = new Map<string, string[]>();
    for (const file of [...sourceFiles(join(ROOT, 'libs/application/src')), ...sourceFiles(join(ROOT, 'apps/api/src'))]) {
      for (const m of readFileSync(file, 'utf8').matchAll(/^(?:export )?class (\w+)/gm)) names.set(m[1], [...(names.get(m[1]) ?? []), file.slice(ROOT.length + 1)]);
    }
    expect([...names].filter(([, files]) => files.length > 1)).toEqual([]);
    const survey = schemaOf(schemaOf(doc.paths['/centres/{centreId}/grant-evidence/user-survey-participations'].post.requestBody!.content['application/json'].schema).properties!.period);
    expect(survey.required).toEqual(['from', 'to']);
    const owners = schemaOf(schemaOf(doc.paths['/centres/{centreId}/owner-agreements'].post.requestBody!.content['application/json'].schema).properties!.period);
    expect(owners.required).toEqual(['from']);
    const earmarked = schemaOf(schemaOf(doc.paths['/centres/{centreId}/funding/earmarked-funds'].post.requestBody!.content['application/json'].schema).properties!.period);
    expect(earmarked.required).toEqual(['from']);
  });

  it('every operation documents a 2xx answer; a write result may carry the funding entryId', () => {
    expect(operations.length).toBeGreaterThan(90);
    expect(operations.filter(({ op }) => !Object.keys(op.responses).some((s) => /^2\d\d$/.test(s))).map(({ method, path }) => `${method} ${path}`)).toEqual([]);
    expect(doc.components.schemas.CommandResult.properties!.entryId).toMatchObject({ type: 'string' });
    expect(doc.components.schemas.CommandResult.required).not.toContain('entryId');
  });

  it('error answers are JSON everywhere; the report routes give their file types on the 200 only', () => {
    const notJson: string[] = [];
    for (const { path, method, op } of operations) {
      for (const [status, r] of Object.entries(op.responses)) {
        if (/^[45]/.test(status) && JSON.stringify(Object.keys(r.content ?? {})) !== '["application/json"]') notJson.push(`${method} ${path} ${status}: ${Object.keys(r.content ?? {}).join(', ')}`);
      }
    }
    expect(notJson).toEqual([]);
    const ok = (path: string) => Object.keys(doc.paths[path].get.responses['200'].content ?? {});
    expect(ok('/reports/key-figures/{year}/csv')).toEqual(['text/csv']);
    expect(ok('/reports/funding-mix/{year}/csv')).toEqual(['text/csv']);
    expect(ok('/reports/{year}/xlsx')).toEqual(['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet']);
    expect(ok('/key-figures/{year}')).toEqual(['application/json', 'text/csv']);
    expect(ok('/grant-schemes/{year}/eligibility')).toEqual(['application/json', 'text/csv']);
    expect(ok('/centres')).toEqual(['application/json']);
  });

  it('every read route has asOf exactly once (position-at requires it); the three that name their cut otherwise have none', () => {
    const count = (op: Operation) => (op.parameters ?? []).filter((p) => p.name === 'asOf' && p.in === 'query').length;
    const withAsOf = reads().filter((o) => !NO_AS_OF.includes(o.path));
    expect(withAsOf.length).toBeGreaterThan(40);
    expect(withAsOf.filter((o) => count(o.op) !== 1).map((o) => `${o.path}: ${count(o.op)}`)).toEqual([]);
    expect(reads().filter((o) => NO_AS_OF.includes(o.path) && count(o.op) !== 0).map((o) => o.path)).toEqual([]);
    expect(doc.paths['/audit/position-at'].get.parameters!.find((p) => p.name === 'asOf')!.required).toBe(true);
  });

  it('the server reads asOf on every route that documents it, and refuses it where the document has none', async () => {
    const ignored: string[] = [];
    for (const { path, op } of reads()) {
      const url = path.replace(/\{(\w+)\}/g, (_, name: string) => SAMPLE[name] ?? name);
      const documented = (op.parameters ?? []).some((p) => p.name === 'asOf');
      // Shaped like an instant (so a route's own query DTO lets it through), but no real date.
      const res = await t.http().get(`${url}${url.includes('?') ? '&' : '?'}asOf=2014-13-45`).set(auth);
      // Where the document has none, the route names its cut another way and says so (http/read-cuts.ts).
      const expected = documented ? 'REQUEST.BAD_AS_OF' : 'REQUEST.AS_OF_NOT_SUPPORTED';
      if (res.status !== 400 || res.body.code !== expected) ignored.push(`${url}: ${res.status} ${res.body.code} (expected 400 ${expected})`);
    }
    expect(ignored).toEqual([]);
  });

  it('the server reads atPosition on every route that documents it, and refuses it (documented) everywhere else', async () => {
    const wrong: string[] = [];
    for (const { path, op } of reads()) {
      const url = path.replace(/\{(\w+)\}/g, (_, name: string) => SAMPLE[name] ?? name);
      const documented = (op.parameters ?? []).some((p) => p.name === 'atPosition');
      const res = await t.http().get(`${url}${url.includes('?') ? '&' : '?'}atPosition=0x10`).set(auth);
      const expected = documented ? 'REQUEST.BAD_POSITION' : 'REQUEST.AT_POSITION_NOT_SUPPORTED';
      if (res.status !== 400 || res.body.code !== expected) wrong.push(`${url}: ${res.status} ${res.body.code} (expected 400 ${expected})`);
      if (!documented && !(op.responses['400']?.description ?? '').includes('`REQUEST.AT_POSITION_NOT_SUPPORTED`')) wrong.push(`${path}: 400 does not name REQUEST.AT_POSITION_NOT_SUPPORTED`);
    }
    expect(wrong).toEqual([]);
  });

  it('query parameters have types: limit, after, date, year, atPosition', () => {
    const untyped = operations.flatMap(({ path, method, op }) =>
      (op.parameters ?? []).filter((p) => p.in === 'query' && !p.schema?.type && !p.schema?.$ref).map((p) => `${method} ${path} ?${p.name}`),
    );
    expect(untyped).toEqual([]);
    const param = (path: string, name: string) => doc.paths[path].get.parameters!.find((p) => p.name === name)!.schema;
    expect(param('/centres', 'limit')).toMatchObject({ type: 'integer', minimum: 1, maximum: 1000 });
    expect(param('/centres', 'after')).toMatchObject({ type: 'string' });
    expect(param('/nav-links', 'date')).toMatchObject({ type: 'string', format: 'date' });
    expect(param('/stimulus-grants', 'year')).toMatchObject({ type: 'integer', minimum: 2000, maximum: 2100 });
    expect(param('/centres/{centreId}/staff-positions', 'year')).toMatchObject({ type: 'integer', minimum: 1990, maximum: 2100 });
    expect(param('/grant-schemes/{year}/eligibility', 'atPosition')).toMatchObject({ type: 'integer', minimum: 0 });
  });

  it('the routes that name an owner agreement by its id alone document 409 OWNER_AGREEMENT.AMBIGUOUS_ID', () => {
    for (const path of ['/owner-agreements/{agreementId}', '/owner-agreements/{agreementId}/cost-share-compliance/{year}']) {
      expect([path, doc.paths[path].get.responses['409']?.description]).toEqual([path, expect.stringContaining('OWNER_AGREEMENT.AMBIGUOUS_ID')]);
    }
  });

  it('a value the document does not allow is refused: ?format= on the key figures, ?status= on the stimulus grants', async () => {
    const format = doc.paths['/key-figures/{year}'].get.parameters!.find((p) => p.name === 'format')!;
    expect(format.schema!.enum).toEqual(['json', 'csv']);
    for (const bad of ['xml', 'CSV', 'json,csv']) {
      const res = await t.http().get(`/key-figures/2013?format=${bad}`).set(auth);
      expect([bad, res.status, res.body.code]).toEqual([bad, 400, 'REQUEST.BAD_FORMAT']);
    }
    expect((await t.http().get('/key-figures/2013?format=xml&format=csv').set(auth)).status).toBe(400);
    expect((await t.http().get('/key-figures/2013?format=csv').set(auth)).headers['content-type']).toMatch(/^text\/csv/);
    expect((await t.http().get('/key-figures/2013?format=json').set(auth)).headers['content-type']).toMatch(/^application\/json/);

    const status = doc.paths['/stimulus-grants'].get.parameters!.find((p) => p.name === 'status')!;
    expect(status.schema!.enum).toEqual([...STIMULUS_STATUSES]);
    const bogus = await t.http().get('/stimulus-grants?status=bogus').set(auth);
    expect([bogus.status, bogus.body.code]).toEqual([400, 'REQUEST.BAD_FILTER']);
    expect(bogus.body.details).toMatchObject({ filter: 'status', allowed: [...STIMULUS_STATUSES] });
    for (const s of STIMULUS_STATUSES) expect((await t.http().get(`/stimulus-grants?status=${s}`).set(auth)).status).toBe(200);

    // A bad ?year= is a query parameter, not part of the path.
    const year = await t.http().get('/stimulus-grants?year=abc').set(auth);
    expect([year.status, year.body.code]).toEqual([400, 'REQUEST.BAD_YEAR']);
    expect(year.body.message).not.toContain('path');
    expect(year.body.message).toContain('year must be a four-digit year');
  });
});
