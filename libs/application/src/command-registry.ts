import { DomainError } from '../../domain/src/shared';
import { AnyCommandDefinition } from './command-definition';
import { countyCommands } from './counties/commands';
import { fundingCommands } from './funding/commands';
import { governanceCommands } from './governance/commands';
import { grantsCommands } from './grants/commands';

/** Every command the ledger accepts, by name: HTTP, `ledger import` and tests share this one list. */
export const ALL_COMMANDS: readonly AnyCommandDefinition[] = [...countyCommands, ...governanceCommands, ...fundingCommands, ...grantsCommands];

export class CommandRegistry {
  private readonly byName = new Map<string, AnyCommandDefinition>();
  constructor(defs: readonly AnyCommandDefinition[] = ALL_COMMANDS) {
    for (const d of defs) {
      if (this.byName.has(d.name)) throw new Error(`command ${d.name} registered twice`);
      this.byName.set(d.name, d);
    }
  }
  get(name: string): AnyCommandDefinition {
    const d = this.byName.get(name);
    if (!d) throw new DomainError('COMMAND.UNKNOWN', `There is no command called ${name}.`, 'invalid', { command: name, known: [...this.byName.keys()] });
    return d;
  }
  has(name: string): boolean {
    return this.byName.has(name);
  }
  names(): string[] {
    return [...this.byName.keys()];
  }
}
