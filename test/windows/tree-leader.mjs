// Fixture for the Windows suite: a leader that starts a grandchild, prints its pid, and
// stays alive when its stdin ends, so only a tree kill stops both.
import { spawn } from 'node:child_process';

const grandchild = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
process.stdout.write(`grandchild-pid=${grandchild.pid}\n`);
setInterval(() => {}, 1000);
process.stdin.resume();
