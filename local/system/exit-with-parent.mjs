/**
 * Preloaded (`node --import`) into the local system's Node.js children: ends
 * the child when its stdin closes, which happens when the parent is gone,
 * however it died — even by SIGKILL, which runs no cleanup code. Without it a
 * killed `npm start` would leave the Comprehend stand-in holding its port.
 *
 * Plain JavaScript: preloaded before any TypeScript loader applies.
 */
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.stdin.resume();
// Not a reason to stay alive: the child's own servers and signal handlers decide that.
process.stdin.unref();
