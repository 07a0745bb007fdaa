import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { ALL_COMMANDS } from '../../libs/application/src/command-registry';
import { flattenValidationErrors, VALIDATOR_OPTIONS } from '../../libs/application/src/validation';
import { startTestApp, TestApp } from '../helpers/test-app';
import { bodyClasses, TextField, textFields } from './dto-meta';

/**
 * Every free-text field of every write refuses control characters (VALIDATION.NOT_PLAIN_TEXT,
 * libs/application/src/plain-text.ts): the bodies of the write routes and the payloads `ledger import`
 * takes, nested objects and arrays of strings included. Long texts (the fields named below, as the
 * README says) may hold line feeds, carriage returns and tabs; every other text is one line. A new
 * text field without the rule fails here.
 */

/** The long texts: multi-line by nature (README, "Hardening"). */
const MULTILINE_FIELDS = ['correctionReason', 'description', 'goals', 'note', 'purpose', 'reason', 'summary'];
/** Strings that are not free text: decimal NOK amounts, refused by the MONEY.* rules. */
const NOT_FREE_TEXT = new Set(['amount']);

const CONTROL = ['\u0000', '\u0007', '\u001b', '\u007f', '\u0085', '\u009f'];
const LINE_BREAKS = ['\n', '\r\n', '\t'];

/** A body holding `value` at the field's place (and nothing else). */
const bodyWith = (steps: (string | 0)[], value: unknown): unknown => (steps.length === 0 ? value : steps[0] === 0 ? [bodyWith(steps.slice(1), value)] : { [steps[0]]: bodyWith(steps.slice(1), value) });

/** Whether the DTO refuses `value` in that field as not plain text. */
const refusedAsNotPlain = async (cls: Function, f: TextField, value: string): Promise<boolean> => {
  const errors = await validate(plainToInstance(cls as new () => object, bodyWith(f.steps, value)) as object, VALIDATOR_OPTIONS);
  return flattenValidationErrors(errors).some((p) => p.field === f.field && p.problems.some((m) => m.includes('must be plain text')));
};

describe('plain text in every free-text field of every write', () => {
  let t: TestApp;
  let dtos: [string, Function][];
  beforeAll(async () => {
    t = await startTestApp();
    dtos = [
      ...[...bodyClasses(t.app)].map(([route, cls]) => [route, cls] as [string, Function]),
      ...ALL_COMMANDS.filter((d) => !d.httpOnly).map((d) => [`ledger import ${d.name}`, d.payload] as [string, Function]),
    ];
  });
  afterAll(() => t?.close());

  const fields = () => dtos.flatMap(([where, cls]) => textFields(cls).filter((f) => !NOT_FREE_TEXT.has(f.field.split('.').pop()!)).map((f) => ({ where, cls, f })));

  it('every text field carries the rule, multi-line exactly for the long texts', () => {
    const all = fields();
    expect(all.length).toBeGreaterThan(80);
    const wrong = all
      .filter(({ f }) => f.plain !== (MULTILINE_FIELDS.includes(f.field.split('.').pop()!) ? 'multiline' : 'one-line'))
      .map(({ where, f }) => `${where} ${f.field}: ${f.plain}`);
    expect(wrong).toEqual([]);
    // every long text of the list is one of the DTOs' fields (the list is not stale)
    expect(MULTILINE_FIELDS.filter((n) => !all.some(({ f }) => f.field.split('.').pop() === n))).toEqual([]);
  });

  it('each refuses C0, DEL and C1 control characters; line breaks and tabs only in the long texts', async () => {
    const wrong: string[] = [];
    for (const { where, cls, f } of fields()) {
      for (const c of CONTROL) if (!(await refusedAsNotPlain(cls, f, `Tekst${c}her`))) wrong.push(`${where} ${f.field}: ${JSON.stringify(c)} accepted`);
      for (const c of LINE_BREAKS) {
        const refused = await refusedAsNotPlain(cls, f, `Linje en${c}linje to`);
        if (refused !== (f.plain === 'one-line')) wrong.push(`${where} ${f.field}: ${JSON.stringify(c)} ${refused ? 'refused' : 'accepted'}`);
      }
      if (await refusedAsNotPlain(cls, f, 'Østfold – «plan» 😀')) wrong.push(`${where} ${f.field}: plain text refused`);
    }
    expect(wrong).toEqual([]);
  });

  it('README names the fields that allow line breaks', () => {
    const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8').replace(/\s+/g, ' ');
    const at = readme.indexOf('VALIDATION.NOT_PLAIN_TEXT');
    const rule = readme.slice(readme.lastIndexOf('. ', at), readme.indexOf('. ', readme.indexOf('line breaks', at)));
    expect(MULTILINE_FIELDS.filter((n) => !rule.includes(`\`${n}\``))).toEqual([]);
  });
});
