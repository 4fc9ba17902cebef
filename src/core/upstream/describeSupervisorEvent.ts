/**
 * One line for people per supervisor event, the same in the CLI's stderr and the VS Code
 * output channel. (`JSON.stringify` would print an `Error` as `{}`.)
 */
import type { SupervisorEvent } from './supervisionTypes';

export function describeSupervisorEvent(event: SupervisorEvent): string {
  const who = `instance "${event.key}"`;
  switch (event.type) {
    case 'starting':
      return event.attempt === 1 ? `${who}: starting` : `${who}: starting (attempt ${event.attempt})`;
    case 'up': {
      const pid = event.pid === undefined ? '' : `, pid ${event.pid}`;
      return `${who}: up (${event.serverInfo.name} ${event.serverInfo.version}${pid})`;
    }
    case 'failed':
      if (event.permanent === true) {
        return `${who}: start failed, not retrying (a retry cannot fix this): ${event.error.message}; fix it, then restart the instance`;
      }
      return event.retryInMs === undefined
        ? `${who}: start failed (attempt ${event.attempt}), giving up: ${event.error.message}`
        : `${who}: start failed (attempt ${event.attempt}), retrying in ${seconds(event.retryInMs)}: ${event.error.message}`;
    case 'exited':
      return `${who}: exited after ${seconds(event.uptimeMs)}: ${event.reason}`;
    case 'restarting':
      return event.why === 'requested' ? `${who}: restarting on request` : `${who}: restarting in ${seconds(event.inMs)} (attempt ${event.attempt})`;
    case 'gave-up':
      return `${who}: exited ${event.attempt} times in a row, giving up; restart it once the cause is fixed`;
    case 'stopped':
      return `${who}: stopped`;
    case 'warning':
      return `${who}: ${event.error.message}`;
  }
}

function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}
