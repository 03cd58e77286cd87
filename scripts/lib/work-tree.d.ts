/** Types of work-tree.js (plain Node, so that scripts/jest.js can use it before anything is compiled). */
export declare function snapshot(root: string): Set<string> | null;
export declare function changedSince(before: Set<string> | null, after: Set<string> | null): string[];
