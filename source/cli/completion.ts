// `lambda-top completion bash|zsh|fish`: a completion script generated from the flag table itself (so a new
// flag is completed without anyone remembering to), with the commands, the values of the flags that take a
// fixed set, the demo's scenario names and, with --function-names, the region's function names (asked of AWS at
// TAB time through `lambda-top completion functions`, with the --region/--profile already typed). Pure.
import {COMMANDS, COMPLETION_SHELLS, flagSpec, type CompletionShell} from './flags.ts';

export interface CompletionInput {
  scenarios: readonly string[];
  /** Complete --function from the region (one ListFunctions at TAB time); off by default: no AWS call on TAB
   * unless the user asked for it. */
  functions: boolean;
}

const kebab = (name: string): string => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

interface FlagInfo {
  long: string;
  short?: string;
  takesValue: boolean;
}

/** Every flag of the command line ('function-names' is completion's own), --no-color for the negated colour. */
export function completionFlags(): FlagInfo[] {
  const out: FlagInfo[] = [];
  for (const [name, spec] of Object.entries(flagSpec)) {
    const long = name === 'color' ? 'no-color' : kebab(name);
    out.push({long, ...('shortFlag' in spec ? {short: spec.shortFlag} : {}), takesValue: spec.type === 'string'});
  }
  return out;
}

const FILE_FLAGS = ['from-file', 'out', 'journal'];
const fixedValues = (scenarios: readonly string[]): Record<string, readonly string[]> => ({
  source: ['dlq', 'on-failure', 'source-dlq'],
  view: ['dashboard', 'failed'],
  scenario: scenarios,
});

/** Shell words are ours (flag names, command names, scenario file names): checked, never quoted user text. */
function words(list: readonly string[]): string {
  for (const word of list) if (!/^[A-Za-z0-9._-]+$/.test(word)) throw new Error(`not a plain completion word: ${JSON.stringify(word)}`);
  return list.join(' ');
}

function bash(input: CompletionInput): string {
  const flags = completionFlags();
  const all = flags.flatMap((f) => [`--${f.long}`, ...(f.short ? [`-${f.short}`] : [])]);
  const valueFlags = flags.filter((f) => f.takesValue).flatMap((f) => [`--${f.long}`, ...(f.short ? [`-${f.short}`] : [])]);
  const fixed = Object.entries(fixedValues(input.scenarios)).map(([flag, values]) => `    --${flag}) COMPREPLY=($(compgen -W "${words(values)}" -- "$cur")); return ;;`);
  const functionCase = input.functions
    ? `    --function|-f) COMPREPLY=($(compgen -W "$(lambda-top completion functions $(_lambda_top_aws_args) 2>/dev/null)" -- "$cur")); return ;;`
    : `    --function|-f) return ;;`;
  return `# lambda-top completion for bash. Load it with: eval "$(lambda-top completion bash${input.functions ? ' --function-names' : ''})" (e.g. in ~/.bashrc)
_lambda_top_aws_args() {
  local i
  for ((i = 1; i < \${#COMP_WORDS[@]} - 1; i++)); do
    case "\${COMP_WORDS[i]}" in
      --region|--profile|--endpoint-url) printf '%s %q ' "\${COMP_WORDS[i]}" "\${COMP_WORDS[i+1]}" ;;
      --demo) printf -- '--demo ' ;;
    esac
  done
}
_lambda_top() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}"
  COMPREPLY=()
  case "$prev" in
${fixed.join('\n')}
${functionCase}
    ${FILE_FLAGS.map((f) => `--${f}`).join('|')}) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    ${valueFlags.filter((f) => !['--function', '-f', ...FILE_FLAGS.map((x) => `--${x}`), ...Object.keys(fixedValues([])).map((x) => `--${x}`)].includes(f)).join('|')}) return ;;
  esac
  if [[ "\${COMP_WORDS[1]}" == completion && $COMP_CWORD -eq 2 ]]; then
    COMPREPLY=($(compgen -W "${words(COMPLETION_SHELLS)}" -- "$cur")); return
  fi
  if [[ $COMP_CWORD -eq 1 && "$cur" != -* ]]; then
    COMPREPLY=($(compgen -W "${words(COMMANDS)}" -- "$cur")); return
  fi
  COMPREPLY=($(compgen -W "${words(all)}" -- "$cur"))
}
complete -F _lambda_top lambda-top
`;
}

