import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serverNodeFlags } from '../../bench/src/lib/child';

const ROOT = join(__dirname, '..', '..');

describe('the Node flags the server runs with', () => {
  it('are the same for npm start, the Docker image and the benchmark', () => {
    const flags = serverNodeFlags(join(ROOT, 'package.json'));
    expect(flags).toContain('--max-semi-space-size=64');
    const cmd = /^CMD (\[.*\])$/m.exec(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
    expect(cmd).not.toBeNull();
    expect(JSON.parse(cmd![1])).toEqual(['node', ...flags, 'dist/apps/api/src/main.js']);
  });
});
