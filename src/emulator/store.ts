// The emulator's Pinterest world in memory: apps, users, boards, sections and the pins created through it.
import type { PinCreate } from '../pinterest/schemas';
import { fixtureSchema, type App, type BoardSeed, type Fixture, type SectionSeed, type User } from './fixture';

export interface StoredImage {
  bytes: Buffer;
  contentType: 'image/jpeg' | 'image/png';
  width: number;
  height: number;
  title?: string;
  description?: string;
  link?: string;
}

export interface StoredBoard extends BoardSeed {
  createdAtMs: number;
}

export interface StoredPin {
  id: string;
  ownerId: string;
  boardId: string;
  sectionId: string | null;
  images: StoredImage[];
  carousel: boolean;
  /** The body as received (validated), for the admin list and for tests. */
  request: PinCreate;
  requestId: string;
  createdAtMs: number;
  deletedAtMs: number | null;
}

export interface Store {
  apps: Map<string, App>;
  users: Map<string, User>;
  boards: Map<string, StoredBoard>;
  sections: Map<string, SectionSeed>;
  pins: Map<string, StoredPin>;
  seed(fixture: Fixture): void;
  /** Forgets everything except the pin id counter: ids are never reused, even across resets. */
  clear(): void;
  addPin(pin: Omit<StoredPin, 'id' | 'createdAtMs' | 'deletedAtMs'>): StoredPin;
  boardsOf(userId: string): StoredBoard[];
  sectionsOf(boardId: string): SectionSeed[];
  /** Live pins of a board, newest first. */
  pinsOn(boardId: string): StoredPin[];
  livePinsOf(userId: string): StoredPin[];
}

/** Pin ids look like Pinterest's (18–19 digits) and only grow, so a bookmark can be an id. */
const PIN_ID_BASE = 1_400_000_000_000_000_000n;

export function createStore(now: () => number): Store {
  const apps = new Map<string, App>();
  const users = new Map<string, User>();
  const boards = new Map<string, StoredBoard>();
  const sections = new Map<string, SectionSeed>();
  const pins = new Map<string, StoredPin>();
  let pinCounter = 0n;

  return {
    apps,
    users,
    boards,
    sections,
    pins,

    seed(fixture) {
      const world = fixtureSchema.parse(fixture);
      for (const app of world.apps) apps.set(app.clientId, app);
      for (const user of world.users) users.set(user.id, user);
      for (const board of world.boards)
        boards.set(board.id, { ...board, createdAtMs: board.createdAt ? Date.parse(board.createdAt) : now() });
      for (const section of world.sections) sections.set(section.id, section);
    },

    clear() {
      for (const map of [apps, users, boards, sections, pins]) map.clear();
    },

    addPin(pin) {
      // Synchronous from counter to map: concurrent creations can never share an id.
      pinCounter += 1n;
      const stored: StoredPin = { ...pin, id: String(PIN_ID_BASE + pinCounter), createdAtMs: now(), deletedAtMs: null };
      pins.set(stored.id, stored);
      return stored;
    },

    boardsOf: (userId) => [...boards.values()].filter((board) => board.ownerId === userId),
    sectionsOf: (boardId) => [...sections.values()].filter((section) => section.boardId === boardId),
    pinsOn: (boardId) => [...pins.values()].filter((pin) => pin.boardId === boardId && pin.deletedAtMs === null).reverse(),
    livePinsOf: (userId) => [...pins.values()].filter((pin) => pin.ownerId === userId && pin.deletedAtMs === null),
  };
}
