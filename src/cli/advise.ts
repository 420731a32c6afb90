import fs from 'node:fs';
import readline from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import {
  advise,
  formatAdviceText,
  parseAnswer,
  parseWorkload,
  WORKLOAD_DIMENSIONS,
  type Workload,
  type WorkloadDimension,
  WorkloadError,
} from '../knowhow/advise/index.js';

/** Where the command reads and writes; tests give their own streams to drive the questions. */
export interface AdviseIo {
  input: Readable;
  /** Whether `input` is a terminal: questions are asked only then. */
  interactive: boolean;
  stdout: Writable;
  /** Errors, and the questions (so that stdout holds only the advice, e.g. with --format json). */
  stderr: Writable;
}

const FORMATS = ['text', 'json'];

function flagLine(dim: WorkloadDimension): string {
  const arg =
    dim.kind === 'boolean'
      ? `--${dim.flag} | --no-${dim.flag}`
      : dim.kind === 'choice'
        ? `--${dim.flag} ${dim.values!.join('|')}`
        : dim.kind === 'size'
          ? `--${dim.flag} <bytes|NKB|NKiB|NMB|NMiB>`
          : `--${dim.flag} <n>`;
  return `  ${arg}\n      ${dim.description} (default: ${dim.default}; JSON field "${dim.name}")`;
}

export const HELP = `tideway advise — which AWS messaging or streaming service fits a workload

Usage:
  tideway advise                          ask one question per dimension (on a terminal)
  tideway advise [dimension flags…]       unset dimensions take their defaults
  tideway advise --workload FILE [flags…] a JSON workload (- for stdin); flags override it

Options:
  --format text|json      text (default), or { pattern, services, integrations, settings }
  --workload FILE         JSON object whose fields are the dimensions below
  -h, --help              this text

Dimensions:
${WORKLOAD_DIMENSIONS.map(flagLine).join('\n')}

Exit status: 0 with advice, 2 on a usage or workload error. See docs/advise.md.
`;

class UsageError extends Error {}

interface ParsedArgs {
  help: boolean;
  format: string;
  workloadFile?: string;
  /** Dimension answers from flags, as given (text or boolean), in flag order. */
  answers: { dim: WorkloadDimension; value: unknown; label: string }[];
}

function parseArgv(argv: string[]): ParsedArgs {
  const parsed: ParsedArgs = { help: false, format: 'text', answers: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-h' || arg === '--help') {
      parsed.help = true;
      continue;
    }
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument '${arg}'`);
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    const inline = eq === -1 ? undefined : arg.slice(eq + 1);
    const takeValue = (): string => {
      if (inline !== undefined) return inline;
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('--') && next.length > 2)) {
        throw new UsageError(`--${name} needs a value`);
      }
      i++;
      return next;
    };
    if (name === 'format') {
      parsed.format = takeValue();
      if (!FORMATS.includes(parsed.format)) {
        throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not '${parsed.format}'`);
      }
      continue;
    }
    if (name === 'workload') {
      parsed.workloadFile = takeValue();
      continue;
    }
    const dim = WORKLOAD_DIMENSIONS.find((d) => d.flag === name);
    const negated = WORKLOAD_DIMENSIONS.find((d) => d.kind === 'boolean' && `no-${d.flag}` === name);
    if (negated) {
      if (inline !== undefined) throw new UsageError(`--${name} takes no value`);
      parsed.answers.push({ dim: negated, value: false, label: `--${name}` });
    } else if (dim?.kind === 'boolean') {
      parsed.answers.push({ dim, value: inline ?? true, label: `--${name}` });
    } else if (dim) {
      parsed.answers.push({ dim, value: takeValue(), label: `--${name}` });
    } else {
      throw new UsageError(
        `unknown option '--${name}'; the options are --format, --workload, --help and ${WORKLOAD_DIMENSIONS.map((d) => `--${d.flag}`).join(', ')}`,
      );
    }
  }
  return parsed;
}

