// Advisory lock keys of the mail streams. Each SMTP transaction and each enqueue holds its
// stream's key in shared mode for the length of its transaction; a freeze takes it exclusively,
// so it waits for every send in flight and no new send starts until the freeze is committed.
import { STREAMS, type Stream } from './schema';

export const MAIL_LOCK = 0x4d41494c; // "MAIL"
export const streamLockKey = (stream: Stream) => STREAMS.indexOf(stream);
