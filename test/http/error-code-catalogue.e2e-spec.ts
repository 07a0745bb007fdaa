import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { ModulesContainer } from '@nestjs/core';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import * as ts from 'typescript';
import { commandRefusals } from '../../libs/application/src/command-refusals';
import { ALL_COMMANDS } from '../../libs/application/src/command-registry';
import { REFUSALS } from '../../libs/application/src/error-codes';
import { flattenValidationErrors, RuleContext, validationFailed, VALIDATOR_OPTIONS } from '../../libs/application/src/validation';
import { DomainErrorKind, HTTP_STATUS_OF_KIND } from '../../libs/domain/src/shared';
import { ANY_ADDRESS_REFUSALS, ERROR_CODES, HTTP_ERROR_CODES, NOT_ANSWERED_BY_A_ROUTE } from '../../apps/api/src/http/error-codes';
import { DOCUMENTED_COMMAND } from '../../apps/api/src/http/openapi';
import { startTestApp, TestApp } from '../helpers/test-app';

/**
 * The error-code catalogue against the source, the OpenAPI document and README.md: every stable code
 * the source can throw (`new DomainError('CODE', …, kind)`, `refuse('CODE', …, kind)`, a DomainError
 * subclass's `super('CODE', …)`, and codes handed through a helper such as `assertParties(…, 'CODE')`)
 * has a meaning for its status in the catalogue, is named under that status by at least one route of
 * /docs-json (or by the document's own list of codes no one route answers), and is in README.md.
 * A new code that is not documented fails here. Then, for some routes, the exact codes.
 */

const ROOT = resolve(__dirname, '../..');
const CODE = /^[A-Z][A-Z0-9_]*(\.[A-Z0-9_]+)*$/;
const isCode = (s: string): boolean => CODE.test(s) && /[._]/.test(s);

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') && !/\.(spec|e2e-spec|contract)\.ts$/.test(e.name) ? [join(dir, e.name)] : [],
  );

interface Thrown {
  code: string;
  kind: DomainErrorKind;
  where: string;
}

/**
 * Every code thrown in these files, with its kind, read from the syntax tree. A code argument that is
 * not a literal is followed: a helper's parameter (its default and what every call passes there), or
 * a local constant (the codes and code constants its initialiser names). One that cannot be followed
 * is reported in `unresolved`, so a new way of throwing is noticed rather than skipped.
 */