/** Reads the answers one line at a time; lines that arrive before their question wait in order. */
class LineReader {
  private readonly lines: string[] = [];
  private waiting?: (line: string | undefined) => void;
  private closed = false;
  private readonly rl: readline.Interface;

  constructor(input: Readable) {
    this.rl = readline.createInterface({ input, terminal: false });
    this.rl.on('line', (line) => {
      if (this.waiting) {
        const resolve = this.waiting;
        this.waiting = undefined;
        resolve(line);
      } else {
        this.lines.push(line);
      }
    });
    this.rl.on('close', () => {
      this.closed = true;
      this.waiting?.(undefined);
      this.waiting = undefined;
    });
  }

  next(): Promise<string | undefined> {
    if (this.lines.length > 0) return Promise.resolve(this.lines.shift());
    if (this.closed) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  close(): void {
    this.rl.close();
  }
}

function prompt(dim: WorkloadDimension): string {
  const choices = dim.values ? ` [${dim.values.join('/')}]` : '';
  const fallback = dim.kind === 'boolean' ? (dim.default ? 'yes' : 'no') : String(dim.default);
  return `${dim.question}${choices} (default: ${fallback}) `;
}

async function askAll(io: AdviseIo): Promise<Workload> {
  const reader = new LineReader(io.input);
  const answers: Record<string, unknown> = {};
  try {
    for (const dim of WORKLOAD_DIMENSIONS) {
      for (;;) {
        io.stderr.write(prompt(dim));
        const line = await reader.next();
        if (line === undefined) throw new WorkloadError('input ended before every question was answered');
        if (line.trim() === '') break;
        try {
          answers[dim.name] = parseAnswer(dim, line.trim(), dim.flag);
          break;
        } catch (err) {
          if (!(err instanceof WorkloadError)) throw err;
          io.stderr.write(`  ${err.message}\n`);
        }
      }
    }
  } finally {
    reader.close();
  }
  io.stderr.write('\n');
  return parseWorkload(answers);
}

async function readWorkloadFile(file: string, io: AdviseIo): Promise<unknown> {
  let text: string;
  try {
    text = file === '-' ? await readAll(io.input) : fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read --workload ${file}: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UsageError(`--workload ${file} is not JSON: ${(err as Error).message}`);
  }
}

async function readAll(input: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}

async function workloadOf(args: ParsedArgs, io: AdviseIo): Promise<Workload> {
  if (args.workloadFile === undefined && args.answers.length === 0) {
    if (!io.interactive) {
      throw new UsageError(
        'no workload: give dimension flags or --workload FILE, or run on a terminal to answer questions',
      );
    }
    return askAll(io);
  }
  const base =
    args.workloadFile === undefined
      ? {}
      : ((await readWorkloadFile(args.workloadFile, io)) as Record<string, unknown>);
  const fromFile = parseWorkload(base);
  const merged: Record<string, unknown> = { ...fromFile };
  for (const { dim, value, label } of args.answers) merged[dim.name] = parseAnswer(dim, value, label);
  return merged as unknown as Workload;
}

/** `tideway advise …`: returns the process exit code. */
export async function run(argv: string[], io?: Partial<AdviseIo>): Promise<number> {
  const streams: AdviseIo = {
    input: io?.input ?? process.stdin,
    interactive: io?.interactive ?? process.stdin.isTTY === true,
    stdout: io?.stdout ?? process.stdout,
    stderr: io?.stderr ?? process.stderr,
  };
  try {
    const args = parseArgv(argv);
    if (args.help) {
      streams.stdout.write(HELP);
      return 0;
    }
    const advice = advise(await workloadOf(args, streams));
    streams.stdout.write(
      args.format === 'json' ? `${JSON.stringify(advice, null, 2)}\n` : formatAdviceText(advice),
    );
    return 0;
  } catch (err) {
    if (err instanceof UsageError || err instanceof WorkloadError) {
      streams.stderr.write(`tideway advise: ${err.message}\n\nRun 'tideway advise --help' for usage.\n`);
      return 2;
    }
    throw err;
  }
}
