import type { EncryptProgress } from '../db/open-store';
import type { CliIo } from './io';

const MB = 1024 * 1024;

/**
 * The CLI's progress for the one-time encryption of a plaintext store (stderr, so --json output on
 * stdout stays clean): a line when a phase starts, and during `encrypt` one every ~second.
 */
export function encryptionProgressPrinter(io: Pick<CliIo, 'err'>, now: () => number = Date.now): (p: EncryptProgress) => void {
  let lastPhase = '';
  let lastLine = 0;
  return (p) => {
    const t = now();
    if (p.phase === lastPhase && p.phase !== 'encrypt') return;
    if (p.phase === 'encrypt' && p.phase === lastPhase && t - lastLine < 1000 && p.done < p.total) return;
    lastPhase = p.phase;
    lastLine = t;
    switch (p.phase) {
      case 'checkpoint':
        return io.err('Encrypting the contact store (once, for encryption at rest)…');
      case 'copy':
        return io.err(`  copying ${(p.total / MB).toFixed(1)} MB`);
      case 'encrypt':
        return io.err(
          `  encrypting ${Math.floor((100 * p.done) / Math.max(1, p.total))}% (${(p.done / MB).toFixed(1)} of ${(p.total / MB).toFixed(1)} MB)`,
        );
      case 'verify':
        return io.err('  checking the encrypted copy');
      case 'backups':
        return io.err('  encrypting earlier backups');
      case 'done':
        return io.err('The contact store is encrypted.');
    }
  };
}
