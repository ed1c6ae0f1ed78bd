import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/*
 * What the kernel says is listening (Linux /proc/net/tcp and tcp6), to check
 * that a server is bound to loopback only, and which process owns a socket.
 */

interface ListeningSocket {
  address: string;
  port: number;
  inode: string;
}

const LISTEN = '0A';

function listeningSockets(): ListeningSocket[] {
  const sockets: ListeningSocket[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let table: string;
    try {
      table = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of table.trim().split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      const [addressHex, portHex] = fields[1]!.split(':');
      if (fields[3] !== LISTEN) continue;
      sockets.push({ address: decodeAddress(addressHex!), port: parseInt(portHex!, 16), inode: fields[9]! });
    }
  }
  return sockets;
}

/** /proc shows addresses as little-endian hex words: 0100007F is 127.0.0.1. */
function decodeAddress(hex: string): string {
  if (hex.length === 8) {
    return [6, 4, 2, 0].map((offset) => parseInt(hex.slice(offset, offset + 2), 16)).join('.');
  }
  const words = hex.match(/.{8}/g)!.map((word) => word.match(/../g)!.reverse().join(''));
  const groups = words.join('').match(/.{4}/g)!.map((group) => parseInt(group, 16).toString(16));
  const ipv6 = groups.join(':');
  if (ipv6 === '0:0:0:0:0:0:0:0') return '::';
  if (ipv6 === '0:0:0:0:0:0:0:1') return '::1';
  // An IPv4-mapped address, as a dual-stack (Java) socket bound to an IPv4 address shows up.
  if (ipv6.startsWith('0:0:0:0:0:ffff:')) {
    const ipv4 = words[3]!.match(/../g)!.map((byte) => parseInt(byte, 16));
    return `::ffff:${ipv4.join('.')}`;
  }
  return ipv6;
}

const LOOPBACK_ADDRESSES = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

export const isLoopback = (address: string): boolean => LOOPBACK_ADDRESSES.has(address);

/** Every local address something listens on at `port`. */
export function listeningAddresses(port: number): string[] {
  return listeningSockets()
    .filter((socket) => socket.port === port)
    .map((socket) => socket.address);
}

/** The process that owns the socket listening on `port`, or undefined. */
export function pidListeningOn(port: number): number | undefined {
  const inodes = new Set(listeningSockets().filter((socket) => socket.port === port).map((socket) => `socket:[${socket.inode}]`));
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    let descriptors: string[];
    try {
      descriptors = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const descriptor of descriptors) {
      try {
        if (inodes.has(readlinkSync(`/proc/${pid}/fd/${descriptor}`))) return Number(pid);
      } catch {
        // the descriptor closed while we looked
      }
    }
  }
  return undefined;
}

/** Whether a process is still running (not a zombie). */
export function isRunning(pid: number): boolean {
  try {
    const status = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z/.test(status);
  } catch {
    return false;
  }
}

/** The ids of every descendant of `pid`, from /proc. */
export function descendantsOf(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // exited while we looked
    }
  }
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()!) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}
