// "On a call": a running clock and the lines typed while talking. The UI
// owns only the clock; turning the lines into a contact is the core's
// (calls::CallForm), so the CLI and the app save calls the same way.
import type { CallForm } from "../ipc";
import { rfc3339Of } from "./form";

export interface CallLine {
  offset_secs: number;
  text: string;
}

export class CallSession {
  readonly startedAt: Date;
  readonly lines: CallLine[] = [];

  constructor(now: Date) {
    this.startedAt = now;
  }

  elapsedSecs(now: Date): number {
    return Math.max(0, Math.floor((now.getTime() - this.startedAt.getTime()) / 1000));
  }

  /** Adds a line stamped with the time into the call; blank lines are ignored. */
  addLine(text: string, now: Date): boolean {
    if (!text.trim()) return false;
    this.lines.push({ offset_secs: this.elapsedSecs(now), text });
    return true;
  }

  /** What to send when the user hangs up. */
  finish(now: Date, via: string, agent: string): CallForm {
    return {
      started_at: rfc3339Of(this.startedAt),
      duration_secs: this.elapsedSecs(now),
      via: via || null,
      agent: agent || null,
      direction: "out",
      lines: [...this.lines],
    };
  }
}
