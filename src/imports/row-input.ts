import { randomUUID } from 'node:crypto';
import { ColumnType, ExportColumn, LIST_SEPARATOR } from '../exports/columns';
import { restoreFormula } from '../exports/formula';
import { Cell } from './csv-reader';
import { ColumnRole, columnRoles, ImportFormat, pathText } from './import-formats';

/** One column of a file's header, with what the import does with it. */
export interface HeaderColumn {
  name: string;
  column: ExportColumn;
  role: ColumnRole;
  /** An empty cell leaves the field out of the input (the record's default on creation, no
   * change on update) rather than setting it to null: for columns that cannot be null and have a
   * default (confidentiality, location_precision...), and for references an export leaves empty
   * when it may not show them (keptWhenEmpty). */
  emptyLeavesOut: boolean;
}

/** A problem with one cell, named by its column; messages never quote the cell. */
export interface CellProblem {
  column: string | null;
  message: string;
}

/** What a row of a file says. */
export interface RowValues {
  /** The record's id, lower case; a new one when the row has none; null when malformed (a
   * problem says which). */
  id: string | null;
  /** The row had no id: its record is new, with `id`. */
  newId?: boolean;
  /** The write input, before validation (the API's input type, as plain values). */
  input: Record<string, unknown>;
  createdAt?: Date;
  updatedAt?: Date;
  /** Null: not deleted; undefined: the file has no deleted_at column. */
  deletedAt?: Date | null;
  /** Organizations named in organizer_names, resolved to ids by the importer. */
  organizerNames?: string[];
  /** Columns whose cell is empty. */
  empty: Set<string>;
  problems: CellProblem[];
}

/** What a cell of each form must look like, said once per bad cell. Counts get the hint that
 * words and ranges have columns of their own. */