const scan = (files: string[]) => {
  const parsed = files.map((f) => ({ file: relative(ROOT, f), sf: ts.createSourceFile(f, readFileSync(f, 'utf8'), ts.ScriptTarget.ES2022, true) }));
  const visitAll = (f: (node: ts.Node, file: string) => void) => {
    for (const { file, sf } of parsed) {
      const walk = (n: ts.Node): void => {
        f(n, file);
        ts.forEachChild(n, walk);
      };
      walk(sf);
    }
  };
  // String constants anywhere (`export const BLANK_CODE = 'VALIDATION.BLANK'`), to resolve a code named by a constant.
  const constants = new Map<string, string>();
  visitAll((n) => {
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer && ts.isStringLiteral(n.initializer) && isCode(n.initializer.text)) constants.set(n.name.text, n.initializer.text);
  });
  const calls = new Map<string, ts.CallExpression[]>();
  visitAll((n) => {
    if (ts.isCallExpression(n) && ts.isIdentifier(n.expression)) calls.set(n.expression.text, [...(calls.get(n.expression.text) ?? []), n]);
  });

  const thrown: Thrown[] = [];
  const unresolved: string[] = [];
  const INVALID = ts.factory.createStringLiteral('invalid');
  const kindOf = (arg: ts.Expression | undefined): DomainErrorKind | null => (arg === undefined ? 'rule' : ts.isStringLiteral(arg) ? (arg.text as DomainErrorKind) : null);
  const functionOf = (n: ts.Node): { name: string; params: readonly ts.ParameterDeclaration[] } | null => {
    for (let p = n.parent; p; p = p.parent) {
      if (ts.isFunctionDeclaration(p) && p.name) return { name: p.name.text, params: p.parameters };
      if ((ts.isArrowFunction(p) || ts.isFunctionExpression(p)) && ts.isVariableDeclaration(p.parent) && ts.isIdentifier(p.parent.name)) return { name: p.parent.name.text, params: p.parameters };
      if (ts.isFunctionLike(p)) return null;
    }
    return null;
  };
  const codesIn = (e: ts.Node): string[] => {
    const out: string[] = [];
    const walk = (x: ts.Node): void => {
      if (ts.isStringLiteral(x) && isCode(x.text)) out.push(x.text);
      else if (ts.isIdentifier(x) && constants.has(x.text)) out.push(constants.get(x.text)!);
      ts.forEachChild(x, walk);
    };
    walk(e);
    return out;
  };

  const site = (codeArg: ts.Expression | undefined, kindArg: ts.Expression | undefined, node: ts.Node, file: string): void => {
    const where = `${file}:${node.getSourceFile().getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
    const fn = functionOf(node);
    if (fn?.name === 'refuse' && file.endsWith('domain-error.ts')) return; // refuse itself: its callers are the sites
    // The answer for a request whose every problem names one domain code: the code comes from the rules, whose `coded(…)` are the sites.
    if (fn?.name === 'validationFailed' && file.endsWith(join('application', 'src', 'validation.ts')) && codeArg && ts.isIdentifier(codeArg) && codeArg.text === 'shared') return;
    const kind = kindOf(kindArg);
    if (!codeArg || kind === null) return void unresolved.push(`${where}: the kind is not a literal`);
    if (ts.isStringLiteral(codeArg) || ts.isNoSubstitutionTemplateLiteral(codeArg)) return void thrown.push({ code: codeArg.text, kind, where });
    if (!ts.isIdentifier(codeArg)) return void unresolved.push(`${where}: the code is not a literal or a name`);
    const name = codeArg.text;
    if (constants.has(name)) return void thrown.push({ code: constants.get(name)!, kind, where });
    const index = fn?.params.findIndex((p) => ts.isIdentifier(p.name) && p.name.text === name) ?? -1;
    if (fn && index >= 0) {
      // A helper that throws the code it is given: its default, and what each call passes.
      const param = fn.params[index];
      const found: string[] = param.initializer ? codesIn(param.initializer) : [];
      for (const call of calls.get(fn.name) ?? []) {
        const arg = call.arguments[index];
        if (arg) found.push(...codesIn(arg));
        if (arg && !codesIn(arg).length) unresolved.push(`${where}: a call of ${fn.name} passes a code that is not a literal`);
      }
      if (!found.length) unresolved.push(`${where}: ${fn.name}(…${name}…) is never called with a code`);
      for (const code of found) thrown.push({ code, kind, where: `${where} (via ${fn.name})` });
      return;
    }
    // A local constant: the codes its initialiser can give.
    let decl: ts.VariableDeclaration | undefined;
    node.getSourceFile().forEachChild(function find(x: ts.Node): void {
      if (ts.isVariableDeclaration(x) && ts.isIdentifier(x.name) && x.name.text === name && x.initializer) decl = x;
      ts.forEachChild(x, find);
    });
    const found = decl ? codesIn(decl.initializer!) : [];
    if (!found.length) return void unresolved.push(`${where}: cannot tell which code ${name} holds`);
    for (const code of found) thrown.push({ code, kind, where });
  };

  visitAll((n, file) => {
    if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'refuse') site(n.arguments[0], n.arguments[2], n, file);
    if (ts.isNewExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'DomainError') site(n.arguments?.[0], n.arguments?.[2], n, file);
    // A DTO rule that stands for a domain code (`coded('CODE', …)`, validation.ts): answered 400 when every problem names it.
    if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'coded' && functionOf(n)?.name !== 'coded') site(n.arguments[0], INVALID, n, file);
    if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.SuperKeyword) {
      const cls = ts.findAncestor(n, ts.isClassDeclaration);
      const base = cls?.heritageClauses?.flatMap((h) => h.types.map((t) => t.expression.getText()));
      if (base?.includes('DomainError')) site(n.arguments[0], n.arguments[2], n, file);
    }
  });
  return { thrown, unresolved };
};

interface Doc {
  info: { description: string };
  paths: Record<string, Record<string, { responses: Record<string, { description?: string }> }>>;
}

describe('error codes: the catalogue, the source, /docs-json and README agree', () => {
  let t: TestApp;
  let doc: Doc;
  const libs = scan(sourceFiles(join(ROOT, 'libs')));
  const apps = scan(sourceFiles(join(ROOT, 'apps/api/src')));
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const statusOf = (kind: DomainErrorKind) => HTTP_STATUS_OF_KIND[kind];
  const codesOfResponse = (text: string | undefined): string[] => [...(text ?? '').matchAll(/^- `([A-Z0-9_.]+)` — /gm)].map((m) => m[1]);
  /** Where a code is named: `METHOD path status` for each route, from the error responses' descriptions. */
  const documented = () => {
    const out = new Map<string, string[]>();
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        for (const [status, r] of Object.entries(op.responses)) for (const code of codesOfResponse(r.description)) out.set(`${code} ${status}`, [...(out.get(`${code} ${status}`) ?? []), `${method.toUpperCase()} ${path}`]);
      }
    }
    return out;
  };
  const codes = (path: string, status: number, method = 'post') => codesOfResponse(doc.paths[path]?.[method]?.responses[String(status)]?.description);

  beforeAll(async () => {
    t = await startTestApp({ seed: true });
    doc = (await t.http().get('/docs-json')).body;
  });
  afterAll(() => t?.close());

  it('the scan finds the codes thrown, and can tell which code every throw site throws', () => {
    expect(libs.unresolved).toEqual([]);
    expect(apps.unresolved).toEqual([]);
    const found = new Set(libs.thrown.map((x) => x.code));
    expect(found.size).toBeGreaterThan(150);
    // Thrown through a helper or a constant, not as a literal at the throw site:
    for (const code of ['PERIOD.ENDS_BEFORE_START', 'OWNER_AGREEMENT.DUPLICATE_PARTY', 'PARTNERSHIP.DUPLICATE_PARTY', 'VALIDATION.BLANK', 'VALIDATION.NOT_PLAIN_TEXT', 'VALIDATION.UNKNOWN_FIELD', 'STORE.BUSY', 'STREAM.WRONG_EXPECTED_REVISION']) {
      expect([code, found.has(code)]).toEqual([code, true]);
    }
  });

  it('every code thrown (libs and the API) has a meaning for the status its kind gives', () => {
    const missing = [...libs.thrown, ...apps.thrown]
      .filter((x) => (ERROR_CODES as Record<string, Record<number, string>>)[x.code]?.[statusOf(x.kind)] === undefined)
      .map((x) => `${x.code} ${statusOf(x.kind)} (${x.where}): add it to ${x.where.startsWith('libs') ? 'libs/application/src/error-codes.ts' : 'apps/api/src/http/error-codes.ts'}`);
    expect(missing).toEqual([]);
  });

  it('every code thrown is named in /docs-json under its status by a route that can answer it (or by the document itself)', () => {
    const named = documented();
    const general = new Set([...ANY_ADDRESS_REFUSALS.map((r) => (typeof r === 'string' ? r : r[0])), ...Object.keys(NOT_ANSWERED_BY_A_ROUTE)]);
    const missing = [...new Map([...libs.thrown, ...apps.thrown].map((x) => [`${x.code} ${statusOf(x.kind)}`, x])).values()]
      .filter((x) => !named.has(`${x.code} ${statusOf(x.kind)}`) && !general.has(x.code))
      .map((x) => `${x.code} ${statusOf(x.kind)} (${x.where})`);
    expect(missing).toEqual([]);
    for (const code of general) expect([code, doc.info.description.includes(`\`${code}\``)]).toEqual([code, true]);
  });

  it('every code in the catalogue is in README.md, and is thrown or answered somewhere (no stale entries)', () => {
    expect(Object.keys(ERROR_CODES).filter((code) => !readme.includes(code))).toEqual([]);
    const source = [...sourceFiles(join(ROOT, 'libs')), ...sourceFiles(join(ROOT, 'apps/api/src'))]
      .filter((f) => !/error-codes\.ts$/.test(f))
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    expect(Object.keys(ERROR_CODES).filter((code) => !source.includes(`'${code}'`))).toEqual([]);
    expect(Object.keys(REFUSALS).filter((code) => code in HTTP_ERROR_CODES)).toEqual([]);
  });

  it('every error response lists its codes, one per line, each answered with that status', () => {
    const wrong: string[] = [];
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        for (const [status, r] of Object.entries(op.responses)) {
          if (!/^[45]/.test(status)) continue;
          const lines = (r.description ?? '').split('\n');
          const listed = codesOfResponse(r.description);
          if (!listed.length || listed.length !== lines.length) wrong.push(`${method} ${path} ${status}: ${JSON.stringify(r.description)}`);
          for (const code of listed) if ((ERROR_CODES as Record<string, Record<string, string>>)[code]?.[status] === undefined) wrong.push(`${method} ${path} ${status}: ${code}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('every command is documented by its route with all it can refuse; every write route has 503 STORE.BUSY and SERVER.SHUTTING_DOWN', () => {
    const routes = new Map<string, string>();
    for (const mod of t.app.get(ModulesContainer).values()) {
      for (const wrapper of mod.controllers.values()) {
        const ctrl = wrapper.metatype as Function | null;
        for (const name of ctrl ? Object.getOwnPropertyNames(ctrl.prototype) : []) {
          const command = DOCUMENTED_COMMAND.get(ctrl!.prototype[name]);
          if (command) routes.set(command, `${ctrl!.name}.${name}`);
        }
      }
    }
    expect(ALL_COMMANDS.map((d) => d.name).filter((n) => !routes.has(n))).toEqual([]);

    const named = documented();
    const writes = Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item).filter((m) => m === 'post').map(() => path));
    expect(writes.length).toBe(ALL_COMMANDS.length);
    for (const path of writes) expect([path, codes(path, 503)]).toEqual([path, expect.arrayContaining(['STORE.BUSY', 'SERVER.SHUTTING_DOWN'])]);
    // Each command's refusals are on some write route under their status.
    const missing = ALL_COMMANDS.flatMap((d) => commandRefusals(d).filter((e) => !(named.get(`${e.code} ${e.status}`) ?? []).some((r) => r.startsWith('POST '))).map((e) => `${d.name}: ${e.code} ${e.status}`));
    expect(missing).toEqual([]);
  });

  it('the reviewer\'s routes: the close route names 409 CENTRE.CLOSE_BEFORE_ACTIVITY, party and county registration their *_TAKEN 409s', () => {
    expect(codes('/centres/{centreId}/close', 409)).toEqual(expect.arrayContaining(['CENTRE.CLOSE_BEFORE_ACTIVITY', 'STREAM.WRONG_EXPECTED_REVISION', 'IDEMPOTENCY_KEY_REUSED']));
    expect(codes('/centres/{centreId}/close', 422)).toEqual(expect.arrayContaining(['CENTRE.CLOSED', 'CENTRE.DATE_BEFORE_OPENING']));
    expect(codes('/parties', 409)).toEqual(expect.arrayContaining(['PARTY.ORGANISATION_NUMBER_TAKEN', 'PARTY.ALREADY_REGISTERED']));
    expect(codes('/parties', 400)).toEqual(expect.arrayContaining(['PARTY.COUNTY_REQUIRED', 'VALIDATION.NOT_PLAIN_TEXT', 'VALIDATION.BLANK']));
    expect(codes('/counties', 409)).toEqual(expect.arrayContaining(['COUNTY.NUMBER_TAKEN', 'COUNTY.ALREADY_REGISTERED']));
    // Only what the route can answer: registering a county has no 422, and names no centre.
    expect(doc.paths['/counties'].post.responses['422']).toBeUndefined();
    expect(JSON.stringify(doc.paths['/counties'].post)).not.toContain('CENTRE.');
  });

  it('the date rules answer 422 where they apply: *_IN_FUTURE, *_BEFORE_OPENING, the judging date', () => {
    expect(codes('/centres/{centreId}/grant-evidence/service-declarations', 422)).toEqual(expect.arrayContaining(['GRANT_EVIDENCE.IN_FUTURE', 'GRANT_EVIDENCE.BEFORE_OPENING', 'CENTRE.CLOSED']));
    expect(codes('/stimulus-grants', 422)).toEqual(expect.arrayContaining(['STIMULUS_GRANT.IN_FUTURE', 'STIMULUS_GRANT.BEFORE_OPENING', 'STIMULUS_GRANT.CENTRE_OF_OTHER_COUNTY']));
    expect(codes('/centres/{centreId}/owner-agreements', 422)).toEqual(expect.arrayContaining(['OWNER_AGREEMENT.SIGNED_IN_FUTURE', 'OWNER_AGREEMENT.SHARES_NOT_100', 'AGREEMENT.ENDS_BEFORE_START']));
    expect(codes('/counties/{countyId}/partnership-agreements', 422)).toContain('PARTNERSHIP.SIGNED_IN_FUTURE');
    expect(codes('/counties/{countyId}/county-line-decisions', 422)).toEqual(expect.arrayContaining(['COUNTY_LINE.DECIDED_IN_FUTURE', 'COUNTY_LINE.BEFORE_OPENING']));
    expect(codes('/centres/{centreId}/co-locations', 422)).toContain('CO_LOCATION.BEFORE_OPENING');
    expect(codes('/boards/{boardId}/proposals/{proposalId}/close', 422)).toEqual(expect.arrayContaining(['BOARD.DECIDED_IN_FUTURE', 'BOARD.NO_QUORUM', 'BOARD.OUTCOME_MISMATCH']));
    expect(codes('/grant-schemes/{year}/allocation', 422)).toEqual(expect.arrayContaining(['BASE_GRANT.BEFORE_JUDGING_DATE', 'BASE_GRANT.NO_ELIGIBLE_COUNTY']));
    // A code answered with two statuses is listed under the one that applies to the route.
    expect(codes('/boards/{boardId}/members/{personId}/end', 404)).toContain('BOARD.NOT_A_MEMBER');
    expect(codes('/boards/{boardId}/proposals/{proposalId}/votes', 403)).toContain('BOARD.NOT_A_MEMBER');
    expect(codes('/boards/{boardId}/proposals/{proposalId}/votes', 404)).not.toContain('BOARD.NOT_A_MEMBER');
  });

  it('read routes name their own codes: 404s, query checks, the views', () => {
    expect(codes('/centres/{centreId}', 404, 'get')).toEqual(['CENTRE.NOT_FOUND']);
    expect(codes('/centres', 400, 'get')).toEqual(expect.arrayContaining(['REQUEST.BAD_LIMIT', 'REQUEST.BAD_CURSOR', 'REQUEST.BAD_AS_OF', 'REQUEST.BAD_POSITION']));
    expect(doc.paths['/centres'].get.responses['404']).toBeUndefined();
    expect(codes('/centres', 503, 'get')).toEqual(expect.arrayContaining(['VIEWS.CATCHING_UP', 'STORE.BUSY', 'SERVER.SHUTTING_DOWN']));
    expect(codes('/owner-agreements/{agreementId}', 409, 'get')).toEqual(['OWNER_AGREEMENT.AMBIGUOUS_ID']);
    expect(codes('/audit/events', 400, 'get')).toEqual(expect.arrayContaining(['VALIDATION.UNKNOWN_FIELD']));
    expect(codes('/grant-schemes/{year}/eligibility', 400, 'get')).toEqual(expect.arrayContaining(['REQUEST.BAD_YEAR', 'REQUEST.BAD_DETAIL', 'REQUEST.AS_OF_WITH_AT_POSITION']));
    expect(codes('/counties/{countyId}/partnership', 400, 'get')).toContain('REQUEST.BAD_DATE');
  });

  it('what the server answers is what the document names for that route and status', async () => {
    const fo = await t.auth('finance-officer', ['telemark'], 'cat-fo');
    const admin = await t.auth('admin', [], 'cat-admin');
    const answers: [string, string, { status: number; body: { code: string } }][] = [
      ['post', '/counties', await t.http().post('/counties').set(admin).send({ countyId: 'cat-x', name: 'X', countyNumber: '08' })],
      ['post', '/centres', await t.http().post('/centres').set(fo).send({ centreId: 'cat-kc', countyId: 'telemark', name: 'KC', municipality: 'Skien', openedOn: '2010-01-01', extra: 1 })],
      ['post', '/centres', await t.http().post('/centres').set(fo).send({ centreId: 'cat-kc', countyId: 'oslo', name: 'KC', municipality: 'Oslo', openedOn: '2010-01-01' })],
      ['post', '/centres/{centreId}/close', await t.http().post('/centres/cat-none/close').set(fo).send({ closedOn: '2014-01-01', reason: 'nedlagt' })],
      ['get', '/centres/{centreId}', await t.http().get('/centres/cat-none').set(fo)],
      ['get', '/centres', await t.http().get('/centres?limit=0').set(fo)],
    ];
    const codesSeen = answers.map(([method, path, res]) => [method, path, res.status, res.body.code, codes(path, res.status, method).includes(res.body.code)]);
    expect(codesSeen).toEqual([
      ['post', '/counties', 409, 'COUNTY.NUMBER_TAKEN', true],
      ['post', '/centres', 400, 'VALIDATION.UNKNOWN_FIELD', true],
      ['post', '/centres', 403, 'ACCESS.OTHER_COUNTY', true],
      ['post', '/centres/{centreId}/close', 404, 'CENTRE.NOT_FOUND', true],
      ['get', '/centres/{centreId}', 404, 'CENTRE.NOT_FOUND', true],
      ['get', '/centres', 400, 'REQUEST.BAD_LIMIT', true],
    ]);
  });

  // ---- DTO rules that stand for a documented code (`coded(…)`, libs/application/src/validation.ts) ----

  /** Every rule of every decorated class that names a domain code in its context. */
  const codedRules = (): { cls: Function; m: ValidationMetadata; code: string }[] => {
    const all = (getMetadataStorage() as unknown as { validationMetadatas: Map<unknown, ValidationMetadata[]> }).validationMetadatas;
    return [...all.keys()]
      .filter((k): k is Function => typeof k === 'function')
      .flatMap((cls) => getMetadataStorage().getTargetValidationMetadatas(cls, '', true, false).map((m) => ({ cls, m, code: (m.context as { code?: unknown } | undefined)?.code })))
      .filter((r): r is { cls: Function; m: ValidationMetadata; code: string } => typeof r.code === 'string');
  };

  /** class-transformer's @Type() targets, to follow a payload into its nested objects. */
  const nestedType = (cls: Function, property: string): unknown =>
    (require('class-transformer/cjs/storage') as { defaultMetadataStorage: { findTypeMetadata(t: Function, p: string): { typeFunction: () => unknown } | undefined } }).defaultMetadataStorage
      .findTypeMetadata(cls, property)
      ?.typeFunction();
  /** The codes the rules of a class and its nested classes name. */
  const codesOfRules = (cls: Function, seen = new Set<Function>()): Set<string> => {
    const out = new Set<string>();
    if (seen.has(cls)) return out;
    seen.add(cls);
    for (const m of getMetadataStorage().getTargetValidationMetadatas(cls, '', true, false)) {
      const code = (m.context as Partial<RuleContext> | undefined)?.code;
      if (typeof code === 'string') out.add(code);
      const nested = m.type === 'nestedValidation' ? nestedType(cls, m.propertyName) : undefined;
      if (typeof nested === 'function') for (const c of codesOfRules(nested, seen)) out.add(c);
    }
    return out;
  };

  it('every DTO rule that stands for a domain code names a catalogued code answered with 400, and README lists it as 400', () => {
    const rules = codedRules();
    expect(rules.length).toBeGreaterThan(20);
    // The reviewer's codes (README's error lists) that only a body rule can answer now.
    const named = new Set(rules.map((r) => r.code));
    for (const code of ['PARTY.UNKNOWN_KIND', 'OWNER_AGREEMENT.NO_PARTIES', 'OWNER_AGREEMENT.INVALID_SHARE', 'PARTNERSHIP.TOO_FEW_PARTIES', 'BOARD.NO_CENTRES', 'PROPOSAL.UNKNOWN_MONEY_KIND', 'COUNTY_LINE.NO_CENTRES', 'CO_LOCATION.UNKNOWN_KIND', 'ENTRY.FIELD_MISSING', 'PERIOD.MISSING', 'GRANT_SCHEME.YEAR_OUT_OF_RANGE', 'GRANT_SCHEME.WINDOW_INVALID_AGE', 'GRANT_EVIDENCE.AGE_OUT_OF_RANGE', 'GRANT_EVIDENCE.UNKNOWN_KIND', 'GRANT_EVIDENCE.NO_TARGET_GROUP', 'GRANT_EVIDENCE.UNKNOWN_TARGET_GROUP', 'GRANT_EVIDENCE.NO_PARTICIPANTS', 'STIMULUS_GRANT.UNKNOWN_PURPOSE']) {
      expect([code, named.has(code)]).toEqual([code, true]);
    }
    const wrong = rules
      .filter((r) => (REFUSALS as Record<string, Record<number, string>>)[r.code]?.[400] === undefined || !new RegExp(`^- \`${r.code.replace(/\./g, '\\.')}\` 400`, 'm').test(readme))
      .map((r) => `${r.cls.name}.${r.m.propertyName} (${r.m.name ?? r.m.type}): ${r.code}`);
    expect(wrong).toEqual([]);
  });

  it('every coded rule, broken on its own, makes the whole request answer its code (so the documented code is reachable)', () => {
    /** A value that breaks the rule and, for the rules coded so far, no other rule of the field. */
    const breaking = (m: ValidationMetadata): { value?: unknown } | null => {
      const c = m.constraints?.[0] as number | undefined;
      switch (m.name ?? m.type) {
        case 'isIn':
          return { value: m.each ? ['zz-not-one-of-them'] : 'zz-not-one-of-them' };
        case 'arrayMinSize':
          return { value: Array.from({ length: (c as number) - 1 }, (_, i) => `id-${i}`) };
        case 'arrayMaxSize': {
          // One item too many, each a value the field's own isIn accepts (so only the size breaks).
          const isIn = getMetadataStorage()
            .getTargetValidationMetadatas(m.target as Function, '', true, false)
            .find((x) => x.propertyName === m.propertyName && (x.name ?? x.type) === 'isIn');
          const pool = (isIn?.constraints?.[0] as unknown[] | undefined) ?? ['x'];
          return { value: Array.from({ length: (c as number) + 1 }, (_, i) => pool[i % pool.length]) };
        }
        case 'min':
          return { value: (c as number) - 1 };
        case 'max':
          return { value: (c as number) + 1 };
        case 'isInt':
          return { value: 1.5 };
        case 'matches':
          return { value: 'not-a-date' };
        case 'isOrganisationNumber':
          return { value: '974760674' }; // nine digits, the check digit off by one
        case 'isDefined':
          return {};
        case 'isObjectOf':
          return { value: 'zz-not-an-object' };
        default:
          return null;
      }
    };
    const wrong: string[] = [];
    for (const { cls, m, code } of codedRules()) {
      const what = `${cls.name}.${m.propertyName} (${m.name ?? m.type})`;
      const b = breaking(m);
      if (!b) {
        wrong.push(`${what}: add a breaking value for this kind of rule to the test`);
        continue;
      }
      const instance = plainToInstance(cls as new () => object, 'value' in b ? { [m.propertyName]: b.value } : {});
      const problems = flattenValidationErrors(validateSync(instance, VALIDATOR_OPTIONS)).filter((p) => p.field === m.propertyName);
      const answer = validationFailed(problems);
      if (answer.code !== code) wrong.push(`${what}: ${JSON.stringify(b)} answers ${answer.code}, not ${code} (${JSON.stringify(problems)})`);
    }
    expect(wrong).toEqual([]);
  });

  it('every write route lists under 400 the codes its body\'s rules stand for', () => {
    const PATH = 'path';
    const routeOf = new Map<string, string>();
    for (const mod of t.app.get(ModulesContainer).values()) {
      for (const wrapper of mod.controllers.values()) {
        const ctrl = wrapper.metatype as Function | null;
        for (const name of ctrl ? Object.getOwnPropertyNames(ctrl.prototype) : []) {
          const command = DOCUMENTED_COMMAND.get(ctrl!.prototype[name]);
          if (!command) continue;
          const parts = [Reflect.getMetadata(PATH, ctrl!), Reflect.getMetadata(PATH, ctrl!.prototype[name])].map((p) => String(Array.isArray(p) ? p[0] : (p ?? '')).replace(/^\/+|\/+$/g, ''));
          routeOf.set(command, `/${parts.filter(Boolean).join('/')}`.replace(/:([A-Za-z]+)/g, '{$1}'));
        }
      }
    }
    const missing: string[] = [];
    for (const d of ALL_COMMANDS) {
      const path = routeOf.get(d.name)!;
      for (const code of codesOfRules(d.payload)) if (!codes(path, 400).includes(code)) missing.push(`${d.name} (POST ${path}): ${code}`);
    }
    expect(missing).toEqual([]);
    expect(codes('/parties', 400)).toContain('PARTY.UNKNOWN_KIND');
    expect(codes('/centres/{centreId}/funding/earmarked-funds', 400)).toEqual(expect.arrayContaining(['ENTRY.FIELD_MISSING', 'PERIOD.MISSING']));
  });
});
