export function botActions(): never[] { return []; }