function zsh(input: CompletionInput): string {
  const flags = completionFlags();
  const all = flags.flatMap((f) => [`--${f.long}`, ...(f.short ? [`-${f.short}`] : [])]);
  const valueFlags = flags.filter((f) => f.takesValue).flatMap((f) => [`--${f.long}`, ...(f.short ? [`-${f.short}`] : [])]);
  const fixed = Object.entries(fixedValues(input.scenarios)).map(([flag, values]) => `    --${flag}) compadd -- ${words(values)}; return ;;`);
  const functionCase = input.functions
    ? `    --function|-f) compadd -- \${(f)"$(lambda-top completion functions \${=\${(j: :)aws_args}} 2>/dev/null)"}; return ;;`
    : `    --function|-f) return ;;`;
  return `#compdef lambda-top
# lambda-top completion for zsh. Load it with: eval "$(lambda-top completion zsh${input.functions ? ' --function-names' : ''})" (after compinit)
_lambda_top() {
  local prev=\${words[CURRENT-1]} i
  local -a aws_args
  for ((i = 2; i < CURRENT - 1; i++)); do
    case \${words[i]} in
      --region|--profile|--endpoint-url) aws_args+=(\${words[i]} \${(q)words[i+1]}) ;;
      --demo) aws_args+=(--demo) ;;
    esac
  done
  case $prev in
${fixed.join('\n')}
${functionCase}
    ${FILE_FLAGS.map((f) => `--${f}`).join('|')}) _files; return ;;
    ${valueFlags.filter((f) => !['--function', '-f', ...FILE_FLAGS.map((x) => `--${x}`), ...Object.keys(fixedValues([])).map((x) => `--${x}`)].includes(f)).join('|')}) return ;;
  esac
  if [[ \${words[2]} == completion ]] && (( CURRENT == 3 )); then compadd -- ${words(COMPLETION_SHELLS)}; return; fi
  if (( CURRENT == 2 )) && [[ \${words[CURRENT]} != -* ]]; then compadd -- ${words(COMMANDS)}; return; fi
  compadd -- ${words(all)}
}
compdef _lambda_top lambda-top
`;
}

function fish(input: CompletionInput): string {
  const lines = [
    `# lambda-top completion for fish. Load it with: lambda-top completion fish${input.functions ? ' --function-names' : ''} | source (or save it as ~/.config/fish/completions/lambda-top.fish)`,
    'complete -c lambda-top -f',
    `complete -c lambda-top -n __fish_use_subcommand -a "${words(COMMANDS)}"`,
    `complete -c lambda-top -n "__fish_seen_subcommand_from completion" -a "${words(COMPLETION_SHELLS)}"`,
  ];
  if (input.functions) {
    lines.push(
      'function __lambda_top_functions',
      '  set -l args',
      '  set -l tokens (commandline -opc)',
      '  for i in (seq (count $tokens))',
      '    switch $tokens[$i]',
      '      case --region --profile --endpoint-url',
      '        set -a args $tokens[$i] $tokens[(math $i + 1)]',
      '      case --demo',
      '        set -a args --demo',
      '    end',
      '  end',
      '  lambda-top completion functions $args 2>/dev/null',
      'end',
    );
  }
  const fixed = fixedValues(input.scenarios);
  for (const flag of completionFlags()) {
    const short = flag.short ? ` -s ${flag.short}` : '';
    let how = '';
    if (flag.long === 'function') how = input.functions ? ' -x -a "(__lambda_top_functions)"' : ' -x';
    else if (FILE_FLAGS.includes(flag.long)) how = ' -r -F';
    else if (fixed[flag.long]) how = ` -x -a "${words(fixed[flag.long]!)}"`;
    else if (flag.takesValue) how = ' -x';
    lines.push(`complete -c lambda-top -l ${flag.long}${short}${how}`);
  }
  return lines.join('\n') + '\n';
}

export function completionScript(shell: CompletionShell, input: CompletionInput): string {
  switch (shell) {
    case 'bash':
      return bash(input);
    case 'zsh':
      return zsh(input);
    case 'fish':
      return fish(input);
  }
}
