/** The commands folder's public face. */
export { checkCommand } from './check';
export { listCommand } from './list';
export { serveCommand } from './serve';
export { wrapCommand } from './wrap';
export { secretCommand } from './secret';
export { pinCommand } from './pin';
export { auditCommand } from './audit';
