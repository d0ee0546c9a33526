import { useState, type DragEvent } from 'react';

/** Whether a drag carries files (not text or a link dragged from the page). */
const carriesFiles = (event: DragEvent): boolean => event.dataTransfer.types.includes('Files');

/**
 * Dropping files on an element: its drag handlers, and whether files are being dragged over it
 * (to show where they can go). Other drags (selected text, links) are left to the browser.
 */
export function useFileDrop(onFiles: (files: File[]) => void) {
  const [dragging, setDragging] = useState(false);
  return {
    dragging,
    handlers: {
      onDragOver(event: DragEvent<HTMLElement>): void {
        if (!carriesFiles(event)) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = 'copy';
        setDragging(true);
      },
      onDragLeave(event: DragEvent<HTMLElement>): void {
        // Leaving for a child is not leaving.
        if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDragging(false);
      },
      onDrop(event: DragEvent<HTMLElement>): void {
        setDragging(false);
        if (!carriesFiles(event)) return;
        event.preventDefault();
        onFiles([...event.dataTransfer.files]);
      },
    },
  };
}
