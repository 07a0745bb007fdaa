import { asksForHelp, CLI_COMMANDS } from './cli-commands';

describe('asksForHelp', () => {
  const { token, import: imp, verify } = CLI_COMMANDS;
  it('--help or -h anywhere among the options, with or without other arguments', () => {
    expect(asksForHelp(['import', 'a.jsonl', '--help'], imp)).toBe(true);
    expect(asksForHelp(['import', '-h'], imp)).toBe(true);
    expect(asksForHelp(['verify', '--json', '--help'], verify)).toBe(true);
    expect(asksForHelp(['import', 'a.jsonl'], imp)).toBe(false);
  });

  it('not when it is an option\'s value or comes after `--` (a file named -h)', () => {
    expect(asksForHelp(['token', '--role', 'admin', '--name', '-h'], token)).toBe(false);
    expect(asksForHelp(['import', '--', '-h'], imp)).toBe(false);
    expect(asksForHelp(['import', '--', '--help'], imp)).toBe(false);
  });
});
