/**
 * Every error the server can send, in words a student understands. Codes come from the engine
 * (RejectionCode) and from the server (session, seat and connection problems). Unknown codes fall
 * back to the server's own message, never to a stack trace.
 */

export interface FriendlyError {
  title: string;
  detail: string;
}

const MESSAGES: Record<string, FriendlyError> = {
  // Engine rejections
  UNKNOWN_POWER: { title: 'That country is not in this game', detail: 'Pick a country from the list.' },
  UNKNOWN_MOVE: { title: 'That move does not exist', detail: 'Choose a move from the orders list.' },
  UNKNOWN_TARGET: { title: 'Pick who the move is aimed at', detail: 'This move needs a target country.' },
  UNKNOWN_EVENT: { title: 'That event does not exist', detail: 'Choose an event from the list.' },
  UNKNOWN_PROPOSAL: { title: 'That proposal is gone', detail: 'It may have been withdrawn or answered already.' },
  NOT_YOUR_MOVE: { title: 'Your country cannot make this move', detail: 'Only some countries may use it.' },
  INVALID_TARGET: { title: 'This move cannot be aimed at that country', detail: 'Choose another target.' },
  NOT_ENOUGH_ACTION_POINTS: {
    title: 'Not enough action points',
    detail: 'Remove another order first, or pick a cheaper move.',
  },
  PRECONDITION_FAILED: {
    title: 'This move is not possible right now',
    detail: 'Its conditions are not met this turn. Read the move description.',
  },
  ALREADY_USED: { title: 'Already used', detail: 'This move can be played only once per game.' },
  DUPLICATE_ORDER: { title: 'Already in your orders', detail: 'You have already ordered this move against that country.' },
  WRONG_PHASE: {
    title: 'Not now',
    detail: 'This can only be done in another phase of the turn. Watch the phase at the top.',
  },
  NOT_YOUR_TURN: { title: 'Wait a moment', detail: 'It is not your turn to do this.' },
  GAME_OVER: { title: 'The game is over', detail: 'No more moves can be made. Look at the final scores.' },
  NOT_ADDRESSED_TO_YOU: { title: 'This proposal is not for you', detail: 'Only the country it was sent to can answer.' },
  PROPOSAL_CLOSED: { title: 'This proposal is closed', detail: 'It was already accepted, rejected, countered or it expired.' },
  INVALID_TERMS: {
    title: 'The proposal is not complete',
    detail: 'Check each promise: who makes it, which move, and for which turns.',
  },
  COMMITTED_ORDER: {
    title: 'You promised not to do that',
    detail: 'This order breaks a commitment you made. Breaking your word costs credibility.',
  },
  EMPTY_MESSAGE: { title: 'Your message is empty', detail: 'Write something before sending.' },
  NOT_A_FACILITATOR_EVENT: { title: 'Only the teacher can trigger that', detail: 'This event happens on its own.' },
  // Session and seat problems
  SESSION_NOT_FOUND: { title: 'No game with that code', detail: 'Check the code on the board and try again.' },
  NOT_FOUND: { title: 'No game with that code', detail: 'Check the code on the board and try again.' },
  BAD_CODE: { title: 'No game with that code', detail: 'Check the code on the board and try again.' },
  SESSION_FULL: { title: 'This game is full', detail: 'Ask your teacher for another table or a seat.' },
  ROOM_FULL: { title: 'This table is full', detail: 'Ask your teacher which table to join.' },
  SESSION_LOCKED: { title: 'The game has already started', detail: 'Ask your teacher to let you in.' },
  NAME_TAKEN: { title: 'That name is taken', detail: 'Someone at your table already uses it. Add your initial.' },
  NAME_REQUIRED: { title: 'Type your name first', detail: 'Your name shows your team who you are.' },
  INVALID_NAME: { title: 'That name cannot be used', detail: 'Use 1 to 24 letters, numbers or spaces.' },
  SEAT_TAKEN: { title: 'That role is taken', detail: 'Pick another role that is still free.' },
  NOT_SEATED: { title: 'You do not have a role yet', detail: 'Wait for your teacher to seat you.' },
  NOT_FACILITATOR: { title: 'Only the teacher can do that', detail: 'This control is for the facilitator.' },
  FORBIDDEN: { title: 'You are not allowed to do that', detail: 'This control is for someone else.' },
  UNAUTHORIZED: { title: 'Not allowed', detail: 'Sign in again with your teacher code.' },
  BAD_PASSWORD: { title: 'Wrong teacher code', detail: 'Check the teacher code and try again.' },
  UNKNOWN_SCENARIO: { title: 'That scenario is not available', detail: 'Choose another scenario from the list.' },
  INVALID_MESSAGE: { title: 'That did not work', detail: 'The game did not understand the request. Try again.' },
  INVALID_PAYLOAD: { title: 'That did not work', detail: 'The game did not understand the request. Try again.' },
  RATE_LIMITED: { title: 'Slow down a little', detail: 'Too many actions at once. Wait a few seconds.' },
  PAUSED: { title: 'The game is paused', detail: 'Your teacher paused the game. Wait for it to resume.' },
  NOT_STARTED: { title: 'The game has not started yet', detail: 'Wait for your teacher to start the game.' },
  ALREADY_STARTED: { title: 'The game has already started', detail: 'Nothing to change now.' },
  NOT_YOUR_SEAT: { title: 'That is not your country', detail: 'You can only act for the country you lead.' },
  UNKNOWN_TABLE: { title: 'That table does not exist', detail: 'Ask your teacher which table you are at.' },
  UNKNOWN_PARTICIPANT: { title: 'That player is not in the game', detail: 'They may have left. Refresh the list.' },
  UNKNOWN_SEAT: { title: 'That seat does not exist', detail: 'Pick a country from the list.' },
  SEATING_CLOSED: { title: 'Seats cannot be chosen now', detail: 'Your teacher gives the seats, or the game has started.' },
  TABLE_NOT_RUNNING: { title: 'Your table is not playing right now', detail: 'Wait for your teacher to start (or restart) the game.' },
  TABLE_PAUSED: { title: 'The game is paused', detail: 'Your teacher paused the game. Wait for it to resume.' },
  NOT_SANDBOX: { title: 'Only in a sandbox', detail: 'This control works in a sandbox session only.' },
  NOTHING_TO_UNDO: { title: 'Nothing to undo', detail: 'No turn has been resolved yet.' },
  SEAT_EMPTY: { title: 'Nobody sits there', detail: 'This seat has no player to give it back to.' },
  UNKNOWN_MESSAGE: { title: 'That did not work', detail: 'This version of the game does not know that action. Reload the page.' },
  INTERNAL: { title: 'Something went wrong on the server', detail: 'Try again. If it keeps happening, tell your teacher.' },
  RECONNECT_FAILED: {
    title: 'Could not get your seat back',
    detail: 'Join again with the same code and name; your teacher can give you your seat.',
  },
  CONNECTION_LOST: { title: 'Connection lost', detail: 'Trying to reconnect. Keep this page open.' },
  NETWORK: { title: 'Cannot reach the game server', detail: 'Check the Wi-Fi, then try again.' },
  HTTP_401: { title: 'The teacher code is needed', detail: 'Open this page from the facilitator console, or type the teacher code you were given when you created the session.' },
};