function expected(type: ColumnType, name: string): string {
  switch (type) {
    case 'integer': {
      const count = /^(.*)_(best|at_least|at_most)$/.exec(name);
      return count
        ? `must be a whole number (e.g. 2), not words or a range: put ranges in ${count[1]}_at_least and ${count[1]}_at_most`
        : 'must be a whole number (e.g. 2)';
    }
    case 'number':
      return 'must be a number written with a point (e.g. 43.317123)';
    case 'boolean':
      return 'must be true or false';
    default:
      return 'is not valid';
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NUMBER = /^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;
const INTEGER = /^-?\d+$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:?\d{2})$/;

const NOT_READ = Symbol('not read');

/** A cell as the input takes it, or NOT_READ when it is not of its column's form: the row then
 * gets one problem saying what was expected, instead of the API rules' several. */
function valueOf(type: ColumnType, name: string, cell: string): unknown {
  switch (type) {
    case 'text':
      // Undo the export's neutralisation of formulas (a leading quote added before = + - @).
      // Region codes are case-insensitive, as in GraphQL filters: ISO writes them upper case.
      return name === 'region_code' ? restoreFormula(cell).toUpperCase() : restoreFormula(cell);
    case 'integer':
      return INTEGER.test(cell.trim()) ? Number(cell) : NOT_READ;
    case 'number':
      return NUMBER.test(cell.trim()) ? Number(cell) : NOT_READ;
    case 'boolean': {
      const lower = cell.trim().toLowerCase();
      return lower === 'true' ? true : lower === 'false' ? false : NOT_READ;
    }
    default:
      return cell;
  }
}

/** The text of an empty cell: null, except a quoted empty cell ("") in a text column. */
function isEmpty(type: ColumnType, cell: Cell): cell is null | '' {
  return cell === null || (cell === '' && type !== 'text');
}

function setPath(input: Record<string, unknown>, path: readonly string[], value: unknown): void {
  if (path.length === 1) {
    input[path[0]] = value;
    return;
  }
  const group = (input[path[0]] ??= {}) as Record<string, unknown>;
  group[path[1]] = value;
}

/** Reads one row of a file into the input the API takes, with its id, timestamps and links. */
export function rowValues(columns: readonly HeaderColumn[], cells: readonly Cell[]): RowValues {
  const row: RowValues = { id: null, input: {}, empty: new Set(), problems: [] };
  columns.forEach(({ name, column, role, emptyLeavesOut }, k) => {
    const cell = cells[k] ?? null;
    const empty = isEmpty(column.type, cell);
    if (empty) row.empty.add(name);
    switch (role.role) {
      case 'derived':
        return;
      case 'id':
        if (empty) return;
        else if (!UUID.test(cell)) row.problems.push({ column: name, message: 'must be an id (UUID)' });
        else row.id = cell.toLowerCase();
        return;
      case 'timestamp': {
        if (empty) {
          if (role.property === 'deletedAt') row.deletedAt = null;
          return;
        }
        const at = new Date(cell);
        if (!TIMESTAMP.test(cell) || Number.isNaN(at.getTime())) {
          row.problems.push({ column: name, message: 'must be a time in ISO 8601 with its zone, as exports write it (2024-05-01T12:00:00.000Z)' });
        } else {
          row[role.property] = at;
        }
        return;
      }
      case 'link': {
        const items = empty ? [] : restoreFormula(cell).split(LIST_SEPARATOR).map((item) => item.trim()).filter((item) => item !== '');
        if (role.property === 'organizers') row.organizerNames = items;
        else row.input[role.property] = items;
        return;
      }
      case 'field': {
        if (empty) {
          if (!emptyLeavesOut) setPath(row.input, role.path, null);
          // An empty date or count group is still the group: its parts are unknown.
          else if (role.path.length === 2) row.input[role.path[0]] ??= {};
          return;
        }
        const value = valueOf(column.type, name, cell);
        if (value === NOT_READ) row.problems.push({ column: name, message: expected(column.type, name) });
        // Passed on as text even so: left out, the other rules of its group would misread it
        // (a latitude without its longitude).
        setPath(row.input, role.path, value === NOT_READ ? cell : value);
        return;
      }
    }
  });
  if (row.id === null && !row.problems.some((p) => p.column === 'id')) {
    row.id = randomUUID();
    row.newId = true;
  }
  return row;
}

/**
 * The column a problem path of the input names: `date.start` -> date_start, `victims.atLeast` ->
 * victims_at_least, `incidentIds[2]` -> incident_ids (item 3), `date` -> the date's first column.
 */
export class ProblemColumns {
  private readonly byPath = new Map<string, string>();
  private readonly byGroup = new Map<string, string>();

  /** Over every column of the format, so that a rule about a column the file lacks still names it. */
  constructor(format: ImportFormat) {
    for (const [name, { role }] of columnRoles(format)) this.add(name, role);
  }

  private add(name: string, role: ColumnRole): void {
    if (role.role === 'field') {
      this.byPath.set(pathText(role.path), name);
      if (!this.byGroup.has(role.path[0])) this.byGroup.set(role.path[0], name);
    } else if (role.role === 'link') {
      this.byPath.set(role.property, name);
    }
  }

  /** `{ column, message }` for an input problem at `path`. */
  problem(path: string, message: string): CellProblem {
    const item = /\[(\d+)\]/.exec(path);
    const bare = path.replace(/\[\d+\]/g, '');
    const [first, second] = bare.split('.');
    const column =
      this.byPath.get(bare) ??
      (second !== undefined ? this.byPath.get(`${first}.${second}`) : undefined) ??
      this.byPath.get(first) ??
      this.byGroup.get(first) ??
      null;
    const renamed = this.rename(message, first);
    const text = item ? `item ${Number(item[1]) + 1}: ${renamed}` : renamed;
    return { column: column ?? (bare || null), message: text };
  }

  /** The API's messages name input properties ("give exactly one of incidentId, situationId",
   * "is below atLeast"); a file's reader knows columns. Only camelCase names are replaced, which
   * no ordinary word in a message is. */
  private rename(message: string, group: string): string {
    return message.replace(/\b[a-z]+[A-Z][A-Za-z]*\b/g, (word) => this.byPath.get(word) ?? this.byPath.get(`${group}.${word}`) ?? word);
  }
}
