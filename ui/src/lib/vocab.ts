// The closed vocabularies, enumerated from the generated union types: a
// Record over each union fails to type-check if the core adds a value.
import type { Category, Channel, PointKind, RefKind, Status } from "../ipc";
import type { Direction } from "../ipc/bindings/Direction";
import type { HitKind } from "../ipc/bindings/HitKind";

const keys = <K extends string>(r: Record<K, true>) => Object.keys(r) as K[];

export const CATEGORIES = keys<Category>({ account_locked: true, transaction_failed: true, refund: true, fraud: true, security: true, other: true });
export const STATUSES = keys<Status>({ open: true, waiting: true, escalated: true, resolved: true, closed: true });
export const CHANNELS = keys<Channel>({ chat: true, phone: true, email: true, social: true, in_person: true, other: true });
export const DIRECTIONS = keys<Direction>({ out: true, in: true });
export const REF_KINDS = keys<RefKind>({ ticket: true, complaint: true, case: true, transaction: true, other: true });
export const POINT_KINDS = keys<PointKind>({ phone: true, email: true, website: true, social: true, in_app: true, other: true });
export const HIT_KINDS = keys<HitKind>({ case: true, contact: true, note: true, transaction: true, attachment: true });
