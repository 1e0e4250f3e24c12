/** `aov completion bash|zsh|fish`: completion scripts generated from the command list itself. */
import type { Command } from 'commander';
import { AovError } from '../errors.js';

interface Spec {
  name: string;
  description: string;
  options: { flags: string[]; description: string; choices?: string[]; takesValue: boolean }[];
}

function specs(program: Command): Spec[] {
  return program.commands.map((c) => ({
    name: c.name(),
    description: c.description(),
    options: c.options.map((o) => ({
      flags: [o.long, o.short].filter((f): f is string => !!f),
      description: o.description,
      choices: o.argChoices,
      takesValue: o.required || o.optional,
    })),
  }));
}

export function completionScript(program: Command, shell: string): string {
  const commands = specs(program);
  const global = program.options.flatMap((o) => [o.long, o.short].filter((f): f is string => !!f));
  if (shell === 'bash') {
    const cases = commands
      .map((c) => `    ${c.name}) opts="${c.options.flatMap((o) => o.flags).join(' ')}" ;;`)
      .join('\n');
    const choiceCases = commands
      .flatMap((c) => c.options.filter((o) => o.choices).map((o) => `    ${o.flags[0]}) COMPREPLY=( $(compgen -W "${o.choices!.join(' ')}" -- "$cur") ); return ;;`))
      .filter((line, i, all) => all.indexOf(line) === i)
      .join('\n');
    return `# bash completion for aov
_aov() {
  local cur prev cmd opts
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  cmd="\${COMP_WORDS[1]}"
  case "$prev" in
${choiceCases}
  esac
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=( $(compgen -W "${commands.map((c) => c.name).join(' ')} ${global.join(' ')}" -- "$cur") )
    return
  fi
  opts=""
  case "$cmd" in
${cases}
  esac
  if [[ "$cur" == -* ]]; then
    COMPREPLY=( $(compgen -W "$opts" -- "$cur") )
  else
    COMPREPLY=( $(compgen -f -- "$cur") )
  fi
}
complete -o filenames -F _aov aov
`;
  }
  if (shell === 'zsh') {
    const escape = (text: string) => text.replace(/'/g, "'\\''").replace(/[[\]:]/g, '\\$&');
    const subcommands = commands.map((c) => `'${c.name}:${escape(c.description)}'`).join(' ');
    const cases = commands
      .map((c) => {
        const args = c.options
          .map((o) => `'${o.flags.length > 1 ? `(${o.flags.join(' ')})'{${o.flags.join(',')}}'` : o.flags[0]}[${escape(o.description)}]${o.takesValue ? `:value:${o.choices ? `(${o.choices.join(' ')})` : '_files'}` : ''}'`)
          .join(' \\\n        ');
        return `      ${c.name})\n        _arguments ${args} '*:file:_files' ;;`;
      })
      .join('\n');
    return `#compdef aov
_aov() {
  local -a subcommands
  subcommands=(${subcommands})
  if (( CURRENT == 2 )); then
    _describe 'command' subcommands
    return
  fi
  case "$words[2]" in
${cases}
  esac
}
compdef _aov aov
`;
  }
  if (shell === 'fish') {
    const lines = ['# fish completion for aov', 'complete -c aov -f'];
    for (const c of commands) {
      lines.push(`complete -c aov -n '__fish_use_subcommand' -a ${c.name} -d '${c.description.replace(/'/g, "\\'")}'`);
      for (const o of c.options) {
        const long = o.flags.find((f) => f.startsWith('--'))?.slice(2);
        if (!long) continue;
        const choice = o.choices ? ` -xa '${o.choices.join(' ')}'` : o.takesValue ? ' -r' : '';
        lines.push(`complete -c aov -n '__fish_seen_subcommand_from ${c.name}' -l ${long}${choice} -d '${o.description.replace(/'/g, "\\'")}'`);
      }
      lines.push(`complete -c aov -n '__fish_seen_subcommand_from ${c.name}' -F`);
    }
    return `${lines.join('\n')}\n`;
  }
  throw new AovError('E_USAGE', `aov completion: unknown shell "${shell}".`, { hint: 'Use bash, zsh or fish.' });
}
