/** `idm-rel`: the checker and the simulator, headless, for CI pipelines. */
import { VERSION } from './core/product';
import { runCheckCommand, CHECK_USAGE, type CommandIO } from './node/checkCommand';
import { nodeSimulateIo, runSimulateCommand } from './node/simulateCommand';
import { runServeCommand } from './node/serve/serveCommand';

const USAGE = `Usage: idm-rel <command> [options]

Commands:
  check [paths...]        check managed object configs (idm-rel check --help)
  simulate <scenario>     run an .idmsim scenario against the relationship simulator (idm-rel simulate --help)
  serve                   answer IDM's managed-object REST API over HTTP from the simulator (idm-rel serve --help)

Options:
  --help, -h              show this help
  --version               show the version`;

export async function main(args: string[], io: CommandIO): Promise<number> {
  const [command, ...rest] = args;
  try {
    switch (command) {
      case 'check':
        if (rest.includes('--help') || rest.includes('-h')) { io.stdout(CHECK_USAGE + '\n'); return 0; }
        return runCheckCommand(rest, io);
      case 'simulate':
        return await runSimulateCommand(rest, { ...nodeSimulateIo(), cwd: io.cwd, stdout: io.stdout, stderr: io.stderr });
      case 'serve':
        return await runServeCommand(rest, { cwd: io.cwd, stdout: io.stdout, stderr: io.stderr });
      case '--version':
        io.stdout(`${VERSION}\n`);
        return 0;
      case undefined:
      case '--help':
      case '-h':
        io.stdout(USAGE + '\n');
        return command === undefined ? 2 : 0;
      default:
        io.stderr(`idm-rel: unknown command '${command}'\n\n${USAGE}\n`);
        return 2;
    }
  } catch (error) {
    // A bug must still end with a clear line, not a stack trace.
    io.stderr(`idm-rel: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
}

if (require.main === module) {
  const io: CommandIO = {
    cwd: process.cwd(),
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  };
  void main(process.argv.slice(2), io).then((code) => {
    process.exitCode = code;
  });
}