/** Colyseus close and matchmaking codes (numbers) mapped to our codes. */
const NUMERIC: Record<number, string> = {
  4212: 'SESSION_NOT_FOUND', // MATCHMAKE_INVALID_ROOM_ID
  4211: 'SESSION_NOT_FOUND', // MATCHMAKE_INVALID_CRITERIA / no rooms
  4210: 'SESSION_NOT_FOUND', // MATCHMAKE_NO_HANDLER
  4213: 'SESSION_NOT_FOUND', // MATCHMAKE_EXPIRED
  4215: 'UNAUTHORIZED', // AUTH_FAILED
  524: 'RECONNECT_FAILED',
  4002: 'ROOM_FULL',
};

export function friendlyError(code: string | number | undefined | null, serverMessage?: string): FriendlyError {
  if (typeof code === 'number') {
    const mapped = NUMERIC[code];
    if (mapped) return MESSAGES[mapped]!;
  }
  const key = typeof code === 'string' ? code.toUpperCase() : '';
  const known = MESSAGES[key];
  if (known) return known;
  // Some server messages carry a code in their text ("ROOM_FULL: ..."): use it.
  const inMessage = serverMessage ? /\b([A-Z][A-Z_]{3,})\b/.exec(serverMessage)?.[1] : undefined;
  if (inMessage && MESSAGES[inMessage]) return MESSAGES[inMessage]!;
  if (serverMessage && /fetch|network|ECONNREFUSED|failed to connect|WebSocket/i.test(serverMessage)) {
    return MESSAGES['NETWORK']!;
  }
  return {
    title: 'That did not work',
    detail: cleanServerMessage(serverMessage) || 'Please try again. If it keeps happening, tell your teacher.',
  };
}

/** Strip technical prefixes from a server message so that it can be shown as is. */
export function cleanServerMessage(message: string | undefined): string {
  if (!message) return '';
  const m = message
    .replace(/^(Error|ServerError|MatchMakeError):\s*/i, '')
    .replace(/\b[A-Z][A-Z_]{3,}\b:\s*/, '')
    .trim();
  if (m.length > 200 || /\(\S+:\d+:\d+\)|\bat \S+:\d+/.test(m)) return '';
  return m.charAt(0).toUpperCase() + m.slice(1);
}

/** Every code we translate, for tests and for the teacher's guide. */
export function knownErrorCodes(): string[] {
  return Object.keys(MESSAGES);
}
