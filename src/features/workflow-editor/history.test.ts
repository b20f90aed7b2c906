import { describe, expect, it } from "vitest";
import { emptyHistory, HISTORY_LIMIT, recordEdit, redo, undo } from "./history";

describe("history", () => {
  it("undoes and redoes edits in order", () => {
    let history = recordEdit(emptyHistory<number>(), 1);
    history = recordEdit(history, 2);
    const first = undo(history, 3);
    expect(first?.state).toBe(2);
    const second = undo(first!.history, 2);
    expect(second?.state).toBe(1);
    expect(undo(second!.history, 1)).toBeNull();
    const again = redo(second!.history, 1);
    expect(again?.state).toBe(2);
    expect(redo(again!.history, 2)?.state).toBe(3);
  });

  it("forgets the redo branch after a new edit", () => {
    const history = recordEdit(emptyHistory<string>(), "a");
    const undone = undo(history, "b")!;
    expect(redo(recordEdit(undone.history, "a"), "c")).toBeNull();
  });

  it("collapses consecutive edits with the same key into one undo step", () => {
    let history = recordEdit(emptyHistory<string>(), "", "a1:summary");
    history = recordEdit(history, "H", "a1:summary");
    history = recordEdit(history, "He", "a1:summary");
    expect(history.past).toEqual([""]);
    history = recordEdit(history, "Hello", "a1:project");
    expect(history.past).toEqual(["", "Hello"]);
  });

  it("keeps at most HISTORY_LIMIT snapshots", () => {
    let history = emptyHistory<number>();
    for (let i = 0; i < HISTORY_LIMIT + 20; i++) history = recordEdit(history, i);
    expect(history.past).toHaveLength(HISTORY_LIMIT);
    expect(history.past[0]).toBe(20);
  });
});
