import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';

/*
 * What the kernel says about sockets and processes (Linux /proc): which
 * addresses a server listens on, whether it can be reached from an address
 * other than 127.0.0.1, which process owns a socket, and which processes
 * descend from one or share its process group.
 */

interface ListeningSocket {
  address: string;
  port: number;
  inode: string;
}

const LISTEN = '0A';

/** Every listening TCP socket; a missing table (no IPv6) or an unreadable line is skipped. */
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
      const [addressHex, portHex] = (fields[1] ?? '').split(':');
      if (fields[3] !== LISTEN || !addressHex || !portHex || fields[9] === undefined) continue;
      const address = decodeAddress(addressHex);
      if (address !== null) sockets.push({ address, port: parseInt(portHex, 16), inode: fields[9] });
    }
  }
  return sockets;
}

/**
 * /proc shows addresses as 32-bit words in host (little-endian) order: 0100007F
 * is 127.0.0.1. An IPv4-mapped IPv6 address, as a dual-stack (Java) socket bound
 * to an IPv4 address shows up, is reported as that IPv4 address.
 */
export function decodeAddress(hex: string): string | null {
  if (!/^[0-9A-Fa-f]+$/.test(hex) || (hex.length !== 8 && hex.length !== 32)) return null;
  const bytes = (hex.match(/.{8}/g) ?? []).flatMap((word) => [...Buffer.from(word, 'hex').reverse()]);
  if (bytes.length === 4) return bytes.join('.');
  const mappedIpv4 = bytes.slice(0, 10).every((byte) => byte === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  if (mappedIpv4) return bytes.slice(12).join('.');
  const groups: string[] = [];
  for (let index = 0; index < 16; index += 2) groups.push(((bytes[index]! << 8) | bytes[index + 1]!).toString(16));
  const ipv6 = groups.join(':');
  if (ipv6 === '0:0:0:0:0:0:0:0') return '::';
  if (ipv6 === '0:0:0:0:0:0:0:1') return '::1';
  return ipv6;
}

const LOOPBACK_ADDRESSES = new Set(['127.0.0.1', '::1']);

export const isLoopback = (address: string): boolean => LOOPBACK_ADDRESSES.has(address);

/** Every local address something listens on at `port`. */
export function listeningAddresses(port: number): string[] {
  return listeningSockets()
    .filter((socket) => socket.port === port)
    .map((socket) => socket.address);
}

/**
 * The addresses of this machine from which `port` accepts a connection, among
 * 127.0.0.1, 127.0.0.2 and every address of a non-loopback interface. A server
 * bound to 127.0.0.1 alone answers only from the first: 127.0.0.2 is always
 * routed to the loopback interface on Linux, so a server bound to every
 * interface answers there too, even on a machine without a network interface.
 */
export async function addressesAccepting(port: number): Promise<string[]> {
  const external = Object.values(networkInterfaces())
    .flatMap((addresses) => addresses ?? [])
    .filter((address) => !address.internal && !address.address.startsWith('fe80:'))
    .map((address) => address.address);
  const candidates = ['127.0.0.1', '127.0.0.2', ...external];
  const accepting = await Promise.all(candidates.map((host) => canConnect(host, port)));
  return candidates.filter((_host, index) => accepting[index]);
}

export function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolveConnected) => {
    const socket = connect({ host, port, timeout: 2_000 });
    socket.once('connect', () => {
      socket.destroy();
      resolveConnected(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolveConnected(false);
    });
    socket.once('error', () => {
      resolveConnected(false);
    });
  });
}

/** The process that owns the socket listening on `port`, or undefined. */
export function pidListeningOn(port: number): number | undefined {
  const inodes = new Set(
    listeningSockets()
      .filter((socket) => socket.port === port)
      .map((socket) => `socket:[${socket.inode}]`),
  );
  for (const pid of processIds()) {
    let descriptors: string[];
    try {
      descriptors = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const descriptor of descriptors) {
      try {
        if (inodes.has(readlinkSync(`/proc/${pid}/fd/${descriptor}`))) return pid;
      } catch {
        // the descriptor closed while we looked
      }
    }
  }
  return undefined;
}

/** Whether a process is still running (not a zombie). */
export function isRunning(pid: number): boolean {
  const stat = processStat(pid);
  return stat !== null && stat.state !== 'Z';
}

/** The ids of every descendant of `pid`, from /proc. */
export function descendantsOf(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of processIds()) {
    const stat = processStat(entry);
    if (stat) children.set(stat.parent, [...(children.get(stat.parent) ?? []), entry]);
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

/**
 * The running processes of process group `groupId` (a child spawned with
 * `detached: true` leads a group of its own, which its descendants join), even
 * those whose parent has died.
 */
export function processGroupMembers(groupId: number): number[] {
  return processIds().filter((pid) => {
    const stat = processStat(pid);
    return stat !== null && stat.group === groupId && stat.state !== 'Z';
  });
}

/** A process's command line, for messages; empty once it is gone. */
export function commandLineOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
  } catch {
    return '';
  }
}

function processIds(): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number);
}

/** The fields of /proc/<pid>/stat after the command name (which may hold spaces and parentheses). */
function processStat(pid: number): { state: string; parent: number; group: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const [state, parent, group] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: state!, parent: Number(parent), group: Number(group) };
  } catch {
    return null;
  }
}
