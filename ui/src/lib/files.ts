// Presentation helpers for attached files.
import type { Attachment } from "../ipc";

/** A byte count as people read it: 512 B, 3.4 KB, 12.0 MB. */
export function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} B`;
}

const SHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** Whether to offer "import transactions" for a file: CSV, text or XLSX.
 * The core decides whether it really is a statement. */
export function mayBeStatement(a: Pick<Attachment, "media_type" | "name">): boolean {
  const name = a.name.toLowerCase();
  return a.media_type === "text/csv" || a.media_type === "text/plain" || a.media_type === SHEET || name.endsWith(".csv") || name.endsWith(".xlsx");
}

/** Image types the app's `evidence:` scheme serves for inline previews (never SVG). */
const PREVIEWABLE = ["image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp"];

export function canPreview(a: Pick<Attachment, "media_type">): boolean {
  return PREVIEWABLE.includes(a.media_type);
}
