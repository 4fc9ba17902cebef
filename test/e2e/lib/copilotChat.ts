// Copilot Chat, built in to this VS Code, is what runs an agent-mode chat turn (and so what
// renders an MCP App's view). It starts disabled until chat setup; signed out, it turns its
// chat on once a third-party ("BYOK") model is registered — the probe's scripted one.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runPaletteCommandWhenReady } from './palette';
import type { VsCodeSession } from './vsCodeSession';

/** The line Copilot Chat logs when its chat participants and agent mode are registered. */
export const COPILOT_CHAT_ACTIVE = 'ConversationFeature: Activating contributions';

/** Every log file VS Code wrote for Copilot Chat in this session (`…/exthost/GitHub.copilot-chat/*.log`). */
export function copilotChatLogs(userDataDir: string): string[] {
  const found: string[] = [];
  const walk = (dir: string, inCopilot: boolean): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      const copilot = inCopilot || entry.name.toLowerCase() === 'github.copilot-chat';
      if (entry.isDirectory()) walk(path, copilot);
      else if (copilot && entry.name.endsWith('.log')) found.push(path);
    }
  };
  walk(join(userDataDir, 'logs'), false);
  return found;
}

function copilotChatLogText(userDataDir: string): string {
  return copilotChatLogs(userDataDir)
    .map((file) => {
      try {
        return readFileSync(file, 'utf8');
      } catch {
        return '';
      }
    })
    .join('\n');
}

/**
 * Enables the built-in Copilot Chat ("Extensions: Enable All Extensions", as chat setup
 * would) and waits until it has activated its chat, which needs the probe's model
 * (`mcplexProbe.chatTool` set) to be registered.
 */
export async function enableCopilotChatAgent(session: VsCodeSession, timeoutMs = 90_000): Promise<void> {
  await runPaletteCommandWhenReady(session, 'Extensions: Enable All Extensions');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const log = copilotChatLogText(session.profile.userDataDir);
    if (log.includes(COPILOT_CHAT_ACTIVE)) return;
    if (Date.now() >= deadline) {
      throw new Error(`Copilot Chat did not log "${COPILOT_CHAT_ACTIVE}" within ${timeoutMs} ms; its log ends:\n${log.trimEnd().split('\n').slice(-20).join('\n')}`);
    }
    await sleep(250);
  }
}
