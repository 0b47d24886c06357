/** Something the user gave us was wrong; the message says what and what to do. CLI exit code 2. */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InputError";
  }
}

/** The knowledge folder failed validation; every problem is listed with its file and field. */
export class KnowledgeError extends Error {
  constructor(readonly problems: string[]) {
    super(`knowledge base is invalid:\n  - ${problems.join("\n  - ")}`);
    this.name = "KnowledgeError";
  }
}

/** The thing asked for does not exist (or is not visible to the asker). */
export class NotFoundError extends InputError {
  constructor(message: string) {
    super(message);
    this.name = "NotFoundError";
  }
}

/** A scan found confirmed Critical or High threats that its baseline does not have. CLI exit code 3. */
export class NewFindingsError extends Error {
  constructor(readonly ruleIds: readonly string[]) {
    super(
      `${ruleIds.length} confirmed Critical or High threat(s) new against the baseline: ${ruleIds.join(", ")}`,
    );
    this.name = "NewFindingsError";
  }
}
